"""`migrmeta diff OLD NEW`: what changed in the catalogue, per survey and questionnaire item."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices
from migrmeta.errors import PublishError, UsageError


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(defaults.DIFF_FORMATS), default="text", show_default=True,
              help="text for people, markdown for a changelog or a pull request, json for machines.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the diff to a file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def diff_cmd(old: str, new: str, fmt: str, output: Path | None, force: bool) -> None:
    """Show what changed between two catalogues, survey by survey.

    OLD and NEW are each a folder (or file) of records, a published site (its
    catalog.ttl), a dataset written by merge (.trig, .nq: its graphs as merged, without
    the values a conflict set aside), or a git revision of the records, written
    git:REV[:PATH] (PATH relative to the current directory, records/ by default). A site or
    merged dataset compared with records is read as its contributions said it: every
    contribution, the values a conflict set aside included, without the DCAT-AP profile's
    additions, so it and all the records it was made from do not differ (compared with
    only some of them, the others' values are listed as added). For each survey or series added,
    removed or changed, the diff lists the questionnaire item, the field, and the old and
    new values; blank nodes (periods, attributions) are compared by content, not label.
    Agencies are compared too, after the surveys: a renamed agency, or one whose home page
    moved, is listed with its fields, though no survey record changed.
    The same two inputs always give the same bytes.

    \b
    Examples:
      migrmeta diff git:HEAD~1 records/
      migrmeta diff git:v1.0:records/ git:v1.1:records/ --format markdown
      migrmeta diff /var/www/migrmeta site/ --format json

    \b
    Exit codes: 0 nothing changed, 1 something changed, 2 usage error (e.g. the output file
    exists: not replaced without --force), 3 an input could not be read (no diff is shown: a
    record that cannot be read is not a removed survey).
    """
    from migrmeta.io.files import check_output, write_output
    from migrmeta.merging.changes import render
    from migrmeta.merging.diff import diff_catalogues
    from migrmeta.merging.snapshot import read_snapshots

    if output is not None:
        try:
            check_output(output, replace=force, inputs=[old, new])  # before the work, not after it
        except PublishError as exc:  # exit 1 is "something changed" here: a file not replaced is a usage error
            raise UsageError(exc.message, hint=exc.hint) from exc
    before, after = read_snapshots(old, new)
    say_notices([*before.notices, *after.notices])
    errors = [*before.errors, *after.errors]
    if errors:
        for error in errors:
            click.echo(f"migrmeta: {error.cli_text()}", err=True)
        click.echo("migrmeta: no diff: fix the records above first (an unreadable record is not a removed one)",
                   err=True)
        sys.exit(3)
    changes = diff_catalogues(before, after)
    text = render(changes, fmt)
    if output is not None:
        write_output(output, text, force=force, inputs=[old, new])
    else:
        click.echo(text, nl=False)
    sys.exit(changes.exit_code())
