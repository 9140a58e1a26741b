"""Countries by code or name (country_converter's names and regexes), EU IRIs, UN M49 facts."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from migrmeta import resources
from migrmeta.namespaces import COUNTRY
from migrmeta.values.countries import ISO_TO_EU, Countries, _coco, countries
from migrmeta.values.errors import BadValue


@pytest.mark.parametrize(("written", "code"), [
    ("UK", "GBR"), ("Great Britain", "GBR"), ("England", "GBR"), ("United Kingdom", "GBR"), ("gb", "GBR"),
    ("Czech Republic", "CZE"), ("Czechia", "CZE"), ("Tchéquie", "CZE"),
    ("Turkey", "TUR"), ("Türkiye", "TUR"), ("Turquie", "TUR"),
    ("United States of America", "USA"), ("USA", "USA"), ("us", "USA"), ("Estados Unidos", "USA"),
    ("Côte d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Ivory Coast", "CIV"),
    ("Korea, Rep.", "KOR"), ("South Korea", "KOR"), ("Republic of Korea", "KOR"),
    ("PHL", "PHL"), ("ph", "PHL"), ("Philippines", "PHL"),
    ("Mexique", "MEX"), ("México", "MEX"), ("Allemagne", "DEU"), ("Marruecos", "MAR"),
    ("NA", "NAM"), ("no", "NOR"),  # codes that are also words
    ("Viet Nam", "VNM"), ("Swaziland", "SWZ"), ("Moldova", "MDA"),
    ("http://publications.europa.eu/resource/authority/country/SEN", "SEN"),
    ("<http://publications.europa.eu/resource/authority/country/SEN>", "SEN"),
    ("Kosovo", "1A0"), ("XKX", "1A0"), ("XK", "1A0"), ("1A0", "1A0"),  # the EU table's code for ISO's XKX
    ("ATF", "FQ0"), ("TF", "FQ0"),
])
def test_names_and_codes(written: str, code: str) -> None:
    assert countries().resolve(written) == URIRef(COUNTRY[code])


@pytest.mark.parametrize(("written", "suggestion"), [
    ("Filipines", "Philippines"), ("Indai", "India"), ("PHI", "PHL"), ("Chech Republik", "Czechia"),
    ("Atlantis", None), ("Holland", None), ("Soviet Union", None), ("xx", None),
])
def test_unknown_names_get_a_sensible_suggestion_or_none(written: str, suggestion: str | None) -> None:
    with pytest.raises(BadValue) as refused:
        countries().resolve(written)
    assert refused.value.suggestion == suggestion
    assert str(refused.value).startswith(f'"{written}" is not a country code or name')


@pytest.mark.parametrize(("written", "code"), [
    # Natural Earth's short names (the world map's) and the World Bank's
    ("Eq. Guinea", "GNQ"), ("Dem. Rep. Congo", "COD"), ("Central African Rep.", "CAF"), ("Solomon Is.", "SLB"),
    ("Bosnia and Herz.", "BIH"), ("S. Sudan", "SSD"), ("W. Sahara", "ESH"),
    ("Egypt, Arab Rep.", "EGY"), ("Iran, Islamic Rep.", "IRN"), ("Yemen, Rep.", "YEM"), ("Venezuela, RB", "VEN"),
    ("Congo, Dem. Rep.", "COD"), ("Congo, Rep.", "COG"), ("Lao PDR", "LAO"), ("Micronesia, Fed. Sts.", "FSM"),
    ("Tanzania, United Rep.", "TZA"), ("Gambia, The", "GMB"), ("Korea, Dem. People's Rep.", "PRK"),
    ("Micronesia", "FSM"),  # a UN sub-region too, but the name of one country
])
def test_abbreviated_names_of_atlases_and_the_world_bank(written: str, code: str) -> None:
    assert countries().resolve(written) == URIRef(COUNTRY[code])


@pytest.mark.parametrize(("written", "suggestion"), [
    ("Nigerr", "Niger"), ("Kenyaa", "Kenya"), ("Senegall", "Senegal"),  # a regex of coco cut inside a word
    ("Dominica Rep", "Dominica"),  # Dominica is a commonwealth: "Rep" says the Dominican Republic was meant
    ("Central", "Central African Republic"),  # a word that names no country alone
])
def test_a_near_miss_is_suggested_never_taken(written: str, suggestion: str) -> None:
    with pytest.raises(BadValue) as refused:
        countries().resolve(written)
    assert refused.value.suggestion == suggestion
    assert countries().find(written) == []


@pytest.mark.parametrize(("written", "region"), [
    ("Americas", "Americas"), ("America", "Americas"), ("Africa", "Africa"), ("West Africa", None),
    ("Western Africa", "Western Africa"), ("south america", "South America"), ("Caribbean", "Caribbean"),
    ("Sub-Saharan Africa", "Sub-Saharan Africa"), ("Latin America and the Caribbean", "Latin America and the Caribbean"),
])
def test_a_region_is_not_taken_for_a_country(written: str, region: str | None) -> None:
    assert countries().find(written) == []
    with pytest.raises(BadValue) as refused:
        countries().resolve(written)
    if region is not None:
        assert str(refused.value) == (f'"{written}" names a region ({region}), not a country: '
                                      "write the code or name of each country")


def test_the_old_silly_suggestions_are_gone() -> None:
    """UK used to be refused with "UKR", Czech Republic with "Central African Republic"."""
    assert countries().resolve("UK") == URIRef(COUNTRY.GBR)
    assert countries().resolve("Czech Republic") == URIRef(COUNTRY.CZE)
    assert countries().names.suggest("UK") == []
    assert "Central African Republic" not in countries().names.suggest("Czech Republik", 3)


@pytest.mark.parametrize(("lang", "codes", "suggestion"), [
    ("en", "COD (Democratic Republic of the Congo), COG (Congo)", "Morocco"),
    ("fr", "COD (République démocratique du Congo), COG (Congo)", "Maroc"),
    ("es", "COD (República Democrática del Congo), COG (Congo)", "Marruecos"),
])
def test_a_refusal_names_countries_in_the_language_asked(lang: str, codes: str, suggestion: str) -> None:
    """`migrmeta new --lang es` said "corresponde a varios países (COD (Democratic Republic of the
    Congo), ...)": the countries a refusal names were always in English."""
    with pytest.raises(BadValue) as several:
        countries().resolve("Congo", lang)
    assert str(several.value) == f'"Congo" fits several countries ({codes}): write the code'
    with pytest.raises(BadValue) as near:
        countries().resolve("Moroco", lang)
    assert near.value.suggestion == suggestion
    assert countries().resolve(suggestion) == URIRef(COUNTRY.MAR)  # the name suggested is an answer
    with pytest.raises(BadValue, match=r"\(COD \(Democratic Republic of the Congo\)"):
        countries().resolve("Congo")  # English by default


def test_a_name_of_two_countries_says_so() -> None:
    with pytest.raises(BadValue, match=r"fits several countries \(VGB .*VIR .*\): write the code"):
        countries().resolve("Virgin Islands")


@pytest.mark.parametrize(("written", "codes"), [("Egypt, Jordan", "EGY, JOR"), ("Egypt and Jordan", "EGY, JOR"),
                                               ("Mali / Niger / Chad", "MLI, NER, TCD")])
def test_several_countries_in_one_answer_are_told_to_be_given_apart(written: str, codes: str) -> None:
    """"Egypt, Jordan" was "fits several countries (EGY, JOR): write the code": advice that kept
    one of them. Each country is an answer of its own; a country named with "and" is one."""
    with pytest.raises(BadValue) as both:
        countries().resolve(written)
    assert str(both.value).startswith(f'"{written}" names several countries ({codes}) in one answer: give each '
                                      "country as an answer of its own")
    for one in ("Bosnia and Herzegovina", "Trinidad and Tobago", "Antigua & Barbuda", "Saint Kitts and Nevis"):
        assert countries().resolve(one)


def test_every_country_converter_code_maps_to_the_eu_table_or_is_listed() -> None:
    """EU codes are ISO alpha-3 except where ISO_TO_EU says; coco's current countries all land."""
    known = countries()
    missing = sorted(code for code in _coco().by_eu_code if known.get(code) is None)
    assert set(missing) <= set(ISO_TO_EU.values()), missing  # Kosovo (1A0), FQ0: not alpha-3 in the EU table
    assert known.get("GBR") is not None and known.get("GB") == known.get("GBR")  # EU writes UK, ISO GB
    assert known.get("GR") == known.get("GRC")  # EU writes EL


@pytest.mark.parametrize(("code", "numeric", "region", "subregion"), [
    ("GBR", "826", "Europe", "Northern Europe"),
    ("MEX", "484", "Americas", "Central America"),
    ("CIV", "384", "Africa", "Western Africa"),
    ("AFG", "004", "Asia", "Southern Asia"),  # three digits: the world atlas ids
    ("FJI", "242", "Oceania", "Melanesia"),
    ("ATA", "010", None, None),  # Antarctica: no M49 region
])
def test_m49_facts(code: str, numeric: str, region: str | None, subregion: str | None) -> None:
    facts = countries().m49(code)
    assert facts is not None
    assert (facts.numeric, facts.region, facts.subregion) == (numeric, region, subregion)
    assert countries().m49(str(COUNTRY[code])) == facts


def test_m49_of_a_code_outside_the_table() -> None:
    eu = countries().m49("EUR")  # the European Union is in the EU table, not in coco's
    assert eu is not None and eu.numeric is None
    assert countries().m49("XYZ") is None


def test_the_list_is_countries_ttl() -> None:
    listed = Countries.from_file(resources.countries_file())
    assert len(listed) == len(countries()) > 240
    assert listed.get("sen") is not None and listed.get("sen").label("fr") == "Sénégal"  # type: ignore[union-attr]


def test_neither_pandas_nor_country_converter_is_imported() -> None:
    """coco's table is read with the csv module: `migrmeta --help` and lookups stay fast."""
    code = ("import sys; from migrmeta.cli import cli; from migrmeta.values.countries import countries;"
            "countries().resolve('UK'); countries().m49('GBR');"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'country_converter')))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"


@pytest.mark.parametrize("written", ["Congo", "congo", "Le Congo"])
def test_congo_alone_is_two_countries(written: str) -> None:
    """"Congo" was taken for COG silently; the Democratic Republic of the Congo is "Congo" too."""
    with pytest.raises(BadValue) as refused:
        countries().resolve(written)
    assert "COD (Democratic Republic of the Congo)" in str(refused.value) and "COG (Congo)" in str(refused.value)


@pytest.mark.parametrize("written", ["Korea", "korea", "Corea", "Corée"])
def test_korea_alone_is_two_countries(written: str) -> None:
    """"Korea" was taken for KOR by coco's regular expression, while "Corée" was refused: both name
    North Korea as much as South Korea."""
    with pytest.raises(BadValue) as refused:
        countries().resolve(written)
    assert "KOR (South Korea)" in str(refused.value) and "PRK (North Korea)" in str(refused.value)


@pytest.mark.parametrize(("written", "code"), [
    ("Korea, Rep.", "KOR"), ("Korea Republic", "KOR"), ("Korea South", "KOR"), ("Corée du Sud", "KOR"),
    ("Korea DPR", "PRK"), ("New Guinea", "PNG"), ("Timor", "TLS"), ("Britain", "GBR"), ("Samoa", "WSM"),
    ("Republic of the Congo", "COG"), ("Congo-Brazzaville", "COG"), ("COG", "COG"), ("République du Congo", "COG"),
    ("DR Congo", "COD"), ("Democratic Republic of the Congo", "COD"), ("Congo-Kinshasa", "COD"),
    ("République démocratique du Congo", "COD"), ("Guinea", "GIN"), ("Sudan", "SDN"), ("Niger", "NER"),
])
def test_a_congo_said_in_full_and_names_like_other_names_are_one_country(written: str, code: str) -> None:
    assert countries().resolve(written) == COUNTRY[code]


def test_the_list_built_from_the_eu_table_keeps_kosovo_under_its_code(tmp_path: Path) -> None:
    """1A0 is no alpha-3 code; the table's TED code for it ("1A") is no ISO alpha-2 code."""
    from paths import DATA

    from migrmeta.formats.countries import build_country_list
    from migrmeta.namespaces import MM, SKOS

    table = tmp_path / "countries-skos.rdf"
    table.write_bytes(gzip.decompress((DATA / "eu-authority" / "countries-skos.rdf.gz").read_bytes()))
    graph = build_country_list(table)
    kosovo = URIRef(COUNTRY["1A0"])
    assert (kosovo, SKOS.prefLabel, None) in graph and graph.value(kosovo, MM.alpha2) is None
    assert not [s for s in graph.subjects(SKOS.inScheme, None) if str(s).endswith("OP_DATPRO")]


@pytest.mark.parametrize(("code", "areas"), [
    ("NGA", ("Africa", "Sub-Saharan Africa", "Western Africa")),
    ("COD", ("Africa", "Sub-Saharan Africa", "Middle Africa")),
    ("EGY", ("Africa", "Northern Africa")),
    ("JAM", ("Americas", "Latin America and the Caribbean", "Caribbean")),
    ("BRA", ("Americas", "Latin America and the Caribbean", "South America")),
    ("CAN", ("Americas", "Northern America")),
])
def test_every_m49_level_of_a_country(code: str, areas: tuple[str, ...]) -> None:
    """Sub-Saharan Africa and Latin America and the Caribbean, sub-regions coco's table never names,
    hold their intermediate regions' countries (ontology/m49-subregions.csv)."""
    facts = countries().m49(code)
    assert facts is not None and facts.areas == areas
    for area in areas:
        assert countries().region(area) == area and URIRef(COUNTRY[code]) in countries().in_region(area)


def test_the_m49_subregions_file_names_intermediate_regions_of_the_table() -> None:
    from migrmeta.values.countries import m49_subregions

    named = {row["subregion"] for row in _coco().by_eu_code.values()}
    assert set(m49_subregions()) <= named


@pytest.mark.parametrize("written", ["Afrique", "Polynésie", "Polinesia", "Afrique du Nord", "América"])
def test_a_region_named_in_french_or_spanish_is_no_country(written: str) -> None:
    """The French index's region "Afrique" resolved to South Africa ("Afrique du Sud") by one of
    its words, and "Polinesia" to French Polynesia, in silence (a reviewer's find)."""
    assert countries().find(written) == []
    with pytest.raises(BadValue) as raised:
        countries().resolve(written)
    if " " not in written:  # a region's word alone suggests no country ("Afrique": not "South Africa")
        assert raised.value.suggestion is None


def test_a_near_miss_of_a_country_with_a_regions_word_is_still_suggested() -> None:
    with pytest.raises(BadValue) as raised:
        countries().resolve("Sud Africa")
    assert raised.value.suggestion == "South Africa"


def test_the_countries_those_words_are_part_of_are_still_found() -> None:
    for written, code in [("Afrique du Sud", "ZAF"), ("Sudáfrica", "ZAF"), ("Polynésie française", "PYF"),
                          ("Corea del Sur", "KOR"), ("Sud-Soudan", "SSD"), ("Papua", "PNG")]:
        assert countries().find(written) == [f"{COUNTRY}{code}"], written
