"""`migrmeta export schemaorg`: schema.org Dataset JSON-LD for dataset search engines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from migrmeta.cli.convert import (
    agencies_near,
    agencies_option,
    echo_reports,
    force_option,
    loss_report_format_option,
    output_dir_option,
)
from migrmeta.cli.progress import quiet_option


@click.command("schemaorg")
@click.argument("records", nargs=-1, type=click.Path(path_type=str))
@output_dir_option("Write DIR/<id>.jsonld per survey [default: print one JSON document].")
@loss_report_format_option
@click.option("--lang", default="en", show_default=True, help="Language of names and descriptions.")
@agencies_option
@quiet_option
@force_option
def export_cmd(records: tuple[str, ...], output: Path | None, fmt: str, lang: str, agencies: Path, quiet: bool,
               force: bool) -> None:
    """Write a schema.org Dataset (JSON-LD) per survey, for Google Dataset Search.

    RECORDS are record files or directories [default: records/]. The report lists what
    schema.org cannot hold (by property and questionnaire item), on standard output with -o,
    else on standard error. What Google's Dataset guidelines would reject (a description
    shorter than 50 characters, ...) is reported on standard error; nothing is padded. A
    record that does not conform to the questionnaire is exported with a warning.

    \b
    Examples:
      migrmeta export schemaorg -o site/schemaorg/
      migrmeta export schemaorg records/ph-sof.ttl

    \b
    Exit codes: 0 written, 1 a file exists already (not replaced without --force), 2 usage
    error (a --lang that is no language code), 3 a record could not be read (the others are
    still written).
    """
    from migrmeta.cli.export import run_export
    from migrmeta.errors import UsageError
    from migrmeta.formats.schemaorg import to_json
    from migrmeta.values.text import is_language

    if not is_language(lang):
        raise UsageError(f"--lang {lang!r} is not a language code", hint="give an ISO 639-1 code, e.g. en, fr, es")
    agencies = agencies_near(agencies, records)
    result = run_export("schemaorg", records, output, agencies if agencies.is_file() else None, lang=lang,
                        quiet=quiet, force=force)
    if output is None and result.documents:
        documents = [json.loads(d.data) for d in result.documents]
        click.echo(to_json(documents[0] if len(documents) == 1 else documents), nl=False)
    echo_reports(result.reports, fmt, to_stderr=output is None)
    sys.exit(3 if result.errors else 1 if result.refused else 0)
