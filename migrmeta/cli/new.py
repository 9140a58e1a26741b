"""`migrmeta new`: describe a survey by answering the 14 questions, one by one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from migrmeta.cli.convert import force_option, lang_option
from migrmeta.cli.form import catalogue_option, load_catalogue, write

if TYPE_CHECKING:
    from migrmeta.formats.forms.interactive import Question


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
@lang_option
@catalogue_option
@force_option
def new_cmd(output: Path | None, form_out: Path | None, lang: str, catalogue_dir: Path, force: bool) -> None:
    """Describe a survey by answering the 14 questions, one by one.

    Choices are numbered: answer with a number, several with "1,3", or with words (codes or
    labels in English, French or Spanish). A wrong answer is asked again with the reason.

    \b
    Examples:
      migrmeta new -o records/my-survey.ttl
      migrmeta new --lang fr --form my-survey.yaml   # also keep the answers as a form

    \b
    An existing file is not replaced without --force (then the record is printed instead).

    \b
    Exit codes: 0 written, 1 written but the record still breaks a rule, or not written (the
    file exists: the record is printed).
    """
    from migrmeta.errors import PublishError
    from migrmeta.formats.forms import form as forms
    from migrmeta.formats.forms.answers import Vocabulary
    from migrmeta.formats.forms.interactive import explain, new_survey
    from migrmeta.io.files import check_output
    from migrmeta.load.reference import load_reference

    for given in (output, form_out):  # before the questions, not after them
        if given is not None:
            check_output(given, replace=force)
    reference = load_reference()
    form, result = new_survey(reference, _ask, click.echo, lang=lang, catalogue=load_catalogue(catalogue_dir))
    for problem in result.problems:
        click.echo(f"{problem.severity}: {explain(reference, problem, lang)}", err=True)
    target = output or Path(f"{form.get('id', 'new-survey')}.ttl")
    record = forms.record_turtle(result.graph, "migrmeta new")
    try:
        write(target, record, force=force)
    except PublishError:
        click.echo(record, nl=False)  # the answers are not lost: the record goes to standard output
        raise
    if form_out:
        write(form_out, forms.form_yaml(forms.graph_to_form(result.graph, Vocabulary(reference)), reference,
                                        lang=lang), force=force)
    sys.exit(0 if result.ok else 1)
