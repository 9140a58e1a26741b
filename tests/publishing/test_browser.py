"""The published site in a real browser (headless Chromium), opened from file://: search for
a word, combine two facets (counts and URL checked against the search index), open a survey
page, switch language, go on to an agency's page, filter with the map, restore a bookmarked view; axe-core finds no
serious or critical accessibility violation on the index and a survey page; screenshots of
both are saved in test-artifacts/."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import axe_violations, screenshot
from conftest import Published

pytestmark = pytest.mark.browser
WORD = "remittances"


@pytest.fixture(scope="module")
def site(published: Published) -> Path:
    """The bundled catalogue's site, published once for the run (conftest.py)."""
    return published.out


def index_data(site: Path) -> dict[str, Any]:
    text = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text.split(" = ", 1)[1].rstrip().rstrip(";"))
    return data


def expected(data: dict[str, Any], words: list[str], chosen: dict[str, list[str]], skip: str | None = None) -> list[str]:
    """The records the page should show: every word starts a word of the record, and for each
    facet (but `skip`) one of the chosen codes."""
    found = []
    for name, _, text, _, _, codes in data["records"]:
        record_words = text.split()
        if not all(any(w.startswith(word) for w in record_words) for word in words):
            continue
        ok = True
        for key, values in chosen.items():
            if key == skip:
                continue
            mine = {data["values"][key][i] for i in codes[data["facets"].index(key)]}
            ok = ok and bool(mine & set(values))
        if ok:
            found.append(name)
    return found


def shown(page: Any) -> list[str]:
    return sorted(page.eval_on_selector_all("#records li[id]:not([hidden])",
                                            "items => items.filter(i => i.offsetParent !== null).map(i => i.id.slice(2))"))


def status_text(page: Any) -> str:
    return " ".join(page.inner_text("#status").split())


def test_search_and_facets_from_file(site: Path, page: Any) -> None:
    data = index_data(site)
    total = len(data["records"])
    page.goto((site / "en" / "index.html").as_uri())
    assert status_text(page) == f"{total} records"
    page.fill("#q", WORD)
    page.press("#q", "Enter")
    by_word = expected(data, [WORD], {})
    assert 0 < len(by_word) < total
    page.wait_for_function(f"location.hash.includes('q={WORD}')")
    assert sorted(shown(page)) == sorted(set(by_word) | {r[1] for r in data["records"] if r[0] in by_word and r[1]})
    assert status_text(page) == f"{len(by_word)} of {total} records match"

    # two facets: a region and an access level that some of the matching records have
    page.fill("#q", "")
    page.press("#q", "Enter")
    region = "Europe"
    access = max(data["values"]["access"], key=lambda code: (len(expected(data, [], {"region": [region], "access": [code]})), code))
    page.check(f"input[name=region][value='{region}']")
    page.check(f"input[name=access][value='{access}']")
    chosen = {"region": [region], "access": [access]}
    both = expected(data, [], chosen)
    assert both, "the records have no open-access survey in Europe: choose other facets"
    page.wait_for_function(f"location.hash.includes('access={access}')")
    state = parse_qs(urlsplit(page.url).fragment)
    assert state == {"region": [region], "access": [access]}
    assert status_text(page) == f"{len(both)} of {total} records match"
    # a facet's counts are those the other filters leave
    for code, count in ((c, len(expected(data, [], {**chosen, "region": [c]}, skip=None))) for c in ("Asia", "Africa")):
        box = page.query_selector(f"input[name=region][value='{code}']")
        if box is not None:
            label = page.inner_text(f"label[for='{box.get_attribute('id')}'] .n")
            assert int(label) == count, code

    # the view is in the URL: opening it again shows the same records
    url = page.url
    page.goto((site / "index.html").as_uri())  # another page first
    page.goto(url)
    assert status_text(page) == f"{len(both)} of {total} records match"
    assert page.is_checked(f"input[name=access][value='{access}']")
    assert page.errors == []


def test_open_a_survey_and_switch_language(site: Path, page: Any) -> None:
    page.goto((site / "en" / "index.html").as_uri() + "#q=immigrant+survey+2007&country=ESP")
    page.wait_for_function("document.querySelector('#status').textContent.includes(' of ')")
    page.click("#r-es-eni-2007 .title a")
    page.wait_for_load_state()
    assert page.url.endswith("/en/surveys/es-eni-2007.html")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "National Immigrant Survey 2007"
    page.click("nav.languages a[hreflang=es]")
    page.wait_for_load_state()
    assert page.url.endswith("/es/surveys/es-eni-2007.html")
    assert page.get_attribute("html", "lang") == "es"
    assert page.inner_text("h1") == "Encuesta Nacional de Inmigrantes 2007"
    assert page.inner_text("#item-3") == "3. Países cubiertos"
    page.click("nav.languages a[hreflang=fr]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fr"
    assert page.get_attribute("h1 span", "lang") == "en"  # no French title: the English one, marked
    assert page.errors == []


def test_from_a_survey_to_an_agency_and_on_to_its_other_surveys(site: Path, page: Any) -> None:
    """A funder's name on a survey's page opens its page, which lists its surveys with its role
    in each, where the index's filter (by conducting agency) would list none."""
    page.goto((site / "en" / "surveys" / "mafe.html").as_uri())
    page.click("section[aria-labelledby=item-5] a[href$='agencies/european-commission.html']")
    page.wait_for_load_state()
    assert page.url.endswith("/en/agencies/european-commission.html")
    assert page.inner_text("h1").startswith("European Commission")
    rows = page.eval_on_selector_all("ul.agency-surveys li", "items => items.map(i => i.innerText)")
    assert any(r.startswith("Migrations between Africa and Europe") and "Funder" in r for r in rows), rows
    page.click("ul.agency-surveys a[href$='surveys/mafe.html']")
    page.wait_for_load_state()
    assert page.url.endswith("/en/surveys/mafe.html")
    assert page.errors == []


def test_the_map_filters(site: Path, page: Any) -> None:
    data = index_data(site)
    page.goto((site / "fr" / "index.html").as_uri())
    page.click("svg.worldmap a[data-country=AUS]")
    page.wait_for_function("location.hash.includes('country=AUS')")
    australia = expected(data, [], {"country": ["AUS"]})
    assert status_text(page) == f"{len(australia)} fiches sur {len(data['records'])} correspondent"
    assert set(australia) <= set(shown(page))
    assert page.is_checked("input[name=country][value=AUS]")
    page.click("svg.timeline a[aria-label^='2013:']")
    page.wait_for_function("location.hash.includes('from=2013')")
    assert parse_qs(urlsplit(page.url).fragment)["country"] == ["AUS"]  # the map's filter is kept
    assert page.errors == []


def test_a_completed_survey_without_an_end_is_not_in_later_years(site: Path, page: Any) -> None:
    """records/au-lsia.ttl: LSIA 1 (1993-09, completed, no end) is not listed for #from=2020;
    an ongoing survey (the International Passenger Survey, from 1961) is."""
    page.goto((site / "en" / "index.html").as_uri() + "#from=2020")
    page.wait_for_function("document.querySelector('#status').textContent.includes(' of ')")
    later = shown(page)
    assert "au-lsia-1993" not in later and "au-lsia-1999" not in later and "gb-ips" in later
    page.goto((site / "en" / "index.html").as_uri() + "#from=1993&to=1993")
    page.wait_for_function("document.querySelector('#status').textContent.includes(' of ')")
    assert "au-lsia-1993" in shown(page)
    assert page.errors == []


def _years(data: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Each record's (first year, last year) as the list is sorted: a series without a time
    frame spans its rounds', an ongoing one ends at infinity; no time frame: (inf, -inf)."""
    own = {name: (start, end) for name, _, _, start, end, _ in data["records"]}
    rounds: dict[str, list[str]] = {}
    for name, series, *_ in data["records"]:
        if series:
            rounds.setdefault(series, []).append(name)
    spans = {}
    for name, (start, end) in own.items():
        members = [own[r] for r in rounds.get(name, []) if own[r][0] is not None] if start is None else []
        if members:
            start = min(m[0] for m in members)
            end = None if any(m[1] is None for m in members) else max(m[1] for m in members)
        spans[name] = ((math.inf, -math.inf) if start is None else
                       (start, math.inf if end is None else end))
    return spans


def listed(page: Any, selector: str = "#records > li") -> list[str]:
    return page.eval_on_selector_all(selector, "items => items.map(i => i.id.slice(2))")


def test_the_list_sorts_newest_or_oldest_first_and_back(site: Path, page: Any) -> None:
    spans = _years(index_data(site))
    page.goto((site / "fr" / "index.html").as_uri())
    by_title = listed(page)
    assert page.is_visible("#sort")  # shown by the script
    page.select_option("#sort", "newest")
    page.wait_for_function("location.hash.includes('sort=newest')")
    newest = listed(page)
    assert sorted(newest) == sorted(by_title) and newest != by_title
    lasts = [spans[n][1] for n in newest]
    assert lasts == sorted(lasts, reverse=True), list(zip(newest, lasts, strict=True))
    assert spans[newest[0]][1] == math.inf  # an ongoing survey leads
    rounds = listed(page, "#r-jp-isa-bsfr ol.rounds > li")
    assert [spans[r][1] for r in rounds] == sorted((spans[r][1] for r in rounds), reverse=True) and len(rounds) > 2

    page.goto((site / "fr" / "index.html").as_uri() + "#sort=oldest&region=Europe")  # a bookmarked view
    page.wait_for_function("document.querySelector('#status').textContent.includes(' sur ')")
    oldest = listed(page)
    starts = [spans[n][0] for n in oldest]
    assert starts == sorted(starts) and page.input_value("#sort") == "oldest"
    page.click("#clear")  # the filters go, the order stays
    page.wait_for_function("!location.hash.includes('region')")
    assert "sort=oldest" in page.url and listed(page) == oldest
    page.select_option("#sort", "")
    page.wait_for_function("!location.hash.includes('sort')")
    assert listed(page) == by_title
    assert page.errors == []


@pytest.mark.parametrize("path", ["en/index.html", "fr/surveys/es-eni-2007.html", "en/surveys/au-corms.html",
                                  "fr/changelog.html", "es/agencies/iom.html", "fr/agencies.html"])
def test_no_serious_accessibility_violation(site: Path, page: Any, path: str) -> None:
    page.goto((site / path).as_uri())
    name = path.replace("/", "-").replace(".html", ".png")
    assert screenshot(page, name).stat().st_size > 10_000
    violations = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert violations == [], json.dumps([{k: v[k] for k in ("id", "impact", "help")} for v in violations], indent=1)
