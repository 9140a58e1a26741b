"""`migrmeta import dcat`: DCAT catalogues (files or URLs) -> draft survey records."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from migrmeta.cli.convert import agencies_option, import_cmd, loss_report_format_option, output_dir_option
from migrmeta.cli.ddi import echo_reports, emit_drafts
from migrmeta.errors import InputError, UsageError
from migrmeta.formats.dcat.paging import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT
from migrmeta.formats.dcat.reader import import_dcat
from migrmeta.formats.loss import LossReport
from migrmeta.values.agencies import Agencies


def _contexts(values: tuple[str, ...]) -> dict[str, Path]:
    mapping = {}
    for value in values:
        iri, sep, file = value.rpartition("=")
        if not sep or not iri or not file:
            raise UsageError(f"--context {value!r}: write IRI=FILE")
        if not Path(file).is_file():
            raise UsageError(f"--context {value!r}: no such file {file}")
        mapping[iri] = Path(file)
    return mapping


@click.command("dcat")
@click.argument("sources", nargs=-1, required=True)
@output_dir_option("Write each draft to DIR/<id>.ttl [default: print the drafts].")
@loss_report_format_option
@click.option("--lang", default="en", show_default=True, help="Language of text without a language tag.")
@click.option(
    "--context",
    "contexts",
    multiple=True,
    metavar="IRI=FILE",
    help="A local copy of a remote JSON-LD context (remote contexts are never fetched).",
)
@click.option(
    "--input-format",
    type=click.Choice(["turtle", "rdfxml", "jsonld", "ntriples", "nquads", "trig"]),
    help="Format of the input when the extension or Content-Type does not say.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_PAGES,
    show_default=True,
    help="Hydra pages to read at most from a URL.",
)
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0.001),
    default=DEFAULT_MAX_BYTES / 1024 / 1024,
    show_default=True,
    help="Abort a download larger than this.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait for the server (connect and between bytes).",
)
@agencies_option
def import_dcat_cmd(
    sources: tuple[str, ...],
    output: Path | None,
    fmt: str,
    lang: str,
    contexts: tuple[str, ...],
    input_format: str | None,
    max_pages: int,
    max_mb: float,
    timeout: float,
    agencies: Path,
) -> None:
    """Turn DCAT datasets (Turtle, RDF/XML, JSON-LD; file or URL) into draft survey records.

    SOURCES are files or http(s) URLs of CKAN or DCAT-AP catalogues; the Hydra pages of a
    URL are followed. One draft per dcat:Dataset; the report lists what was not carried
    over and the questionnaire items DCAT cannot answer (sample, design, populations, ...).

    \b
    Examples:
      migrmeta import dcat https://portal.example/catalog.ttl -o drafts/
      migrmeta import dcat dataset.jsonld --context https://example.org/ctx.jsonld=ctx.jsonld

    \b
    Exit codes: 0 every source imported, 2 usage error, 3 a source could not be read.
    """
    mapping = _contexts(contexts)
    book = Agencies.from_file(agencies)
    reports: list[LossReport] = []
    taken: set[str] = set()
    failed = False
    for source in sources:
        try:
            result = import_dcat(
                source,
                agencies=book,
                lang=lang,
                contexts=mapping,
                input_format=input_format,
                max_pages=max_pages,
                max_bytes=int(max_mb * 1024 * 1024),
                timeout=timeout,
            )
        except InputError as exc:
            click.echo(f"migrmeta: {exc}", err=True)
            failed = True
            continue
        for warning in result.warnings:
            click.echo(f"migrmeta: warning: {warning}", err=True)
        for error in result.errors:  # a later page failed: what was read is still imported
            click.echo(f"migrmeta: {error}", err=True)
            failed = True
        emit_drafts(result.drafts, output, reports, taken)
    echo_reports(reports, fmt, to_stderr=output is None)
    sys.exit(3 if failed else 0)


import_cmd.add_command(import_dcat_cmd)
