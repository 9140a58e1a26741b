"""`migrmeta import ...` and `migrmeta export ...`: the groups; each format adds its subcommand.

A format module (cli/form.py, cli/ddi.py, ...) does `import_cmd.add_command(...)` /
`export_cmd.add_command(...)` and is listed in cli.COMMANDS after this module.
"""

from __future__ import annotations

import click


@click.group("import")
def import_cmd() -> None:
    """Turn outside formats (forms, spreadsheets, DDI Codebook, DCAT) into survey records.

    Every importer checks what it writes with the shapes and reports problems in the
    contributor's terms (row and column, form key, DDI element).
    """


@click.group("export")
def export_cmd() -> None:
    """Write survey records in outside formats (forms, DDI Codebook, schema.org)."""
