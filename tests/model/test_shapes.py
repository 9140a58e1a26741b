"""Every constraint of shapes/: the complete example passes it, one edit breaks it.

Each case is a SPARQL Update applied to the complete SOF 2019 record; the test expects a
result from that shape, with the right severity, on the right focus node and path. A shape
without a case fails `test_every_shape_has_a_case`, so new shapes need tests.
"""

from __future__ import annotations

import pytest
from paths import DATA as DATA_DIR
from rdflib import Graph, URIRef

from migrmeta.load import Record, read_input
from migrmeta.load.reference import Reference
from migrmeta.validation.checks import RawResult, validate_graphs

DATA = DATA_DIR / "shapes"
MMSH = "https://w3id.org/migrmeta/shapes#"
S = "https://w3id.org/migrmeta/survey/ph-sof-2019"
SERIES = "https://w3id.org/migrmeta/survey/ph-sof"
PSA = "https://w3id.org/migrmeta/agency/psa"

PREFIXES = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcatap: <http://data.europa.eu/r5r/>
PREFIX disco: <http://rdf-vocabulary.ddialliance.org/discovery#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX mm: <https://w3id.org/migrmeta/ns#>
PREFIX survey: <https://w3id.org/migrmeta/survey/>
PREFIX agency: <https://w3id.org/migrmeta/agency/>
PREFIX country: <http://publications.europa.eu/resource/authority/country/>
PREFIX st: <https://w3id.org/migrmeta/vocab/sample-type/>
PREFIX su: <https://w3id.org/migrmeta/vocab/sampling-unit/>
PREFIX sd: <https://w3id.org/migrmeta/vocab/survey-design/>
PREFIX pop: <https://w3id.org/migrmeta/vocab/population/>
PREFIX mt: <https://w3id.org/migrmeta/vocab/migrant-type/>
PREFIX ic: <https://w3id.org/migrmeta/vocab/identification-criterion/>
PREFIX dis: <https://w3id.org/migrmeta/vocab/dissemination/>
PREFIX acc: <https://w3id.org/migrmeta/vocab/access-level/>
PREFIX status: <https://w3id.org/migrmeta/vocab/survey-status/>
PREFIX fw: <https://w3id.org/migrmeta/vocab/migration-framework/>
"""


def drop(prop: str, subject: str = "survey:ph-sof-2019") -> str:
    return f"DELETE {{ {subject} {prop} ?o }} WHERE {{ {subject} {prop} ?o }}"


def add(triples: str, subject: str = "survey:ph-sof-2019") -> str:
    return f"INSERT DATA {{ {subject} {triples} }}"


def replace(prop: str, value: str, subject: str = "survey:ph-sof-2019") -> str:
    return f"{drop(prop, subject)}{SEP}{add(f'{prop} {value}', subject)}"


SEP = " ||| "  # separates updates applied one after the other

DROP_IDENTIFICATION = (
    "DELETE { survey:ph-sof-2019 mm:identification ?i . ?i ?p ?o } "
    "WHERE { survey:ph-sof-2019 mm:identification ?i . ?i ?p ?o }"
)
PERIOD = "?period"

# shape local name -> (update, severity, focus, path local name or None)
CASES: dict[str, tuple[str, str, str, str | None]] = {
    # item 1
    "title": (drop("dct:title"), "violation", S, "title"),
    "titleEnglish": (replace("dct:title", '"Encuesta sobre filipinos en el extranjero 2019"@es'), "warning", S, "title"),
    "alternative": (add("dct:alternative <https://example.org/sof>"), "violation", S, "alternative"),
    "identifier": (replace("dct:identifier", '"PH SOF 2019!"'), "violation", S, "identifier"),
    # item 2
    "description": (drop("dct:description"), "violation", S, "description"),
    "descriptionEnglish": (replace("dct:description", '"Enquête annuelle."@fr'), "warning", S, "description"),
    "purpose": (drop("disco:purpose"), "warning", S, "purpose"),
    # item 3
    "spatial": (drop("dct:spatial"), "violation", S, "spatial"),
    "spatialValue": (replace("dct:spatial", "country:PHX"), "violation", S, "spatial"),
    "originCountry": (add("mm:originCountry country:ZZZ"), "violation", S, "originCountry"),
    "destinationCountry": (add("mm:destinationCountry country:ZZZ"), "violation", S, "destinationCountry"),
    "transitCountry": (add("mm:transitCountry country:ZZZ"), "violation", S, "transitCountry"),
    # item 4
    "temporal": (drop("dct:temporal"), "violation", S, "temporal"),
    "status": (add("mm:status status:ongoing"), "violation", S, "status"),  # two statuses: one at most
    "statusValue": (replace("mm:status", "status:finished"), "violation", S, "status"),
    "inSeries": (add('dcat:inSeries "ph-sof"'), "violation", S, "inSeries"),
    "endAfterStart": (
        "DELETE { ?p dcat:endDate ?e } INSERT { ?p dcat:endDate '2018'^^xsd:gYear } "
        "WHERE { survey:ph-sof-2019 dct:temporal ?p . ?p dcat:endDate ?e }", "violation", S, "temporal"),
    "openEndOngoing": (
        "DELETE { ?p dcat:endDate ?e } WHERE { survey:ph-sof-2019 dct:temporal ?p . ?p dcat:endDate ?e }",
        "warning", S, "temporal"),
    "startPlausible": (
        "DELETE { ?p dcat:startDate ?s } INSERT { ?p dcat:startDate '1850'^^xsd:gYear } "
        "WHERE { survey:ph-sof-2019 dct:temporal ?p . ?p dcat:startDate ?s }", "violation", S, "temporal"),
    # item 5
    "creator": (drop("dct:creator"), "violation", S, "creator"),
    "publisher": (add("dct:publisher agency:inegi"), "violation", S, "publisher"),
    "contributor": (add('dct:contributor "PSA regional offices"'), "violation", S, "contributor"),
    "attribution": (add("prov:qualifiedAttribution [ prov:agent agency:psa ]"), "violation", S, "qualifiedAttribution"),
    # item 6
    "sampleType": (drop("mm:sampleType"), "warning", S, "sampleType"),
    "sampleTypeValue": (add("mm:sampleType st:random"), "violation", S, "sampleType"),
    "sampleFrame": (replace("mm:sampleFrame", '"LFS sample"'), "violation", S, "sampleFrame"),
    "sampleSize": (add("mm:sampleSize 0"), "violation", S, "sampleSize"),
    "mixedSampleDeclared": (add("mm:sampleType st:nonprobability.snowball"), "violation", S, "sampleType"),
    "chainReferralNotProbability": (
        add("mm:sampleType st:probability, st:nonprobability.snowball, st:mixed"), "violation", S, "sampleType"),
    "completeEnumerationAlone": (add("mm:sampleType st:complete-enumeration"), "violation", S, "sampleType"),
    "probabilityFrame": (drop("mm:sampleFrame"), "warning", S, "sampleFrame"),
    # item 7
    "samplingUnit": (drop("mm:samplingUnit"), "violation", S, "samplingUnit"),
    "samplingUnitValue": (add("mm:samplingUnit su:tent"), "violation", S, "samplingUnit"),
    "proxyNeedsHousehold": (replace("mm:samplingUnit", "su:individual"), "violation", S, "samplingUnit"),
    "movementNeedsFlow": (add("mm:samplingUnit su:movement-event"), "warning", S, "samplingUnit"),
    # item 8
    "surveyDesign": (drop("mm:surveyDesign"), "violation", S, "surveyDesign"),
    "surveyDesignValue": (add("mm:surveyDesign sd:bespoke"), "violation", S, "surveyDesign"),
    "hostSurvey": (add("mm:hostSurvey survey:ph-fies"), "violation", S, "hostSurvey"),
    "legislation": (add('dcatap:applicableLegislation "Regulation 102/2007"'), "violation", S, "applicableLegislation"),
    "moduleNeedsHost": (drop("mm:hostSurvey"), "violation", S, "hostSurvey"),
    # two agencies' answers merged: a rider module and a dedicated survey at once
    "dedicatedOrModule": (add("mm:surveyDesign sd:dedicated"), "violation", S, "surveyDesign"),
    "hostNotSelf": (replace("mm:hostSurvey", "survey:ph-sof-2019"), "violation", S, "hostSurvey"),
    "hostOnlyForModules": (replace("mm:surveyDesign", "sd:dedicated"), "violation", S, "hostSurvey"),
    "adHocLegalBasis": (replace("mm:surveyDesign", "sd:module.adhoc"), "warning", S, "applicableLegislation"),
    # item 9
    "population": (drop("mm:populationCovered"), "warning", S, "populationCovered"),
    "populationValue": (add("mm:populationCovered pop:aliens"), "violation", S, "populationCovered"),
    "populationCountryRole": (add("mm:destinationCountry country:USA"), "violation", S, "populationCovered"),
    "returnMigrantsAtOrigin": (
        add("mm:populationCovered pop:return-migrants-at-origin ; mm:destinationCountry country:USA"),
        "violation", S, "populationCovered"),
    # item 10
    "migrantFocus": (add("mm:migrantFocus mt:tourist"), "violation", S, "migrantFocus"),
    "returnFocusNeedsPopulation": (add("mm:migrantFocus mt:return-migrant"), "warning", S, "migrantFocus"),
    "forcedMigrantsIdentified": (add("mm:migrantFocus mt:refugee"), "warning", S, "migrantFocus"),
    # item 11
    "identification": (DROP_IDENTIFICATION, "warning", S, "identification"),
    "identificationNode": (add("mm:identification [ mm:criterion ic:hearsay ]"), "violation", S, "identification"),
    "absentMembersNeedProxies": (
        replace("mm:populationCovered", "pop:non-migrants-at-origin"), "violation", S, "identification"),
    "absentMembersPeriod": (
        "DELETE { ?i mm:referencePeriodYears ?n } WHERE { survey:ph-sof-2019 mm:identification ?i . "
        "?i mm:referencePeriodYears ?n }", "warning", S, "identification"),
    "durationParameters": (
        add("mm:identification [ mm:criterion ic:usual-residence-duration ]"), "violation", S, "identification"),
    "irregularNotAdminOnly": (
        DROP_IDENTIFICATION + SEP + add(
            "mm:migrantFocus mt:irregular-migrant ; mm:identification [ mm:criterion ic:administrative-status ]"),
        "warning", S, "identification"),
    "temporaryMobilityUN2021": (
        add("mm:identification [ mm:criterion ic:usual-residence-duration ; mm:thresholdMonths 6 ; "
            "mm:framework fw:UN2021 ]"), "warning", S, "identification"),
    # item 12
    "remittances": (drop("mm:collectsRemittances"), "warning", S, "collectsRemittances"),
    # "yes" is a wrong answer, not a missing one: the pages showed it, the saved questions left the survey out
    "remittancesValue": (replace("mm:collectsRemittances", '"yes"'), "violation", S, "collectsRemittances"),
    "remittanceUse": (add('mm:collectsRemittanceUse "yes"'), "violation", S, "collectsRemittanceUse"),
    "remittanceUseImpliesData": (
        replace("mm:collectsRemittances", "false") + SEP + add("mm:collectsRemittanceUse true"),
        "violation", S, "collectsRemittances"),
    "remittancesObservable": (
        DROP_IDENTIFICATION + SEP + replace("mm:samplingUnit", "su:individual") + SEP
        + replace("mm:populationCovered", "pop:non-migrants-at-destination"), "warning", S, "collectsRemittances"),
    # item 13
    "dissemination": (drop("mm:disseminationMeans"), "warning", S, "disseminationMeans"),
    "disseminationValue": (add("mm:disseminationMeans dis:radio"), "violation", S, "disseminationMeans"),
    "publications": (add('dct:isReferencedBy "SOF 2019 report"'), "violation", S, "isReferencedBy"),
    "distribution": (add("dcat:distribution [ a dcat:Distribution ]"), "violation", S, "distribution"),
    "reportsReferenced": (drop("dct:bibliographicCitation"), "warning", S, "isReferencedBy"),
    "accessNeedsMicrodata": (
        replace("mm:accessLevel", "acc:public-use") + SEP + "DELETE DATA { survey:ph-sof-2019 mm:disseminationMeans "
        "dis:microdata-digital }", "violation", S, "disseminationMeans"),
    # item 14
    "accessLevel": (drop("mm:accessLevel"), "warning", S, "accessLevel"),
    "accessLevelValue": (add("mm:accessLevel acc:maybe"), "violation", S, "accessLevel"),
    "primaryAccessLevel": (
        add("mm:accessLevel acc:unknown ; mm:primaryAccessLevel acc:unknown, acc:open"), "violation", S,
        "primaryAccessLevel"),
    "landingPage": (add('dcat:landingPage "psada.psa.gov.ph"'), "violation", S, "landingPage"),
    "microdataNotClosed": (replace("mm:accessLevel", "acc:no-access"), "violation", S, "accessLevel"),
    "microdataAccessGiven": (drop("mm:accessLevel"), "warning", S, "accessLevel"),
    "restrictedAccessConditions": (
        replace("mm:accessLevel", "acc:licensed") + SEP + drop("dcat:landingPage") + SEP + drop("dct:rights"),
        "warning", S, "landingPage"),
    "primaryAccessNeeded": (add("mm:accessLevel acc:licensed"), "warning", S, "primaryAccessLevel"),
    "primaryAccessListed": (add("mm:primaryAccessLevel acc:open"), "violation", S, "primaryAccessLevel"),
    "unknownAccessAlone": (  # the complete example's access is 'unknown'
        add("mm:accessLevel acc:public-use ; mm:primaryAccessLevel acc:public-use"), "violation", S, "accessLevel"),
    "noAccessExcludesAccess": (
        replace("mm:accessLevel", "acc:no-access, acc:licensed") + SEP + add("mm:primaryAccessLevel acc:licensed"),
        "violation", S, "accessLevel"),
    # sources
    "source": (drop("dct:source") + SEP + drop("dct:bibliographicCitation"), "warning", S, None),
    "modified": (replace("dct:modified", '"29/11/2026"'), "violation", S, "modified"),
    "checkedOn": (drop("mm:checkedOn"), "warning", S, "checkedOn"),
    "checkedOnValue": (replace("mm:checkedOn", '"30/11/2026"'), "violation", S, "checkedOn"),
    "checkedNotLater": (replace("mm:checkedOn", '"2062-01-15"^^xsd:date'), "violation", S, "checkedOn"),
    # agencies
    "agencyName": (drop("foaf:name", "agency:psa"), "violation", PSA, "name"),
    "agencyNameEnglish": (
        "DELETE DATA { agency:psa foaf:name 'Philippine Statistics Authority'@en }", "violation", PSA, "name"),
    "agencyType": ("DELETE DATA { agency:psa a foaf:Agent }", "violation", PSA, "type"),
    "agencyKind": (drop("dct:type", "agency:psa"), "violation", PSA, "type"),
    # DCAT-AP's published form (an ADMS publisher type) without the kind as org:classification
    "agencyClassified": (replace("dct:type", "<http://purl.org/adms/publishertype/NationalAuthority>", "agency:psa")
                         + SEP + "INSERT DATA { <http://purl.org/adms/publishertype/NationalAuthority> skos:inScheme "
                         "<http://purl.org/adms/publishertype/1.0> }", "violation", PSA, "type"),
    "agencyBasedIn": (add("mm:basedIn country:PHX", "agency:psa"), "violation", PSA, "basedIn"),
    "agencyBasedInNeeded": (drop("mm:basedIn", "agency:psa"), "violation", PSA, "basedIn"),
    "agencyHomepage": (add('foaf:homepage "psa.gov.ph"', "agency:psa"), "violation", PSA, "homepage"),
    "agencySameAs": (add("owl:sameAs <https://example.org/psa>", "agency:psa"), "warning", PSA, "sameAs"),
    # series
    "seriesTemporal": (
        add("dct:temporal [ dcat:startDate '1993'^^xsd:gYear ]", "survey:ph-sof"), "violation", SERIES, "temporal"),
}


# Rules 38-39 over every pair that matters: access levels -> the rules among ACCESS_RULES they
# break, each once: a violation on the survey whose value is the level the rule is about
ACCESS_RULES = {"unknownAccessAlone": "unknown", "noAccessExcludesAccess": "no-access"}
GRANTING = ("open", "public-use", "licensed", "restricted-enclave", "external-repository", "on-request")
ACCESS_LEVELS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "unknown": (("unknown",), set()),
    "no-access": (("no-access",), set()),
    "public-use-licensed": (("public-use", "licensed"), set()),
    "unknown-no-access": (("unknown", "no-access"), {"unknownAccessAlone"}),  # 'no access' is known
    "unknown-no-access-open": (("unknown", "no-access", "open"), set(ACCESS_RULES)),
    **{f"unknown-{level}": (("unknown", level), {"unknownAccessAlone"}) for level in GRANTING},
    **{f"no-access-{level}": (("no-access", level), {"noAccessExcludesAccess"}) for level in GRANTING},
}


def access_levels(levels: tuple[str, ...]) -> str:
    """The complete example with these access levels, the first the main one."""
    return replace("mm:accessLevel", ", ".join(f"acc:{level}" for level in levels)) + SEP + add(
        f"mm:primaryAccessLevel acc:{levels[0]}")


@pytest.fixture(scope="module")
def complete() -> Record:
    return read_input(str(DATA / "sof-complete.ttl"))


def run(record: Record, reference: Reference) -> list[RawResult]:
    return validate_graphs([record], reference)[record.source]


def edited(record: Record, update: str) -> Record:
    graph = Graph()
    for triple in record.graph:
        graph.add(triple)
    for operation in update.split(SEP):
        graph.update(PREFIXES + operation)
    return Record.from_graph(record.source, graph, record.data)


def test_complete_example_conforms_with_all_14_items(complete: Record, reference: Reference) -> None:
    results = run(complete, reference)
    assert [r for r in results if r.severity == "violation"] == []
    survey = URIRef(S)
    answered = {int(i) for p in complete.graph.predicates(survey)
                for i in reference.graph.objects(p, URIRef("https://w3id.org/migrmeta/ns#questionnaireItem"))}
    answered |= {1, 2, 3, 4, 5}  # dct:title, dct:description, dct:spatial, dct:temporal, dct:creator
    assert answered == set(range(1, 15))


@pytest.mark.parametrize("shape", sorted(CASES))
def test_shape_passes_on_complete_record_and_fails_on_edit(shape: str, complete: Record, reference: Reference) -> None:
    update, severity, focus, path = CASES[shape]
    before = [r for r in run(complete, reference) if r.shape == MMSH + shape]
    assert before == [], f"the complete example should pass {shape}"
    after = [r for r in run(edited(complete, update), reference) if r.shape == MMSH + shape]
    assert after, f"{shape} did not catch the edit"
    assert {r.severity for r in after} == {severity}
    assert {r.focus.value for r in after} == {focus}
    if path is not None:
        assert all(r.path is not None and r.path.rsplit("/", 1)[-1].rsplit("#", 1)[-1] == path for r in after)


def test_a_survey_has_one_sample_size(complete: Record, reference: Reference) -> None:
    """Two sample sizes for one survey: which is right? (a survey in rounds gives each round its
    own; the merge sets two agencies' different sizes aside as a conflict)"""
    found = [r for r in run(edited(complete, add("mm:sampleSize 3914, 4012")), reference)
             if r.shape == MMSH + "sampleSize"]
    assert [(r.component, r.severity, r.focus.value) for r in found] == [("MaxCountConstraintComponent", "violation", S)]


@pytest.mark.parametrize("case", sorted(ACCESS_LEVELS))
def test_access_levels_that_contradict_each_other(case: str, complete: Record, reference: Reference) -> None:
    levels, broken = ACCESS_LEVELS[case]
    results = run(edited(complete, access_levels(levels)), reference)
    found = [r for r in results if r.shape in {MMSH + name for name in ACCESS_RULES}]
    assert sorted(r.shape[len(MMSH):] for r in found) == sorted(broken)  # once each, whatever the other levels
    assert all(r.severity == "violation" and r.focus.value == S for r in found)
    level = "https://w3id.org/migrmeta/vocab/access-level/"
    assert all(r.value is not None and r.value.value == level + ACCESS_RULES[r.shape[len(MMSH):]] for r in found)


def test_every_shape_has_a_case(reference: Reference) -> None:
    from migrmeta.namespaces import SH

    named = {str(s)[len(MMSH):] for s in reference.shapes.subjects(SH.path, None)
             if isinstance(s, URIRef) and str(s).startswith(MMSH)}
    assert named - set(CASES) == set()


def test_adding_a_concept_needs_no_shape_change(complete: Record, reference: Reference) -> None:
    """A new concept in the vocabulary file is accepted: shapes look the scheme up in the data."""
    from copy import copy

    new = "https://w3id.org/migrmeta/vocab/sample-type/probability.adaptive"
    record = edited(complete, add(f"mm:sampleType <{new}>"))
    assert any(r.value and r.value.value == new for r in run(record, reference))
    extended = copy(reference)
    graph = Graph()
    for triple in reference.graph:
        graph.add(triple)
    graph.update(PREFIXES + f"INSERT DATA {{ <{new}> a skos:Concept ; skos:inScheme "
                 "<https://w3id.org/migrmeta/vocab/sample-type> ; skos:broader st:probability }")
    extended = Reference(graph=graph, shapes=reference.shapes, fingerprint="test")
    assert not any(r.value and r.value.value == new for r in run(record, extended))


def test_an_international_organisation_names_no_country(complete: Record, reference: Reference) -> None:
    """mm:basedIn is required of every agency except an international organisation."""
    update = (drop("mm:basedIn", "agency:psa") + SEP
              + replace("dct:type", "<https://w3id.org/migrmeta/vocab/agency-type/international-organisation>",
                        "agency:psa"))
    results = run(edited(complete, update), reference)
    assert [r for r in results if r.shape in (MMSH + "agencyBasedInNeeded", MMSH + "agencyKind")] == []
