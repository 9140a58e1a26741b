"""`migrmeta harvest oai URL`: OAI-PMH repositories -> draft survey records (formats/oai)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from migrmeta import defaults
from migrmeta.cli.convert import agencies_option, echo_reports, import_agencies, loss_report_format_option
from migrmeta.cli.progress import progress_bar, quiet_option


@click.group("harvest")
def harvest_cmd() -> None:
    """Pull survey metadata from the catalogues agencies run, as draft records.

    \b
    Example:
      migrmeta harvest oai https://catalog.example.org/oai -o drafts/ --set migration
    """


@harvest_cmd.command("oai")
@click.argument("url")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The drafts folder: DIR/<id>.ttl per survey, and DIR/.migrmeta-harvest.json, what was harvested.")
@click.option("--set", "set_spec", metavar="SPEC", help="Harvest only this OAI-PMH set.")
@click.option("--from", "from_", metavar="DATE", help="Records changed on or after DATE (YYYY-MM-DD) "
              "[default: since the last complete harvest into this folder, or the earliest record that failed "
              "since].")
@click.option("--until", metavar="DATE", help="Records changed on or before DATE (YYYY-MM-DD).")
@click.option("--full", is_flag=True, help="Ask for every record, not only those changed since the last harvest.")
@click.option("--record", metavar="OAI-ID", help="Harvest this one record (GetRecord).")
@click.option("--prefix", metavar="PREFIX", help="Use this metadataPrefix [default: the richest offered: "
              "DDI Codebook 2.6, 2.5, 1.2.2, else oai_dc].")
@click.option("--prune", is_flag=True, help="Delete the drafts of records deleted at the source.")
@loss_report_format_option
@click.option("--lang", default="en", show_default=True, help="Language of text without xml:lang.")
@agencies_option
@click.option("--timeout", type=click.FloatRange(min=0.1), default=defaults.HTTP_TIMEOUT, show_default=True,
              help="Seconds to wait for each answer.")
@click.option("--retries", type=click.IntRange(min=0), default=defaults.HTTP_RETRIES, show_default=True,
              help="Retries on connection errors, 429 and 5xx answers (503 + Retry-After is honoured).")
@quiet_option
@click.option("--max-pages", type=click.IntRange(min=1), default=defaults.OAI_MAX_PAGES, show_default=True,
              help="Stop after this many pages of records.")
def harvest_oai_cmd(url: str, output: Path, set_spec: str | None, from_: str | None, until: str | None, full: bool,
                    record: str | None, prefix: str | None, prune: bool, fmt: str, lang: str, agencies: Path,
                    timeout: float, retries: int, quiet: bool, max_pages: int) -> None:
    """Harvest an OAI-PMH 2.0 repository into draft survey records, with loss reports.

    URL is the repository's base URL (NADA: .../index.php/oai; Dataverse: .../oai). Each
    record becomes a draft as `import ddi` makes it, with the OAI identifier and datestamp
    as provenance (dct:source, the GetRecord URL; prov:wasDerivedFrom). The next harvest
    into the same folder asks only for what changed since; records deleted at the source
    are reported, and their drafts deleted with --prune.

    \b
    Examples:
      migrmeta harvest oai https://catalog.ihsn.org/index.php/oai -o drafts/ --set migration
      migrmeta harvest oai https://datacatalogue.cessda.eu/oai-pmh/v0/oai -o drafts/ --from 2024-01-01
      migrmeta harvest oai https://dataverse.example.org/oai -o drafts/ --prune --format json > loss.json

    \b
    Exit codes: 0 harvested, 1 the repository failed or answered an OAI-PMH error (what was
    harvested is kept), 2 usage error, 3 a record or a page could not be read (the others are
    harvested; a record that failed is asked for again by the next harvest), or the harvest
    state DIR/.migrmeta-harvest.json cannot be read or names anything but an <id>.ttl in DIR.
    """
    from migrmeta.formats.oai import HarvestOptions, OaiClient, harvest, render_harvest
    from migrmeta.io.http import HttpClient

    options = HarvestOptions(set_spec=set_spec, from_=from_, until=until, prefix=prefix, record=record, prune=prune,
                             full=full, lang=lang, agencies=import_agencies(agencies))
    client = OaiClient(url, HttpClient(timeout=timeout, retries=retries), max_pages=max_pages)
    with progress_bar(quiet) as progress:
        report = harvest(url, output, options, client, progress)
    echo_reports(report.reports, fmt, to_stderr=False)
    click.echo(render_harvest(report), nl=False, err=True)
    sys.exit(report.exit_code())
