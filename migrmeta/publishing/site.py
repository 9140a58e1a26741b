"""Records -> a published site: the DCAT-AP catalogue in four syntaxes, one page pair per
survey, the reference data, and a VoID description. Atomic and deterministic.

    result = publish(["records"], Path("site"))
    result.exit_code(), result.files, result.triples

Stages: validate (a catalogue with violations is refused, or with `skip_invalid` the valid
records are published and the others listed), merge (contributions in named graphs;
an unresolved conflict refuses), the DCAT-AP profile, then writing. Everything is written
into a temporary directory next to the target, swapped in as a whole when all files are
written (`io.folders.replace_folder`: one atomic exchange, a lock so one publish writes a
folder at a time, leftovers of killed runs removed): whenever the process stops, even by
SIGKILL, the target holds the previous site or the new one, complete. The same input gives
byte-identical files (no clock: dates come from the records or `CatalogOptions.date`).

    site/catalog.ttl, .nt, .jsonld   the catalogue (contributions + DCAT-AP additions)
    site/catalog.trig                the same, by contribution, with provenance
    site/surveys/<id>.ttl, .jsonld, .nt   one survey or series and its catalogue record
    site/surveys/<id>.xml            the same as DDI Codebook 2.5 (formats.ddi.writer)
    site/<lang>/surveys/<id>.html    its page in en, fr, es: the 14 items, schema.org JSON-LD in that language
    site/<lang>/index.html           search, facets, map, timeline and every survey (pages/)
    site/<lang>/surveys/<alias>.html the old page of an IRI now published as another (pages/moved.py)
    site/surveys/<alias>.ttl, .jsonld, .nt   its data: owl:sameAs the survey (alias_data.py)
    site/index.html                  the language chooser
    site/assets/                     the pages' script, style and search index
    site/server/                     nginx, Apache httpd and Caddy content negotiation
    site/sitemap.xml                 the pages' URLs with hreflang alternates, only with a base URL
    site/void.ttl                    VoID: counts, dumps, partitions
    site/release.json                what changed since the previous release (publishing/changelog.py)
    site/<lang>/changelog.html, feed.xml   the same for people and feed readers, in en, fr, es
                                     (pages/changes.py, feed.py)
    site/changelog.html, feed.xml    the changelog's language chooser; the English feed
    site/ontology/, site/shapes/, site/context.jsonld   the reference data, copied
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import partial
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import NamedTuple

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta import defaults, resources
from migrmeta.errors import PublishError, UsageError
from migrmeta.formats.dcat import profile as dcat_ap
from migrmeta.formats.ddi.writer import export_ddi
from migrmeta.formats.schemaorg import Catalogue, datasets_jsonld, organizations_jsonld
from migrmeta.io.files import current_umask, write_new
from migrmeta.io.folders import check_apart_from_inputs, check_folder_target, recover_folder, replace_folder
from migrmeta.io.memory import collector_paused
from migrmeta.io.names import id_problem, survey_name
from migrmeta.io.workers import can_fork, shared, worker_pool
from migrmeta.load import STDIN, expand_paths
from migrmeta.load.reference import load_reference
from migrmeta.merging.contributions import Contributed, contributions_by_survey
from migrmeta.merging.dataset import merged_file
from migrmeta.merging.diff import CatalogueDiff
from migrmeta.merging.merge import MergeResult, UnusedPreference, merge
from migrmeta.merging.parsed import Parsed
from migrmeta.merging.sources import PROFILE_GRAPH, Source, parse_source, superseded_graph
from migrmeta.namespaces import (
    AGENCY_CLASSES,
    DCAT,
    DCT,
    FOAF,
    IS_TYPE,
    MM,
    PROV,
    RDF,
    SKOS,
    SURVEY_CLASSES,
    interned,
)
from migrmeta.progress import Progress, tell
from migrmeta.publishing import alias_data, changelog, html, reuse
from migrmeta.publishing.agency_data import agency_documents
from migrmeta.publishing.carried import last_published
from migrmeta.publishing.pages import build, moved
from migrmeta.publishing.pages.agency import agency_pages
from migrmeta.publishing.pages.labels import LANGUAGES
from migrmeta.publishing.pages.layout import absolute
from migrmeta.publishing.pages.model import SiteData, node_key
from migrmeta.publishing.union import union_findings
from migrmeta.publishing.void import void_description
from migrmeta.rdf.iri import iri_problem
from migrmeta.rdf.jsonld_out import jsonld
from migrmeta.rdf.ntriples import ntriples
from migrmeta.rdf.readonly import ReadOnlyGraph
from migrmeta.rdf.skolem import is_skolem
from migrmeta.rdf.turtle import trig, turtle
from migrmeta.validation.across import SETTLED_BY_MERGE
from migrmeta.validation.cache import default_cache_dir
from migrmeta.validation.findings import Finding
from migrmeta.validation.quality import NEVER_CHECKED, Score, Scorer, newest_check_of
from migrmeta.validation.runner import RecordReport, Report, shape_findings, validate

Triple = tuple[Node, Node, Node]
# hoisted: rdflib's closed namespaces are slow to look up in loops
_TYPE, _IDENTIFIERS = RDF.type, {DCT.identifier}  # a set, as namespaces.IS_TYPE
_IN_SERIES = DCAT.inSeries  # looked up once: rdflib's namespace lookups are slow in a loop over 10,000 surveys
_BASED_IN = MM.basedIn
# What a survey's document says of the IRIs its agencies, series and concepts name (a set, as
# namespaces.IS_TYPE): their types and names, what DCAT-AP's class and label checks read.
_NAMING = frozenset(interned(p) for p in (RDF.type, SKOS.prefLabel, SKOS.inScheme, SKOS.notation, FOAF.name,
                                          DCT.title))
DEFAULT_OUTPUT = defaults.SITE
# Catalogue-level findings the merge itself settles (one survey described by several agencies).


class Refusal(StrEnum):
    """Why a publish wrote nothing (the previous site is left as it was)."""

    VIOLATIONS = "violations"  # records do not conform (or could not be read)
    CONFLICTS = "conflicts"  # agencies disagree and no preference settles it, or surveys share an identifier
    EMPTY = "empty"  # no record conforms, or none that describes a survey (--skip-invalid)
    # --prefer names an agency no input left contributes: its inputs may all be skipped (--skip-invalid)
    PREFERENCE = "preference"


@dataclass(frozen=True)
class PublishOptions:
    catalog: dcat_ap.CatalogOptions = field(default_factory=dcat_ap.CatalogOptions)
    agency: str | None = None  # contributing agency of every input (else from each record)
    prefer: tuple[str, ...] = ()  # agencies whose values win conflicts, in order
    skip_invalid: bool = False
    # Where the site is served (absolute http(s) URL): VoID's data dumps (else BASE)
    # and sitemap.xml, written only when a base URL is given (search engines need absolute URLs).
    base_url: str | None = None
    cache: bool = True
    cache_dir: Path | None = None
    jobs: int | None = None
    force: bool = False  # replace an output folder that is not a site migrmeta wrote
    wait: float = defaults.PUBLISH_WAIT  # seconds to wait for another publish to the same folder
    waiting: Callable[[str], None] | None = None  # told once when this publish waits for another
    lang: str = "en"  # the language of the findings (the site is in every language whatever this is)

    def __post_init__(self) -> None:
        if self.cache_dir is not None:  # a caller may give a str
            object.__setattr__(self, "cache_dir", Path(self.cache_dir))


@dataclass
class PublishResult:
    out_dir: Path
    report: Report
    merged: MergeResult | None = None
    skipped: list[RecordReport] = field(default_factory=list)
    refused: Refusal | None = None  # why nothing was written
    files: list[str] = field(default_factory=list)
    surveys: int = 0
    series: int = 0
    triples: int = 0
    changes: CatalogueDiff | None = None  # since the previous release (None: there was none)
    # surveys changed since the previous release whose records' dct:modified is no later than it
    stale_dates: dict[str, str] = field(default_factory=dict)
    reused: int = 0  # surveys and series whose files were taken over unchanged from the previous site
    catalogue_reused: bool = False  # the files made from the whole catalogue too (catalog.*, index pages, release)
    carried: list[str] = field(default_factory=list)  # records left out, published as they were last time
    unused_preference: UnusedPreference | None = None  # why, when refused for PREFERENCE

    def exit_code(self) -> int:
        """0 published, 1 refused (violations, conflicts), 3 refused for unreadable input, or
        published (or left with nothing to publish, or a preferred agency with no input left)
        without a record that could not be read (`skip_invalid`)."""
        if self.refused in (None, Refusal.EMPTY, Refusal.PREFERENCE):
            if any(not r.readable for r in self.skipped):
                return 3
            return 0 if self.refused is None else 1
        return 3 if self.refused == Refusal.VIOLATIONS and self.report.unreadable else 1


def _blocking(finding: object) -> bool:
    return getattr(finding, "severity", "") in ("violation", "error")


def publish(paths: Iterable[str | Path] = (defaults.RECORDS,), out_dir: Path = DEFAULT_OUTPUT,
            options: PublishOptions = PublishOptions(), progress: Progress | None = None) -> PublishResult:
    """Validate, merge, apply DCAT-AP 3 and write the site (atomically); `progress` hears of
    the records validated and the survey pages written."""
    specs = [parse_source(str(p)) for p in paths]
    if any(spec.path == STDIN for spec in specs):
        raise UsageError("publish reads files and directories, not standard input")
    # a merge's output beside its sources is left out (validate's report says so), a stale one refused here
    named = expand_paths([s.path for s in specs], notices=[])
    dataset = next((n for n in named if isinstance(n, str) and merged_file(n)), None)
    if dataset is not None:  # its union would bring back every value a conflict set aside
        raise UsageError(f"{dataset}: a dataset written by merge or publish, not a record",
                         hint="publish the records it was merged from, with the same {--prefer|prefer}, "
                              "e.g. publish psa/=psa un/=un-desa-pd {--prefer psa|prefer=[\"psa\"]}")
    if options.base_url is not None and (not html.is_web_iri(options.base_url) or iri_problem(options.base_url)):
        raise UsageError(f"the base URL {options.base_url!r} is not an absolute http(s) URL (RFC 3987: no spaces, "
                         "quotes, <>{}|^` or control characters)",
                         hint="give where the site is served, e.g. {--base-url https://example.org/migrmeta/|base_url=\"https://example.org/migrmeta/\"}")
    if options.base_url is not None and ("?" in options.base_url or "#" in options.base_url):
        # the site's paths are appended to it: .../mm/#frag/catalog.jsonld in VoID, the sitemap, the feeds
        raise UsageError(f"the base URL {options.base_url!r} has a query or a fragment ('?' or '#'): the site's "
                         "addresses are made by appending paths to it",
                         hint="give the folder the site is served from, e.g. {--base-url https://example.org/migrmeta/|"
                              "base_url=\"https://example.org/migrmeta/\"}")
    check_folder_target(out_dir, "site")  # before minutes of validation, not after them
    check_apart_from_inputs(out_dir, [s.path for s in specs], "site")
    recover_folder(out_dir)  # a site a killed publish left aside is put back first, whatever happens next
    report = validate([s.path for s in specs], cache=options.cache, cache_dir=options.cache_dir, jobs=options.jobs,
                      progress=progress, lang=options.lang)
    for record in report.records:  # the merge settles these: neither shown as faults nor blocking
        record.findings = [f for f in record.findings if f.component not in SETTLED_BY_MERGE]
    result = PublishResult(out_dir, report)
    bad = [r for r in report.records if any(_blocking(f) for f in r.findings)]
    if bad and not options.skip_invalid:
        result.refused = Refusal.VIOLATIONS
        return result
    result.skipped = bad
    skipped = {r.source for r in bad}
    # a record left out is not a withdrawn survey: its last published version stands in for it
    carried = last_published(out_dir, sorted(skipped)) if bad else {}
    agency_of = {name: spec.agency for spec in specs if spec.agency for name in expand_paths([spec.path])
                 if isinstance(name, str)}
    sources = [Source(r.source, agency_of.get(r.source)) for r in report.records
               if r.source not in skipped or r.source in carried]
    if not sources:
        result.refused = Refusal.EMPTY
        return result
    reference = load_reference()
    publisher = options.catalog.publisher or _default_publisher()
    cache_dir = options.cache_dir or default_cache_dir()
    # the records as validated, their statements kept from the last publish (merging/parsed.py)
    parsed = Parsed.load(cache_dir if options.cache else None, [s.path for s in specs])
    sha256 = {r.source: r.sha256 for r in report.records}  # each file's bytes, as validated
    sha256.update({source: kept.sha256 for source, kept in carried.items()})  # or as last published
    with collector_paused():  # the merge, the profile and the pages' data: millions of objects, no cycles
        while True:
            try:
                merged = merge(sources, agency=options.agency, prefer=options.prefer, date=options.catalog.date,
                               default_agency=publisher, reference=reference, parsed=parsed, validated=sha256,
                               carried={source: (kept.sha256, kept.triples) for source, kept in carried.items()},
                               known_agencies=report.known_agencies)
            except UnusedPreference as exc:
                if not result.skipped:
                    raise
                # a preferred agency whose inputs may all have been skipped as invalid: the skipped
                # records and their violations are what the user must see (cli/publish.py)
                result.refused, result.unused_preference = Refusal.PREFERENCE, exc
                return result
            parsed.save()
            result.merged = merged
            if merged.refused or merged.errors:
                result.refused = Refusal.CONFLICTS if merged.refused else Refusal.VIOLATIONS
                return result
            # a survey several files describe, checked as merged: what none of them broke alone
            added = union_findings(merged, report, reference, cache_dir=cache_dir)
            for record in report.records:
                record.findings += added.get(record.source, [])
            bad = [r for r in report.records if any(_blocking(f) for f in added.get(r.source, ()))]
            if not bad:
                break
            if not options.skip_invalid:
                result.refused = Refusal.VIOLATIONS
                return result
            result.skipped += [r for r in bad if r.source not in skipped]  # and the others merged again without them
            skipped |= {r.source for r in bad}
            for record in bad:  # a last published version that breaks the merge now is left out too
                carried.pop(record.source, None)
            sources = [s for s in sources if s.path not in {r.source for r in bad}]
            if not sources:
                result.refused = Refusal.EMPTY
                return result
        result.carried = sorted(carried)
        catalogue = merged.catalogue()
        profile = dcat_ap.apply(catalogue, reference, options.catalog, _sources_of(merged))
        published = (catalogue - profile.replaced) | profile.additions
        if result.skipped and not profile.surveys:  # skipped down to agencies: an empty site would replace the last
            result.refused = Refusal.EMPTY
            return result
        manifest = reuse.manifest_path(cache_dir, out_dir)
        # no site there (removed since): nothing to take over, no key to compute twice a survey
        previous = reuse.load(manifest) if options.cache and out_dir.is_dir() else {}
        known = [(c.source, c.sha256, "known agencies") for c in merged.contributions if c.source == merged.taken_from]
        catalogue_key = reuse.catalogue_key(
            [(s.path, sha256[s.path], str(s.agency)) for s in sources] + known,
            [repr(options.agency), repr(options.prefer), repr(options.catalog), repr(options.base_url)])
        findings = [f for f in report.findings if f.source not in carried]  # the file's, not its last version's
        for source, kept in carried.items():  # the last version's own (the shapes'; no check across records)
            findings += shape_findings(source, ntriples(kept.triples).encode("utf-8"), "ntriples", reference)
        surveys = _Surveys.of(merged, profile, published, options, findings, out_dir, previous, catalogue_key)
    workers = _Workers(surveys, _render_jobs(options.jobs, len(profile.surveys)))
    result.files = _write_site(out_dir, lambda folder: _files(folder, workers, progress), options)
    if options.cache:
        reuse.save(manifest, workers.built)
    else:  # --no-cache keeps no record, and leaves none of an older site
        reuse.forget(manifest)
    result.reused = workers.reused
    result.catalogue_reused = workers.catalogue_reused
    result.changes = workers.release.diff if workers.release else workers.unchanged_since()
    result.stale_dates = workers.release.stale if workers.release else {}
    series = {MM.SurveySeries}  # a set, as namespaces.IS_TYPE; the surveys' statements only, not a pass over all
    result.series = sum(1 for d in profile.surveys
                        if any(p in IS_TYPE and o in series for _, p, o in surveys.by_subject.get(d, ())))
    result.surveys = len(profile.surveys) - result.series
    result.triples = len(published)
    return result


def _default_publisher() -> URIRef:
    data = dcat_ap.profile_data()
    return next(o for s, p, o in data.published if s == data.catalog and p == DCT.publisher)  # type: ignore[return-value]


def _sources_of(merged: MergeResult) -> dict[Node, list[URIRef]]:
    """Each dataset -> the contribution graphs describing it."""
    found: dict[Node, list[URIRef]] = defaultdict(list)
    for c in merged.contributions:
        for s in sorted({s for s, p, o in c.triples if p in IS_TYPE and o in SURVEY_CLASSES}, key=str):
            found[s].append(c.graph)
    return found


# --- the files -------------------------------------------------------------------------------

class _Written:
    """A file a worker process has written into the folder already."""


WRITTEN = _Written()
# text to write, a file to copy byte for byte, one of the previous site to link, or written already
Content = str | Path | reuse.Reused | _Written


CATALOGUE_FILES = ("catalog.ttl", "catalog.nt", "catalog.jsonld", "catalog.trig")


class SurveyFiles(NamedTuple):
    """A survey's files, what they were made from, and whether they are the previous site's."""

    files: list[tuple[str, Content]]
    built: reuse.Built
    reused: bool


def _files(folder: Path, workers: _Workers, progress: Progress | None = None) -> Iterator[tuple[str, Content]]:
    """Each file of the site, made when asked for (so a large site is never all in memory);
    worker processes write the survey files into `folder` themselves."""
    total = len(workers.surveys.datasets)
    with workers.started(folder):
        parts = workers.parts()  # started first: the largest files, made while the surveys are
        for done, (dataset, made) in enumerate(workers.survey_files()):
            tell(progress, "writing survey pages", done, total)
            yield from made.files  # the caller writes each file before asking for the next
            workers.built[str(dataset)] = reuse.as_taken(made.built, made.files) if made.reused else made.built
            workers.reused += made.reused
        tell(progress, "writing survey pages", total, total)
        names = []
        for name, content in parts():
            yield name, content
            names.append(name)
        before = workers.surveys.previous.get(reuse.CATALOGUE_PARTS)
        workers.built[reuse.CATALOGUE_PARTS] = reuse.as_taken(before, workers.taken) if before and workers.taken \
            else reuse.Built(workers.surveys.catalogue_key, (), tuple(names))
    # every survey file is in `folder` now (and the catalogue's: their status is taken below)
    workers.built = reuse.with_status(folder, workers.built)
    yield "context.jsonld", resources.context_file()
    yield "ontology/migrmeta.ttl", resources.ontology_file()
    yield "ontology/countries.ttl", resources.countries_file()
    for path in sorted(resources.vocabulary_dir().glob("*.ttl")):
        yield f"ontology/vocabularies/{path.name}", path
    for path in sorted(resources.shapes_dir().glob("*.ttl")):
        yield f"shapes/{path.name}", path


@dataclass
class _Surveys:
    """What the files of each survey are made from: the published statements by subject, and
    what the pages add (names, series rounds, findings, the site's data)."""

    by_subject: dict[Node, list[Triple]]
    names: dict[Node, str]
    rounds: dict[Node, list[Node]]
    site: SiteData
    as_of: date | None
    by_focus: dict[str, list[Finding]]
    contributed: Mapping[URIRef, list[Contributed]]
    base_url: str | None
    merged: MergeResult
    profile: dcat_ap.Profile
    published: set[Triple]
    replaced: dict[Node, list[Triple]]  # the contributed statements the profile replaced, by subject
    previous_site: Path  # the site this publish replaces: what changed since (changelog.py)
    previous: Mapping[str, reuse.Built]  # what its survey files were made from (reuse.py)
    inputs: reuse.Inputs
    catalogue_key: str  # what the files made from the whole catalogue are made from (reuse.catalogue_key)
    catalogue: Catalogue  # the catalogue, as each survey's schema.org Dataset names it (made once, not per survey)

    @classmethod
    def of(cls, merged: MergeResult, profile: dcat_ap.Profile, published: set[Triple], options: PublishOptions,
           findings: Sequence[Finding], previous_site: Path, previous: Mapping[str, reuse.Built],
           catalogue_key: str) -> _Surveys:
        by_subject: dict[Node, list[Triple]] = defaultdict(list)
        in_series, checked_on = DCAT.inSeries, MM.checkedOn
        wanted = {in_series, checked_on}  # a set, as namespaces.IS_TYPE: one lookup a statement
        members: list[Triple] = []
        checks: list[Triple] = []
        for triple in published:
            by_subject[triple[0]].append(triple)
            if triple[1] in wanted:
                (members if triple[1] == in_series else checks).append(triple)
        used: set[str] = set()
        names: dict[Node, str] = {dataset: _file_id(dataset, by_subject, used) for dataset in profile.surveys}
        rounds: dict[Node, list[Node]] = defaultdict(list)
        for s, _, o in members:
            if o in names:
                rounds[o].append(s)
        by_focus: dict[str, list[Finding]] = {}
        for finding in findings:
            by_focus.setdefault(finding.focus or "", []).append(finding)
        replaced: dict[Node, list[Triple]] = defaultdict(list)
        for triple in profile.replaced:  # a few per survey: the scores read them back (`scored_graph`)
            replaced[triple[0]].append(triple)
        site = SiteData.build(by_subject, profile.surveys, names, profile.catalog)
        base_url = options.base_url
        catalogue = Catalogue(str(profile.catalog), _catalogue_title(by_subject.get(profile.catalog, ())),
                              absolute(base_url, "") if base_url else None,
                              partial(build.page_url, site, base_url) if base_url else None)
        return cls(by_subject, names, rounds, site,
                   newest_check_of(checks),  # one date for every page: the report's (docs/quality.md)
                   by_focus, contributions_by_survey(merged, load_reference()), options.base_url,
                   merged, profile, published, replaced, previous_site, previous,
                   reuse.Inputs(by_subject, names, site.rounds, rounds,
                                contributed=(profile.additions, replaced)), catalogue_key, catalogue)

    @property
    def datasets(self) -> Sequence[Node]:
        """Every survey and series, in the order of their files."""
        return self.profile.surveys

    @property
    def records(self) -> Mapping[Node, URIRef]:
        """Each one's catalogue record."""
        return self.profile.records

    def part(self, name: str) -> list[tuple[str, Content]] | changelog.Release:
        """A file of the whole catalogue (catalog.ttl, .nt, .jsonld, .trig, void.ttl), the
        site's own pages ("pages": index, facets, map, assets), or what changed since the
        previous release ("release", read before the previous site is replaced)."""
        # Each builds millions of objects without cycles: the collector walking them cost a
        # fifth of the time (10,000 records, one process, after a first run: 23.3 s of CPU
        # for the seven with it on, 18.9 s paused).
        with collector_paused():
            return self._part(name)

    def _part(self, name: str) -> list[tuple[str, Content]] | changelog.Release:
        if name == "release":
            return changelog.next_release(self.previous_site, self.published, self.profile.catalog, self.site)
        if name == "pages":
            return list(build.site_files(self.site, build.SiteOptions(self.base_url)))
        if name == "agencies":
            agencies = self.site.agencies()
            return [*agency_documents(self.by_subject, self.datasets, agencies, _described, _NAMING),
                    *agency_pages(self.site, agencies, self.base_url, self.organizations(agencies.values()))]
        if name == "void.ttl":
            text = turtle(void_description(self.published, self.profile, self.base_url,
                                           [n for n in CATALOGUE_FILES if n != "catalog.trig"], "catalog.trig"))
        elif name == "catalog.trig":
            text = _trig(self.merged, self.profile)
        elif name == "catalog.jsonld":
            roots = [self.profile.catalog, *self.datasets, *[self.records[d] for d in self.datasets]]
            # the context written in: the dump a harvester reads offline (6.8 KB, once; a survey's
            # document names it by IRI, the site's context.jsonld)
            text = jsonld(self.published, roots, one_per_line=True, self_contained=True)
        else:
            text = turtle(self.published) if name == "catalog.ttl" else ntriples(self.published)
        return [(name, text)]

    def organizations(self, agencies: Iterable[Node]) -> dict[Node, dict[str, str]]:
        """Each agency's schema.org Organization in each language, for its page's <script>: from
        its statements and those of the countries it is based in."""
        reference = load_reference()
        found = {}
        for agency in agencies:
            own = self.by_subject.get(agency, [])
            countries = [t for _, p, o in own if p == _BASED_IN for t in self.by_subject.get(o, ())]
            documents = organizations_jsonld(ReadOnlyGraph([*own, *countries]), agency, LANGUAGES, reference=reference)
            found[agency] = {lang: html.script_json(document) for lang, document in documents.items()}
        return found

    def files(self, dataset: Node) -> SurveyFiles:
        """The survey's Turtle, JSON-LD, N-Triples and DDI files, and its page in each language;
        those of the previous site when nothing they are made from changed (reuse.py)."""
        taken = self.taken_over(dataset)
        return taken if taken is not None else self.made(dataset)

    def catalogue_taken_over(self) -> list[tuple[str, reuse.Reused]] | None:
        """The files made from the whole catalogue, those of the previous site, when what the
        catalogue is made from did not change (reuse.catalogue_key) and each is still the file
        that publish wrote."""
        before = self.previous.get(reuse.CATALOGUE_PARTS)
        if before is None or before.key != self.catalogue_key:
            return None
        return reuse.unchanged(before, self.previous_site)

    def taken_over(self, dataset: Node) -> SurveyFiles | None:
        """The survey's files in the previous site, when nothing they are made from changed."""
        before = self.previous.get(str(dataset))
        if before is None or self.inputs.key(self._fixed(dataset), before.reads) != before.key:
            return None
        taken = reuse.unchanged(before, self.previous_site)
        return SurveyFiles(list(taken), before, reused=True) if taken is not None else None

    def made(self, dataset: Node) -> SurveyFiles:
        """The survey's files, made now."""
        fixed = self._fixed(dataset)
        reference = load_reference()
        record = self.records[dataset]
        visited: set[Node] = set()
        triples = _described([dataset, record], self.by_subject, visited)
        referenced = {o for _, _, o in triples if isinstance(o, URIRef) and not is_skolem(o)} - visited
        # a document a harvester can read alone (DCAT-AP 3 holds on it): what the survey names is
        # described (its agencies, countries, series ...), and what those name typed and labelled
        triples += _described(sorted(referenced, key=str), self.by_subject, visited)
        named = {o for _, _, o in triples if isinstance(o, URIRef) and not is_skolem(o)} - visited
        # an agency named further on (a series' publisher) is described whole too, not only named:
        # the file is then a record migrmeta's own shapes hold on, as DCAT-AP 3's do
        agents = [o for o in sorted(named, key=str) if any(
            p in IS_TYPE and c in AGENCY_CLASSES for _, p, c in self.by_subject.get(o, ()))]
        if agents:
            triples += _described(agents, self.by_subject, visited)
            named = {o for _, _, o in triples if isinstance(o, URIRef) and not is_skolem(o)} - visited
        triples += [t for o in sorted(named, key=str) for t in self.by_subject.get(o, ()) if t[1] in _NAMING]
        visited |= named
        # a series' rounds, by the statement each makes of it (round dcat:inSeries series, in IRI order):
        # a series' document read alone says what it is a series of, as DCAT-AP 3 asks (at least one
        # member). Only that statement: a round typed here would be a dcat:Dataset of this document,
        # which its own file describes. Which rounds a series has is read (MEMBERS, below).
        triples += [(r, _IN_SERIES, dataset) for r in sorted(self.rounds.get(dataset, ()), key=str)]
        name = self.names[dataset]
        made: list[tuple[str, Content]] = [(f"surveys/{name}{suffix}", write(triples, [dataset, record]))
                                           for suffix, write in alias_data.SURVEY_DATA]
        graph = _page_graph(triples, self.rounds.get(dataset, []), self.by_subject, visited)
        assert isinstance(dataset, URIRef)  # surveys are skolemized: never blank
        ddi, _ = export_ddi(graph, dataset, reference=reference, losses=False)
        made.append((f"surveys/{name}.xml", ddi.decode("utf-8")))
        scored: set[Node] = set()
        score = self.score(dataset, scored)
        visited |= scored
        several = self.contributed.get(dataset, []) if len(self.contributed.get(dataset, [])) > 1 else []
        with self.site.reading() as reads:  # the JSON-LD too: it reads the file names of the pages it links
            documents = datasets_jsonld(graph, dataset, LANGUAGES, reference=reference, catalogue=self.catalogue)
            scripts = {lang: html.script_json(document) for lang, document in documents.items()}
            made += build.survey_pages(self.site, dataset, scripts, self.base_url, score, several)
        reads |= {(reuse.STATEMENTS, node_key(node)) for node in visited}
        reads.add((reuse.MEMBERS, node_key(dataset)))
        reads |= {(reuse.CONTRIBUTED, node_key(node)) for node in scored}
        kept = reuse.compact(reads)
        return SurveyFiles(made, reuse.Built(self.inputs.key(fixed, kept), kept, tuple(n for n, _ in made)),
                           reused=False)

    def score(self, dataset: Node, visited: set[Node]) -> Score:
        """The survey's quality score, as `migrmeta report quality` gives it: by the same code, on
        the same statements (`scored_graph`), with the findings of the survey and of its rounds,
        against the newest check of the catalogue; a series, the mean of its rounds."""
        assert isinstance(dataset, URIRef)  # surveys are skolemized: never blank
        rounds = sorted(self.rounds.get(dataset, ()), key=str)
        findings = [f for node in (dataset, *rounds) for f in self.by_focus.get(str(node), [])]
        # a catalogue without mm:checkedOn has none in a survey's graph (a part of it): not looked for again
        return Scorer(self.scored_graph(dataset, visited), findings, as_of=self.as_of or NEVER_CHECKED,
                      reference=load_reference()).score(dataset)

    def scored_graph(self, dataset: Node, visited: set[Node]) -> ReadOnlyGraph:
        """What a survey's score reads, as the records state it (the profile's additions left out,
        the statements it replaced put back: the published dcat:Dataset types and foaf:page are
        not the records'): the survey and, for a series, its rounds; the series they are rounds
        of; their nested nodes; and the IRIs these name (agencies and their home pages). Only
        the statements of these nodes are read, never the whole catalogue (`visited` is given
        the nodes read)."""
        roots = [dataset, *sorted(self.rounds.get(dataset, ()), key=str)]
        roots += sorted({o for r in roots for _, p, o in self.by_subject.get(r, ()) if p == _IN_SERIES}
                        - set(roots), key=str)
        seen: set[Node] = set()
        triples = _described(roots, self.by_subject, seen)
        named = {o for _, _, o in triples if isinstance(o, URIRef) and not is_skolem(o)} - seen
        triples += _described(sorted(named, key=str), self.by_subject, seen)
        additions = self.profile.additions
        kept = [t for t in triples if t not in additions]
        kept += [t for node in sorted(seen, key=str) for t in self.replaced.get(node, ())]
        visited |= seen
        return ReadOnlyGraph(kept)

    def _fixed(self, dataset: Node) -> list[str]:
        """What a survey's files are made from besides the statements and names they read."""
        contributors = self.contributed.get(dataset, []) if isinstance(dataset, URIRef) else []
        scored = (dataset, *sorted(self.rounds.get(dataset, ()), key=str))  # a series' score: its rounds' findings
        return [node_key(dataset), str(self.records[dataset]), self.names[dataset], self.base_url or "",
                str(self.as_of), repr([self.by_focus.get(str(node), []) for node in scored]), repr(contributors),
                node_key(self.site.catalog), self.catalogue.title]


_CHUNK = 32  # surveys a worker takes at a time
_POOL_FROM = 64  # fewer surveys than this are made in this process unless `jobs` is given


def _render_jobs(jobs: int | None, surveys: int) -> int:
    """Worker processes for the site's files: `jobs`, else one per CPU this process may use
    (none for a small catalogue: a pool costs more to start than it saves)."""
    if not can_fork():
        return 1
    if jobs is not None:
        return jobs
    if surveys < _POOL_FROM:
        return 1
    return defaults.cpus()


def _render(indexes: list[int], folder: Path, take_over: bool = False) -> list[SurveyFiles]:
    """A worker: the surveys' files, made and written into the folder (their text is not sent
    back); with `take_over`, those of the previous site linked instead when they can be."""
    surveys: _Surveys = shared()
    previous = _Previous.of(surveys.previous_site)
    done = []
    for index in indexes:
        taken = surveys.taken_over(surveys.datasets[index]) if take_over else None
        if taken is not None:
            for name, content in taken.files:
                _write_into(folder, name, content)
            built = reuse.as_taken(taken.built, taken.files)
            done.append(SurveyFiles([(name, WRITTEN) for name, _ in taken.files], built, reused=True))
            continue
        made = surveys.made(surveys.datasets[index])
        statuses = [_write_into(folder, name, content, previous) for name, content in made.files]
        built = replace(made.built, status=tuple(s for s in statuses if s is not None))  # each file's, as written
        done.append(SurveyFiles([(name, WRITTEN) for name, _ in made.files], built, reused=False))
    return done


def _render_part(name: str, folder: Path) -> list[tuple[str, Content]] | changelog.Release:
    """A worker: a part of the site (PARTS), its files written into the folder (not sent back:
    the catalogue's files are some 130 MB at 10,000 records, which this process would receive
    and then write, alone, once every survey's files were done)."""
    surveys: _Surveys = shared()
    made = surveys.part(name)
    if isinstance(made, changelog.Release):
        return made
    previous = _Previous.of(surveys.previous_site)
    for file, content in made:
        _write_into(folder, file, content, previous)
    return [(file, WRITTEN) for file, _ in made]


# The parts of the site made whole, the largest first (they start before the surveys).
PARTS = ("release", *CATALOGUE_FILES, "pages", "void.ttl", "agencies")


class _Workers:
    """The site's files made by `jobs` processes (forked with the surveys, so nothing large is
    pickled to them). The files do not depend on which process made them: the same bytes
    with one process or many (tested)."""

    def __init__(self, surveys: _Surveys, jobs: int) -> None:
        self.surveys, self.jobs = surveys, jobs
        self.pool: Pool | None = None
        self.folder = Path()
        self.release: changelog.Release | None = None
        self.built: dict[str, reuse.Built] = {}  # each survey's, as the files were made (reuse.py)
        self.reused = 0  # surveys and series whose files were taken over from the previous site
        self.taken: list[tuple[str, reuse.Reused]] = []  # the catalogue's files, when taken over

    @contextmanager
    def started(self, folder: Path) -> Iterator[_Workers]:
        """The pool, while the files are made (every result is in when it ends, or the publish
        has failed)."""
        self.folder = folder
        if self.jobs <= 1:
            yield self
            return
        load_reference().item_names()  # read before the fork, once, not in every worker
        with worker_pool(self.jobs, shared=self.surveys) as self.pool:
            try:
                yield self
            finally:
                self.pool = None

    @property
    def catalogue_reused(self) -> bool:
        return bool(self.taken)

    def unchanged_since(self) -> CatalogueDiff | None:
        """What changed since the previous release when the catalogue's files were taken over."""
        if not self.taken:
            return None
        catalog = self.surveys.profile.catalog
        return changelog.nothing_changed(self.surveys.by_subject.get(catalog, ()), catalog, len(self.surveys.datasets))

    def parts(self) -> Callable[[], Iterator[tuple[str, Content]]]:
        """Start making the parts (PARTS); the function returned yields their files when made
        (those of the previous site when the catalogue did not change)."""
        taken = self.surveys.catalogue_taken_over()
        if taken is not None:
            self.taken = taken
            return lambda: iter(list(taken))
        if self.pool is None:
            return lambda: self._files_of((name, self.surveys.part(name)) for name in PARTS)
        started = [(name, self.pool.apply_async(_render_part, (name, self.folder))) for name in PARTS]
        return lambda: self._files_of((name, result.get()) for name, result in started)

    def _files_of(self, parts: Iterable[tuple[str, list[tuple[str, Content]] | changelog.Release]]
                  ) -> Iterator[tuple[str, Content]]:
        for _, made in parts:
            if isinstance(made, changelog.Release):
                self.release = made
            else:
                yield from made
        assert self.release is not None
        yield from changelog.release_files(self.release, self.surveys.site, self.surveys.base_url)
        if self.surveys.base_url is not None:
            yield from build.sitemap_files(self.surveys.site, self.surveys.base_url, self.release.date)
        yield from moved.moved_pages(self.surveys.site, self.release.aliases, self.surveys.base_url)
        yield from alias_data.alias_documents(self.surveys.site, self.release.aliases, self.surveys.base_url)

    def survey_files(self) -> Iterator[tuple[Node, SurveyFiles]]:
        """Each survey and its files. With workers: first those taken over from the previous
        site, checked and linked by this process while the workers make the parts (when the
        workers checked them after the parts, 10,000 records after one change ended with 3.8 s
        of checks and links), then those the workers make, sent to them in batches as soon as
        they are known to need making. When the parts were taken over too, the workers check
        and link them."""
        datasets = self.surveys.datasets
        if self.pool is None:
            yield from ((dataset, self.surveys.files(dataset)) for dataset in datasets)
            return
        sent: list[tuple[list[int], AsyncResult[list[SurveyFiles]]]] = []
        batch: list[int] = []
        # The workers are free when the catalogue's files were taken over: they check and link
        # the surveys' files too (a 10,000-record publish with nothing changed: 3 s of this
        # process's checks and links, shared by two).
        in_workers = self.catalogue_reused
        for index, dataset in enumerate(datasets):
            taken = None if in_workers else self.surveys.taken_over(dataset)
            if taken is not None:
                yield dataset, taken
                continue
            batch.append(index)
            if len(batch) == _CHUNK:
                sent.append((batch, self.pool.apply_async(_render, (batch, self.folder, in_workers))))
                batch = []
        if batch:
            sent.append((batch, self.pool.apply_async(_render, (batch, self.folder, in_workers))))
        for indexes, result in sent:
            yield from zip((datasets[i] for i in indexes), result.get(), strict=True)


def _page_graph(triples: list[Triple], rounds: Iterable[Node], by_subject: Mapping[Node, list[Triple]],
                visited: set[Node]) -> ReadOnlyGraph:
    """What a survey's page shows: its file's statements (with those about the IRIs it uses:
    agency names, its series), and for a series each round's own statements. Read only, not
    an rdflib Graph: making it and reading it cost a survey 0.7 ms less (of 5.6 ms)."""
    rounds = list(rounds)
    visited.update(rounds)
    return ReadOnlyGraph([*triples, *(t for r in rounds for t in by_subject.get(r, ()))])


def _catalogue_title(statements: Iterable[Triple]) -> str:
    titles = sorted((o for _, p, o in statements if p == DCT.title and isinstance(o, Literal)), key=str)
    chosen = next((t for t in titles if t.language == "en"), None) or next(iter(titles), None)
    return str(chosen) if chosen is not None else "migrmeta catalogue"


def _described(roots: Sequence[Node], by_subject: Mapping[Node, list[Triple]],
               visited: set[Node] | None = None) -> list[Triple]:
    """The statements about the roots and, recursively, about the skolem nodes they use (the
    nodes whose statements were read are added to `visited`)."""
    out: list[Triple] = []
    seen: set[Node] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in by_subject.get(node, ()):
            out.append(triple)
            if is_skolem(triple[2]):
                todo.append(triple[2])
    if visited is not None:
        visited |= seen
    return out


def _file_id(dataset: Node, by_subject: Mapping[Node, list[Triple]], used: set[str]) -> str:
    """The survey's IRI name (survey/<id>), else its identifier, else a hash: unique, and safe by
    the one rule for names on disk (io/names.py)."""
    text = str(dataset)
    first = survey_name(text)
    candidates = [first] if first is not None else []
    candidates += [str(o) for s, p, o in by_subject.get(dataset, ()) if p in _IDENTIFIERS]
    for candidate in candidates:
        if id_problem(candidate) is None and candidate not in used:
            used.add(candidate)
            return candidate
    name = "s-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    used.add(name)
    return name


def _trig(merged: MergeResult, profile: dcat_ap.Profile) -> str:
    """Contributions, superseded statements, replaced statements and the profile's graph."""
    graphs: dict[Node, set[Triple]] = {}
    provenance = list(merged.provenance())
    for c in merged.contributions:
        kept = c.triples - profile.replaced
        graphs[c.graph] = kept
        if c.superseded:
            graphs[superseded_graph(c)] = c.superseded
        moved = c.triples & profile.replaced
        if moved:
            aside = URIRef(f"{c.graph}/replaced")
            graphs[aside] = moved
            provenance += [(aside, _TYPE, PROV.Entity), (aside, PROV.wasAttributedTo, c.agency),
                           (aside, DCT.isReplacedBy, PROFILE_GRAPH)]
    graphs[PROFILE_GRAPH] = profile.additions
    provenance += [(PROFILE_GRAPH, _TYPE, PROV.Entity), (PROFILE_GRAPH, PROV.wasAttributedTo, profile.publisher)]
    provenance += [(PROFILE_GRAPH, p, o) for p, o in dcat_ap.profile_data().record_template if p == DCT.conformsTo]
    provenance += [(PROFILE_GRAPH, PROV.wasDerivedFrom, c.graph) for c in merged.contributions]
    return trig(provenance, graphs)


# --- atomic writing --------------------------------------------------------------------------


def _looks_like_site(path: Path) -> bool:
    """An empty folder, or a site published before sites carried the marker (io/folders.py)."""
    return not any(path.iterdir()) or (path / "catalog.ttl").is_file() or (path / "void.ttl").is_file()


@dataclass(frozen=True)
class _Previous:
    """The site a publish replaces, and the mode a new file gets: a file whose bytes it holds
    already is linked from it (reuse.same_as)."""

    site: str  # its real path
    mode: int

    @classmethod
    def of(cls, site: Path) -> _Previous:
        return cls(os.path.realpath(site), 0o666 & ~current_umask())


def _write_into(folder: Path, name: str, content: Content, previous: _Previous | None = None) -> reuse.Status | None:
    """One file of the site into the (new, temporary) folder; the status of a file written
    from text (reuse.with_status). A file the previous site holds with the same bytes is linked
    from it (reuse.same_as)."""
    if isinstance(content, _Written):
        return None
    put: reuse.Reused | bytes
    if isinstance(content, reuse.Reused):
        put = content
    else:
        data = content.read_bytes() if isinstance(content, Path) else content.encode("utf-8")
        put = (reuse.same_as(previous.site, name, data, previous.mode) if previous is not None else None) or data
    target = folder / name
    try:  # the folder is made once, when the first file in it fails (a mkdir per file: 0.7 s a site)
        return _put(target, put)
    except FileNotFoundError:
        # Another worker may make the folder between the failed write and here, so the folder is
        # made (or found) and the write tried once more; a file linked that is gone fails again.
        target.parent.mkdir(parents=True, exist_ok=True)
        return _put(target, put)


def _put(target: Path, content: reuse.Reused | bytes) -> reuse.Status | None:
    if isinstance(content, reuse.Reused):
        content.write(target)
        return None
    return reuse.status_of(write_new(target, content))


def _write_site(out_dir: Path, files: Callable[[Path], Iterable[tuple[str, Content]]],
                options: PublishOptions) -> list[str]:
    """Write the files into a new folder and swap it in as a whole (io/folders.replace_folder)."""

    def fill(folder: Path) -> list[str]:
        written = []
        previous = _Previous.of(out_dir)
        for name, content in files(folder):
            _write_into(folder, name, content, previous)
            written.append(name)
        return sorted(written)

    try:
        return replace_folder(out_dir, fill, is_ours=_looks_like_site, force=options.force, wait=options.wait,
                              waiting=options.waiting, what="site")
    except OSError as exc:  # a full disk, a folder that may not be written: the previous site is kept
        raise PublishError(f"{exc.filename or out_dir}: {exc.strerror or exc}; nothing was published, "
                           f"{out_dir} is unchanged",
                           hint="free some space or fix the permissions, and publish again") from exc


__all__ = ["DEFAULT_OUTPUT", "PublishOptions", "PublishResult", "publish"]
