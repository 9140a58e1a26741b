"""`migrmeta import ...` and `migrmeta export ...`: groups built from the converter registry.

Each converter of `migrmeta.formats.registry` with a reader is `migrmeta import NAME`, each
with a writer `migrmeta export NAME`; the commands live in `cli/<name>.py` as `import_cmd` /
`export_cmd`. The options and the reporting several converters share are declared here once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.decorators import FC

from migrmeta import defaults
from migrmeta.cli import LazyGroup
from migrmeta.cli.spoken import remember_language
from migrmeta.formats.registry import readers, writers

if TYPE_CHECKING:
    from migrmeta.formats.importing import ImportResult
    from migrmeta.formats.loss import LossReport
    from migrmeta.values.agencies import Agencies

AGENCIES = defaults.RECORDS / "agencies.ttl"


def output_dir_option(help: str) -> Callable[[FC], FC]:
    """`--output/-o DIR`: where the converter writes one file per record; `help` says which."""
    return click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help=help)


loss_report_format_option = click.option(
    "--format", "fmt", type=click.Choice(defaults.LOSS_REPORT_FORMATS), default="text", show_default=True,
    help="Loss report for people (text) or machines (json).")

agencies_option = click.option(
    "--agencies", type=click.Path(dir_okay=False, path_type=Path), default=AGENCIES, show_default=True,
    help="Known agencies: names and acronyms are matched against them (skipped if absent).")

force_option = click.option("--force", is_flag=True, help="Replace files that exist already (never links or devices).")

lang_option = click.option("--lang", type=click.Choice(defaults.LANGUAGES), default="en", show_default=True,
                           callback=remember_language, help="Language of the questions, headers and messages.")


def import_agencies(agencies: Path) -> Agencies:
    """The agencies an importer matches names against: --agencies; by default records/agencies.ttl
    here, else (outside a catalogue's folder) the agencies bundled with migrmeta, those `validate`
    knows, so a known agency is not minted again under a new IRI."""
    from migrmeta import resources
    from migrmeta.values.agencies import Agencies

    if agencies == AGENCIES and not agencies.is_file():
        return Agencies.from_file(resources.bundled_agencies())
    return Agencies.from_file(agencies)


def agencies_near(agencies: Path, inputs: tuple[str, ...]) -> Path:
    """The agencies file: the option's, else agencies.ttl next to the first record given."""
    from migrmeta.load import agencies_beside

    if agencies.is_file() or agencies != AGENCIES or not inputs:
        return agencies
    return agencies_beside(inputs[0]) or agencies


def echo_reports(reports: list[LossReport], fmt: str, to_stderr: bool) -> None:
    from migrmeta.formats.loss import render_json, render_text

    text = render_json(reports) if fmt == "json" else render_text(reports)
    click.echo(text, nl=False, err=to_stderr)


def echo_import(result: ImportResult, output: Path | None, fmt: str | None) -> None:
    """Messages and unreadable sources on stderr; drafts on stdout unless written; the loss report."""
    for message in result.messages:
        click.echo(f"migrmeta: {message.cli_text()}", err=True)
    for error in result.errors:
        click.echo(f"migrmeta: {error.cli_text()}", err=True)
    if output is None:
        for draft in result.drafts:
            click.echo(draft.turtle())
    if fmt is not None:
        echo_reports(result.reports, fmt, to_stderr=output is None)


import_cmd = LazyGroup("import", lazy={c.name: f"migrmeta.cli.{c.name}:import_cmd" for c in readers()},
                       help="""Turn outside formats (forms, spreadsheets, DDI Codebook, DCAT) into survey records.

    Problems are reported in the contributor's terms (row and column, form key, DDI
    element): the form and sheet importers check their output with the shapes; the DDI and
    DCAT importers report what they could not carry over and the items still to answer.

    \b
    Examples:
      migrmeta import sheet surveys.xlsx -o records/
      migrmeta import ddi study.xml -o drafts/
      migrmeta import dcat https://data.example.org/catalog.ttl -o drafts/
    """)
export_cmd = LazyGroup("export", lazy={c.name: f"migrmeta.cli.{c.name}:export_cmd" for c in writers()},
                       help="""Write survey records in outside formats (forms, DDI Codebook, schema.org).

    \b
    Examples:
      migrmeta export ddi records/ -o ddi/
      migrmeta export schemaorg records/mmp.ttl
      migrmeta export form records/ph-sof.ttl -o ph-sof.yaml
    """)
