"""What a conversion loses, as data: the loss report of every import and export.

    report = LossReport(source="study.xml", conversion="DDI Codebook 2.5 -> migrmeta")
    report.lose("codeBook/stdyDscr/stdyInfo/sumDscr/geogCover", note="no questionnaire item")
    report.unanswered = unanswered_items(graph, survey, reference)
    print(render_text([report]))

Three lists: `lost` (elements or properties of the source that had no place in the target,
with their location and count), `unanswered` (questionnaire items the draft still lacks:
item number and name from the ontology, and the properties the shapes expect), and `notes`
(guesses the curator should check, such as a sample type read from free text).
The unanswered items are derived from the shapes (property shapes of mm:Survey with a
sh:minCount, grouped by their sh:order), so they follow the shapes when these change.
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
from migrmeta.validation.items import ITEMS, item_shapes

JSON_SCHEMA = "https://w3id.org/migrmeta/loss-report/1"


@dataclass(frozen=True)
class Lost:
    location: str  # DDI path (codeBook/stdyDscr/...), RDF property (CURIE) or record property
    count: int = 1
    note: str = ""
    item: int | None = None


@dataclass(frozen=True)
class Unanswered:
    item: int
    name: str
    missing: tuple[str, ...]
    required: bool  # a violation if left out (else the shapes warn, or the item is optional)


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
    unanswered: list[Unanswered] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    _counts: Counter[tuple[str, str, int | None]] = field(default_factory=Counter, repr=False)

    def lose(self, location: str, count: int = 1, note: str = "", item: int | None = None) -> None:
        """Count one more loss at `location`; repeated locations are summed, in first-seen order."""
        self._counts[(location, note, item)] += count
        self.lost = [Lost(loc, n, nt, it) for (loc, nt, it), n in self._counts.items()]

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
            "unanswered": [
                {"item": u.item, "name": u.name, "missing": list(u.missing), "required": u.required}
                for u in self.unanswered
            ],
            "notes": [{"item": n.item, "message": n.message} for n in self.notes],
        }


# --- questionnaire items still unanswered --------------------------------------------------
# (which shapes answer which item: validation/items.py, re-exported here for the converters)

def unanswered_items(graph: Graph, subject: Node, reference: Reference, lang: str = "en") -> list[Unanswered]:
    """Items whose expected properties are missing on `subject`, with those properties.

    An item's expected properties are those its shapes ask for (sh:minCount >= 1, as a
    violation or a warning); an item without any (10, migrant types) expects any one of its
    properties.
    """
    names = reference.item_names()
    types = set(graph.objects(subject, RDF.type))
    target = MM.SurveySeries if MM.SurveySeries in types and MM.Survey not in types else MM.Survey
    shapes = item_shapes(reference, target) or item_shapes(reference, MM.Survey)
    result = []
    for item in ITEMS:
        of_item = [s for s in shapes if s.item == item]
        if not of_item:
            continue
        expected = [s for s in of_item if s.min_count > 0] or of_item
        missing = [s for s in expected if (subject, s.path, None) not in graph]
        if not expected[0].min_count and len(missing) < len(expected):
            continue  # an item without required properties is answered by any of them
        paths = list(dict.fromkeys(s.path for s in missing))
        if not paths:
            continue
        required = any(s.min_count > 0 and s.violation for s in missing)
        name = names.get(item, {}).get(lang) or names.get(item, {}).get("en", "")
        result.append(Unanswered(item, name, tuple(curie(p) for p in paths), required))
    agencies = _agencies_unanswered(graph, names, lang)
    return sorted([*result, agencies], key=lambda u: u.item) if agencies else result


_INTERNATIONAL = AGENCY_TYPE["international-organisation"]


def _agencies_unanswered(graph: Graph, names: dict[int, dict[str, str]], lang: str) -> Unanswered | None:
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
    return Unanswered(5, names.get(5, {}).get(lang) or names.get(5, {}).get("en", ""), tuple(missing), True)


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
        if report.unanswered:
            lines.append("  questionnaire items to complete:")
            for u in report.unanswered:
                need = "required" if u.required else "recommended"
                lines.append(f"    item {u.item} ({u.name}): add {', '.join(u.missing)} [{need}]")
        if report.notes:
            lines.append("  check:")
            for n in report.notes:
                item = f"item {n.item}: " if n.item else ""
                lines.append(f"    {item}{n.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(reports: list[LossReport]) -> str:
    document = {"schema": JSON_SCHEMA, "reports": [r.to_json() for r in reports]}
    return json_text(document) + "\n"
