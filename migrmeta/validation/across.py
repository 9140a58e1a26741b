"""Checks across records: what no single record can see.

- the same survey IRI described in two files (violation, item 1);
- an identifier used by two surveys (violation, item 1);
- the same title, conducting organisation and start in two surveys (rule 37; violation, item 1);
- an agency referenced but not described in any input (violation, item 5);
- a host survey neither in the catalogue nor titled in the record (warning, item 8);
- several surveys in one file, other than one series with its rounds (warning, item 1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from migrmeta.messages import message
from migrmeta.namespaces import DCT
from migrmeta.validation.checks import Outcome, Term
from migrmeta.validation.findings import Finding, Severity, display

# The messages, in three languages: messages.toml, "across.<kind>".
ITEM_OF = {"duplicate_iri": 1, "duplicate_identifier": 1, "duplicate_key": 1, "unknown_agency": 5, "host_absent": 8,
           "several_surveys": 1}
SEVERITY_OF = {"host_absent": "warning", "several_surveys": "warning"}


def check_catalogue(
    outcomes: Sequence[Outcome], lang: str, item_name: Callable[[int | None], str | None]
) -> list[Finding]:
    findings: list[Finding] = []

    def add(kind: str, outcome: Outcome, focus: str, path: str | None, value: str | None, **extra: str) -> None:
        item = ITEM_OF[kind]
        findings.append(Finding(
            severity=Severity(SEVERITY_OF.get(kind, "violation")),
            source=outcome.source,
            line=None,
            focus=focus,
            item=item,
            item_name=item_name(item),
            field=None,
            path=path,
            value=value,
            message=message(f"across.{kind}", lang, iri=focus, value=value, **extra),
            shape=None,
            component=kind,
            check="catalogue",
        ))

    readable = [o for o in outcomes if o.error is None]
    # the same survey IRI in two files
    files_of: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in readable:
        for subject in sorted(set(outcome.summary.surveys) | set(outcome.summary.series)):
            files_of[subject].append(outcome)
    for subject, owners in files_of.items():
        for index, outcome in enumerate(owners):
            for other in owners[:index] + owners[index + 1 :]:
                add("duplicate_iri", outcome, subject, None, None, other=other.source)
    # identifiers shared by different subjects
    users: dict[str, list[tuple[str, Outcome]]] = defaultdict(list)
    for outcome in readable:
        for subject, identifier in outcome.summary.identifiers:
            users[identifier].append((subject, outcome))
    for identifier, owners_of in users.items():
        subjects = {s for s, _ in owners_of}
        if len(subjects) < 2:
            continue
        for subject, outcome in owners_of:
            for other_subject, other in owners_of:
                if other_subject != subject:
                    add("duplicate_identifier", outcome, subject, display(Term("iri", str(DCT.identifier))),
                        identifier, other_iri=other_subject, other=other.source)
                    break
    # rule 37: title, conducting organisation and start
    keyed: dict[tuple[str, str, str], list[tuple[str, Outcome]]] = defaultdict(list)
    for outcome in readable:
        for survey, title, creator, start in outcome.summary.keys:
            keyed[(title, creator, start)].append((survey, outcome))
    reported: set[tuple[str, str]] = set()
    for same in keyed.values():
        for survey, outcome in same:
            for other_survey, other in same:
                if other_survey != survey and (survey, other_survey) not in reported:
                    reported.add((survey, other_survey))
                    add("duplicate_key", outcome, survey, None, None, other_iri=other_survey, other=other.source)
    # one survey per file: a file may hold one series and its rounds
    for outcome in readable:
        series_here = set(outcome.summary.series)
        in_series = {s for s, series in outcome.summary.rounds if series in series_here}
        loose = [s for s in outcome.summary.surveys if s not in in_series]
        if len(loose) > 1 or (loose and in_series):
            names = ", ".join(display(Term("iri", s)) or s for s in sorted(outcome.summary.surveys))
            add("several_surveys", outcome, sorted(loose)[0], None, names)
    # agencies and host surveys
    described = {a for o in readable for a in o.summary.agencies}
    catalogued = {s for o in readable for s in (*o.summary.surveys, *o.summary.series)}
    for outcome in readable:
        seen: set[tuple[str, str]] = set()
        for subject, prop, agency in outcome.summary.agency_links:
            if agency not in described and (subject, agency) not in seen:
                seen.add((subject, agency))
                add("unknown_agency", outcome, subject, display(Term("iri", prop)), display(Term("iri", agency)))
        titled_here = set(outcome.summary.titled)
        for survey, host in outcome.summary.hosts:
            if host not in catalogued and host not in titled_here:
                add("host_absent", outcome, survey, "mm:hostSurvey", display(Term("iri", host)))
    return findings
