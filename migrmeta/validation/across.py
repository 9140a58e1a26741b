"""Checks across records: what no single record can see.

- the same survey IRI described in two files (violation, item 1);
- an identifier used by two IRIs that no `owl:sameAs` links, directly or through a chain
  (violation, item 1): `merge` and `publish` refuse them too (merging/identifiers.py), since
  an identifier names one survey's files and pages; IRIs linked by `owl:sameAs` are one survey,
  folded onto one IRI by the merge (merging/aliases.py), and may give one identifier, unless
  one is a survey and the other a series (never folded: said in words of its own);
- the same title, conducting organisation and start in two surveys that no `owl:sameAs` links
  (rule 37; violation, item 1);
- an agency referenced but not described in any input (violation, item 5);
- two agencies that look like one (warning, item 5): the importers' near-duplicate rule
  (values/agencies.py, `Agencies.similar`) in its strict setting, with each agency as the
  inputs describe it: the same or nearly the same name, the same acronym (never one based in
  another country), or the same web site; agencies owl:sameAs links are not said (the merge
  keeps both ids all the same: it folds surveys, not agencies);
- a host survey neither in the catalogue nor titled in the record (warning, item 8);
- several surveys in one file, other than one series with its rounds, unless the file is a
  catalogue's (a dcat:Catalog) (warning, item 1).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.load.record import LineIndex, lines_of_file
from migrmeta.messages import message, translate
from migrmeta.namespaces import AGENCY_CLASSES, DCT, IS_TYPE, MM
from migrmeta.rdf.partition import Partition
from migrmeta.validation.findings import Finding, Severity, display
from migrmeta.validation.outcome import Outcome, Term
from migrmeta.validation.summaries import AGENCY_DETAILS
from migrmeta.values.agencies import Agencies

# The messages, in three languages: messages.toml, "across.<kind>".
ITEM_OF = {"duplicate_iri": 1, "duplicate_identifier": 1, "duplicate_key": 1, "unknown_agency": 5, "host_absent": 8,
           "several_surveys": 1, "duplicate_agency": 5}
SEVERITY_OF = {"host_absent": "warning", "several_surveys": "warning", "duplicate_agency": "warning"}
# What the merge settles itself (one survey described in several files): a catalogue of several
# agencies' records is meant to have it. `publish` does not block on it, and a survey's quality
# score does not count it (validation/quality.py). One identifier for two IRIs is not settled:
# the merge refuses it unless owl:sameAs links them, and then it is not reported at all.
SETTLED_BY_MERGE = frozenset({"duplicate_iri"})


def _others(sources: Sequence[str], shown: int = 3) -> str:
    """Other files of a group, named up to `shown`: a group's findings grow with its size, not its square."""
    names = list(dict.fromkeys(sources))
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f" and {len(names) - shown} more"


Add = Callable[..., None]  # add(kind, outcome, focus, path, value, wording=None, at=None, **message parameters)


def same_iri(readable: Sequence[Outcome], add: Add) -> None:
    """The same survey IRI described in two files."""
    files_of: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in readable:
        for subject in sorted({*outcome.summary.surveys, *outcome.summary.series}):
            files_of[subject].append(outcome)
    for subject, owners in files_of.items():
        if len(owners) < 2:  # nearly every survey: described once
            continue
        for index, outcome in enumerate(owners):
            others = _others([o.source for o in owners[:index] + owners[index + 1:]])
            if others:
                add("duplicate_iri", outcome, subject, None, None, other=others)


def linked(readable: Sequence[Outcome]) -> Callable[[str], str]:
    """The class of an IRI among those owl:sameAs links, directly or through a chain (in any file)."""
    same: Partition[str] = Partition()
    for outcome in readable:
        for one, other in outcome.summary.same_as:
            same.union(one, other)
    return same.find


def _firsts(users: Sequence[tuple[str, Outcome]], one_of: Callable[[str], Hashable]) -> list[tuple[str, Outcome]]:
    """The first subject of the first two classes of linked IRIs among `users`, with its file."""
    firsts: dict[Hashable, tuple[str, Outcome]] = {}
    for subject, outcome in users:
        firsts.setdefault(one_of(subject), (subject, outcome))
        if len(firsts) > 1:
            break
    return list(firsts.values())


def _kinds(readable: Sequence[Outcome]) -> dict[str, frozenset[str]]:
    """Each survey's and series' IRI -> its kinds ("survey", "series") in any file."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for outcome in readable:
        for subject in outcome.summary.surveys:
            kinds[subject].add("survey")
        for subject in outcome.summary.series:
            kinds[subject].add("series")
    return {subject: frozenset(found) for subject, found in kinds.items()}


def shared_identifiers(readable: Sequence[Outcome], add: Add) -> None:
    """Identifiers shared by subjects the merge keeps apart (no owl:sameAs links them, or one is
    a survey and the other a series, never folded: merging/aliases.py): one finding per user,
    naming another (linear)."""
    users: dict[str, list[tuple[str, Outcome]]] = defaultdict(list)
    for outcome in readable:
        for subject, identifier in outcome.summary.identifiers:
            users[identifier].append((subject, outcome))
    if all(len(owners_of) < 2 for owners_of in users.values()):  # nearly every catalogue
        return
    one_of, kinds = linked(readable), _kinds(readable)

    def one_survey(subject: str) -> tuple[str, frozenset[str]]:
        """What the merge folds into one: linked IRIs of one kind."""
        return one_of(subject), kinds.get(subject, frozenset())

    for identifier, owners_of in users.items():
        if len(owners_of) < 2:
            continue
        firsts = _firsts(owners_of, one_survey)
        if len(firsts) < 2:
            continue
        (one, one_file), (two, two_file) = firsts
        for subject, outcome in owners_of:
            other_subject, other = (two, two_file) if one_survey(subject) == one_survey(one) else (one, one_file)
            wording = "duplicate_identifier_linked" if one_of(subject) == one_of(other_subject) else None
            add("duplicate_identifier", outcome, subject, display(Term("iri", str(DCT.identifier))),
                identifier, other_iri=other_subject, other=other.source, wording=wording,
                at=(str(DCT.identifier), identifier))


def same_key(readable: Sequence[Outcome], add: Add) -> None:
    """Rule 37: title, conducting organisation and start, among surveys no owl:sameAs links; once per
    survey, naming another (linear)."""
    keyed: dict[tuple[str, str, str], list[tuple[str, Outcome]]] = defaultdict(list)
    for outcome in readable:
        for survey, title, creator, start in outcome.summary.keys:
            keyed[(title, creator, start)].append((survey, outcome))
    one_of = linked(readable)
    for same in keyed.values():
        if len(same) < 2:
            continue
        firsts = _firsts(same, one_of)
        if len(firsts) < 2:  # one survey, or several IRIs of one survey
            continue
        distinct = list(dict.fromkeys(survey for survey, _ in same))
        file_of = {survey: outcome.source for survey, outcome in reversed(same)}
        done: set[str] = set()
        (one, _), (two, _) = firsts
        size = Counter(one_of(s) for s in distinct)  # IRIs of each survey
        for survey, outcome in same:
            if survey in done:
                continue
            done.add(survey)
            other_survey = two if one_of(survey) == one_of(one) else one
            unlinked = len(distinct) - size[one_of(survey)]  # the IRIs of other surveys
            more = f" (and {unlinked - 1} more)" if unlinked > 1 else ""
            add("duplicate_key", outcome, survey, None, None, other_iri=other_survey + more,
                other=file_of[other_survey])


def one_survey_per_file(readable: Sequence[Outcome], add: Add) -> None:
    """One survey per file: a file may hold one series and its rounds. A catalogue's dump (a file
    with a dcat:Catalog: a publish's catalog.ttl, a portal's) holds many, and is no contribution."""
    for outcome in readable:
        if outcome.summary.catalogs:
            continue
        series_here = set(outcome.summary.series)
        in_series = {s for s, series in outcome.summary.rounds if series in series_here}
        loose = [s for s in outcome.summary.surveys if s not in in_series]
        if len(loose) > 1 or (loose and in_series):
            names = ", ".join(display(Term("iri", s)) or s for s in sorted(outcome.summary.surveys))
            add("several_surveys", outcome, sorted(loose)[0], None, names)


def agencies_described(readable: Sequence[Outcome], add: Add) -> None:
    """Every agency a record names is described in some input (or the agencies known besides)."""
    described = {a for o in readable for a in o.summary.agencies}
    for outcome in readable:
        seen: set[tuple[str, str]] = set()
        for subject, prop, agency in outcome.summary.agency_links:
            if agency not in described and (subject, agency) not in seen:
                seen.add((subject, agency))
                add("unknown_agency", outcome, subject, display(Term("iri", prop)), display(Term("iri", agency)),
                    at=(prop, agency))


def agencies_apart(readable: Sequence[Outcome], add: Add) -> None:
    """Two agencies that look like one, by the importers' rule (strict): once per agency, on the
    first file describing it, naming the first other and its file. (Two real agencies may be
    alike: a warning, which `a owl:differentFrom b`, said of either, silences; the known agencies
    besides the inputs are compared, not reported on, nor compared with each other.)"""
    described: dict[str, Outcome] = {}  # agency -> the first file describing it
    details: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for outcome in readable:
        for agency in outcome.summary.agencies:
            described.setdefault(agency, outcome)
        for agency, what, value, lang in outcome.summary.agency_details:
            details[agency].append((what, value, lang))
    one_of = linked(readable)
    reported = [agency for agency, outcome in described.items() if not outcome.context]
    for agency, other, shown in alike_agencies(list(described), details, one_of, reported):
        add("duplicate_agency", described[agency], agency, None, display(Term("iri", agency)),
            other_iri=shown, other=described[other].source)


def alike_agencies(agencies: Sequence[str], details: Mapping[str, Sequence[tuple[str, str, str]]],
                   one_of: Callable[[str], Hashable] = str,
                   reported: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    """(agency, the first other it looks like, that other as shown) of the agencies described
    (`details`: (what, value, language) of each: name, acronym, homepage, country, and
    `different` for `owl:differentFrom`); two `one_of` puts together, or said apart, are not.
    Only the agencies of `reported` (all, when None) are looked up: comparing the 244 known
    agencies with each other took 0.3 s of every validation, for findings nobody sees."""
    if len(agencies) < 2 or (reported is not None and not reported):
        return []
    apart = {frozenset((agency, value)) for agency in agencies for what, value, _ in details.get(agency, ())
             if what == "different"}  # `a owl:differentFrom b`: a curator said they are two
    index = Agencies(strict=True)
    told: dict[str, tuple[list[str], str | None, URIRef | None]] = {}  # agency -> its names, web site, country
    for agency in agencies:
        said = details.get(agency, [])
        names = [Literal(v, lang=lang or None) for what, v, lang in said if what == "name"]
        acronyms = [v for what, v, _ in said if what == "acronym"]
        homepage = next((v for what, v, _ in said if what == "homepage"), None)
        country = next((URIRef(v) for what, v, _ in said if what == "country"), None)
        index.add(URIRef(agency), names, acronyms, homepage, country)
        told[agency] = ([*map(str, names), *acronyms], homepage, country)
    found = []
    for agency in agencies if reported is None else reported:
        words, site, based = told[agency]
        alike = [str(other) for other in index.similar(words, site, besides=URIRef(agency), country=based)]
        alike = [other for other in alike
                 if one_of(other) != one_of(agency) and frozenset((agency, other)) not in apart]
        if alike:
            found.append((agency, alike[0], index.shown(URIRef(alike[0]))))
    return found


# as validation's summaries read them, by the rdflib term (one lookup a statement)
_DETAILS: dict[Node, str] = {URIRef(p): what for p, what in AGENCY_DETAILS.items()}


def alike_agencies_in(files: Sequence[tuple[str, Iterable[tuple[Node, Node, Node]]]],
                      lang: str = "en") -> list[tuple[str, str]]:
    """What validate warns of as duplicate_agency, of statements already read file by file
    (merge's contributions): (the file first describing the agency, the warning)."""
    first: dict[str, str] = {}  # agency -> the first file describing it
    details: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for source, triples in files:
        triples = list(triples)
        typed = {s for s, p, o in triples if p in IS_TYPE and o in AGENCY_CLASSES and isinstance(s, URIRef)}
        for agency in sorted(typed, key=str):
            first.setdefault(str(agency), source)
        for s, p, o in triples:
            what = _DETAILS.get(p) if s in typed else None
            if what is not None:
                details[str(s)].append((what, str(o), getattr(o, "language", None) or ""))
    return [(first[agency], message("across.duplicate_agency", lang, value=display(Term("iri", agency)),
                                    other_iri=shown, other=first[other]))
            for agency, other, shown in alike_agencies(list(first), details)]


def hosts_known(readable: Sequence[Outcome], add: Add) -> None:
    """A module's host survey is in the catalogue, or at least titled in the record."""
    catalogued = {s for o in readable for s in (*o.summary.surveys, *o.summary.series)}
    for outcome in readable:
        titled_here = set(outcome.summary.titled)
        for survey, host in outcome.summary.hosts:
            if host not in catalogued and host not in titled_here:
                add("host_absent", outcome, survey, "mm:hostSurvey", display(Term("iri", host)),
                    at=(str(MM.hostSurvey), host))


CHECKS: tuple[Callable[[Sequence[Outcome], Add], None], ...] = (
    same_iri, shared_identifiers, same_key, one_survey_per_file, agencies_described, agencies_apart, hosts_known)


def check_catalogue(
    outcomes: Sequence[Outcome], lang: str, item_name: Callable[[int | None], str | None]
) -> list[Finding]:
    """Every check of CHECKS over the readable outcomes, as findings in `lang`."""
    findings: list[Finding] = []
    indexes: dict[str, LineIndex | None] = {}  # the files with a finding, read again for its line (few)

    def add(kind: str, outcome: Outcome, focus: str, path: str | None, value: str | None,
            wording: str | None = None, at: tuple[str, str] | None = None, **extra: str) -> None:
        """`wording`: a message of its own for one case of the check (else the kind's); `at`: the
        property and value (IRIs or text) the finding is about, where the file writes them (else
        the focus's own line)."""
        item = ITEM_OF[kind]
        if outcome.source not in indexes:
            indexes[outcome.source] = None if outcome.context else lines_of_file(outcome.source, outcome.sha256)
        index = indexes[outcome.source]
        line = index.line_of(URIRef(focus), *(at or (None, None))) if index is not None else None
        findings.append(Finding(
            severity=Severity(SEVERITY_OF.get(kind, "violation")), source=outcome.source, line=line, focus=focus,
            item=item, item_name=item_name(item), field=None, path=path, value=value,
            message=message(f"across.{wording or kind}", lang, iri=focus, value=value,
                            **{k: translate(v, lang) if k == "other" else v for k, v in extra.items()}),
            shape=None, component=kind, check="catalogue",
        ))

    readable = [o for o in outcomes if o.error is None]
    for check in CHECKS:
        check(readable, add)
    return findings
