"""`migrmeta import form|sheet`, `migrmeta export form`, `migrmeta template`, `migrmeta new`.

Ways in for people who do not write RDF. Every command checks what it writes with the
shapes and reports in the contributor's terms: form key, row and column, question.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from migrmeta.cli.convert import export_cmd, import_cmd
from migrmeta.errors import InputError, UsageError
from migrmeta.formats.forms import form as forms
from migrmeta.formats.forms import sheet as sheets
from migrmeta.formats.forms import template as templates
from migrmeta.formats.forms.answers import Catalogue, Vocabulary, load_catalogue
from migrmeta.formats.forms.interactive import Question, explain, new_survey
from migrmeta.io.files import write_atomically
from migrmeta.load import read_input
from migrmeta.load.reference import load_reference
from migrmeta.resources import DEFAULT_RECORDS, data_root

LANG = click.option("--lang", type=click.Choice(["en", "fr", "es"]), default="en", show_default=True,
                    help="Language of the questions, headers and messages.")
CATALOGUE = click.option(
    "--catalogue", "catalogue_dir", type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_RECORDS, show_default=True,
    help="Records already published: the agencies a survey may name, host surveys, ids in use.")


def _catalogue(path: Path) -> Catalogue:
    return load_catalogue(path if path.is_dir() else None)


def _write(path: Path, data: bytes) -> None:
    write_atomically(path, data)


def _report(prefix: str, lines: list[tuple[str, str]]) -> None:
    for severity, text in lines:
        click.echo(f"{prefix}{severity}: {text}", err=True)


@click.command("form")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the record (Turtle) [default: standard output].")
@LANG
@CATALOGUE
def import_form_cmd(file: Path, output: Path | None, lang: str, catalogue_dir: Path) -> None:
    """Turn a filled questionnaire form (YAML or JSON) into a record.

    Nothing is written when an answer is wrong or the record breaks a rule; each problem
    names the form key and the questionnaire item.

    \b
    Examples:
      migrmeta template --format yaml -o my-survey.yaml   # the empty form
      migrmeta import form my-survey.yaml -o records/my-survey.ttl

    \b
    Exit codes: 0 written (warnings allowed), 1 problems (nothing written), 3 unreadable file.
    """
    reference = load_reference()
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(str(file), f"cannot be read ({exc.strerror})") from exc
    form = forms.read_form(data, str(file))
    result = forms.import_form(form, reference, source=str(file), lang=lang,
                               catalogue=_catalogue(catalogue_dir))
    items = forms.item_texts(reference, lang)
    _report(f"{file}: ", [(p.severity, f"{forms.where(p, result.builder, items)}: {p.message}")
                          for p in result.problems])
    if not result.ok:
        click.echo(f"{file}: not written: fix the problems above and run this again", err=True)
        sys.exit(1)
    turtle = forms.record_turtle(result.graph, file.name)
    if output:
        _write(output, turtle)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(turtle.decode(), nl=False)


@click.command("form")
@click.argument("record", type=click.Path(dir_okay=False, path_type=str))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the form: .yaml (with the questions) or .json [default: stdout].")
@LANG
def export_form_cmd(record: str, output: Path | None, lang: str) -> None:
    """Write a record as a questionnaire form (YAML or JSON) that imports back unchanged.

    \b
    Examples:
      migrmeta export form records/ph-sof.ttl -o ph-sof.yaml
      migrmeta export form records/mmp.ttl -o mmp.json
    """
    reference = load_reference()
    parsed = read_input(record)
    form = forms.graph_to_form(parsed.graph, Vocabulary(reference), parsed.source)
    if output and output.suffix.lower() == ".json":
        text = forms.form_json(form)
    else:
        header = (f"migrmeta questionnaire form, from {Path(record).name}.\n"
                  f"Import it with: migrmeta import form THIS-FILE -o {Path(record).stem}.ttl\n"
                  "Keys and values: docs/form-schema.md")
        text = forms.form_yaml(form, reference, lang=lang, header=header)
    if output:
        _write(output, text.encode("utf-8"))
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command("sheet")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Directory for the records (<id>.ttl).")
@LANG
@CATALOGUE
def import_sheet_cmd(file: Path, out_dir: Path, lang: str, catalogue_dir: Path) -> None:
    """Turn each row of a spreadsheet (XLSX or CSV) into a record.

    Rows whose survey id starts with # are skipped (the template's example). Rows without
    problems are written even when others fail; problems name the row and the column.

    \b
    Examples:
      migrmeta template --format xlsx -o surveys.xlsx
      migrmeta import sheet surveys.xlsx -o records/

    \b
    Exit codes: 0 every row written, 1 a row has problems (the others are written),
    3 the file cannot be read.
    """
    reference = load_reference()
    result = sheets.import_sheet(file, reference, lang=lang, catalogue=_catalogue(catalogue_dir))
    _report(f"{file}: ", [(p.severity, str(p)) for p in result.problems])
    written = 0
    for row in result.rows:
        _report(f"{file}: ", [(p.severity, str(p)) for p in row.problems])
        if row.ok and row.imported is not None and row.id:
            target = out_dir / f"{row.id}.ttl"
            _write(target, forms.record_turtle(row.imported.graph, f"{file.name}, row {row.row}"))
            written += 1
            click.echo(f"row {row.row}: wrote {target}", err=True)
    failed = len(result.rows) - written
    if not result.rows:
        click.echo(f"{file}: no survey rows (rows whose survey id starts with # are skipped)",
                   err=True)
    click.echo(f"{file}: {len(result.rows)} rows, {written} written, {failed} with problems",
               err=True)
    sys.exit(result.exit_code())


@click.command("template")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "yaml"]), default="xlsx",
              show_default=True, help="A spreadsheet (xlsx, csv) or a questionnaire form (yaml).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str),
              help="Where to write it [default: survey-template.<format>; - for stdout].")
@click.option("--example", type=click.Path(dir_okay=False, path_type=Path),
              help="Record whose survey fills the example row [default: records/ph-sof.ttl].")
@click.option("--example-survey", default=templates.EXAMPLE_SURVEY, show_default=True,
              help="Which survey of the example record to show.")
@LANG
@CATALOGUE
def template_cmd(fmt: str, output: str | None, example: Path | None, example_survey: str,
                 lang: str, catalogue_dir: Path) -> None:
    """Write an empty template to fill in: a spreadsheet or a questionnaire form.

    The spreadsheet has one column per answer (headers "6. Type of sample"), an example row
    taken from a real record, and drop-down lists of the allowed answers (XLSX).

    \b
    Examples:
      migrmeta template --format xlsx -o surveys.xlsx
      migrmeta template --format yaml -o my-survey.yaml
    """
    reference = load_reference()
    if example is None:
        example = next((p for p in (DEFAULT_RECORDS / "ph-sof.ttl", data_root() / "records" /
                                    "ph-sof.ttl") if p.is_file()), None)
    elif not example.is_file():
        raise UsageError(f"--example {example}: no such file")
    entry = templates.example_entry(reference, example, example_survey)
    agencies = sorted(_catalogue(catalogue_dir).agencies().ids)
    data: bytes
    if fmt == "xlsx":
        if output == "-":
            raise UsageError("an XLSX workbook cannot go to standard output: give -o FILE.xlsx")
        data = templates.template_xlsx(reference, entry, lang, agencies)
    elif fmt == "csv":
        data = templates.template_csv(reference, entry, lang)
    else:
        data = templates.template_yaml(reference, entry, lang, agencies).encode("utf-8")
    if output == "-":
        click.echo(data.decode("utf-8-sig"), nl=False)
        return
    target = Path(output or f"survey-template.{fmt}")
    _write(target, data)
    click.echo(f"wrote {target}", err=True)


def _ask(question: Question, again: bool) -> str:
    if question.choices and not again:
        for number, choice in enumerate(question.choices, 1):
            shown = choice.label if choice.label == choice.code else f"{choice.label} [{choice.code}]"
            click.echo(f"  {number:>2}. {shown}")
    extra = " (several: 1,3)" if question.choices and question.multi else \
        " (several: separate with ;)" if question.multi else ""
    extra += "" if question.required or question.default else " (Enter to skip)"
    answer: Any = click.prompt(f"  {question.label}{extra}", default=question.default,
                               show_default=bool(question.default))
    return str(answer)


@click.command("new")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the record [default: <id>.ttl].")
@click.option("--form", "form_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also keep the answers as a form (YAML) to edit later.")
@LANG
@CATALOGUE
def new_cmd(output: Path | None, form_out: Path | None, lang: str, catalogue_dir: Path) -> None:
    """Describe a survey by answering the 14 questions, one by one.

    Choices are numbered: answer with a number, several with "1,3", or with words (codes or
    labels in English, French or Spanish). A wrong answer is asked again with the reason.

    \b
    Examples:
      migrmeta new -o records/my-survey.ttl
      migrmeta new --lang fr --form my-survey.yaml   # also keep the answers as a form

    \b
    Exit codes: 0 written, 1 written but the record still breaks a rule.
    """
    reference = load_reference()

    def say(text: str) -> None:
        click.echo(text)

    form, result = new_survey(reference, _ask, say, lang=lang,
                              catalogue=_catalogue(catalogue_dir))
    _report("", [(p.severity, explain(reference, p, lang)) for p in result.problems])
    target = output or Path(f"{form.get('id', 'new-survey')}.ttl")
    _write(target, forms.record_turtle(result.graph, "migrmeta new"))
    click.echo(f"wrote {target}")
    if form_out:
        _write(form_out, forms.form_yaml(forms.graph_to_form(result.graph, Vocabulary(reference)),
                                         reference, lang=lang).encode("utf-8"))
        click.echo(f"wrote {form_out}")
    sys.exit(0 if result.ok else 1)


import_cmd.add_command(import_form_cmd)
import_cmd.add_command(import_sheet_cmd)
export_cmd.add_command(export_form_cmd)
