"""`migrmeta push`: publish the catalogue to a triplestore (SPARQL 1.1 Graph Store Protocol)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from migrmeta import defaults
from migrmeta.cli.progress import progress_bar, quiet_option
from migrmeta.errors import UsageError

if TYPE_CHECKING:
    from migrmeta.querying.store import CatalogueGraph


def _dry_run(graphs: list[CatalogueGraph]) -> str:
    width = max((len(g.name) for g in graphs), default=5)
    lines = [f"{'graph':<{width}}  {'triples':>7}  source"]
    lines += [f"{g.name:<{width}}  {len(g):>7}  {g.source}" for g in graphs]
    return "\n".join(lines) + "\n"


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
@click.option("--prune", is_flag=True, help="Delete the graphs under the base that the catalogue no longer has.")
@click.option("--no-reference", is_flag=True, help="Do not push the ontology, vocabularies and countries.")
@click.option("--exact", is_flag=True, help="After the push, fetch every graph and compare it triple by triple "
              "(as isomorphic graphs), not only by count.")
@click.option("--dry-run", is_flag=True, help="List the graphs and their sizes; send nothing.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=defaults.HTTP_TIMEOUT, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--retries", type=click.IntRange(min=0), default=defaults.HTTP_RETRIES, show_default=True,
              help="Retries on connection errors and 5xx answers (with backoff), per request.")
@click.option("--verbose", "-v", is_flag=True, help="Say each graph as it is written.")
@quiet_option
def push_cmd(paths: tuple[str, ...], endpoint: str | None, store_url: str | None, graph_base: str | None,
             prune: bool, no_reference: bool, exact: bool, dry_run: bool, timeout: float, retries: int,
             verbose: bool, quiet: bool) -> None:
    """Publish the catalogue to a triplestore, one named graph per record.

    PATHS are record files or directories [default: records/]. Each record becomes the
    graph <survey IRI>/graph (agencies.ttl: https://w3id.org/migrmeta/agencies/graph; the
    reference data: https://w3id.org/migrmeta/reference/graph), sent with PUT, which
    replaces it: pushing twice changes nothing. Afterwards the store's triple count of
    every graph is compared with the local one.

    Credentials come from MIGRMETA_USER and MIGRMETA_PASSWORD, or MIGRMETA_TOKEN (bearer),
    or ~/.netrc; they are never printed.

    \b
    Examples:
      migrmeta push --endpoint http://localhost:7878/query
      migrmeta push records/ --endpoint http://localhost:7878/query --prune
      migrmeta push --endpoint http://localhost:8890/sparql        # Virtuoso (digest credentials)
      migrmeta push --endpoint https://fuseki.example.org/migr/sparql --store https://fuseki.example.org/migr/data
      migrmeta push --dry-run

    \b
    Exit codes: 0 pushed and checked, 1 a graph could not be written or the store does not
    hold what was sent (the report lists the graphs written and not written), 2 usage
    error, 3 a record is unreadable (the others are pushed; nothing is pruned).
    """
    from migrmeta.io.http import HttpClient
    from migrmeta.pushing.gsp import GraphStore, derive_store_url, plan, push, render_push
    from migrmeta.querying.endpoint import SparqlEndpoint
    from migrmeta.querying.store import GraphNaming

    naming = GraphNaming(graph_base)
    graphs, errors = plan(list(paths) or [defaults.RECORDS], naming, reference=not no_reference)
    if dry_run:
        for error in errors:
            click.echo(f"migrmeta: {error.cli_text()}", err=True)
        click.echo(_dry_run(graphs), nl=False)
        sys.exit(3 if errors else 0)
    if not endpoint:
        raise UsageError("--endpoint URL is required (the store's SPARQL query endpoint)",
                         hint="Oxigraph: `oxigraph serve` answers at http://localhost:7878/query")
    client = HttpClient(timeout=timeout, retries=retries)
    store = GraphStore(store_url or derive_store_url(endpoint), client)

    sent = 0
    with progress_bar(quiet or verbose) as bar:
        def progress(event: str, graph: CatalogueGraph) -> None:
            nonlocal sent
            sent += 1
            if bar is not None:
                bar("pushing graphs", sent, len(graphs))
            if verbose:
                click.echo(f"{event} <{graph.name}> ({len(graph)} triples, {graph.source})", err=True)

        report = push(graphs, SparqlEndpoint(endpoint, client), store, naming, prune=prune, exact=exact,
                      input_errors=errors, progress=progress)
    click.echo(render_push(report), nl=False)
    sys.exit(report.exit_code())

