"""One agency index: ids, acronyms and names for forms; known or new (and near-duplicates) for importers."""

from __future__ import annotations

import pytest
from paths import RECORDS

from migrmeta.load.files import parse_bytes
from migrmeta.namespaces import AGENCY, COUNTRY
from migrmeta.values.agencies import Agencies
from migrmeta.values.errors import BadValue


@pytest.fixture(scope="module")
def known() -> Agencies:
    return Agencies.from_file(RECORDS / "agencies.ttl")


@pytest.mark.parametrize("answer", ["psa", "PSA", "Philippine Statistics Authority", "philippine statistics authority",
                                    "Pangasiwaan ng Estadistika ng Pilipinas", "<https://w3id.org/migrmeta/agency/psa>"])
def test_a_contributor_names_an_agency(known: Agencies, answer: str) -> None:
    assert known.resolve(answer) == AGENCY.psa


def test_a_misspelt_agency_gets_the_close_name(known: Agencies) -> None:
    with pytest.raises(BadValue) as refused:
        known.resolve("Philipine Statistics Authority")
    assert refused.value.suggestion == "Philippine Statistics Authority"
    assert "records/agencies.ttl" in str(refused.value)


def test_without_known_agencies_an_id_is_taken_as_it_is() -> None:
    assert Agencies().resolve("new-agency") == AGENCY["new-agency"]


def test_an_importer_finds_a_known_agency_by_name_or_acronym(known: Agencies) -> None:
    assert known.match({"en": "Philippine Statistics Authority"}) == AGENCY.psa
    assert known.match({"es": "Instituto Nacional de Estadística y Geografía"}) == AGENCY.inegi
    assert known.match({"en": "Some Name"}, acronym="INEGI") == AGENCY.inegi
    assert known.match({"en": "Statistics body (INEGI)"}) == AGENCY.inegi  # acronym in the name


def test_a_new_agency_gets_a_stable_iri_and_its_possible_duplicates() -> None:
    known = Agencies.from_file(RECORDS / "agencies.ttl")
    new = known.match({"en": "Philippine Statistic Authority"}, homepage="https://www.psa.gov.ph/")
    assert new == AGENCY["philippine-statistic-authority"]
    assert known.new[new].similar == [AGENCY.psa]  # nearly the same name, and the same site
    again = known.match({"en": "Philippine Statistic Authority"})
    assert again == new
    other = known.match({"en": "Ministry of Health (Ghana)"})
    assert known.new[other].similar == []  # "Ministry of Health (Mexico)" shares only common words


# --- an acronym or a name against the survey's countries (mm:basedIn) -------------------------------


def test_an_acronym_of_an_agency_based_elsewhere_is_refused_with_its_name_and_country(known: Agencies) -> None:
    """`INS` for a survey of Côte d'Ivoire was taken for Tunisia's institute, silently."""
    with pytest.raises(BadValue) as refused:
        known.resolve("INS", countries=[COUNTRY.CIV, COUNTRY.FRA])
    said = str(refused.value)
    assert "ins-tunisia (National Institute of Statistics (Tunisia), Tunisia)" in said
    assert "based in none of the survey's countries" in said and "write the id" in said
    with pytest.raises(BadValue, match=r"ine-es \(National Statistics Institute \(Spain\), Spain\)"):
        known.resolve("INE", countries=[COUNTRY.BOL])
    with pytest.raises(BadValue, match="ins-tunisia"):  # a name shared by many countries' institutes
        known.resolve("Institut National de la Statistique", countries=[COUNTRY.CIV])


def test_an_agency_of_a_survey_country_an_id_or_an_international_one_is_taken(known: Agencies) -> None:
    assert known.resolve("INE", countries=[COUNTRY.ESP]) == AGENCY["ine-es"]
    assert known.resolve("ins-tunisia", countries=[COUNTRY.CIV]) == AGENCY["ins-tunisia"]  # the id: chosen
    assert known.resolve("IOM", countries=[COUNTRY.CIV]) == AGENCY.iom  # based nowhere in particular
    assert known.resolve("INS") == AGENCY["ins-tunisia"]  # no countries: nothing to check against


def test_of_several_agencies_with_one_acronym_the_one_of_the_survey_country_is_taken(known: Agencies) -> None:
    agencies = known.copy()
    agencies.add(AGENCY["ins-ci"], ["Institut National de la Statistique de Côte d'Ivoire"], ["INS"],
                 country=COUNTRY.CIV)
    assert agencies.resolve("INS", countries=[COUNTRY.CIV]) == AGENCY["ins-ci"]
    assert agencies.resolve("INS", countries=[COUNTRY.TUN]) == AGENCY["ins-tunisia"]
    with pytest.raises(BadValue, match="names several agencies"):
        agencies.resolve("INS")


def test_a_near_duplicate_is_never_an_agency_of_another_country(known: Agencies) -> None:
    """"INS Côte d'Ivoire" was flagged as maybe ine-es ("INS" one letter off "INE")."""
    names = ["Institut National de la Statistique de Côte d'Ivoire", "INS"]
    assert AGENCY["ine-es"] not in known.similar(names)  # an acronym one letter off is another agency
    assert known.similar(names, country=COUNTRY.CIV) == []
    assert known.similar(names, country=COUNTRY.TUN) == [AGENCY["ins-tunisia"]]
    assert known.similar(["Philippine Statistic Authority"], country=COUNTRY.PHL) == [AGENCY.psa]


def test_an_agency_is_shown_with_its_name_and_country(known: Agencies) -> None:
    assert known.shown(AGENCY["ine-es"]) == "ine-es (National Statistics Institute (Spain), Spain)"
    assert known.shown(AGENCY.iom) == "iom (International Organization for Migration)"
    assert Agencies().shown(AGENCY.unknown) == "unknown"


def test_one_shared_word_is_no_near_duplicate_but_a_name_said_otherwise_is(known: Agencies) -> None:
    """"UK Data Service" was offered as the catalogue's jdc (World Bank-UNHCR Joint Data Center on
    Forced Displacement): they share "Data" alone. A near-duplicate's words match both ways."""
    assert known.similar(["UK Data Service"]) == []
    assert AGENCY.psa in known.similar(["Statistics Philippines"])
    assert known.similar(["International Organisation for Migration"]) == [AGENCY.iom]
    for acronym in ("UNEP", "NIDA", "RAMD"):  # four letters, one off a known agency's: another agency
        assert known.similar([acronym]) == [], acronym


def test_a_catalogues_agencies_compared_with_each_other_need_more_than_a_shared_word() -> None:
    """validate's check across records (strict): the importers' rule, without the words-only match,
    ids or a shared host; a name said otherwise is still one agency."""
    known = Agencies.from_file(RECORDS / "agencies.ttl")
    strict = Agencies(parse_bytes((RECORDS / "agencies.ttl").read_bytes(), "agencies.ttl", "turtle").graph,
                      strict=True)
    assert AGENCY.psa in known.similar(["Statistics Philippines"])  # an importer asks
    assert strict.similar(["Statistics Philippines"]) == []  # a catalogue is not warned
    assert strict.similar(["Philippine Statistic Authority"]) == [AGENCY.psa]
    assert strict.similar(["International Organisation for Migration"]) == [AGENCY.iom]
    assert strict.similar(["University of Essex"], besides=AGENCY.essex, country=COUNTRY.GBR) == []
    assert AGENCY["diw-berlin"] in known.similar(["DIW Berlin"], besides=AGENCY["diw-soep"])
    assert strict.similar(["DIW Berlin"], besides=AGENCY["diw-soep"]) == []  # another's id is not its name
    assert strict.similar(["PSA"], country=COUNTRY.PHL) == [AGENCY.psa]
    assert strict.similar([], "https://www.gob.mx/stps/", besides=AGENCY.stps) == []  # another agency of one host
    assert strict.similar([], "http://psa.gov.ph") == [AGENCY.psa]

