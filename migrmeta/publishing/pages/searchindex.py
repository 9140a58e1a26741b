"""`assets/search-index.js`: what the index page's script searches and filters, as one static
file shared by the three languages.

It is JavaScript assigning one global (`window.MIGRMETA_INDEX = {...}`), not JSON: browsers
refuse fetch() of a local file from a `file://` page, but load a <script src>. Per record:
its file name, its series' file name (rounds are grouped under their series), its search
words (folded like `migrmeta.values.text.fold`: case, accents and punctuation do not matter;
titles, descriptions, purposes, keywords, agencies' names and acronyms, countries' names, in
every language the record and the country list have), its first and last year (last null:
ongoing; a completed survey that gives no end has its start year as its last, see
`migrmeta.values.periods`), and for each facet the indexes of its codes in `values`. Labels
are not in the index: the page holds them.

    {"version": 1, "facets": ["country", ...], "values": {"country": ["AUS", ...], ...},
     "records": [["au-corms", "", "abs australia ...", 2013, null, [[0], [4], ...]], ...]}
"""

from __future__ import annotations

from collections.abc import Sequence

from migrmeta.publishing.html import script_json
from migrmeta.publishing.pages.facets import FACETS, RecordFacts
from migrmeta.publishing.pages.model import SiteData

GLOBAL = "MIGRMETA_INDEX"
VERSION = 1


def search_index(site: SiteData, facts: Sequence[RecordFacts]) -> str:
    keys = [f.key for f in FACETS]
    values = {key: sorted({code for record in facts for code in record.codes.get(key, ())}) for key in keys}
    position = {key: {code: i for i, code in enumerate(codes)} for key, codes in values.items()}
    records = []
    for record in facts:
        series = site.series_of(record.subject)
        records.append([
            record.name,
            site.names[series[0]] if series else "",
            " ".join(record.words),
            record.start,
            record.end,
            [[position[key][code] for code in record.codes.get(key, ())] for key in keys],
        ])
    document = {"version": VERSION, "facets": keys, "values": values, "records": records}
    return ("/* migrmeta search index, written by `migrmeta publish` (migrmeta/publishing/pages/searchindex.py) */\n"
            f"window.{GLOBAL} = {script_json(document, indented=False)};\n")


__all__ = ["GLOBAL", "search_index"]
