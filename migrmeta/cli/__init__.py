"""The `migrmeta` command: a thin click shell over the library.

Only this package prints or exits. Errors map to exit codes in one place (`main`):
0 conforms, 1 does not conform (or the operation failed), 2 usage error, 3 unreadable input.
Each command lives in its own module and is registered in COMMANDS below.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from migrmeta.errors import MigrmetaError

EPILOG = """\b
Exit codes: 0 conforms, 1 does not conform or failed, 2 usage error, 3 unreadable input.
Docs: README.md and docs/ in the repository."""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(None, "--version", "-V", package_name="migrmeta", prog_name="migrmeta")
def cli() -> None:
    """migrmeta: a linked-data catalogue of surveys on international migration.

    Surveys are described by the 14 items of the UN Population Division's 2007
    questionnaire, as RDF aligned with DCAT-AP 3 and DDI, checked with SHACL.

    \b
    Examples:
      migrmeta validate                    # check records/ against the questionnaire
      migrmeta validate --lang fr my.ttl   # messages in French
      migrmeta publish                     # publish records/ to site/
    """


# (module, attribute): one line per command. A module that only adds subcommands to
# `import` / `export` (cli/convert.py) is listed with attribute None.
COMMANDS: list[tuple[str, str | None]] = [
    ("validate", "validate_cmd"),
    ("docs", "docs_cmd"),
    ("countries", "countries_cmd"),
    ("report", "report_cmd"),
    ("convert", "import_cmd"),
    ("convert", "export_cmd"),
    ("ddi", None),
    ("schemaorg", None),
    ("dcat", None),
    ("query", "query_cmd"),
    ("push", "push_cmd"),
    ("form", "template_cmd"),  # also adds `import form|sheet`, `export form`
    ("form", "new_cmd"),
    ("merge", "merge_cmd"),
    ("publish", "publish_cmd"),
    ("harvest", "harvest_cmd"),
    ("diff", "diff_cmd"),
]


def _register() -> None:
    for module, attribute in COMMANDS:
        try:
            loaded = import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as exc:  # a command whose optional module is absent
            if exc.name and exc.name.startswith(__name__):
                continue
            raise
        command = getattr(loaded, attribute) if attribute else None
        if isinstance(command, click.Command):
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, map errors to exit codes, never show a traceback for them."""
    try:
        code = cli.main(args=argv, prog_name="migrmeta", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except MigrmetaError as exc:
        click.echo(f"migrmeta: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except OSError as exc:  # an output that cannot be written: the file system's own reason
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"migrmeta: {where}{exc.strerror or exc}", err=True)
        click.echo("  hint: check that the folder exists and that you may write there", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
