"""`migrmeta import ...` and `migrmeta export ...`: the groups; each format adds its subcommand.

A format module (cli/form.py, cli/ddi.py, ...) does `import_cmd.add_command(...)` /
`export_cmd.add_command(...)` and is listed in cli.COMMANDS after this module. The options
that several converters share are declared here once, as decorators.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from click.decorators import FC

from migrmeta.load import agencies_beside

AGENCIES = Path("records/agencies.ttl")
REPORT_FORMATS = click.Choice(["text", "json"])


def output_dir_option(help: str) -> Callable[[FC], FC]:
    """`--output/-o DIR`: where the converter writes one file per record; `help` says which."""
    return click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help=help)


loss_report_format_option = click.option(
    "--format",
    "fmt",
    type=REPORT_FORMATS,
    default="text",
    show_default=True,
    help="Loss report for people (text) or machines (json).",
)

agencies_option = click.option(
    "--agencies",
    type=click.Path(dir_okay=False, path_type=Path),
    default=AGENCIES,
    show_default=True,
    help="Known agencies: names and acronyms are matched against them (skipped if absent).",
)


def agencies_near(agencies: Path, inputs: tuple[str, ...]) -> Path:
    """The agencies file: the option's, else agencies.ttl next to the first record given."""
    if agencies.is_file() or agencies != AGENCIES or not inputs:
        return agencies
    return agencies_beside(inputs[0]) or agencies


@click.group("import")
def import_cmd() -> None:
    """Turn outside formats (forms, spreadsheets, DDI Codebook, DCAT) into survey records.

    Problems are reported in the contributor's terms (row and column, form key, DDI
    element): the form and sheet importers check their output with the shapes; the DDI and
    DCAT importers report what they could not carry over and the items still to answer.
    """


@click.group("export")
def export_cmd() -> None:
    """Write survey records in outside formats (forms, DDI Codebook, schema.org)."""
