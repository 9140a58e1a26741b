"""`migrmeta import sheet`: a spreadsheet (XLSX or CSV), one survey per row, into records."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from migrmeta.cli.convert import force_option, lang_option
from migrmeta.cli.form import catalogue_option, load_catalogue, said
from migrmeta.cli.progress import progress_bar, quiet_option
from migrmeta.cli.spoken import error_said


@click.command("sheet")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Directory for the records (<id>.ttl).")
@lang_option
@catalogue_option
@force_option
@quiet_option
def import_cmd(file: Path, out_dir: Path, lang: str, catalogue_dir: Path, force: bool, quiet: bool) -> None:
    """Turn each row of a spreadsheet (XLSX or CSV) into a record.

    Rows whose survey id starts with # are skipped (the template's example). Rows without
    problems are written even when others fail; problems name the row and the column.

    \b
    Examples:
      migrmeta template --format xlsx -o surveys.xlsx
      migrmeta import sheet surveys.xlsx -o records/

    \b
    Exit codes: 0 every row written, 1 a row has problems (the others are written) or the
    sheet has no survey row (an unfilled template), 3 the file cannot be read.
    """
    from migrmeta.formats.importing import import_records

    with progress_bar(quiet) as progress:
        result = import_records("sheet", [str(file)], output=out_dir, force=force, lang=lang,
                                catalogue=load_catalogue(catalogue_dir, lang), progress=progress)
    from migrmeta.messages import message, translate

    for note in result.messages:
        click.echo(said(note, lang), err=True)
    for error in result.errors:
        click.echo(f"migrmeta: {error_said(error, lang)}", err=True)
    for draft in result.drafts:
        if draft.report.output:
            click.echo(message("sheet.wrote", lang, where=translate(draft.origin, lang), file=draft.report.output),
                       err=True)
    if not result.units and not result.errors:
        click.echo(message("sheet.no_rows", lang, file=file), err=True)
    failed = result.units - len(result.written)
    click.echo(message("sheet.summary", lang, file=file, rows=result.units, written=len(result.written),
                       failed=failed), err=True)
    unreadable = any(e.location.source == str(file) for e in result.errors)
    empty = not result.units  # a template sent back unfilled: nothing imported is not success
    sys.exit(3 if unreadable else 0 if failed == 0 and result.exit_code() == 0 and not empty else 1)
