"""The merged dataset written out (TriG, N-Quads) and the merge report for people.

    write_dataset(merge(paths), Path("catalogue.trig"))
    print(render_report(result)); print(summary(result))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib.term import Node, URIRef

from migrmeta.errors import UsageError, speak
from migrmeta.io.files import check_output, write_output
from migrmeta.load.reference import load_reference
from migrmeta.merging.differing import ITEM
from migrmeta.merging.identifiers import Place
from migrmeta.merging.merge import Conflict, MergeResult
from migrmeta.merging.sources import Contribution, Triple, short_agency
from migrmeta.messages import message, plural
from migrmeta.namespaces import RDF, interned
from migrmeta.rdf.curie import Curies
from migrmeta.rdf.ntriples import Quad, nquads
from migrmeta.rdf.skolem import is_skolem
from migrmeta.rdf.turtle import trig

_TYPE = interned(RDF.type)

WRITERS = {".trig": "trig", ".nq": "nquads"}


def dataset_text(result: MergeResult, fmt: str, extra: dict[Node, set[Triple]] | None = None,
                 provenance: Iterable[Triple] = ()) -> str:
    graphs = {**result.graphs(), **(extra or {})}
    default = [*result.provenance(), *provenance]
    if fmt == "trig":
        return trig(default, graphs)
    quads: list[Quad] = [(s, p, o, None) for s, p, o in default]
    quads += [(s, p, o, g) for g, triples in graphs.items() for s, p, o in triples]
    return nquads(quads)


def write_dataset(result: MergeResult, path: Path, *, force: bool = False) -> None:
    """TriG or N-Quads by extension, written atomically; an existing file is replaced only with `force`."""
    fmt = WRITERS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: write the dataset as .trig or .nq")
    check_output(path, replace=force)  # before the work of serializing it
    write_output(path, dataset_text(result, fmt), force=force)


# --- the report for people -------------------------------------------------------------------


def _display(value: Node, names: Curies, contributions: Sequence[Contribution]) -> str:
    """A value as a person reads it; a skolem node by its content ([startDate 1991])."""
    if not is_skolem(value):
        return names.term(value)
    parts = sorted({f"{names.term(p)} {names.term(o)}" for c in contributions for s, p, o in c.triples
                    | c.superseded if s == value and p != _TYPE})
    return "[" + "; ".join(parts) + "]"


def render_report(result: MergeResult, *, cli: bool = False, lang: str = "en") -> str:
    """Identifiers two surveys give (refused), surveys' IRIs folded onto another, conflicts (item,
    values, contributors, what was kept) and likely duplicates; hints speak of flags with
    `cli`, else of arguments (errors.speak)."""
    names = Curies()
    lines: list[str] = []
    for shared in result.shared:  # first: why nothing is written, whatever else is said
        wording = "merge.shared_identifier_linked" if shared.linked else "merge.shared_identifier"
        lines.append(message(wording, lang, identifier=shared.identifier,
                             first=names.term(shared.first), second=names.term(shared.second),
                             first_at=_place(shared.first_at), second_at=_place(shared.second_at)))
    for alias in result.aliases:  # first: the conflicts below name the IRIs kept
        where = f"{alias.source} line {alias.line}" if alias.line else alias.source
        lines.append(f"same survey: {names.term(alias.alias)} is published as {names.term(alias.canonical)} "
                     f"(owl:sameAs in {where}; {alias.reason})")
    for conflict in result.conflicts:
        item = f"item {conflict.item} ({conflict.item_name})" if conflict.item else "record"
        item += f", {conflict.field}" if conflict.field else ""
        subject = ", ".join(names.term(s) for s in conflict.subjects)
        language = f" @{conflict.language}" if conflict.language else ""
        head = "resolved" if conflict.resolved else "conflict"
        lines.append(f"{head}: {item} / {names.term(conflict.predicate)}{language} of {subject}")
        for value, contributors in conflict.values:
            who = "; ".join(c.label for c in contributors)
            lines.append(f"    {_display(value, names, result.contributions)}  <- {who}")
        if conflict.resolved:
            assert conflict.kept is not None
            lines.append(f"  kept {_display(conflict.kept, names, result.contributions)} ({conflict.resolution})")
        else:
            lines.append(speak(_hint(conflict, result.preferred), cli=cli))
    for dup in result.duplicates:
        lines.append(f"likely duplicate: {names.term(dup.first)} and {names.term(dup.second)} have the same title "
                     f"({dup.title!r}), countries and time frame ({', '.join(dup.sources)})")
        first, second = names.term(dup.first), names.term(dup.second)
        lines.append(speak(f"  hint: if they are the same survey, add `{first} owl:sameAs {second}` to a record: "
                           f"published as one survey under {first} (or the {{--prefer|prefer}} agency's IRI); "
                           "otherwise tell them apart (title, time frame)", cli=cli))
    for differing in result.differing:
        item_name = load_reference().item_names().get(ITEM, {}).get("en")
        lines.append(f"differs: item {ITEM} ({item_name}), {names.term(differing.parameter)} of the method "
                     f"{names.term(differing.criterion)} of {names.term(differing.survey)}: each value is published")
        for value, givers in differing.values:
            lines.append(f"    {names.term(value)}  <- {'; '.join(c.label for c in givers)}")
        lines.append("  hint: if the survey asks one of these, correct the file that is wrong; if it asks each, "
                     "nothing to do")
    for error in result.errors:
        lines.append(f"error: {error.cli_text() if cli else error}")
    return "\n".join(lines) + ("\n" if lines else "")


def _place(place: Place) -> str:
    source, line = place
    return f"{source}:{line}" if line else source


def _hint(conflict: Conflict, preferred: Sequence[URIRef] = ()) -> str:
    """What settles the conflict: --prefer only chooses between agencies, not within one."""
    agencies = {c.agency for _, cs in conflict.values for c in cs}
    alone = conflict.stalled_by or (next(iter(agencies)) if len(agencies) == 1 else None)
    if alone is None and preferred:  # none of the preferred agencies gives this item a value
        named = ", ".join(short_agency(a) for a in preferred)
        offered = " or ".join(sorted(short_agency(a) for a in agencies))
        flags = " ".join(f"--prefer {short_agency(a)}" for a in preferred)
        listed = ", ".join(f'"{short_agency(a)}"' for a in preferred)
        return (f"  hint: {named} {'gives' if len(preferred) == 1 else 'give'} no value here: add which of "
                f"{offered} wins after {'it' if len(preferred) == 1 else 'them'} "
                f"({{{flags} --prefer AGENCY|prefer=[{listed}, AGENCY]}}), or correct one file")
    if alone is None:
        return ("  hint: choose with {--prefer AGENCY|prefer=[AGENCY]} (the agency whose value wins), "
                "or correct one file")
    files = sorted({c.source for _, cs in conflict.values for c in cs if c.agency == alone})
    who = f"{short_agency(alone)}{' (preferred)' if conflict.stalled_by else ''}"
    return (f"  hint: {who} gives several values itself ({', '.join(files)}), so preferring an agency cannot "
            f"choose: correct one of these files, or give one its own contributor ({files[-1]}=AGENCY)")


def summary(result: MergeResult) -> str:
    agencies = {c.agency for c in result.contributions}
    unresolved = len(result.unresolved)
    return (f"{len(result.contributions)} contributions from {len(agencies)} agencies, "
            f"{len(result.catalogue())} statements; {len(result.conflicts)} conflicts ({unresolved} unresolved), "
            f"{len(result.duplicates)} likely duplicates, {plural(len(result.differing), 'answer')} differing, "
            f"{len(result.aliases)} aliases folded, "
            f"{len(result.shared)} identifiers shared, "
            f"{len(result.errors)} unreadable inputs")
