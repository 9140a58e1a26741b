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

from migrmeta.namespaces import DCT
from migrmeta.validation.findings import Finding, display
from migrmeta.validation.outcome import Outcome, Term

MESSAGES: dict[str, dict[str, str]] = {
    "duplicate_iri": {
        "en": "{iri} is also described in {other}: describe each survey in one file (merge the two, or give one a new IRI)",
        "fr": "{iri} est aussi décrite dans {other} : décrivez chaque enquête dans un seul fichier (fusionnez-les, ou donnez un nouvel IRI à l'une)",
        "es": "{iri} también se describe en {other}: describa cada encuesta en un solo archivo (fusiónelos, o dé un nuevo IRI a uno)",
    },
    "duplicate_identifier": {
        "en": "identifier '{value}' is also used by {other_iri} in {other}: identifiers must be unique in the catalogue",
        "fr": "l'identifiant '{value}' est aussi utilisé par {other_iri} dans {other} : les identifiants doivent être uniques dans le catalogue",
        "es": "el identificador '{value}' también lo usa {other_iri} en {other}: los identificadores deben ser únicos en el catálogo",
    },
    "duplicate_key": {
        "en": "same title, conducting organisation and start as {other_iri} in {other}: model rounds of one survey as a series with dcat:inSeries, or tell the two apart",
        "fr": "même titre, organisme réalisateur et début que {other_iri} dans {other} : décrivez les vagues d'une enquête comme une série (dcat:inSeries), ou distinguez les deux",
        "es": "mismo título, organismo ejecutor e inicio que {other_iri} en {other}: modele las rondas de una encuesta como una serie (dcat:inSeries), o distinga las dos",
    },
    "unknown_agency": {
        "en": "agency '{value}' is referenced but not described: add it to agencies.ttl (foaf:name in English, a foaf:Agent and foaf:Organization)",
        "fr": "l'organisme '{value}' est cité mais pas décrit : ajoutez-le à agencies.ttl (foaf:name en anglais, un foaf:Agent et foaf:Organization)",
        "es": "el organismo '{value}' se cita pero no se describe: añádalo a agencies.ttl (foaf:name en inglés, un foaf:Agent y foaf:Organization)",
    },
    "several_surveys": {
        "en": "this file describes several surveys ({value}): describe one survey per file, or one series with its rounds (dcat:inSeries)",
        "fr": "ce fichier décrit plusieurs enquêtes ({value}) : décrivez une enquête par fichier, ou une série avec ses vagues (dcat:inSeries)",
        "es": "este archivo describe varias encuestas ({value}): describa una encuesta por archivo, o una serie con sus rondas (dcat:inSeries)",
    },
    "host_absent": {
        "en": "host survey '{value}' is not in the catalogue: add its record, or describe it in this file with at least dct:title",
        "fr": "l'enquête d'accueil '{value}' n'est pas dans le catalogue : ajoutez sa fiche, ou décrivez-la dans ce fichier avec au moins dct:title",
        "es": "la encuesta anfitriona '{value}' no está en el catálogo: añada su registro, o descríbala en este archivo con al menos dct:title",
    },
}
ITEM_OF = {"duplicate_iri": 1, "duplicate_identifier": 1, "duplicate_key": 1, "unknown_agency": 5, "host_absent": 8,
           "several_surveys": 1}
SEVERITY_OF = {"host_absent": "warning", "several_surveys": "warning"}


def check_catalogue(
    outcomes: Sequence[Outcome], lang: str, item_name: Callable[[int | None], str | None]
) -> list[Finding]:
    findings: list[Finding] = []

    def add(kind: str, outcome: Outcome, focus: str, path: str | None, value: str | None, **extra: str) -> None:
        template = MESSAGES[kind].get(lang, MESSAGES[kind]["en"])
        item = ITEM_OF[kind]
        findings.append(Finding(
            severity=SEVERITY_OF.get(kind, "violation"),
            source=outcome.source,
            line=None,
            focus=focus,
            item=item,
            item_name=item_name(item),
            field=None,
            path=path,
            value=value,
            message=template.format(iri=focus, value=value, **extra),
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
