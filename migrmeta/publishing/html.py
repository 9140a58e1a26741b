"""Published records -> small, static HTML pages: one per survey or series, the catalogue's
index, and (with a base URL) a sitemap. No template engine, no JavaScript.

    page = survey_page(graph, survey, names, catalogue_title="...")   # surveys/<id>.html
    row = index_row(graph, survey, names[survey])                     # for index_page
    index = index_page("Catalogue title", rows, catalogue_files)       # index.html
    xml = sitemap("https://example.org/site/", ["index.html", "surveys/x.html"])

`graph` holds the survey's statements, its nested (skolem) nodes, the statements about the
IRIs it uses (agencies, its series) and, for a series, about its rounds. Answers are grouped
by the 14 questionnaire items (from the shapes' sh:order and the ontology's
mm:questionnaireItem); concepts and countries show their labels from the reference data.
The schema.org Dataset JSON-LD (`formats.schemaorg.dataset_jsonld`) is embedded for dataset
search engines, with every `<` escaped so no text closes the script element. Every value is
escaped with `html.escape`; only http(s) IRIs become links. Output is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.harmonize import agency_name
from migrmeta.formats.loss import ITEMS, curie, item_shapes
from migrmeta.formats.schemaorg import dataset_jsonld, temporal_coverage
from migrmeta.load.reference import Reference, load_reference
from migrmeta.merging.contributions import Contributed
from migrmeta.namespaces import DCAT, DCT, FOAF, MM, RDF, RDFS, SH, SKOS, XSD
from migrmeta.rdf.skolem import is_skolem

LANG = "en"
# The sitemaps.org XML namespace (an XML namespace, not an RDF one: not in namespaces.py).
SITEMAP_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_STYLE = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:60rem;margin:0 auto;padding:1rem;color:#111}"
    "a{color:#0645ad}dt{font-weight:600}dd{margin:0 0 .4rem 1.5rem}dd dl{margin:.2rem 0}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem;text-align:left;"
    "vertical-align:top}.none{color:#555;font-style:italic}"
)


@dataclass(frozen=True)
class IndexRow:
    href: str  # relative to the site's root: surveys/<id>.html
    title: str
    countries: tuple[str, ...]
    time_frame: str


def is_web_iri(text: str) -> bool:
    """Only http(s) IRIs become links: a record cannot smuggle in `javascript:` URLs."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def script_json(document: object) -> str:
    """JSON for a <script> element: `<` as \\u003c, so no `</script>` or `<!--` inside."""
    return json.dumps(document, indent=2, ensure_ascii=False).replace("<", "\\u003c")


class _Page:
    """Labels and value rendering for one page's graph."""

    def __init__(self, graph: Graph, names: Mapping[Node, str], reference: Reference) -> None:
        self.g, self.names, self.ref = graph, names, reference

    def text(self, node: Node, predicate: URIRef) -> str | None:
        values = sorted((v for v in self.g.objects(node, predicate) if isinstance(v, Literal)), key=str)
        chosen = next((v for v in values if v.language == LANG), None) or next(iter(values), None)
        return str(chosen) if chosen is not None else None

    def label(self, node: Node) -> str:
        """A concept's or country's label, an agency's name, a survey's title, else the IRI."""
        concept = self.ref.concepts.get(str(node))
        if concept is not None and concept.labels:
            return concept.labels.get(LANG) or sorted(concept.labels.values())[0]
        if (node, FOAF.name, None) in self.g:
            return agency_name(self.g, node, LANG)
        for predicate in (SKOS.prefLabel, DCT.title, RDFS.label):
            found = self.text(node, predicate)
            if found:
                return found
        return str(node)

    def predicate(self, predicate: Node) -> str:
        """The field's name: the ontology's label, else the shapes' sh:name, else the short IRI."""
        found = [v for v in self.ref.graph.objects(predicate, RDFS.label)
                 if isinstance(v, Literal) and v.language == LANG]
        if not found:  # a reused standard term (dct:title): the questionnaire's name for the field
            found = [name for shape in self.ref.shapes.subjects(SH.path, predicate)
                     for name in self.ref.shapes.objects(shape, SH.name)
                     if isinstance(name, Literal) and name.language == LANG]
        return str(min(found, key=lambda name: (len(name), str(name)))) if found else curie(predicate)

    def link(self, node: Node) -> str:
        label = escape(self.label(node))
        if node in self.names:  # another published survey: its page, a sibling
            return f'<a href="{escape(self.names[node])}.html">{label}</a>'
        if is_web_iri(str(node)):
            return f'<a href="{escape(str(node))}">{label}</a>'
        return label

    def value(self, node: Node, seen: frozenset[Node] = frozenset()) -> str:
        if isinstance(node, Literal):
            if node.datatype == XSD.boolean:
                return "yes" if node.toPython() is True else "no"
            if node.datatype == XSD.anyURI and is_web_iri(str(node)):
                return f'<a href="{escape(str(node))}">{escape(str(node))}</a>'
            if node.language and node.language != LANG:
                return f'<span lang="{escape(node.language)}">{escape(str(node))}</span>'
            return escape(str(node))
        if is_skolem(node) and node not in seen:
            return self.statements(node, seen | {node}, skip={RDF.type})
        return self.link(node)

    def statements(self, node: Node, seen: frozenset[Node], skip: set[Node] | frozenset[Node] = frozenset(),
                   only: Iterable[Node] | None = None) -> str:
        """A definition list: each predicate (by label), then its values, sorted."""
        predicates = sorted(set(only) if only is not None else {p for p in self.g.predicates(node, None)}, key=str)
        lines = []
        for predicate in predicates:
            if predicate in skip:
                continue
            values = sorted(self.value(o, seen) for o in self.g.objects(node, predicate))
            if values:
                lines.append(f"<dt>{escape(self.predicate(predicate))}</dt>")
                lines += [f"<dd>{v}</dd>" for v in values]
        return "<dl>" + "".join(lines) + "</dl>" if lines else ""


def item_of_properties(reference: Reference) -> dict[Node, int]:
    """Property -> the questionnaire item it answers (the lowest, when several)."""
    items: dict[Node, int] = {}
    for shape in [*item_shapes(reference, MM.Survey), *item_shapes(reference, MM.SurveySeries)]:
        items[shape.path] = min(shape.item, items.get(shape.path, shape.item))
    for prop, number in reference.graph.subject_objects(MM.questionnaireItem):
        if isinstance(number, Literal) and int(number) in ITEMS and prop not in items:
            items[prop] = int(number)
    return items


def _head(title: str, extra: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n{extra}<style>{_STYLE}</style>\n</head>\n")


def contributed_by(contributors: Sequence[Contributed], graph: Graph, page: _Page) -> list[str]:
    """The "Contributed by" section of a merged survey: each agency, its file and the items it answers."""
    if not contributors:
        return []
    rows = []
    for c in contributors:
        items = ", ".join(str(n) for n in c.items) or "none"
        aside = (f"; its answer to item{'s' if len(c.superseded_items) > 1 else ''} "
                 f"{', '.join(str(n) for n in c.superseded_items)} was not kept (another agency's was preferred)"
                 if c.superseded_items else "")
        rows.append(f"<li>{page.link(c.agency)} ({escape(Path(c.source).name)}): items {escape(items)}"
                    f"{escape(aside)}</li>")
    return ['<section aria-labelledby="contributed">', '<h2 id="contributed">Contributed by</h2>',
            "<ul>" + "".join(rows) + "</ul>", "</section>"]


def survey_page(graph: Graph, survey: URIRef, names: Mapping[Node, str], *, catalogue_title: str,
                reference: Reference | None = None, contributors: Sequence[Contributed] = ()) -> str:
    """surveys/<id>.html: the answers by item, the rounds of a series, the embedded JSON-LD."""
    reference = reference or load_reference()
    page = _Page(graph, names, reference)
    name = escape(names[survey])
    title = page.text(survey, DCT.title) or str(survey)
    document = dataset_jsonld(graph, survey, reference=reference)
    head = (f'<link rel="alternate" type="text/turtle" href="{name}.ttl">\n'
            f'<link rel="alternate" type="application/ld+json" href="{name}.jsonld">\n'
            f'<script type="application/ld+json">\n{script_json(document)}\n</script>\n')
    series = (survey, RDF.type, MM.SurveySeries) in graph
    kind = "Survey series" if series else "Survey"
    body = [f'<body>\n<nav aria-label="Catalogue"><a href="../index.html">{escape(catalogue_title)}</a></nav>',
            "<main>", f"<h1>{escape(title)}</h1>",
            f'<p>{kind} <a href="{escape(str(survey))}"><code>{escape(str(survey))}</code></a></p>'
            if is_web_iri(str(survey)) else f"<p>{kind}</p>",
            f'<p>This description as data: <a href="{name}.ttl">Turtle</a>, '
            f'<a href="{name}.jsonld">JSON-LD</a>.</p>']
    items = item_of_properties(reference)
    by_item: dict[int, set[Node]] = {n: set() for n in ITEMS}
    for predicate in set(graph.predicates(survey, None)):
        if predicate in items:
            by_item[items[predicate]].add(predicate)
    item_names = reference.item_names()
    for number in ITEMS:
        heading = f"{number}. {item_names.get(number, {}).get(LANG, f'Item {number}')}"
        answer = page.statements(survey, frozenset({survey}), only=by_item[number])
        body += [f'<section aria-labelledby="item-{number}">', f'<h2 id="item-{number}">{escape(heading)}</h2>',
                 answer or '<p class="none">Not answered.</p>', "</section>"]
    body += contributed_by(contributors, graph, page)
    if series:
        rounds = sorted(graph.subjects(DCAT.inSeries, survey), key=lambda r: (page.label(r).casefold(), str(r)))
        body += ['<section aria-labelledby="rounds">', '<h2 id="rounds">Rounds</h2>']
        body += ["<ul>" + "".join(f"<li>{page.link(r)}</li>" for r in rounds) + "</ul>" if rounds
                 else '<p class="none">No round is published.</p>', "</section>"]
    body += ["</main>", "</body>", "</html>"]
    return _head(f"{title} – {catalogue_title}", head) + "\n".join(body) + "\n"


def index_row(graph: Graph, survey: URIRef, name: str, reference: Reference | None = None) -> IndexRow:
    """The index's line for one survey: title, countries, time frame (2006–2007, 1991–)."""
    page = _Page(graph, {}, reference or load_reference())
    countries = tuple(sorted({page.label(c) for c in graph.objects(survey, DCT.spatial)}))
    coverage = (temporal_coverage(graph, survey) or "").replace("/..", "–").replace("/", "–")
    return IndexRow(f"surveys/{name}.html", page.text(survey, DCT.title) or str(survey), countries, coverage)


def index_page(title: str, rows: Iterable[IndexRow], files: Sequence[str]) -> str:
    """index.html: the catalogue's surveys in a table, and its machine-readable files."""
    links = ", ".join(f'<a href="{escape(f)}">{escape(f)}</a>' for f in files)
    lines = ["<body>\n<main>", f"<h1>{escape(title)}</h1>", f"<p>The catalogue as data: {links}.</p>",
             "<table>", "<caption>Surveys and survey series</caption>",
             '<thead><tr><th scope="col">Title</th><th scope="col">Countries</th>'
             '<th scope="col">Time frame</th></tr></thead>', "<tbody>"]
    for row in sorted(rows, key=lambda r: (r.title.casefold(), r.href)):
        lines.append(f'<tr><td><a href="{escape(row.href)}">{escape(row.title)}</a></td>'
                     f"<td>{escape(', '.join(row.countries))}</td><td>{escape(row.time_frame)}</td></tr>")
    lines += ["</tbody>", "</table>", "</main>", "</body>", "</html>"]
    return _head(title) + "\n".join(lines) + "\n"


def sitemap(base_url: str, pages: Iterable[str]) -> str:
    """sitemap.xml (sitemaps.org 0.9): absolute URLs of the pages under `base_url`."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    urls = "".join(f"  <url><loc>{escape(base + page)}</loc></url>\n" for page in pages)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_XMLNS}">\n'
            f"{urls}</urlset>\n")


__all__ = ["IndexRow", "index_page", "index_row", "is_web_iri", "script_json", "sitemap", "survey_page"]
