"""`migrmeta import form` and `migrmeta export form`: a survey as a questionnaire form (YAML or JSON).

Ways in for people who do not write RDF: every problem names the form key and the
questionnaire item.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from migrmeta import defaults
from migrmeta.cli.convert import force_option, lang_option
from migrmeta.cli.progress import quiet_accepted
from migrmeta.cli.spoken import error_said, said_in
from migrmeta.errors import UsageError

if TYPE_CHECKING:
    from migrmeta.formats.forms.answers import Catalogue
    from migrmeta.formats.importing import Message

catalogue_option = click.option(
    "--catalogue", "catalogue_dir", type=click.Path(file_okay=False, path_type=Path),
    default=defaults.RECORDS, show_default=True,
    help="Records already published: the agencies a survey may name, host surveys, ids in use. Without "
         "records/ here, the agencies bundled with migrmeta (those `validate` knows), and a notice says so.")


def load_catalogue(path: Path, lang: str = "en") -> Catalogue:
    """The records of --catalogue; when the default records/ is not here (outside a checkout),
    the agencies bundled with migrmeta, as `validate` knows them, and a notice saying so; a
    usage error when a folder given is not there."""
    from migrmeta.formats.forms.answers import load_catalogue as load
    from migrmeta.messages import message

    if not path.is_dir() and path != defaults.RECORDS:
        raise UsageError(f"--catalogue {path}: no such folder",
                         hint="give the folder of the records already published, e.g. records/")
    catalogue = load(path if path.is_dir() else None)
    if catalogue.bundled is not None:
        click.echo(message("catalogue.bundled", lang, folder=path, file=catalogue.bundled), err=True)
    return catalogue


def write(path: Path, data: bytes | str, lang: str = "en", *, force: bool = False,
          inputs: tuple[str | Path, ...] = ()) -> None:
    """A command's output file (atomic; an existing file only with --force; never a link, a device
    or one of the command's `inputs`)."""
    from migrmeta.io.files import write_output
    from migrmeta.messages import message

    write_output(path, data, force=force, inputs=inputs)
    click.echo(message("new.wrote", lang, file=path), err=True)


def said(note: Message, lang: str) -> str:
    """An importer's message, with its severity in `lang` (its text is in `lang` already, but for
    what the import loop adds, in English: `translate` says that in `lang` and leaves the rest)."""
    from migrmeta.messages import catalogue, message

    where = f"{note.source}: " if note.source else ""
    key = f"severity.{note.severity}"
    severity = "" if note.severity == "note" else f"{message(key, lang) if key in catalogue() else note.severity}: "
    return where + severity + said_in(note.text, lang)


@click.command("form")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the record (Turtle) [default: standard output].")
@lang_option
@catalogue_option
@force_option
@quiet_accepted
def import_cmd(file: Path, output: Path | None, lang: str, catalogue_dir: Path, force: bool,
               quiet: bool) -> None:
    """Turn a filled questionnaire form (YAML or JSON) into a record.

    Nothing is written when an answer is wrong or the record breaks a rule; each problem
    names the form key and the questionnaire item.

    \b
    Examples:
      migrmeta template --format yaml -o my-survey.yaml   # the empty form
      migrmeta import form my-survey.yaml -o records/my-survey.ttl

    \b
    Exit codes: 0 written (warnings allowed), 1 problems or the output exists already (nothing
    written; --force replaces it), 2 usage error (the output is the form itself), 3 unreadable file.
    """
    from migrmeta.formats.importing import import_records
    from migrmeta.io.files import check_output
    from migrmeta.messages import message

    if output is not None and str(output) == "-":  # standard output, as `template -o -` and `export form -o -`
        output = None
    if output:
        check_output(output, replace=force, inputs=[file])  # before the work, not after it
    result = import_records("form", [str(file)], lang=lang, catalogue=load_catalogue(catalogue_dir, lang))
    for note in result.messages:
        click.echo(said(note, lang), err=True)
    for error in result.errors:  # one form: unreadable, in the form's language
        click.echo(f"migrmeta: {error_said(error, lang)}", err=True)
    if result.errors:
        sys.exit(max(error.exit_code for error in result.errors))  # 3 unreadable, 2 usage
    if not result.drafts:
        click.echo(message("form.not_written", lang, file=file), err=True)
        sys.exit(1)
    turtle = result.drafts[0].turtle()
    if output:
        write(output, turtle, lang, force=force, inputs=(file,))
    else:
        click.echo(turtle, nl=False)


@click.command("form")
@click.argument("record", type=click.Path(dir_okay=False, path_type=str))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the form: .yaml or .yml (with the questions) or .json; - or left out: "
                   "standard output, as YAML.")
@lang_option
@force_option
@quiet_accepted
def export_cmd(record: str, output: Path | None, lang: str, force: bool, quiet: bool) -> None:
    """Write a record as a questionnaire form (YAML or JSON) that imports back unchanged.

    \b
    Examples:
      migrmeta export form records/ph-sof.ttl -o ph-sof.yaml
      migrmeta export form records/mmp.ttl -o mmp.json

    \b
    Exit codes: 0 written, 1 the output exists already (nothing written; --force replaces it),
    2 usage error (an output that is not .yaml, .yml or .json, or that is the record itself),
    3 unreadable record.
    """
    from migrmeta.formats.exporting import export_records
    from migrmeta.formats.forms.form import form_is_json
    from migrmeta.io.files import check_output

    if output is not None and str(output) == "-":  # standard output, as `template -o -`
        output = None
    as_json = form_is_json(output) if output else False  # the extension and the file: before the work
    if output:
        check_output(output, replace=force, inputs=[record])
    result = export_records("form", [record], lang=lang, as_json=as_json)
    for error in result.errors:  # one record: unreadable, said in the form's language
        click.echo(f"migrmeta: {error_said(error, lang)}", err=True)
    if result.errors:
        sys.exit(max(error.exit_code for error in result.errors))
    text = result.documents[0].data
    if output:
        write(output, text, lang, force=force, inputs=(record,))
    else:
        click.echo(text.decode("utf-8"), nl=False)
