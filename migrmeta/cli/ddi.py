"""`migrmeta import ddi` and `migrmeta export ddi`; `emit_drafts` is shared with `import dcat`."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click
from rdflib import Graph

from migrmeta.cli.convert import (
    agencies_near,
    agencies_option,
    export_cmd,
    import_cmd,
    loss_report_format_option,
    output_dir_option,
)
from migrmeta.errors import InputError, UsageError
from migrmeta.formats.ddi.reader import read_ddi
from migrmeta.formats.ddi.writer import export_ddi, surveys_in, validate_ddi
from migrmeta.formats.harmonize import Draft, write_draft
from migrmeta.formats.loss import LossReport, render_json, render_text
from migrmeta.load import iter_records, read_input
from migrmeta.namespaces import DCT
from migrmeta.values.agencies import Agencies


def emit_drafts(drafts: Iterable[Draft], output: Path | None, reports: list[LossReport], taken: set[str]) -> None:
    """Write each draft to OUTPUT/<id>.ttl (<id>-2.ttl... when an id repeats in this run), or
    print them; collect their reports."""
    for draft in drafts:
        if output is not None:
            write_draft(draft, output, taken)
        else:
            click.echo(draft.turtle())
        reports.append(draft.report)


def echo_reports(reports: list[LossReport], fmt: str, to_stderr: bool) -> None:
    text = render_json(reports) if fmt == "json" else render_text(reports)
    click.echo(text, nl=False, err=to_stderr)


def _ddi_files(paths: Iterable[str]) -> list[str]:
    files: list[str] = []
    for raw in paths:
        path = Path(raw)
        files.extend(str(p) for p in sorted(path.rglob("*.xml"))) if path.is_dir() else files.append(raw)
    return files


@click.command("ddi")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@output_dir_option("Write each draft to DIR/<id>.ttl [default: print the drafts].")
@loss_report_format_option
@click.option("--lang", default="en", show_default=True, help="Language of DDI text without xml:lang.")
@agencies_option
def import_ddi_cmd(files: tuple[str, ...], output: Path | None, fmt: str, lang: str, agencies: Path) -> None:
    """Turn DDI Codebook files into draft survey records, with a loss report.

    FILES are DDI Codebook 1.2.2, 2.5 or 2.6 XML files (UTF-8 or UTF-16), bare or inside
    an OAI-PMH response, or directories of them. Each study becomes a draft record; the
    report lists the DDI elements that were not carried over (path and count) and the
    questionnaire items the curator must still answer.

    \b
    Examples:
      migrmeta import ddi study.xml -o drafts/
      migrmeta import ddi harvest/ -o drafts/ --format json > loss.json

    \b
    Exit codes: 0 every file imported, 3 a file could not be read (the others still are).
    """
    book = Agencies.from_file(agencies)
    reports: list[LossReport] = []
    taken: set[str] = set()
    failed = False
    for name in _ddi_files(files):
        try:
            drafts = read_ddi(name, agencies=book, lang=lang)
        except InputError as exc:
            click.echo(f"migrmeta: {exc}", err=True)
            failed = True
            continue
        emit_drafts(drafts, output, reports, taken)
    echo_reports(reports, fmt, to_stderr=output is None)
    sys.exit(3 if failed else 0)


@click.command("ddi")
@click.argument("records", nargs=-1, type=click.Path(path_type=str))
@output_dir_option("Write DIR/<id>.xml per survey [default: print, for a single survey].")
@loss_report_format_option
@click.option(
    "--xsd",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Check each file against a local copy of the DDI-C 2.5 XSD (codebook.xsd).",
)
@agencies_option
def export_ddi_cmd(records: tuple[str, ...], output: Path | None, fmt: str, xsd: Path | None, agencies: Path) -> None:
    """Write survey records as DDI Codebook 2.5 XML, one file per survey.

    RECORDS are record files or directories [default: records/]. The report lists what DDI
    Codebook cannot hold (by property and questionnaire item).

    \b
    Examples:
      migrmeta export ddi -o ddi/
      migrmeta export ddi records/ph-sof.ttl --xsd schema-2.5.1/codebook.xsd -o ddi/

    \b
    Exit codes: 0 written, 1 a file does not validate against --xsd, 2 usage error,
    3 a record could not be read.
    """
    names = Graph()
    agencies = agencies_near(agencies, records)
    if agencies.is_file():
        names = read_input(str(agencies)).graph
    loaded, failed = [], False
    for record in iter_records(list(records) or ["records"]):
        if isinstance(record, InputError):
            click.echo(f"migrmeta: {record}", err=True)
            failed = True
        else:
            loaded.append(record)
            names += record.graph if not surveys_in(record.graph) else Graph()
    surveys = [(r, s) for r in loaded for s in surveys_in(r.graph)]
    if not surveys and not failed:
        raise InputError(", ".join(records) or "records", "holds no survey to export",
                         hint="give survey records (agencies.ttl only describes agencies)")
    if output is None and len(surveys) > 1:
        raise UsageError(f"{len(surveys)} surveys to export: give a directory with -o DIR")
    reports: list[LossReport] = []
    invalid = False
    for record, survey in surveys:
        xml, report = export_ddi(record.graph, survey, agencies=names, source=record.source)
        identifier = str(record.graph.value(survey, DCT.identifier) or str(survey).rsplit("/", 1)[-1])
        for error in validate_ddi(xml, xsd) if xsd else []:
            click.echo(f"migrmeta: {record.source}: {survey}: not valid DDI-C 2.5: {error}", err=True)
            invalid = True
        if output is not None:
            target = output / f"{identifier}.xml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(xml)
            report.output = str(target)
        else:
            click.echo(xml.decode("utf-8"), nl=False)
        reports.append(report)
    echo_reports(reports, fmt, to_stderr=output is None)
    sys.exit(3 if failed else 1 if invalid else 0)


import_cmd.add_command(import_ddi_cmd)
export_cmd.add_command(export_ddi_cmd)
