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
        raise UsageError(f"{len(result.documents)} surveys and series to export: give {single} with -o DIR")
    for document in result.documents:
        for problem in document.problems:
            click.echo(f"migrmeta: {document.source}: {document.survey}: {problem}", err=True)
    _say_nonconforming(result)
    if output is None and single is not None:
        for document in result.documents:
            click.echo(document.data.decode("utf-8"), nl=False)
    return result


def _say_nonconforming(result: ExportResult) -> None:
    """A record exported with violations is said (the file carries its mistakes: a reversed
    time frame, a country code that is none); checked as validate checks it, from its cache."""
    from migrmeta.messages import plural
    from migrmeta.validation.runner import validate

    sources = sorted({d.source for d in result.documents if d.source != "-"})
    if not sources:
        return
    report = validate(sources)
    for record in report.records:
        violations = sum(1 for f in record.findings if f.severity == "violation")
        if violations and record.source in sources:
            click.echo(f"migrmeta: warning: {record.source} does not conform to the questionnaire "
                       f"({plural(violations, 'violation')}), and what is exported from it carries its mistakes; "
                       f"see `migrmeta validate {record.source}`", err=True)
