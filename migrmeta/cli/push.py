"""`migrmeta push`: publish the catalogue to a triplestore (SPARQL 1.1 Graph Store Protocol)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices
from migrmeta.cli.progress import progress_bar, quiet_option
from migrmeta.cli.spoken import remember_language
from migrmeta.errors import UsageError
from migrmeta.messages import plural

if TYPE_CHECKING:
    from migrmeta.progress import Progress
    from migrmeta.pushing.plan import PushPlan
    from migrmeta.querying.store import CatalogueGraph


def _refused(plan: PushPlan) -> None:
    """Say why nothing was pushed, as publish does."""
    from migrmeta.validation.render import render_text

    for error in plan.input_errors:
        click.echo(f"migrmeta: {error.cli_text()}", err=True)
    if plan.validation is not None and plan.invalid:
        click.echo(render_text(plan.validation, quiet=True, cli=True), nl=False)
    unreadable = plan.refusal == "unreadable"
    if plan.dataset:
        problem = "could not be read" if unreadable else "has violations"
        click.echo(f"Nothing pushed: {plan.dataset} (a merged dataset) {problem}; the store is unchanged.\n"
                   "  hint: fix the records and merge again (a dataset is pushed whole, or not at all)", err=True)
    else:
        problem = "could not be read" if unreadable else "have violations"
        click.echo(f"Nothing pushed: the records above {problem}; the store is unchanged.\n"
                   "  hint: fix them, or push the others with --skip-invalid", err=True)


def _say_plan(plan: PushPlan) -> None:
    """What validation said: notices, a refusal (then exit), the records left out."""
    say_notices([*plan.notices, *(plan.validation.notices if plan.validation else [])])
    if plan.refusal is not None:
        _refused(plan)
        sys.exit(plan.exit_code())
    if plan.invalid:
        click.echo(f"Not pushed, {plural(len(plan.invalid), 'record')} with violations (run `migrmeta validate` on "
                   "them):", err=True)
        for record in plan.invalid:
            click.echo(f"  {record.source}", err=True)


def _graph_progress(bar: Progress | None, total: int, verbose: bool) -> Callable[[str, CatalogueGraph], None]:
    """Each graph written: the bar moves, and with --verbose it is named."""
    sent = 0

    def progress(event: str, graph: CatalogueGraph) -> None:
        nonlocal sent
        sent += 1
        if bar is not None:
            bar("pushing graphs", sent, total)
        if verbose:
            click.echo(f"{event} <{graph.name}> ({plural(len(graph), 'triple')}, {graph.shown})", err=True)

    return progress


@click.command("push")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--endpoint", metavar="URL",
              help="The store's SPARQL query endpoint, used to list, count and prune graphs "
                   "(Oxigraph: http://host:7878/query).")
@click.option("--store", "store_url", metavar="URL",
              help="The Graph Store Protocol URL [default: from --endpoint: Oxigraph's /query -> /store, "
                   "Virtuoso's /sparql -> /sparql-graph-crud-auth].")
@click.option("--graph-base", metavar="IRI",
              help="Name graphs <IRI><path under https://w3id.org/migrmeta/> instead of <survey IRI>/graph.")
@click.option("--prune", is_flag=True, help="Delete the graphs under the base that the catalogue no longer has "
              "(never when an input is unreadable). The inputs must be the whole catalogue: folders of records "
              "or one merged dataset, not record files.")
@click.option("--no-reference", is_flag=True, help="Do not push the ontology, vocabularies and countries.")
@click.option("--check", "check", type=click.Choice(["content", "counts"]), default="content", show_default=True,
              help="After the push, read every graph back and compare its content (canonical N-Triples "
                   "digests), or only count its triples (cheaper; a changed value goes unseen).")
@click.option("--exact", is_flag=True, hidden=True, help="The same as --check content (the default).")
@click.option("--skip-invalid", is_flag=True, help="Push the records that conform; list the others (and keep "
              "their graphs in the store).")
@click.option("--no-cache", is_flag=True, help="Revalidate every record.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Where the validation cache lives.")
@click.option("--dry-run", is_flag=True, help="List the graphs and their sizes; send nothing. With --prune (and "
              "--endpoint), also the graphs it would delete.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=defaults.HTTP_TIMEOUT, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--retries", type=click.IntRange(min=0), default=defaults.HTTP_RETRIES, show_default=True,
              help="Retries on connection errors and 5xx answers (with backoff), per request.")
@click.option("--verbose", "-v", is_flag=True, help="Say each graph as it is written.")
@click.option("--lang", type=click.Choice(defaults.LANGUAGES), default="en", show_default=True,
              callback=remember_language, help="Language of the findings that refuse a record.")
@quiet_option
def push_cmd(paths: tuple[str, ...], endpoint: str | None, store_url: str | None, graph_base: str | None,
             prune: bool, no_reference: bool, check: str, exact: bool, skip_invalid: bool, no_cache: bool,
             cache_dir: Path | None, dry_run: bool, timeout: float, retries: int, verbose: bool, lang: str,
             quiet: bool) -> None:
    """Publish the catalogue to a triplestore, one named graph per record.

    PATHS are record files or directories [default: records/], or one merged dataset: a
    .trig/.nq written by `migrmeta merge`, or a published site folder (its catalog.trig).
    Records are validated as publish validates them: a violation or an unreadable record
    refuses the push (nothing is sent) unless --skip-invalid. Each record becomes the graph
    <survey IRI>/graph (agencies.ttl: https://w3id.org/migrmeta/agencies/graph); a dataset's
    graphs are pushed as merged (https://w3id.org/migrmeta/graph/<agency>/<file>, the
    DCAT-AP additions, and its provenance as .../graph/provenance), without the statements
    that lost a conflict; the reference data goes to https://w3id.org/migrmeta/reference/graph.
    Each graph is sent with PUT, which replaces it: pushing twice changes nothing. Then every
    graph is read back and compared with what was sent (--check counts: counted only).

    Credentials come from MIGRMETA_USER and MIGRMETA_PASSWORD, or MIGRMETA_TOKEN (bearer),
    or ~/.netrc; they are never printed.

    \b
    Examples:
      migrmeta push --endpoint http://localhost:7878/query
      migrmeta push records/ --endpoint http://localhost:7878/query --prune
      migrmeta push site/ --endpoint http://localhost:7878/query      # as published, --prefer included
      migrmeta push --endpoint http://localhost:8890/sparql        # Virtuoso (digest credentials)
      migrmeta push --endpoint https://fuseki.example.org/migr/sparql --store https://fuseki.example.org/migr/data
      migrmeta push --dry-run

    --prune deletes the graphs under the base that the catalogue lacks, so the inputs must
    be the whole catalogue (folders, or one dataset): a record file with --prune is a usage
    error. A graph counts as pruned only once the endpoint no longer lists it. Graphs of this
    catalogue under another --graph-base are reported, never deleted.

    \b
    Exit codes: 0 pushed and checked, 1 refused for violations, a graph could not be
    written, a prune did not take, or the store does not hold what was sent (the report
    names the graphs), 2 usage error, 3 a record is unreadable (nothing pushed; with
    --skip-invalid the others are, and nothing is pruned), 130 interrupted (Ctrl-C: the
    graphs written so far are listed; run the same push again).
    """
    from migrmeta.io.http import HttpClient, safe_url
    from migrmeta.pushing.gsp import GraphStore, PushInterrupted, derive_store_url, leftovers, push
    from migrmeta.pushing.plan import prepare
    from migrmeta.pushing.render import render_dry_run, render_push
    from migrmeta.querying.endpoint import SparqlEndpoint
    from migrmeta.querying.store import GraphNaming

    naming = GraphNaming(graph_base)
    if not dry_run and not endpoint:
        raise UsageError("--endpoint URL is required (the store's SPARQL query endpoint)",
                         hint="Oxigraph: `oxigraph serve` answers at http://localhost:7878/query")
    if dry_run and prune and not endpoint:
        raise UsageError("--dry-run --prune needs --endpoint URL: which graphs a prune would delete depends on "
                         "what the store holds", hint="give the store's SPARQL query endpoint (nothing is sent "
                         "but one query listing its graphs)")
    client = HttpClient(timeout=timeout, retries=retries)
    store = GraphStore(store_url or derive_store_url(endpoint), client, derived=not store_url) if endpoint else None
    plan = prepare(list(paths) or [str(defaults.RECORDS)], naming, reference=not no_reference,
                   skip_invalid=skip_invalid, cache=not no_cache, cache_dir=cache_dir, prune=prune, lang=lang)
    _say_plan(plan)
    if dry_run:
        for error in plan.input_errors:
            click.echo(f"migrmeta: {error.cli_text()}", err=True)
        found = None
        if prune and endpoint and store is not None:
            found = leftovers(plan.graphs, SparqlEndpoint(endpoint, client), naming, plan.protected)
        click.echo(render_dry_run(plan.graphs, found, prune=prune, unreadable=bool(plan.input_errors),
                                  store=safe_url(store.url) if store else "", cli=True), nl=False)
        sys.exit(3 if plan.input_errors else 0)
    assert endpoint is not None and store is not None
    try:
        with progress_bar(quiet or verbose) as bar:
            report = push(plan.graphs, SparqlEndpoint(endpoint, client), store, naming, prune=prune,
                          check="content" if exact else check, input_errors=plan.input_errors,
                          protected=plan.protected, progress=_graph_progress(bar, len(plan.graphs), verbose))
    except PushInterrupted as stop:
        click.echo(render_push(stop.report, cli=True), nl=False)
        sys.exit(stop.report.exit_code())
    click.echo(render_push(report, cli=True), nl=False)
    sys.exit(report.exit_code())
