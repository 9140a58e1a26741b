"""The merged dataset written out (TriG, N-Quads) and the merge report for people.

    write_dataset(merge(paths), Path("catalogue.trig"))
    print(render_report(result)); print(summary(result))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rdflib.term import Literal, Node, URIRef

from migrmeta.errors import UsageError, speak
from migrmeta.io.files import check_output, write_output
from migrmeta.load.reference import Reference, load_reference
from migrmeta.merging.differing import ITEM
from migrmeta.merging.identifiers import Place
from migrmeta.merging.merge import Conflict, MergeResult
from migrmeta.merging.sources import Contribution, Triple, short_agency
from migrmeta.messages import message, translate
from migrmeta.namespaces import RDF, SH, interned
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
        where = message("merge.at_line", lang, source=alias.source, line=alias.line) if alias.line else alias.source
        lines.append(message("merge.alias", lang, alias=names.term(alias.alias), canonical=names.term(alias.canonical),
                             where=where, reason=translate(alias.reason, lang)))
    reference = load_reference()
    item_names = reference.item_names()
    for conflict in result.conflicts:
        item = _item(conflict.item, item_names, lang) if conflict.item else message("merge.record", lang)
        item += f", {_field(conflict, reference, lang)}" if conflict.field else ""
        lines.append(message("merge.resolved" if conflict.resolved else "merge.conflict", lang, item=item,
                             property=names.term(conflict.predicate),
                             language=f" @{conflict.language}" if conflict.language else "",
                             subject=", ".join(names.term(s) for s in conflict.subjects)))
        for value, contributors in conflict.values:
            who = "; ".join(c.label for c in contributors)
            lines.append(f"    {_display(value, names, result.contributions)}  <- {who}")
        if conflict.resolved:
            assert conflict.kept is not None
            resolution = message("merge.kept_newest", lang) if conflict.resolution == "newest" else \
                message("merge.kept_preferred", lang, agency=(conflict.resolution or "").removeprefix("prefer "))
            lines.append(message("merge.kept", lang, value=_display(conflict.kept, names, result.contributions),
                                 resolution=resolution))
        else:
            lines.append(speak(_hint(conflict, result.preferred, lang), cli=cli))
    for dup in result.duplicates:
        first, second = names.term(dup.first), names.term(dup.second)
        lines.append(message("merge.duplicate", lang, first=first, second=second, title=repr(dup.title),
                             sources=", ".join(dup.sources)))
        lines.append(speak(message("merge.duplicate_hint", lang, first=first, second=second), cli=cli))
    for differing in result.differing:
        lines.append(message("merge.differs", lang, item=_item(ITEM, item_names, lang),
                             parameter=names.term(differing.parameter), criterion=names.term(differing.criterion),
                             survey=names.term(differing.survey)))
        for value, givers in differing.values:
            lines.append(f"    {names.term(value)}  <- {'; '.join(c.label for c in givers)}")
        lines.append(message("merge.differs_hint", lang))
    for error in result.errors:
        lines.append(message("merge.error", lang, error=error.cli_text() if cli else error))
    return "\n".join(lines) + ("\n" if lines else "")


def _field(conflict: Conflict, reference: Reference, lang: str) -> str | None:
    """The conflict's field as the questionnaire names it in `lang`: the sh:name, in `lang`, of
    the shape of its property that names it so in English (several shapes may hold one path)."""
    shapes = reference.shapes
    for shape in shapes.subjects(SH.path, conflict.predicate):
        names = {n.language: str(n) for n in shapes.objects(shape, SH.name) if isinstance(n, Literal)}
        if names.get("en") == conflict.field and lang in names:
            return names[lang]
    return conflict.field


def _item(item: int, names: Mapping[int, Mapping[str, str]], lang: str) -> str:
    """`item 4 (Time frame)`, with the item's short name in `lang`."""
    said = names.get(item, {})
    return message("merge.item", lang, item=item, name=said.get(lang) or said.get("en", ""))


def _place(place: Place) -> str:
    source, line = place
    return f"{source}:{line}" if line else source


def _hint(conflict: Conflict, preferred: Sequence[URIRef] = (), lang: str = "en") -> str:
    """What settles the conflict: --prefer only chooses between agencies, not within one."""
    agencies = {c.agency for _, cs in conflict.values for c in cs}
    alone = conflict.stalled_by or (next(iter(agencies)) if len(agencies) == 1 else None)
    if alone is None and preferred:  # none of the preferred agencies gives this item a value
        return message("merge.hint_preferred_silent" if len(preferred) == 1 else "merge.hint_preferred_silent_many",
                       lang, named=", ".join(short_agency(a) for a in preferred),
                       offered=message("merge.or", lang).join(sorted(short_agency(a) for a in agencies)),
                       flags=" ".join(f"--prefer {short_agency(a)}" for a in preferred),
                       listed=", ".join(f'"{short_agency(a)}"' for a in preferred))
    if alone is None:
        return message("merge.hint_choose", lang)
    files = sorted({c.source for _, cs in conflict.values for c in cs if c.agency == alone})
    who = message("merge.preferred", lang, agency=short_agency(alone)) if conflict.stalled_by else short_agency(alone)
    return message("merge.hint_one_agency", lang, who=who, files=", ".join(files), last=files[-1])


def summary(result: MergeResult, lang: str = "en") -> str:
    differing = len(result.differing)
    return message("merge.summary", lang, contributions=len(result.contributions),
                   agencies=len({c.agency for c in result.contributions}), statements=len(result.catalogue()),
                   conflicts=len(result.conflicts), unresolved=len(result.unresolved),
                   duplicates=len(result.duplicates),
                   differing=message("merge.answer" if differing == 1 else "merge.answers", lang, count=differing),
                   aliases=len(result.aliases), shared=len(result.shared), unreadable=len(result.errors))
