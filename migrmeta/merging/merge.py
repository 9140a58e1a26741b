"""Contributed records -> one RDF dataset with provenance; conflicts and duplicates as data.

    result = merge(["records/", "psa/ph-sof.ttl=psa"], prefer=["psa"])
    result.conflicts, result.duplicates, result.catalogue()

Each input file is one contribution: its statements (blank nodes skolemized) go in a named
graph `https://w3id.org/migrmeta/graph/<agency>/<file name>`, described in the default graph
(`prov:wasAttributedTo` the contributing agency, `prov:wasDerivedFrom` the source file with
its name and SHA-256, `dct:modified`). The catalogue is the union of the contribution graphs.

The contributing agency of a file is, in order: the agency given with `PATH=AGENCY`, the
`agency` argument (`--agency`), the `dct:publisher` of the record's surveys, their first
`dct:creator`, and `default_agency` (the catalogue's publisher) for files without surveys
such as agencies.ttl. `dct:modified` comes from the record, else `date`, else the newest
date among the inputs: never the clock.

Surveys or series under different IRIs that give the same `dct:identifier` and that no
`owl:sameAs` links (directly or through a chain) are refused: `shared` names each pair, the
files and lines of their identifiers (merging/identifiers.py), and nothing may be written (exit
1), as for an unresolved conflict: the identifier names one survey's files and pages. A survey
or series known under several IRIs linked by `owl:sameAs` is folded onto one
(merging/aliases.py: the preferred agency's IRI, else the subject of the `owl:sameAs`): its
statements are moved onto it, and `<canonical> owl:sameAs <alias>` kept (a survey and a
series linked are two things: neither folded nor compared). Descriptions of the same survey
(the same IRI, after the folding) are then
compared item by item: multi-valued items are united; a single-valued
item (`sh:maxCount 1` in shapes/, or one value per language under `sh:uniqueLang`) with
different values from different contributions is a conflict. `prefer` (agencies, in order)
keeps the preferred agency's value and moves the others into the contribution's companion
graph `<graph>/superseded` (described with `dct:isReplacedBy` the winning graph), so nothing
is lost; `dct:modified` keeps the newest date on its own. Surveys under different IRIs with
the same title, countries and time frame are reported as likely duplicates, never merged; an
identification method that contributions give with other parameters, as differing
(merging/differing.py), both kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migrmeta import defaults, resources
from migrmeta.errors import InputError, UsageError
from migrmeta.load import Verdict
from migrmeta.load.reference import Reference, load_reference
from migrmeta.merging.aliases import Alias, fold_aliases
from migrmeta.merging.described import describe_from, unnamed_agencies
from migrmeta.merging.differing import Differing, find_differing
from migrmeta.merging.identifiers import SharedIdentifier, shared_identifiers
from migrmeta.merging.parsed import Parsed
from migrmeta.merging.sources import (
    SURVEY_CLASSES,
    Contribution,
    Source,
    Triple,
    agency_iri,
    contributions_from,
    parse_source,
    short_agency,
    superseded_graph,
)
from migrmeta.namespaces import AGENCY_CLASSES, DCAT, DCT, IS_TYPE, OWL, PROV, RDF, SH, interned
from migrmeta.rdf.partition import Partition
from migrmeta.rdf.skolem import encode, is_skolem, skolemize
from migrmeta.values.agencies import Agencies

_TYPE = interned(RDF.type)  # hoisted: rdflib's closed namespaces are slow to look up in loops
LATEST_WINS = (DCT.modified,)  # bookkeeping, not a questionnaire answer: the newest date is kept
# Contributor of files without surveys (agencies.ttl) when nothing else says: the catalogue's
# maintainers, the default publisher of the DCAT-AP profile (formats/dcat/profile.ttl).
DEFAULT_AGENCY = URIRef(defaults.MAINTAINER_AGENCY)


@dataclass
class Conflict:
    """A single-valued item with different values from different contributions."""

    subjects: tuple[URIRef, ...]
    predicate: URIRef
    item: int | None
    item_name: str | None
    language: str | None
    values: list[tuple[Node, list[Contribution]]]
    kept: Node | None = None
    field: str | None = None  # the field's name in the questionnaire (the shape's sh:name): item 2 has two
    resolution: str | None = None  # "prefer <agency>" | "newest"
    stalled_by: URIRef | None = None  # a preferred agency that gives several values itself

    @property
    def resolved(self) -> bool:
        return self.kept is not None


@dataclass
class Duplicate:
    """Two surveys under different IRIs with the same title, countries and time frame."""

    first: URIRef
    second: URIRef
    title: str
    sources: tuple[str, ...]


@dataclass
class MergeResult:
    contributions: list[Contribution]
    conflicts: list[Conflict]
    duplicates: list[Duplicate]
    errors: list[InputError]
    equivalents: list[tuple[URIRef, ...]] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)  # surveys' IRIs folded onto another (owl:sameAs)
    shared: list[SharedIdentifier] = field(default_factory=list)  # one identifier, two surveys' IRIs not linked
    notices: list[str] = field(default_factory=list)  # a merge's output beside its sources, left out
    preferred: tuple[URIRef, ...] = ()  # --prefer's agencies, in order
    differing: list[Differing] = field(default_factory=list)  # nested answers given differently, all kept
    unnamed: list[URIRef] = field(default_factory=list)  # agencies the surveys name, described by no input
    taken: list[URIRef] = field(default_factory=list)  # ... described as the known agencies' file does (publish)
    taken_from: str | None = None  # that file

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if not c.resolved]

    @property
    def refused(self) -> bool:
        """Nothing may be written: a conflict unresolved, or surveys sharing an identifier."""
        return bool(self.shared) or any(not c.resolved for c in self.conflicts)

    def exit_code(self) -> int:
        """0 merged, 1 refused (an unresolved conflict, an identifier shared), 3 an input unreadable."""
        if self.errors:
            return 3
        return 1 if self.refused else 0

    def catalogue(self) -> set[Triple]:
        """The union of the contribution graphs (superseded statements left out)."""
        union: set[Triple] = set()
        for contribution in self.contributions:
            union |= contribution.triples
        return union

    def graphs(self) -> dict[Node, set[Triple]]:
        graphs: dict[Node, set[Triple]] = {c.graph: c.triples for c in self.contributions}
        for c in self.contributions:
            if c.superseded:
                graphs[superseded_graph(c)] = c.superseded
        return graphs

    def provenance(self) -> list[Triple]:
        """The default graph: who contributed each named graph, from which file, when."""
        triples: list[Triple] = []
        for c in self.contributions:
            source = BNode()
            triples += [
                (c.graph, _TYPE, PROV.Entity),
                (c.graph, PROV.wasAttributedTo, c.agency),
                (c.graph, PROV.wasDerivedFrom, source),
                (source, _TYPE, PROV.Entity),
                (source, DCT.title, Literal(c.name)),
                (source, DCT.identifier, Literal(f"sha256:{c.sha256}")),
            ]
            if c.modified is not None:
                triples.append((c.graph, DCT.modified, c.modified))
            if c.superseded:
                aside = superseded_graph(c)
                triples += [(aside, _TYPE, PROV.Entity), (aside, PROV.wasAttributedTo, c.agency),
                            (aside, PROV.wasDerivedFrom, source)]
                triples += [(aside, DCT.isReplacedBy, g) for g in sorted(c.replaced_by)]
        return skolemize(triples)


# --- reading ---------------------------------------------------------------------------------


Single = tuple[set[Node], bool, int | None, str | None, str | None]


def _single_valued(shapes_graph: Reference) -> dict[URIRef, Single]:
    """predicate -> (target classes, per language?, item, item name, field name): `sh:maxCount 1` or uniqueLang."""
    shapes = shapes_graph.shapes
    names = shapes_graph.item_names()
    found: dict[URIRef, Single] = {}
    for node_shape, target in shapes.subject_objects(SH.targetClass):
        for prop in shapes.objects(node_shape, SH.property):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue
            single = any(str(m) == "1" for m in shapes.objects(prop, SH.maxCount))
            per_language = bool(shapes.value(prop, SH.uniqueLang)) and not single
            if not (single or per_language):
                continue
            order = shapes.value(prop, SH.order)
            item = int(str(order)) if order is not None and 1 <= int(str(order)) <= 14 else None
            classes, _, _, _, field_name = found.get(path, (set(), per_language, item, None, None))
            classes.add(target)
            field_name = field_name or next((str(n) for n in shapes.objects(prop, SH.name)
                                             if isinstance(n, Literal) and n.language == "en"), None)
            found[path] = (classes, per_language, item, names.get(item, {}).get("en") if item else None, field_name)
    return found


def _groups(contributions: Sequence[Contribution], classes: set[Node]) -> list[tuple[URIRef, ...]]:
    """Subjects describing the same thing: the same IRI, or owl:sameAs (not between surveys and
    series: those the same are folded already, merging/aliases.py, and those it left linked
    are a round and its series, two things). A shared identifier is no link: the merge refuses
    it unless owl:sameAs says so (merging/identifiers.py)."""
    linked: Partition[Node] = Partition()
    find, union = linked.find, linked.union
    typed: set[Node] = set()
    surveys: set[Node] = set()
    for c in contributions:
        for s, p, o in c.triples:
            if p in IS_TYPE and o in classes and isinstance(s, URIRef):
                typed.add(s)
                find(s)
                if o in SURVEY_CLASSES:
                    surveys.add(s)
    same_as = {OWL.sameAs}  # a set, as namespaces.IS_TYPE
    for c in contributions:
        for s, p, o in c.triples:
            if p in same_as and isinstance(s, URIRef) and isinstance(o, URIRef) and (s in typed or o in typed) \
                    and s not in surveys and o not in surveys:
                union(s, o)
    members: dict[Node, list[URIRef]] = defaultdict(list)
    for node in linked.parent:  # in the order first seen, as conflicts are reported
        if isinstance(node, URIRef):
            members[find(node)].append(node)
    return [tuple(sorted(m, key=str)) for m in members.values()]


def find_conflicts(
    contributions: Sequence[Contribution], reference: Reference
) -> tuple[list[Conflict], list[tuple[URIRef, ...]]]:
    single = _single_valued(reference)
    classes = {c for info in single.values() for c in info[0]}
    groups = _groups(contributions, classes)
    index: dict[tuple[Node, Node], list[tuple[Node, Contribution]]] = defaultdict(list)
    types: dict[Node, set[Node]] = defaultdict(set)
    described_by: dict[Node, set[int]] = defaultdict(set)  # subject -> the contributions giving it single values
    for c in contributions:
        for s, p, o in c.triples:
            if p in single:
                index[(s, p)].append((o, c))
                described_by[s].add(id(c))
            elif p in IS_TYPE:
                types[s].add(o)
    in_item_order = sorted(single, key=lambda p: (single[p][2] or 99, str(p)))
    conflicts: list[Conflict] = []
    for group in groups:
        if len(set().union(*(described_by.get(s, ()) for s in group))) < 2:
            continue  # one contribution at most: nothing to disagree with (most groups)
        group_types = set().union(*(types[s] for s in group))
        for predicate in in_item_order:
            targets, per_language, item, name, field_name = single[predicate]
            if not group_types & targets:
                continue
            by_value: dict[str | None, dict[Node, list[Contribution]]] = defaultdict(lambda: defaultdict(list))
            for subject in group:
                for value, c in index.get((subject, predicate), ()):
                    if per_language and not (isinstance(value, Literal) and value.language):
                        continue
                    language = value.language if per_language and isinstance(value, Literal) else None
                    if c not in by_value[language][value]:
                        by_value[language][value].append(c)
            for language in sorted(by_value, key=str):
                values = by_value[language]
                contributors = {id(c) for cs in values.values() for c in cs}
                if len(values) > 1 and len(contributors) > 1:
                    ordered = sorted(values.items(), key=lambda kv: encode(kv[0]))
                    conflicts.append(Conflict(group, predicate, item, name, language, ordered, field=field_name))
    return conflicts, [g for g in groups if sum(1 for s in g if types[s] & classes) > 1]


def resolve(conflicts: Sequence[Conflict], prefer: Sequence[URIRef]) -> None:
    """Choose the kept value of each conflict the policy settles, and set the others aside."""
    for conflict in conflicts:
        if conflict.predicate in LATEST_WINS:
            conflict.kept = max((v for v, _ in conflict.values), key=str)
            conflict.resolution = "newest"
        else:
            for agency in prefer:
                offered = {v for v, cs in conflict.values if any(c.agency == agency for c in cs)}
                if len(offered) == 1:
                    conflict.kept, conflict.resolution = offered.pop(), f"prefer {short_agency(agency)}"
                    break
                if offered:  # the preferred agency itself disagrees: leave it to a person
                    conflict.stalled_by = agency
                    break
        if conflict.kept is None:
            continue
        winners = {c.graph for v, cs in conflict.values if v == conflict.kept for c in cs}
        for value, contributors in conflict.values:
            if value == conflict.kept:
                continue
            for c in contributors:
                for subject in conflict.subjects:
                    triple = (subject, conflict.predicate, value)
                    if triple in c.triples:
                        c.triples.discard(triple)
                        c.superseded.add(triple)
                        c.replaced_by |= winners
    involved = {id(c): c for conflict in conflicts for _, cs in conflict.values for c in cs}
    _move_orphans([c for c in involved.values() if c.superseded])


def _move_orphans(changed: Sequence[Contribution]) -> None:
    """Skolem nodes only a superseded statement used follow it into the companion graph."""
    for c in changed:
        while True:
            used = {o for s, p, o in c.triples if is_skolem(o)}
            orphans = {t for t in c.triples if is_skolem(t[0]) and t[0] not in used
                       and any(t[0] == o for _, _, o in c.superseded)}
            if not orphans:
                break
            c.triples -= orphans
            c.superseded |= orphans


def find_duplicates(contributions: Sequence[Contribution], groups: Iterable[tuple[URIRef, ...]]) -> list[Duplicate]:
    """Likely duplicates: the same title, countries and time frame under different IRIs that no
    owl:sameAs links (a survey and a series linked stay two, merging/aliases.py: the records
    already say how they relate, and the hint to link them would be wrong)."""
    # the reader's own objects for these IRIs: matched by identity, not by rdflib's == (a Python call)
    temporal, start, end, spatial, title_of = (interned(t) for t in (DCT.temporal, DCAT.startDate, DCAT.endDate,
                                                                      DCT.spatial, DCT.title))
    compared = {temporal, start, end, spatial, title_of}  # what the key is made of: the rest is not indexed
    same_as = {interned(OWL.sameAs)}  # a set, as namespaces.IS_TYPE
    union: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    sources: dict[Node, set[str]] = defaultdict(set)
    same: Partition[Node] = Partition()
    for c in contributions:
        for s, p, o in c.triples:
            if p in compared:
                union[s][p].add(o)
            elif p in IS_TYPE and o in SURVEY_CLASSES:
                sources[s].add(c.source)
            elif p in same_as:
                same.union(s, o)
    group_of = {s: g for g in groups for s in g}
    keyed: dict[tuple[str, frozenset[Node], tuple[str, ...]], list[URIRef]] = defaultdict(list)
    for survey in sorted(sources, key=str):
        period = tuple(sorted(str(d) for t in union[survey][temporal]
                              for d in (*union[t][start], *union[t][end])))
        countries = frozenset(union[survey][spatial])
        for title in union[survey][title_of]:
            key = (" ".join(str(title).casefold().split()), countries, period)
            if isinstance(survey, URIRef) and survey not in keyed[key]:
                keyed[key].append(survey)
    found: dict[tuple[URIRef, URIRef], Duplicate] = {}
    for (text, _, _), surveys in sorted(keyed.items(), key=lambda kv: kv[0][0]):
        for i, first in enumerate(surveys):
            for second in surveys[i + 1:]:
                if first == second or group_of.get(first, (first,)) == group_of.get(second, (second,)) \
                        or same.find(first) == same.find(second):
                    continue
                pair = (first, second)
                if pair not in found:
                    found[pair] = Duplicate(first, second, text, tuple(sorted(sources[first] | sources[second])))
    return list(found.values())


class UnusedPreference(UsageError):
    """--prefer names an agency that contributes no input (publish --skip-invalid may have
    skipped its inputs: publishing/site.py says so)."""


def check_named_agencies(contributions: Sequence[Contribution], named: Sequence[tuple[str, URIRef | None]],
                         preferred: Sequence[URIRef], default_agency: URIRef | None = None) -> None:
    """The agencies the user named (--agency, PATH=AGENCY, --prefer) are described, in an input
    or the bundled agencies.ttl, and each --prefer one contributes an input: an agency written
    wrong would otherwise settle nothing, or be credited with a contribution, in silence."""
    wanted = [(where, iri) for where, iri in named if iri is not None]
    if not wanted:
        return
    known = Agencies.from_file(resources.bundled_agencies())
    for c in contributions:
        for s, p, o in c.triples:
            if p in IS_TYPE and o in AGENCY_CLASSES and isinstance(s, URIRef):
                known.add(s)
    if not known.ids:  # nothing to check against (no agencies.ttl anywhere)
        return
    # the catalogue's maintainer is an agency here though undescribed: files without surveys
    # (agencies.ttl) are credited to it, and conflict hints name it
    described = set(known.ids.values()) | ({default_agency} if default_agency is not None else set())
    for where, iri in wanted:
        if iri not in described:
            ident = short_agency(iri)
            meant = known.find(ident) or [URIRef(v) for v, _, _ in known.names.close(ident)[:1]]
            hint = (f"did you mean {' or '.join(short_agency(m) for m in meant)}?" if meant else
                    "give the id of an agency of agencies.ttl (psa for agency:psa), or describe it there")
            raise UsageError(f"{where}: {iri} is not an agency described in agencies.ttl or the inputs", hint=hint)
    contributing = sorted({c.agency for c in contributions}, key=str)
    for iri in preferred:
        if iri not in contributing:
            inputs = ", ".join(short_agency(a) for a in contributing)
            raise UnusedPreference(f"--prefer {short_agency(iri)}: no input is contributed by {iri}, so it would "
                             "settle nothing", hint=f"the inputs' agencies: {inputs} (give an input's agency with "
                             "PATH=AGENCY)")


def merge(
    paths: Iterable[str | Source], *, agency: str | URIRef | None = None, prefer: Sequence[str | URIRef] = (),
    date: str | None = None, default_agency: URIRef | None = DEFAULT_AGENCY, reference: Reference | None = None,
    parsed: Parsed | None = None, validated: Mapping[str, str] | None = None,
    carried: Mapping[str, tuple[str, list[Triple]]] | None = None, known_agencies: str | Path | None = None,
) -> MergeResult:
    """Merge contributions (files, directories, `PATH=AGENCY`) into one dataset; `parsed`,
    `validated` and `carried` as for `contributions_from` (publish: the records it validated,
    read once; those left out, as last published). `known_agencies`: the file of agencies the
    validation knew besides the inputs (publish), whose descriptions of the agencies the surveys
    name undescribed are taken in (merging/described.py)."""
    sources = [p if isinstance(p, Source) else parse_source(str(p)) for p in paths]
    given = agency_iri(str(agency)) if agency is not None else None
    beside: list[Verdict] = []
    contributions, errors = contributions_from(sources, agency=given, default_agency=default_agency, date=date,
                                               parsed=parsed, validated=validated, notices=beside,
                                               carried=carried)
    preferred = [agency_iri(str(p)) for p in prefer]
    named = [("--agency", given), *((f"{s.path}={short_agency(s.agency)}", s.agency) for s in sources if s.agency),
             *((f"--prefer {short_agency(a)}", a) for a in preferred)]
    check_named_agencies(contributions, named, preferred, default_agency)
    unnamed = unnamed_agencies(contributions)  # one scan of the statements; those taken are named after
    taken = describe_from(contributions, unnamed, known_agencies, default_agency, parsed) if known_agencies else []
    shared = shared_identifiers(contributions)  # before the folding: the IRIs as the files write them
    aliases = fold_aliases(contributions, preferred)  # first: a conflict it brings is settled as any other
    conflicts, equivalents = find_conflicts(contributions, reference or load_reference())
    resolve(conflicts, preferred)
    duplicates = find_duplicates(contributions, equivalents)
    return MergeResult(contributions, conflicts, duplicates, errors, equivalents, aliases, shared,
                       [v.notice() for v in beside], tuple(preferred), find_differing(contributions),
                       unnamed=[a for a in unnamed if a not in taken], taken=taken,
                       taken_from=str(known_agencies) if taken else None)
