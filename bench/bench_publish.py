"""Merge and publish speed on a synthetic catalogue, with baselines measured in the same run.

    python bench/bench_publish.py                     # 10,000 records
    python bench/bench_publish.py --records 1000 --jsonld-sample 200
    python bench/bench_publish.py --stages            # `migrmeta publish` only, time per stage
    python bench/bench_publish.py --budget 1500       # the workers' work, writer by writer, one process

With `--stages`: `publish()` four times, each split into validation, merge, DCAT-AP profile,
serializations (Turtle, N-Triples, JSON-LD, TriG of the catalogue and of each survey), HTML
pages and the rest (writing files): into an empty folder with an empty validation cache; over
that site with nothing changed; over it again after one record changed (the surveys' files
that did not change are taken over, publishing/reuse.py); into another empty folder with the
validation cache warm.

With `--budget N`: publish() up to its worker pool (warm validation cache, one process), then
the files of N surveys made by `_Surveys.made` with each writer timed (Turtle, JSON-LD,
N-Triples, DDI, schema.org, the quality score, the reuse key; the pages and the rest are what
is left), then each part of the whole catalogue (catalog.*, release, pages, void): the CPU the
workers spend, which the wall time of a publish into an empty folder follows on 2 CPUs.

Generates a catalogue (bench/generate.py: real vocabularies, ~10% of records with a typical
mistake, so publishing runs with --skip-invalid), validates it once to fill the cache
(validation has its own benchmark, bench_validate.py), then times each stage of
`migrmeta publish` and sets it against a baseline doing the same work the obvious way:

- merge: `migrmeta.merge()` (parse, skolemize, provenance, conflicts) against parsing each
  file into a named graph of an rdflib Dataset;
- Turtle, TriG, N-Triples of the published catalogue: migrmeta's canonical writers against
  rdflib's serializers (and N-Triples also against pyoxigraph's, whose sorted lines must be
  byte-identical to ours);
- JSON-LD: migrmeta's compactor against pyld's `compact` (the reference implementation) on
  the per-survey documents of a sample of surveys (pyld takes minutes on the whole
  catalogue), and against rdflib's JSON-LD serializer with the context on the catalogue;
- web pages: every page of the site in English, French and Spanish (index with facets, map
  and timeline; one page per survey and series), the search index, from the published
  statements (`publishing.pages`), with the sizes of an index page and of the search index;
- publish: the whole command with a warm validation cache, twice, checking the two sites
  are byte-identical.

Ratios are baseline time / migrmeta time (higher is better for migrmeta).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox
from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from bench.generate import generate_catalogue, touch_one
from migrmeta import resources
from migrmeta.formats.dcat import profile as dcat_ap
from migrmeta.load.reference import load_reference
from migrmeta.merging.merge import merge
from migrmeta.namespaces import CONTEXT_IRI, bind_prefixes
from migrmeta.publishing.site import PublishOptions, _blocking, _described, publish
from migrmeta.rdf.jsonld_out import jsonld as write_jsonld
from migrmeta.rdf.ntriples import ntriples
from migrmeta.rdf.turtle import turtle
from migrmeta.validation.runner import validate

Triple = tuple[Node, Node, Node]
CONTEXT = json.loads(resources.context_file().read_text(encoding="utf-8"))


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def local_loader(url: str, options: Any = None) -> dict[str, Any]:
    if url == CONTEXT_IRI:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise RuntimeError(f"refused to fetch {url}")


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def rdflib_dataset(paths: list[str]) -> Dataset:
    """The baseline merge: each file parsed by rdflib into its own named graph."""
    dataset = Dataset()
    for path in paths:
        dataset.graph(URIRef(Path(path).resolve().as_uri())).parse(path, format="turtle")
    return dataset


def grouped(triples: Iterable[Triple]) -> dict[Node, list[Triple]]:
    """The statements by subject, as publish groups them for the survey files and the pages."""
    by_subject: dict[Node, list[Triple]] = {}
    for triple in triples:
        by_subject.setdefault(triple[0], []).append(triple)
    return by_subject


def pyoxigraph_ntriples(triples: list[Triple]) -> str:
    converted = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]  # type: ignore[arg-type]
    return "".join(sorted({f"{t} .\n" for t in converted}))


def stages(records: Path, work: Path, jobs: int | None) -> None:
    """publish() twice (empty then warm validation cache), its time split by stage. With more
    than one job the survey files are made in worker processes, whose stages this process does
    not see: their time is in "survey files (workers)"."""
    from migrmeta.publishing import changelog, reuse
    from migrmeta.publishing import site as site_module
    from migrmeta.publishing.pages import build

    spent: dict[str, float] = {}

    def add(stage: str, start: float) -> None:
        spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - start

    def timing(owner: Any, name: str, stage: str) -> None:
        _time_calls(owner, name, stage, spent)

    def timing_iter(owner: Any, name: str, stage: str) -> None:
        """A generator function: the time of each item it makes, not of making the generator."""
        original = getattr(owner, name)

        def timed_items(*args: Any, **kwargs: Any) -> Any:
            items = original(*args, **kwargs)
            while True:
                start = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    add(stage, start)
                    return
                add(stage, start)
                yield item

        setattr(owner, name, timed_items)

    for name, stage in (("validate", "validation"), ("merge", "merge"), ("turtle", "serializations"),
                        ("ntriples", "serializations"), ("jsonld", "serializations"), ("_trig", "serializations"),
                        ("export_ddi", "DDI and schema.org"), ("datasets_jsonld", "DDI and schema.org"),
                        ("_page_graph", "HTML pages")):
        timing(site_module, name, stage)
    from migrmeta.publishing.pages.model import SiteData

    timing(dcat_ap, "apply", "DCAT-AP profile")  # the module publish calls it in
    timing(SiteData, "build", "HTML pages")
    timing(changelog, "next_release", "changelog and feed")
    timing_iter(changelog, "release_files", "changelog and feed")
    for name in ("survey_pages", "site_files"):
        timing_iter(build, name, "HTML pages")
    marks: list[tuple[str, float]] = []  # the run's timeline: when each step ended

    def marking(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def marked(*args: Any, **kwargs: Any) -> Any:
            try:
                return original(*args, **kwargs)
            finally:
                marks.append((label, time.perf_counter()))

        setattr(owner, name, marked)

    original_files = site_module._files

    def files_marked(*args: Any, **kwargs: Any) -> Any:
        for number, item in enumerate(original_files(*args, **kwargs)):
            if number == 0:
                marks.append(("first file in", time.perf_counter()))
            yield item
        marks.append(("every file written", time.perf_counter()))

    site_module._files = files_marked
    marking(site_module._Surveys, "of", "the pages' data (serial stages done)")
    marking(site_module, "_write_site", "swapped in, old site removed")
    marking(reuse, "save", "manifest written")
    cache, site = work / "stages-cache", work / "stages-site"
    for stale in (cache, site, work / "stages-fresh"):
        shutil.rmtree(stale, ignore_errors=True)
    edited = sorted(records.glob("syn-*.ttl"))[0]
    original = edited.read_bytes()
    runs = [("into an empty folder, empty validation cache", site, None),
            ("over the previous site, nothing changed", site, None),
            ("over the previous site, one record changed", site, touch_one),
            ("into an empty folder, warm validation cache", work / "stages-fresh", None)]
    try:
        for label, out, change in runs:
            if change is not None:
                change(edited)
            spent.clear()
            marks.clear()
            settle()
            options = PublishOptions(skip_invalid=True, cache_dir=cache, jobs=jobs)
            began = time.perf_counter()
            own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            total, result = timed(functools.partial(publish, [records], out, options))
            own_after, children_after = (resource.getrusage(resource.RUSAGE_SELF),
                                         resource.getrusage(resource.RUSAGE_CHILDREN))
            workers = site_module._render_jobs(jobs, result.surveys + result.series)
            print(f"\npublish, {label}: {total:.1f} s ({len(result.files)} files; survey files made by "
                  f"{workers} process{'es' if workers > 1 else ''}; {result.reused} of "
                  f"{result.surveys + result.series} surveys' files taken over from the previous site)")
            for stage, seconds in spent.items():
                print(f"  {stage:<28} {seconds:7.2f} s")
            print(f"  {'writing files, the rest':<28} {total - sum(spent.values()):7.2f} s")
            print("  timeline: " + "; ".join(f"{label} {at - began:.1f} s" for label, at in marks))
            # CPU, not wall: on a shared VM the kernel's share (creating 63,000 files) varies run to run
            print(f"  CPU: this process {_cpu(own, own_after)}; its workers {_cpu(children, children_after)}")
    finally:
        edited.write_bytes(original)


def budget(records: Path, work: Path, surveys: int) -> None:
    """What the workers of a publish into an empty folder spend, item by item, in this process."""
    from migrmeta.publishing import alias_data, reuse
    from migrmeta.publishing import site as site_module

    captured: list[Any] = []

    class _Captured(Exception):
        pass

    def capture(self: Any, surveys: Any, jobs: int) -> None:
        captured.append(surveys)
        raise _Captured

    original_init = site_module._Workers.__init__
    site_module._Workers.__init__ = capture  # type: ignore[method-assign]
    cache = work / "budget-cache"
    try:
        validate([records], cache_dir=cache)  # the cache warm, as for the last run of --stages
        with contextlib.suppress(_Captured):
            publish([records], work / "budget-site", PublishOptions(skip_invalid=True, cache_dir=cache, jobs=1))
    finally:
        site_module._Workers.__init__ = original_init  # type: ignore[method-assign]
    [made] = captured
    gc.freeze()  # as the forked workers do (io/workers.py)
    spent: dict[str, float] = {}

    def timing(owner: Any, name: str, label: str) -> None:
        _time_calls(owner, name, label, spent)

    writers = {".ttl": "Turtle", ".jsonld": "JSON-LD", ".nt": "N-Triples"}
    alias_data.SURVEY_DATA = tuple((suffix, _timed(write, writers[suffix], spent))
                                   for suffix, write in alias_data.SURVEY_DATA)
    for name, label in (("export_ddi", "DDI"), ("datasets_jsonld", "schema.org JSON-LD"),
                        ("_described", "statements gathered"), ("_page_graph", "statements gathered")):
        timing(site_module, name, label)
    timing(site_module._Surveys, "score", "quality score")
    timing(reuse.Inputs, "key", "reuse key")
    datasets = made.datasets[:surveys]
    start = time.perf_counter()
    for dataset in datasets:
        made.made(dataset)
    total = time.perf_counter() - start
    print(f"a survey's files, {len(datasets)} surveys: {total / len(datasets) * 1000:.2f} ms each "
          f"({total / len(datasets) * len(made.datasets):.1f} s for all {len(made.datasets)})")
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {label:<24} {seconds / len(datasets) * 1000:6.3f} ms")
    print(f"  {'pages and the rest':<24} {(total - sum(spent.values())) / len(datasets) * 1000:6.3f} ms")
    parts = 0.0
    for name in site_module.PARTS:
        seconds, _ = timed(functools.partial(made.part, name))
        parts += seconds
        print(f"part {name:<16} {seconds:6.2f} s")
    print(f"the parts together {parts:.1f} s")


def _timed(function: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    """`function`, its time added to `spent[label]` at each call."""
    def timed_call(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

    return timed_call


def _time_calls(owner: Any, name: str, label: str, spent: dict[str, float]) -> None:
    """`owner.name` timed (`_timed`) from now on."""
    setattr(owner, name, _timed(getattr(owner, name), label, spent))


def settle(seconds: float = 3.0) -> None:
    """Let the file system finish what the previous run left it (the 63,000 files of a site
    removed): measured on this VM, a publish started right after it spent 15.7 s of system
    time in its workers instead of 3.9 s, and took 28 s instead of 22."""
    os.sync()
    time.sleep(seconds)


def _cpu(before: resource.struct_rusage, after: resource.struct_rusage) -> str:
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    return f"{user + system:.1f} s (user {user:.1f}, system {system:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stages", action="store_true", help="time `publish` only, stage by stage")
    parser.add_argument("--budget", type=int, metavar="N", help="the workers' work writer by writer, on N surveys "
                        "(one process), and each part of the catalogue")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, help="publish's worker processes for the survey files "
                        "[default: one per CPU; --jobs 1 times every stage in this process]")
    parser.add_argument("--jsonld-sample", type=int, default=500, help="surveys compacted by pyld (baseline)")
    parser.add_argument("--work", type=Path, help="keep the catalogue, cache and sites here (reused when present)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-publish-"))
    records = work / f"catalogue-{args.records}"
    cache = work / "validation-cache"
    rows: list[tuple[str, float, float | None, str]] = []

    if not records.is_dir():
        seconds, _ = timed(lambda: generate_catalogue(args.records, records, seed=args.seed))
        print(f"generated {args.records} records in {seconds:.1f} s ({records})", flush=True)
    if args.budget:
        budget(records, work, args.budget)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        return
    if args.stages:
        stages(records, work, args.jobs)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        return
    seconds, report = timed(lambda: validate([records], cache_dir=cache))
    print(f"validation (fills the cache; bench_validate.py measures it): {seconds:.1f} s, "
          f"{sum(1 for r in report.records if r.conforms)} of {len(report.records)} files conform", flush=True)
    # what publish --skip-invalid keeps: records without violations other than those merge settles
    valid = [r.source for r in report.records if not any(_blocking(f) for f in r.findings)]

    reference = load_reference()
    merge_s, merged = timed(lambda: merge(valid, reference=reference))
    base_s, _ = timed(lambda: rdflib_dataset(valid))
    rows.append(("merge (parse, skolemize, provenance, conflicts)", merge_s, base_s, "rdflib: parse into a Dataset"))
    catalogue = merged.catalogue()
    profile_s, profile = timed(lambda: dcat_ap.apply(catalogue, reference, dcat_ap.CatalogOptions()))
    rows.append(("DCAT-AP profile (catalogue, records, derived triples)", profile_s, None, ""))
    published = (catalogue - profile.replaced) | profile.additions
    print(f"catalogue: {len(published)} triples, {len(profile.surveys)} datasets", flush=True)

    graph = bind_prefixes(Graph())
    for triple in published:
        graph.add(triple)
    ours, _ = timed(lambda: turtle(published))
    theirs, _ = timed(lambda: graph.serialize(format="turtle"))
    rows.append(("Turtle, whole catalogue", ours, theirs, "rdflib serialize(turtle)"))

    ours, nt = timed(lambda: ntriples(published))
    theirs, _ = timed(lambda: "".join(sorted(set(graph.serialize(format="nt").splitlines(keepends=True)))))
    rows.append(("N-Triples (sorted), whole catalogue", ours, theirs, "rdflib serialize(nt) + sort"))
    as_list = list(published)
    theirs, oxi = timed(lambda: pyoxigraph_ntriples(as_list))
    rows.append(("N-Triples (sorted), whole catalogue", ours, theirs,
                 f"pyoxigraph + sort (same bytes: {oxi == nt})"))

    dataset = Dataset()
    for name, triples in merged.graphs().items():
        named = dataset.graph(name)
        for triple in triples:
            named.add(triple)
    bind_prefixes(dataset)
    ours, _ = timed(lambda: merged_trig(merged))
    theirs, _ = timed(lambda: dataset.serialize(format="trig"))
    rows.append(("TriG, contributions + provenance", ours, theirs, "rdflib serialize(trig)"))

    ours, _ = timed(lambda: write_jsonld(published, [profile.catalog, *profile.surveys], one_per_line=True))
    theirs, _ = timed(lambda: graph.serialize(format="json-ld", context=CONTEXT["@context"]))
    rows.append(("JSON-LD compacted, whole catalogue", ours, theirs, "rdflib json-ld with the context"))

    by_subject = grouped(published)
    sample = [(d, _described([d, profile.records[d]], by_subject)) for d in profile.surveys[: args.jsonld_sample]]
    ours, documents = timed(lambda: [write_jsonld(t, [d, profile.records[d]]) for d, t in sample])
    nquads = [ntriples(t) for _, t in sample]
    theirs, _ = timed(lambda: [pyld_compact(n) for n in nquads])
    rows.append((f"JSON-LD compacted, {len(sample)} survey files", ours, theirs, "pyld from_rdf + compact"))
    same = all(json.loads(doc) == pyld_recompact(json.loads(doc)) for doc in documents[:50])
    print(f"pyld re-compaction of our documents changes nothing (first 50): {same}", flush=True)

    rows.append(pages_row(published, profile))

    sites = [work / "site-a", work / "site-b"]
    options = PublishOptions(skip_invalid=True, cache_dir=cache)
    first, result = timed(lambda: publish([records], sites[0], options))
    second, _ = timed(lambda: publish([records], sites[1], options))
    identical = snapshot(sites[0]) == snapshot(sites[1])
    rows.append(("publish, whole command (warm cache)", first, None,
                 f"{len(result.files)} files, {result.triples} triples; 2nd run {second:.1f} s, "
                 f"byte-identical: {identical}"))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'stage':<{width}}  {'migrmeta':>9}  {'baseline':>9}  {'ratio':>6}  baseline / notes")
    for stage, mine, base, note in rows:
        ratio = f"{base / mine:5.1f}x" if base is not None and mine > 0 else "     -"
        base_text = f"{base:8.2f}s" if base is not None else "        -"
        print(f"{stage:<{width}}  {mine:8.2f}s  {base_text}  {ratio}  {note}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def pages_row(published: set[Triple], profile: Any) -> tuple[str, float, float | None, str]:
    """The site's HTML pages in three languages and the search index (no data files)."""
    from migrmeta.publishing.pages import build
    from migrmeta.publishing.pages.labels import LANGUAGES, site_labels
    from migrmeta.publishing.pages.model import SiteData

    for lang in LANGUAGES:  # labels are read once per process: not part of the pages' time
        site_labels(lang)
    names = {d: str(d).rsplit("/", 1)[-1] for d in profile.surveys}
    sizes: dict[str, int] = {}

    def pages() -> int:
        site = SiteData.build(grouped(published), profile.surveys, names, profile.catalog)
        count = 0
        for survey in site.surveys:
            for _ in build.survey_pages(site, survey, dict.fromkeys(LANGUAGES, "{}"), None):
                count += 1
        for name, content in build.site_files(site, build.SiteOptions()):
            if isinstance(content, str):
                sizes[name] = len(content.encode("utf-8"))
                count += name.endswith(".html")
        return count

    cpu = time.process_time()
    seconds, count = timed(pages)
    cpu = time.process_time() - cpu
    return (f"web pages, 3 languages ({count} pages + search index)", seconds, None,
            f"{count / seconds:.0f} pages/s, {cpu:.1f} s of CPU; en/index.html {sizes['en/index.html'] / 1e6:.1f} MB, "
            f"assets/search-index.js {sizes['assets/search-index.js'] / 1e6:.1f} MB")


def merged_trig(merged: Any) -> str:
    from migrmeta.merging.output import dataset_text

    return dataset_text(merged, "trig")


def pyld_compact(nquads: str) -> Any:
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
    return jsonld.compact(expanded, CONTEXT_IRI, {"documentLoader": local_loader})


def pyld_recompact(document: Any) -> Any:
    options = {"documentLoader": local_loader}
    return jsonld.compact(jsonld.expand(document, options), CONTEXT_IRI, options)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


if __name__ == "__main__":
    main()
