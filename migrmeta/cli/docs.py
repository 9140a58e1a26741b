"""`migrmeta docs items`: regenerate documentation made from the ontology."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_ITEMS = Path("docs/items.md")


@click.group("docs")
def docs_cmd() -> None:
    """Generate documentation from the ontology.

    \b
    Example:
      migrmeta docs items -o -
    """


@docs_cmd.command("items")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the table ('-' for standard output) [default: docs/items.md, regenerated "
                   "in place].")
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
def items_cmd(output: Path | None, force: bool) -> None:
    """Write the table questionnaire item -> ontology terms (docs/items.md).

    docs/items.md, the table's own file, is regenerated in place; a file given with
    --output is not replaced without --force.

    \b
    Example:
      migrmeta docs items -o -

    \b
    Exit codes: 0 written, 1 the --output file exists (not replaced without --force)
    or could not be written.
    """
    from migrmeta.io.files import check_output, write_output
    from migrmeta.load.reference import load_reference
    from migrmeta.reports.items import items_table

    target = output or DEFAULT_ITEMS
    replace = force or output is None  # the default file is regenerated on purpose
    if str(target) != "-":
        check_output(target, replace=replace)  # before the work, not after it
    text = items_table(load_reference())
    if str(target) == "-":
        click.echo(text, nl=False)
    else:
        write_output(target, text, force=replace)
        click.echo(f"wrote {target}")
