"""One agency index: ids, acronyms and names for forms; known or new (and near-duplicates) for importers."""

from __future__ import annotations

import pytest
from paths import RECORDS

from migrmeta.namespaces import AGENCY
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
