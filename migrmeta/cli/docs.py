"""`migrmeta docs items`: regenerate documentation made from the ontology."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("docs")
def docs_cmd() -> None:
    """Generate documentation from the ontology."""


@docs_cmd.command("items")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=Path("docs/items.md"),
              show_default=True, help="Where to write the table ('-' for standard output).")
def items_cmd(output: Path) -> None:
    """Write the table questionnaire item -> ontology terms (docs/items.md).

    \b
    Example:
      migrmeta docs items -o -
    """
    from migrmeta.io.files import write_atomically
    from migrmeta.load.reference import load_reference
    from migrmeta.reports.items import items_table

    text = items_table(load_reference())
    if str(output) == "-":
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)  # regenerated on purpose: replaced, atomically
        click.echo(f"wrote {output}")
