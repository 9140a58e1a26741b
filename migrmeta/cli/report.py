"""`migrmeta report inventory`."""

from __future__ import annotations

from pathlib import Path

import click

from migrmeta import defaults


@click.group("report")
def report_cmd() -> None:
    """Reports on the catalogue."""


@report_cmd.command("inventory")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(defaults.INVENTORY_FORMATS), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def inventory_cmd(paths: tuple[str, ...], fmt: str, output: Path | None, force: bool) -> None:
    """The inventory: one row per survey with items 1, 3, 4, 6, 8, 12 and 14, and the share of
    surveys answering each item, overall and per conducting agency.

    \b
    Examples:
      migrmeta report inventory                       # Markdown, records/
      migrmeta report inventory --format html -o inventory.html
      migrmeta report inventory --format csv records/ > inventory.csv
    """
    from migrmeta.io.files import check_output, write_output
    from migrmeta.reports.inventory import RENDERERS, build_inventory

    if output:
        check_output(output, replace=force)
    inventory = build_inventory(list(paths) or [defaults.RECORDS])
    for problem in inventory.problems:
        click.echo(f"migrmeta: skipped {problem}", err=True)
    text = RENDERERS[fmt](inventory)
    if output:
        write_output(output, text, force=force)
        click.echo(f"wrote {output} ({len(inventory.rows)} surveys)", err=True)
    else:
        click.echo(text, nl=False)
    if inventory.problems:
        raise SystemExit(3)
