"""`migrmeta template`: an empty spreadsheet or questionnaire form to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from migrmeta import defaults
from migrmeta.cli.convert import force_option, lang_option
from migrmeta.cli.form import catalogue_option, load_catalogue
from migrmeta.errors import UsageError


@click.command("template")
@click.option("--format", "fmt", type=click.Choice(defaults.TEMPLATE_FORMATS), default="xlsx",
              show_default=True, help="A spreadsheet (xlsx, csv) or a questionnaire form (yaml).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str),
              help="Where to write it [default: survey-template.<format>; - for stdout].")
@click.option("--example", type=click.Path(dir_okay=False, path_type=Path),
              help="Record whose survey fills the example row [default: records/ph-sof.ttl].")
@click.option("--example-survey", metavar="ID",
              help=f"Which survey of the example record to show [default: {defaults.EXAMPLE_SURVEY}, else the "
                   "record's first].")
@lang_option
@catalogue_option
@force_option
def template_cmd(fmt: str, output: str | None, example: Path | None, example_survey: str | None,
                 lang: str, catalogue_dir: Path, force: bool) -> None:
    """Write an empty template to fill in: a spreadsheet or a questionnaire form.

    The spreadsheet has one column per answer (headers "6. Type of sample"), an example row
    taken from a real record, and drop-down lists of the allowed answers (XLSX).

    A CSV sheet comes with a second file beside it for the agencies the catalogue does not
    know: NAME-agencies.csv for NAME.csv.

    \b
    An existing file (a sheet someone filled in) is never replaced without --force.

    \b
    Examples:
      migrmeta template --format xlsx -o surveys.xlsx
      migrmeta template --format csv -o surveys.csv     # and surveys-agencies.csv
      migrmeta template --format yaml -o my-survey.yaml

    \b
    Exit codes: 0 written, 1 a file exists already (nothing written; --force replaces
    it) or could not be written, 2 usage error.
    """
    from migrmeta.formats.forms import template as templates
    from migrmeta.formats.forms.sheet import agencies_csv
    from migrmeta.io.files import check_output, write_output
    from migrmeta.load.reference import load_reference
    from migrmeta.messages import message
    from migrmeta.resources import data_root

    target = None if output == "-" else Path(output or f"survey-template.{fmt}")
    # a CSV sheet's new agencies go beside it (docs/contributing-a-survey.md): a file of its own
    targets = [target, agencies_csv(target)] if target is not None and fmt == "csv" else [target] if target else []
    for path in targets:  # before the work, and before either file is written
        check_output(path, replace=force)
    reference = load_reference()
    if example is None:
        example = next((p for p in (defaults.RECORDS / "ph-sof.ttl", data_root() / "records" / "ph-sof.ttl")
                        if p.is_file()), None)
    elif not example.is_file():
        raise UsageError(f"--example {example}: no such file")
    entry = templates.example_entry(reference, example, example_survey)
    agencies = sorted(load_catalogue(catalogue_dir, lang).agencies().ids)
    data: list[bytes]
    if fmt == "xlsx":
        if output == "-":
            raise UsageError("an XLSX workbook cannot go to standard output: give -o FILE.xlsx")
        data = [templates.template_xlsx(reference, entry, lang, agencies)]
    elif fmt == "csv":
        data = [templates.template_csv(reference, entry, lang), templates.template_agencies_csv(reference, lang)]
    else:
        data = [templates.template_yaml(reference, entry, lang, agencies).encode("utf-8")]
    if not targets:
        click.echo(data[0].decode("utf-8-sig"), nl=False)
        return
    for path, content in zip(targets, data, strict=True):
        write_output(path, content, force=force)
    click.echo(message("new.wrote", lang, file=", ".join(str(p) for p in targets)), err=True)
