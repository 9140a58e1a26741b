"""`migrmeta import dcat`: DCAT catalogues (files or URLs) -> draft survey records."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from migrmeta import defaults
from migrmeta.cli.convert import (
    agencies_option,
    echo_import,
    force_option,
    import_agencies,
    loss_report_format_option,
    output_dir_option,
)
from migrmeta.cli.progress import progress_bar, quiet_option
from migrmeta.errors import UsageError


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
@click.option("--context", "contexts", multiple=True, metavar="IRI=FILE",
              help="A local copy of a remote JSON-LD context (remote contexts are never fetched).")
@click.option("--input-format", type=click.Choice(defaults.INPUT_FORMATS),
              help="Format of the input when the extension or Content-Type does not say.")
@click.option("--max-pages", type=click.IntRange(min=1), default=defaults.DCAT_MAX_PAGES, show_default=True,
              help="Hydra pages to read at most from a URL.")
@click.option("--max-mb", type=click.FloatRange(min=0.001), default=defaults.DCAT_MAX_MB, show_default=True,
              help="Abort a download larger than this.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=defaults.DCAT_TIMEOUT, show_default=True,
              help="Seconds to wait for a portal (to connect, and between bytes).")
@agencies_option
@force_option
@quiet_option
def import_cmd(sources: tuple[str, ...], output: Path | None, fmt: str, lang: str, contexts: tuple[str, ...],
               input_format: str | None, max_pages: int, max_mb: float, timeout: float, agencies: Path,
               force: bool, quiet: bool) -> None:
    """Turn DCAT catalogues or datasets into draft survey records, with a loss report.

    SOURCES are files (Turtle, RDF/XML, JSON-LD, N-Triples) or http(s) URLs: DCAT-AP
    portals, CKAN's catalog.ttl/.jsonld, Project Open Data data.json with its @context.
    Remote JSON-LD contexts are never fetched: give a local copy with --context. Hydra
    pages of a URL are followed (same site only). One draft per dcat:Dataset; the report
    lists what was not carried over and the questionnaire items DCAT cannot answer
    (sample, design, populations, ...).

    \b
    Examples:
      migrmeta import dcat https://portal.example/catalog.ttl -o drafts/
      migrmeta import dcat dataset.jsonld --context https://example.org/ctx.jsonld=ctx.jsonld

    \b
    Exit codes: 0 every source imported, 1 a draft was not written (its file exists: --force
    replaces it), 2 usage error, 3 a source could not be read.
    """
    from migrmeta.formats.importing import import_records

    with progress_bar(quiet) as progress:
        result = import_records("dcat", sources, output=output, force=force, agencies=import_agencies(agencies),
                                lang=lang, contexts=_contexts(contexts), input_format=input_format,
                                max_pages=max_pages, max_bytes=int(max_mb * 1_000_000), timeout=timeout,
                                progress=progress)
    echo_import(result, output, fmt)
    sys.exit(result.exit_code())
