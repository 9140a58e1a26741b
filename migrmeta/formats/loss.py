"""What a conversion loses, as data: the loss report of every import and export.

    report = LossReport(source="study.xml", conversion="DDI Codebook 2.5 -> migrmeta")
    report.lose("codeBook/stdyDscr/stdyInfo/sumDscr/geogCover", note="no questionnaire item")
    report.to_complete = items_to_complete(graph, survey, reference)
    print(render_text([report]))

Three lists: `lost` (elements or properties of the source that had no place in the target,
with their location and count), `to_complete` (questionnaire items to complete in the draft:
item number and name from the ontology, and the fields to add), and `notes` (guesses the
curator should check, such as a sample type read from free text).

An item to complete is either *not answered* (`report.unanswered`), as the inventory and
quality reports count it (`validation/items.answered_items`: no field of the ontology's
mm:answeredBy), or *answered in part* (`report.answered_in_part`): answered by one field
while a field the shapes ask for is missing (a sample frame, no sample type). The fields to
add are the shapes' (property shapes with a sh:minCount, grouped by their sh:order), so they
follow the shapes when these change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from migrmeta.jsontext import json_text
from migrmeta.load.reference import Reference
from migrmeta.namespaces import AGENCY_TYPE, DCT, MM, RDF
from migrmeta.rdf.curie import curie
from migrmeta.validation.items import ITEMS, answered_items, item_shapes

JSON_SCHEMA = "https://w3id.org/migrmeta/loss-report/2"


@dataclass(frozen=True)
class Lost:
    location: str  # DDI path (codeBook/stdyDscr/...), RDF property (CURIE) or record property
    count: int = 1
    note: str = ""
    item: int | None = None


@dataclass(frozen=True)
class ItemToComplete:
    item: int
    name: str
    missing: tuple[str, ...]  # the fields to add
    required: bool  # a violation if left out (else the shapes warn, or the item is optional)
    answered: bool = False  # by another of its fields: only a field the shapes ask for is missing


@dataclass(frozen=True)
class Note:
    message: str
    item: int | None = None


@dataclass
class LossReport:
    source: str
    conversion: str
    target: str = ""  # the survey IRI (imports) or the DDI study (exports)
    output: str | None = None  # the file written, if any
    lost: list[Lost] = field(default_factory=list)
    to_complete: list[ItemToComplete] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    _counts: Counter[tuple[str, str, int | None]] = field(default_factory=Counter, repr=False)

    def lose(self, location: str, count: int = 1, note: str = "", item: int | None = None) -> None:
        """Count one more loss at `location`; repeated locations are summed, in first-seen order."""
        self._counts[(location, note, item)] += count
        self.lost = [Lost(loc, n, nt, it) for (loc, nt, it), n in self._counts.items()]

    @property
    def unanswered(self) -> list[ItemToComplete]:
        """The items the draft does not answer at all (as `report inventory` counts them)."""
        return [x for x in self.to_complete if not x.answered]

    @property
    def answered_in_part(self) -> list[ItemToComplete]:
        """The items the draft answers without a field the shapes ask for."""
        return [x for x in self.to_complete if x.answered]

    def note(self, message: str, item: int | None = None) -> None:
        if Note(message, item) not in self.notes:
            self.notes.append(Note(message, item))

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "conversion": self.conversion,
            "target": self.target,
            "output": self.output,
            "lost": [{"location": x.location, "count": x.count, "item": x.item, "note": x.note} for x in self.lost],
            "unanswered": [_item_json(u) for u in self.unanswered],
            "answered_in_part": [_item_json(u) for u in self.answered_in_part],
            "notes": [{"item": n.item, "message": n.message} for n in self.notes],
        }


def _item_json(u: ItemToComplete) -> dict[str, Any]:
    return {"item": u.item, "name": u.name, "missing": list(u.missing), "required": u.required}


# --- questionnaire items to complete --------------------------------------------------------
# (which shapes ask for which item: validation/items.py)

def items_to_complete(graph: Graph, subject: Node, reference: Reference, lang: str = "en") -> list[ItemToComplete]:
    """Items `subject` does not answer, or answers without a field the shapes ask for, with the
    fields to add.

    Whether an item is answered is `answered_items`' word, never the shapes': the curator must
    not read "not answered" where the reports count the item answered. The fields to add are
    the shapes' (sh:minCount >= 1, as a violation or a warning), since the report must say
    which required field the draft still lacks even where another field answers the item; an
    unanswered item whose shapes ask for none (10, migrant types) lists all of its fields.
    """
    names = reference.item_names()
    answered = answered_items(graph, subject, reference)
    types = set(graph.objects(subject, RDF.type))
    target = MM.SurveySeries if MM.SurveySeries in types and MM.Survey not in types else MM.Survey
    shapes = item_shapes(reference, target) or item_shapes(reference, MM.Survey)
    result = []
    for item in ITEMS:
        of_item = [s for s in shapes if s.item == item]
        asked = [s for s in of_item if s.min_count > 0]
        fields = asked or ([] if item in answered else of_item)
        missing = [s for s in fields if (subject, s.path, None) not in graph]
        if not missing:
            continue
        paths = list(dict.fromkeys(s.path for s in missing))
        required = any(s.min_count > 0 and s.violation for s in missing)
        result.append(ItemToComplete(item, _name(names, item, lang), tuple(curie(p) for p in paths), required,
                                     item in answered))
    agencies = _agencies_to_complete(graph, names, lang, 5 in answered)
    return sorted([*result, agencies], key=lambda u: u.item) if agencies else result


def _name(names: dict[int, dict[str, str]], item: int, lang: str) -> str:
    return names.get(item, {}).get(lang) or names.get(item, {}).get("en", "")


_INTERNATIONAL = AGENCY_TYPE["international-organisation"]


def _agencies_to_complete(graph: Graph, names: dict[int, dict[str, str]], lang: str,
                          answered: bool) -> ItemToComplete | None:
    """Item 5 for the agencies a draft describes: each needs its kind (dct:type) and, unless it
    is an international organisation, the country it is based in (shapes/agency.ttl)."""
    missing: list[str] = []
    for agency in sorted(s for s in graph.subjects(RDF.type, MM.Agency) if isinstance(s, URIRef)):
        if (agency, DCT.type, None) not in graph:
            missing.append(f"{curie(agency)} {curie(DCT.type)}")
        if (agency, MM.basedIn, None) not in graph and (agency, DCT.type, _INTERNATIONAL) not in graph:
            missing.append(f"{curie(agency)} {curie(MM.basedIn)}")
    if not missing:
        return None
    return ItemToComplete(5, _name(names, 5, lang), tuple(missing), True, answered)


# --- rendering -----------------------------------------------------------------------------


def render_text(reports: list[LossReport]) -> str:
    lines: list[str] = []
    for report in reports:
        head = f"{report.source}: {report.conversion}"
        if report.target:
            head += f" -> {report.target}"
        lines.append(head)
        if report.output:
            lines.append(f"  written: {report.output}")
        if report.lost:
            lines.append("  not carried over (location, count):")
            for lost in report.lost:
                item = f" [item {lost.item}]" if lost.item else ""
                note = f" - {lost.note}" if lost.note else ""
                lines.append(f"    {lost.location} x{lost.count}{item}{note}")
        else:
            lines.append("  nothing lost")
        if report.to_complete:
            lines.append("  questionnaire items to complete:")
            for u in report.to_complete:
                need = "required" if u.required else "recommended"
                state = "answered in part" if u.answered else "not answered"  # as the reports count it
                lines.append(f"    item {u.item} ({u.name}): {state}; add {', '.join(u.missing)} [{need}]")
        if report.notes:
            lines.append("  check:")
            for n in report.notes:
                item = f"item {n.item}: " if n.item else ""
                lines.append(f"    {item}{n.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(reports: list[LossReport]) -> str:
    document = {"schema": JSON_SCHEMA, "reports": [r.to_json() for r in reports]}
    return json_text(document) + "\n"
