"""The `migrmeta` command: a thin click shell over the library.

Only this package prints or exits. Errors map to exit codes in one place (`main`):
0 conforms, 1 does not conform (or the operation failed), 2 usage error, 3 unreadable input.

Each command lives in its own module, registered below by name ("module:attribute") and
imported only when it runs or its help is shown, so `migrmeta --help` does not pay for
rdflib, pySHACL and the rest. Command modules import the library inside their functions
for the same reason; their option defaults come from `migrmeta.defaults`.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import click

from migrmeta.errors import MigrmetaError

EPILOG = """\b
Exit codes: 0 conforms, 1 does not conform or failed, 2 usage error, 3 unreadable input.
Docs: README.md and docs/ in the repository."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are needed, not at start-up."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MigrmetaError as exc:  # `main` says it in the command's --lang
            from migrmeta.cli.spoken import spoken_language

            exc.spoken = spoken_language(ctx)
            raise

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


# name -> "module:attribute": one line per command
COMMANDS: dict[str, str] = {
    "validate": "migrmeta.cli.validate:validate_cmd",
    "publish": "migrmeta.cli.publish:publish_cmd",
    "merge": "migrmeta.cli.merge:merge_cmd",
    "query": "migrmeta.cli.query:query_cmd",
    "push": "migrmeta.cli.push:push_cmd",
    "import": "migrmeta.cli.convert:import_cmd",
    "export": "migrmeta.cli.convert:export_cmd",
    "template": "migrmeta.cli.template:template_cmd",
    "new": "migrmeta.cli.new:new_cmd",
    "report": "migrmeta.cli.report:report_cmd",
    "docs": "migrmeta.cli.docs:docs_cmd",
    "countries": "migrmeta.cli.countries:countries_cmd",
    "harvest": "migrmeta.cli.harvest:harvest_cmd",
    "diff": "migrmeta.cli.diff:diff_cmd",
}


def _limits(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    if value:
        from migrmeta.limits import DEFAULT_LIMITS, using

        ctx.with_resource(using(DEFAULT_LIMITS.with_settings(list(value))))
    return value


@click.group(cls=LazyGroup, lazy=COMMANDS, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(None, "--version", "-V", package_name="migrmeta", prog_name="migrmeta")
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE", callback=_limits, expose_value=False,
              help="Raise or lower a limit on untrusted input for this run (repeatable), e.g. --limit depth=64; "
                   "the limits and their defaults: docs/security.md.")
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


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, map errors to exit codes, never show a traceback for them."""
    import logging

    # rdflib logs a traceback for each ill-typed literal ("2019-13-45"^^xsd:date); the finding says it
    logging.getLogger("rdflib.term").addHandler(logging.NullHandler())
    logging.getLogger("rdflib.term").propagate = False
    try:
        code = cli.main(args=argv, prog_name="migrmeta", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except MigrmetaError as exc:
        from migrmeta.cli.spoken import error_said
        from migrmeta.io.cells import terminal_text  # data quoted in a message never drives the terminal

        click.echo(f"migrmeta: {terminal_text(error_said(exc, exc.spoken))}", err=True)
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
