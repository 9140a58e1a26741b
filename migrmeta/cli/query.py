"""`migrmeta query`: SPARQL on the embedded store or a remote endpoint; saved questions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices
from migrmeta.errors import UsageError

if TYPE_CHECKING:
    from migrmeta.errors import InputError
    from migrmeta.querying.results import QueryResult
    from migrmeta.querying.saved import Binding, SavedQuery


def _params(values: tuple[str, ...]) -> dict[str, list[str]]:
    """NAME=VALUE options, each name's values in order (several: alternatives)."""
    parsed: dict[str, list[str]] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {item!r}: write NAME=VALUE (e.g. --param country=SEN)")
        parsed.setdefault(name.strip(), []).append(value)
    return parsed


def _resolve(query: str | None, text: str | None, folder: Path | None) -> SavedQuery:
    from migrmeta.querying.saved import resolve_question

    if query == "-":
        return resolve_question(text=sys.stdin.read())
    return resolve_question(query, text=text, folder=folder)


def _listing(folder: Path | None) -> str:
    from migrmeta.querying.saved import saved_queries

    lines: list[str] = []
    broken: dict[str, InputError] = {}
    for name, saved in saved_queries(folder, broken).items():
        lines.append(f"{name}\n  {saved.title}")
        for p in saved.parameters.values():
            kind = f"concept of {p.scheme}" if p.type == "concept" else p.type
            default = f", default {p.default}" if p.default is not None else ", optional"
            lines.append(f"    --param {p.name}=...  ({kind}{default}) {p.description}")
    for error in broken.values():  # the others are listed: a draft does not hide the folder's questions
        click.echo(f"migrmeta: warning: {error.cli_text()}\n  (left out of the list)", err=True)
    return "\n".join(lines) + "\n"


def _ask(saved: SavedQuery, bindings: dict[str, Binding], endpoint: str | None, data: tuple[str, ...], *,
         no_reference: bool, timeout: float, retries: int, allow_service: bool) -> tuple[QueryResult, list[InputError]]:
    """The answer from the endpoint, or from an embedded store holding --data (default records/),
    and the inputs left out of that store (said on standard error)."""
    from rdflib import URIRef

    from migrmeta.io.http import HttpClient
    from migrmeta.load import Verdict
    from migrmeta.querying.endpoint import SparqlEndpoint
    from migrmeta.querying.store import EmbeddedStore
    from migrmeta.rdf.curie import curie

    if endpoint:
        if data:
            raise UsageError("give --endpoint or --data, not both")
        from migrmeta.querying.dataset import default_graphs

        target = SparqlEndpoint(endpoint, HttpClient(timeout=timeout, retries=retries))
        dataset = default_graphs(target, saved.text)
        if dataset.note:
            click.echo(f"migrmeta: note: {dataset.note}", err=True)
        return target.query(saved.text, bindings, saved.source, parameters=dataset.parameters), []
    paths = list(data)
    if not paths:
        if not defaults.RECORDS.is_dir():
            raise UsageError("no records/ folder here", hint="pass --data PATH or --endpoint URL")
        paths = [str(defaults.RECORDS)]
    beside: list[Verdict] = []  # a merge's output beside its records: left out, and said
    store, errors = EmbeddedStore.open(paths, reference=not no_reference, notices=beside)
    say_notices(verdict.notice() for verdict in beside)
    for error in errors:
        first, *rest = error.cli_text().split("\n")
        click.echo("\n".join([f"migrmeta: {first} (left out of the store)", *rest]), err=True)
    if errors and not store.inputs:  # an empty answer here would say "no survey" of a catalogue never read
        click.echo("migrmeta: no records could be read, so the question is not asked", err=True)
        sys.exit(3)
    absent = store.reference_only(saved.text) if no_reference else []
    if absent:  # "(0 rows)" would otherwise be the store's setup speaking, not the catalogue
        shown = ", ".join(curie(URIRef(iri)) for iri in absent)
        click.echo(f"migrmeta: warning: the question reads {shown}, which only the reference data holds: with "
                   "--no-reference its answer may be empty or short", err=True)
    return store.query(saved.text, bindings, saved.source, allow_service=allow_service, deadline=timeout), errors


@click.command("query")
@click.argument("query", required=False)
@click.option("-e", "--query-text", metavar="TEXT", help="The query itself, instead of a name or a file.")
@click.option("--list", "list_saved", is_flag=True, help="List the saved questions and their parameters.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter; values are parsed into RDF terms, never pasted into the query. Give a "
                   "name again for alternatives (-p country=GTM -p country=HND); a country may be a UN M49 region, "
                   "sub-region or intermediate region (-p 'country=Sub-Saharan Africa').")
@click.option("--endpoint", metavar="URL", help="A SPARQL 1.1 query endpoint (e.g. http://localhost:7878/query) "
              "instead of the embedded store.")
@click.option("--data", multiple=True, metavar="PATH",
              help="Records (files, directories), a merged dataset (.trig/.nq from `migrmeta merge`) or a "
                   "published site, read as `push` reads them, for the embedded store (repeatable) "
                   "[default: records/].")
@click.option("--no-reference", is_flag=True,
              help="Embedded store: leave out the ontology, vocabularies and countries (labels, hierarchies); "
                   "a question that reads them (most saved ones) is warned of.")
@click.option("--format", "fmt", type=click.Choice(defaults.QUERY_TABLE_FORMATS + defaults.QUERY_GRAPH_FORMATS),
              help="table (default), csv, tsv or json (SPARQL 1.1 results) for SELECT and ASK; "
                   "turtle (default) or jsonld for CONSTRUCT and DESCRIBE.")
@click.option("--queries", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of saved questions (.rq) [default: the bundled queries/].")
@click.option("--show", is_flag=True, help="Print the query as it would be sent (with its VALUES block); run nothing.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=defaults.HTTP_TIMEOUT, show_default=True,
              help="Seconds to wait for a remote endpoint; with --allow-service, for the whole query.")
@click.option("--retries", type=click.IntRange(min=0), default=defaults.HTTP_RETRIES, show_default=True,
              help="Retries on connection errors and 5xx answers (with backoff).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the answer to a file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--allow-service", is_flag=True,
              help="Embedded store: let a SERVICE clause contact the endpoint it names (federation).")
def query_cmd(query: str | None, query_text: str | None, list_saved: bool, params: tuple[str, ...],
              endpoint: str | None, data: tuple[str, ...], no_reference: bool, fmt: str | None,
              folder: Path | None, show: bool, timeout: float, retries: int, output: Path | None,
              force: bool, allow_service: bool) -> None:
    """Ask the catalogue a question in SPARQL 1.1.

    QUERY is a saved question (see --list), a .rq file, or - for standard input; or give
    the text with -e. By default the query runs on an embedded store holding records/ and
    the reference data (ontology, vocabularies, countries), whose default graph is the
    merge of all graphs (a statement several files give, once); --endpoint sends it to any
    SPARQL 1.1 endpoint instead.

    \b
    Examples:
      migrmeta query --list
      migrmeta query surveys-by-country --param country=SEN
      migrmeta query remittances -p country=GTM -p country=HND -p country=SLV
      migrmeta query surveys-by-country -p "country=Western Africa"
      migrmeta query surveys-by-sample-type -p sampleType=nonprobability --format csv
      migrmeta query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/migrmeta/ns#Survey> }'
      migrmeta query coverage-matrix --endpoint http://localhost:7878/query --format json
      migrmeta query --data site/ my-question.rq

    \b
    Exit codes: 0 answered (ASK: true), 1 ASK answered false, the endpoint failed, or the
    --output file exists (not replaced without --force), 2 usage error (e.g. a parameter that
    is not valid), 3 the query or a record is unreadable (the other records are still loaded).
    A query migrmeta cannot parse is still sent to --endpoint, which may read its own
    extensions (Virtuoso's DEFINE); exit 3 if it refuses it.
    """
    from migrmeta.io.files import check_output, write_output
    from migrmeta.load import files_read
    from migrmeta.querying.binding import bind_for_endpoint
    from migrmeta.querying.results import render
    from migrmeta.querying.saved import inject_values

    if list_saved:
        click.echo(_listing(folder), nl=False)
        return
    saved = _resolve(query, query_text, folder)
    bindings = saved.bind(_params(params))
    if show:
        shown = (bind_for_endpoint if endpoint else inject_values)(saved.text, bindings)
        click.echo(shown if shown.endswith("\n") else shown + "\n", nl=False)
        return
    # what the question reads: the records (records/ when no --data nor --endpoint), the agencies
    # beside them, and the question's own file (a saved question's too, by its name)
    inputs = files_read(list(data) or ([defaults.RECORDS] if not endpoint else []))
    inputs += [source for source in (query, saved.source) if source and source != "-" and Path(source).is_file()]
    if output:
        check_output(output, replace=force, inputs=inputs)
    result, errors = _ask(saved, bindings, endpoint, data, no_reference=no_reference, timeout=timeout,
                          retries=retries, allow_service=allow_service)
    text = render(result, fmt or "table")
    if output:
        write_output(output, text, force=force, inputs=inputs)
    else:
        click.echo(text, nl=False)
    if errors:
        sys.exit(3)
    if result.kind == "ask" and not result.boolean:
        sys.exit(1)
