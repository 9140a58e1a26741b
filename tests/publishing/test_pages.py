"""The pieces of the site's pages: the Equal Earth projection and the atlas' outlines, the
language labels (no IRI shown), the timeline's counts, and the page modules' size."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from migrmeta.namespaces import DCAT, MM
from migrmeta.publishing.pages import worldmap
from migrmeta.publishing.pages.facets import RecordFacts, year_counts
from migrmeta.publishing.pages.labels import LANGUAGES, site_labels, ui_strings

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


def test_page_modules_stay_small() -> None:
    for path in PAGES.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name
