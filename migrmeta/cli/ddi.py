"""`migrmeta import ddi` and `migrmeta export ddi`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from migrmeta.cli.convert import (
    agencies_near,
    agencies_option,
    echo_import,
    echo_reports,
    force_option,
    import_agencies,
    loss_report_format_option,
    output_dir_option,
)
from migrmeta.cli.progress import progress_bar, quiet_option


@click.command("ddi")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@output_dir_option("Write each draft to DIR/<id>.ttl [default: print the drafts].")
@loss_report_format_option
@click.option("--lang", default="en", show_default=True, help="Language of DDI text without xml:lang.")
@agencies_option
@force_option
@quiet_option
def import_cmd(files: tuple[str, ...], output: Path | None, fmt: str, lang: str, agencies: Path, force: bool,
               quiet: bool) -> None:
    """Turn DDI Codebook files into draft survey records, with a loss report.

    FILES are DDI Codebook 1.2.2, 2.5 or 2.6 XML files (UTF-8 or UTF-16), bare or inside
    an OAI-PMH response, or directories of them. Each study becomes a draft record; the
    report lists the DDI elements that were not carried over (path and count) and the
    questionnaire items the curator must still answer or complete.

    \b
    Examples:
      migrmeta import ddi study.xml -o drafts/
      migrmeta import ddi harvest/ -o drafts/ --format json > loss.json

    \b
    Exit codes: 0 every file imported, 1 a draft was not written (its file exists: --force
    replaces it), 2 usage error, 3 a file could not be read (the others still are).
    """
    from migrmeta.formats.importing import import_records

    with progress_bar(quiet) as progress:
        result = import_records("ddi", files, output=output, force=force, agencies=import_agencies(agencies),
                                lang=lang, progress=progress)
    echo_import(result, output, fmt)
    sys.exit(result.exit_code())


@click.command("ddi")
@click.argument("records", nargs=-1, type=click.Path(path_type=str))
@output_dir_option("Write DIR/<id>.xml per survey and series [default: print, for a single survey].")
@loss_report_format_option
@click.option("--xsd", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Check each file against a local copy of the DDI-C 2.5 XSD (codebook.xsd).")
@agencies_option
@quiet_option
@force_option
def export_cmd(records: tuple[str, ...], output: Path | None, fmt: str, xsd: Path | None, agencies: Path,
               quiet: bool, force: bool) -> None:
    """Write survey records as DDI Codebook 2.5 XML, one file per survey and per series.

    The files are those publish writes as site/surveys/<id>.xml: a series is a codebook too
    (its rounds in its series statement), wherever its rounds' records are.

    RECORDS are record files or directories [default: records/]. The report lists what DDI
    Codebook cannot hold (by property and questionnaire item). A record that does not conform
    to the questionnaire is exported all the same, with a warning.

    \b
    Examples:
      migrmeta export ddi -o ddi/
      migrmeta export ddi records/ph-sof.ttl --xsd schema-2.5.1/codebook.xsd -o ddi/

    \b
    Exit codes: 0 written, 1 a file does not validate against --xsd or exists already (not
    replaced without --force), 2 usage error, 3 a record could not be read.
    """
    from migrmeta.cli.export import run_export

    agencies = agencies_near(agencies, records)
    result = run_export("ddi", records, output, agencies if agencies.is_file() else None, single="a directory",
                        force=force, xsd=xsd, quiet=quiet)
    echo_reports(result.reports, fmt, to_stderr=output is None)
    sys.exit(result.exit_code())
