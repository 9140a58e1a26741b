"""The pieces of the site's pages: the Equal Earth projection and the atlas' outlines, the
language labels (no IRI shown), the timeline's counts, the time frame as told, and the page
modules' size."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from migrmeta import namespaces as ns
from migrmeta.namespaces import DCAT, DCT, MM, SURVEY_STATUS
from migrmeta.publishing.pages import worldmap
from migrmeta.publishing.pages.facets import RecordFacts, year_counts
from migrmeta.publishing.pages.labels import LANGUAGES, site_labels, ui_strings
from migrmeta.publishing.pages.model import SiteData
from migrmeta.publishing.pages.survey import time_frame

PAGES = Path(worldmap.__file__).parent


def test_equal_earth_projection() -> None:
    assert worldmap.equal_earth(0, 0) == (0.0, 0.0)
    x, _ = worldmap.equal_earth(180, 0)
    assert x == pytest.approx(math.pi / (math.sqrt(3) / 2 * 1.340264))
    _, y = worldmap.equal_earth(0, 90)
    assert y == pytest.approx(1.3173, abs=1e-4)  # the published figure for the pole line


def test_outlines_by_iso_numeric_code() -> None:
    paths = worldmap.outlines()
    assert {"724", "036", "076", "686", "242", "643"} <= set(paths)  # Spain, Australia, Brazil, Senegal, Fiji, Russia
    def xs(code: str) -> list[float]:
        return [float(p.split(",")[0]) for p in paths[code].replace("M", "L").replace("Z", "").split("L") if p]

    # Fiji and Chukotka cross the antimeridian: drawn on both sides, clipped by the globe's outline
    assert min(xs("242")) < 10 and max(xs("242")) > worldmap.WIDTH - 10
    assert min(xs("643")) < 0 < max(xs("643")) < worldmap.WIDTH
    assert all(0 <= x <= worldmap.WIDTH for x in xs("724"))


def test_every_ui_string_has_three_languages() -> None:
    for key, value in ui_strings().items():
        if key.startswith("_") or key == "regions":
            continue
        entries = value.values() if key == "fields" else [value]
        for entry in entries:
            assert set(entry) == set(LANGUAGES), key


def test_field_labels_in_each_language() -> None:
    for lang, expected in (("en", "type of sample"), ("fr", "type d'échantillon"), ("es", "tipo de muestra")):
        labels = site_labels(lang)
        assert labels.field(MM.sampleType) == expected
        assert labels.field(DCAT.keyword) != str(DCAT.keyword)
        assert labels.field("https://example.org/ns#someNewProperty") == "some new property"  # never the IRI


def test_year_counts_run_open_ends_to_the_latest_year() -> None:
    facts = [RecordFacts("a", "a", start=2001, end=2002), RecordFacts("b", "b", start=2002, end=None),
             RecordFacts("c", "c", start=2004, end=2004), RecordFacts("d", "d")]
    assert year_counts(facts) == {2001: 1, 2002: 2, 2003: 1, 2004: 2}


def _site(*surveys: tuple[str, str, str | None, URIRef | None]) -> SiteData:
    """Surveys (name, start, end, status) with their time frames, as the publish groups them."""
    by_subject: dict[URIRef, list[tuple[URIRef, URIRef, object]]] = {}
    for name, start, end, status in surveys:
        survey, period = URIRef(f"https://w3id.org/migrmeta/survey/{name}"), URIRef(f"https://example.org/{name}#t")
        by_subject[survey] = [(survey, DCT.temporal, period)] + ([(survey, MM.status, status)] if status else [])
        by_subject[period] = [(period, DCAT.startDate, Literal(start, datatype=ns.XSD.gYearMonth))] + \
            ([(period, DCAT.endDate, Literal(end, datatype=ns.XSD.gYearMonth))] if end else [])
    names = {s: str(s).rsplit("/", 1)[-1] for s in by_subject if "/survey/" in str(s)}
    return SiteData.build(by_subject, list(names), names, URIRef("https://example.org/catalog"))  # type: ignore[arg-type]


def test_a_completed_survey_without_an_end_is_not_ongoing() -> None:
    site = _site(("done", "1993-09", None, SURVEY_STATUS.completed), ("going", "2016-01", None, SURVEY_STATUS.ongoing),
                 ("planned", "2027-01", None, SURVEY_STATUS.planned), ("unsaid", "2018-01", None, None),
                 ("closed", "2001-01", "2003-12", SURVEY_STATUS.completed))
    survey = {name: s for s, name in site.names.items()}
    expected = {"en": "1993-09 (end not given)", "fr": "1993-09 (fin non indiquée)", "es": "1993-09 (fin no indicada)"}
    for lang, text in expected.items():
        assert time_frame(site, site_labels(lang), survey["done"]) == text
    assert time_frame(site, site_labels("en"), survey["going"]) == "2016-01 – (ongoing)"
    assert time_frame(site, site_labels("fr"), survey["planned"]) == "2027-01 – (en cours)"
    assert time_frame(site, site_labels("en"), survey["unsaid"]) == "2018-01 – (ongoing)"  # no status: as before
    assert time_frame(site, site_labels("en"), survey["closed"]) == "2001-01 – 2003-12"


def test_a_completed_survey_without_an_end_counts_in_its_start_year_only() -> None:
    """The chart (year_counts) and the year filter (the search index's years) read site.years."""
    site = _site(("done", "1993-09", None, SURVEY_STATUS.completed), ("going", "2016-01", None, SURVEY_STATUS.ongoing),
                 ("closed", "2001-01", "2003-12", SURVEY_STATUS.completed))
    survey = {name: s for s, name in site.names.items()}
    assert site.years(survey["done"]) == (1993, 1993)
    assert site.years(survey["going"]) == (2016, None)
    facts = [RecordFacts(s, n, {}, *site.years(s)) for s, n in site.names.items()]
    assert year_counts(facts) == {1993: 1, 2001: 1, 2002: 1, 2003: 1, 2016: 1}


def test_page_modules_stay_small() -> None:
    for path in PAGES.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


def test_which_agencies_get_a_page_and_documents() -> None:
    """One rule (pages/model.agency_file_name): an IRI of migrmeta's agency namespace that can
    name a file, typed as an agency."""
    from rdflib import BNode, Literal, URIRef

    from migrmeta.namespaces import AGENCY, FOAF, MM, SURVEY
    from migrmeta.publishing.pages.model import agency_file_name

    assert agency_file_name(URIRef(f"{AGENCY}ine-es"), [FOAF.Agent]) == "ine-es"
    assert agency_file_name(URIRef(f"{AGENCY}ine-es"), [MM.Agency]) == "ine-es"
    assert agency_file_name(URIRef(f"{AGENCY}ine-es"), []) is None  # named, never typed: no agency of the catalogue
    assert agency_file_name(URIRef(f"{AGENCY}ine-es"), [MM.Survey]) is None
    assert agency_file_name(URIRef("https://www.ine.es/"), [FOAF.Agent]) is None  # its owner's to answer
    assert agency_file_name(URIRef(f"{SURVEY}es-eni-2007"), [FOAF.Agent]) is None
    assert agency_file_name(Literal(f"{AGENCY}ine-es"), [FOAF.Agent]) is None  # text, not an IRI
    assert agency_file_name(BNode(), [FOAF.Agent]) is None
    for local in ("", "../etc", "INE", "a/b", "con", "x" * 101):  # no name a file can take
        assert agency_file_name(URIRef(f"{AGENCY}{local}"), [FOAF.Agent]) is None, local
