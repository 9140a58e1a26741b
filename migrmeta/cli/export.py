"""The part of every `migrmeta export NAME` that is the same: run the library's export loop,
print the documents (or say where they went) and the problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices
from migrmeta.cli.progress import progress_bar
from migrmeta.errors import UsageError
from migrmeta.formats.exporting import ExportResult, export_records


def run_export(name: str, records: tuple[str, ...], output: Path | None, agencies: Path | None, *,
               single: str | None = None, quiet: bool = False, force: bool = False,
               **options: Any) -> ExportResult:
    """Export, then report. `single`: the output cannot go to standard output for several
    documents (say what to give instead)."""
    with progress_bar(quiet) as progress:
        result = export_records(name, list(records) or [str(defaults.RECORDS)], output=output, agencies=agencies,
                                progress=progress, force=force, **options)
    say_notices(result.notices)
    for error in [*result.errors, *result.refused]:
        click.echo(f"migrmeta: {error.cli_text()}", err=True)
    if output is None and single is not None and len(result.documents) > 1:
        raise UsageError(f"{len(result.documents)} surveys to export: give {single} with -o DIR")
    for document in result.documents:
        for problem in document.problems:
            click.echo(f"migrmeta: {document.source}: {document.survey}: {problem}", err=True)
    if output is None and single is not None:
        for document in result.documents:
            click.echo(document.data.decode("utf-8"), nl=False)
    return result
