"""`migrmeta new`: describe a survey by answering the 14 questions, one by one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from migrmeta.cli.convert import force_option, lang_option
from migrmeta.cli.form import catalogue_option, load_catalogue, write

if TYPE_CHECKING:
    from migrmeta.formats.forms.interactive import Question, Session
    from migrmeta.load.reference import Reference


def _asker(lang: str) -> Callable[[Question, bool], str]:
    """Questions asked on the terminal (the session words them in `lang`)."""
    from migrmeta.messages import message

    def ask(question: Question, again: bool) -> str:
        if question.choices and not again:
            for number, choice in enumerate(question.choices, 1):
                shown = choice.label if choice.label == choice.code else f"{choice.label} [{choice.code}]"
                click.echo(f"  {number:>2}. {shown}")
        extra = " " + message("new.several_numbers", lang) if question.choices and question.multi else \
            " " + message("new.several_words", lang) if question.split else ""
        if not question.required:
            extra += " " + message("new.remove" if question.default else "new.skip", lang)
        while True:
            try:
                answer: Any = click.prompt(f"  {question.label}{extra}", default=question.default,
                                           show_default=bool(question.default))
            except UnicodeDecodeError:  # a strict UTF-8 standard input
                answer = "\udcff"
            if not any("\udc80" <= c <= "\udcff" for c in str(answer)):  # surrogateescape's undecodable bytes
                return str(answer)
            click.echo("  " + message("new.not_utf8", lang), err=True)

    return ask


def _kept(session: Session, form_out: Path | None, reference: Reference, lang: str, output: Path | None,
          catalogue_dir: Path) -> tuple[Path, str]:
    """The answers so far, as a form to resume from: --form's file, else a new file here; its
    header says how to go on, with the session's -o, --lang and --catalogue (the command, returned)."""
    from migrmeta import defaults
    from migrmeta.formats.forms import form as forms
    from migrmeta.formats.forms.kept import kept_header, resume_command

    target = form_out
    if target is None:
        stem = str(session.form.get("id") or "new-survey")
        target, n = Path(f"{stem}.partial.yaml"), 2
        while target.exists():
            target, n = Path(f"{stem}.partial-{n}.yaml"), n + 1
    command = resume_command(target, output, lang, None if catalogue_dir == defaults.RECORDS else catalogue_dir)
    header = kept_header(session.current, session.describing(), command, lang)
    # the answers so far replace the form they resumed from, or --form's file checked before the questions
    click.echo(err=True)  # after the question left unanswered
    write(target, forms.form_yaml(session.form, reference, lang=lang, header=header), lang, force=True)
    return target, command


@click.command("new")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the record [default: <id>.ttl].")
@click.option("--form", "form_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also keep the answers as a form (YAML) to edit later; an interrupted session keeps them there.")
@click.option("--resume", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Continue from the answers of an interrupted session (the form it kept).")
@lang_option
@catalogue_option
@force_option
def new_cmd(output: Path | None, form_out: Path | None, resume: Path | None, lang: str, catalogue_dir: Path,
            force: bool) -> None:
    """Describe a survey by answering the 14 questions, one by one.

    Choices are numbered: answer with a number, several with "1,3", or with words (codes or
    labels in English, French or Spanish). A wrong answer is asked again with the reason.
    Text is in the language of --lang; write "[fr] ..." before text in another language.
    At any prompt, "?" (or help, aide, ayuda) explains the question and the answer expected,
    with an example; "back" (retour, atrás) returns to the previous item. An answer given
    before is offered in [brackets]: Enter keeps it, "-" removes an optional one.
    An agency the catalogue does not know can be described on the spot. Interrupted (Ctrl-C),
    the answers so far are kept in a form, and --resume continues from it (writing the record
    where -o first said).

    \b
    Examples:
      migrmeta new -o records/my-survey.ttl
      migrmeta new --lang fr --form my-survey.yaml   # also keep the answers as a form
      migrmeta new --resume new-survey.partial.yaml -o records/my-survey.ttl

    \b
    An existing file is not replaced without --force (then the record is printed instead);
    the form given to --resume is updated in place.

    \b
    Exit codes: 0 written, 1 written but the record still breaks a rule, or not written (the
    file exists: the record is printed), 2 usage error (--resume given a file that is not a
    form kept by an interrupted session: it is left as it is), 3 the kept form cannot be read,
    130 interrupted (the answers kept).
    """
    from migrmeta.errors import PublishError
    from migrmeta.formats.forms import form as forms
    from migrmeta.formats.forms.answers import Vocabulary
    from migrmeta.formats.forms.interactive import Session, explain
    from migrmeta.formats.forms.kept import Kept, read_kept
    from migrmeta.io.files import check_output
    from migrmeta.load.reference import load_reference
    from migrmeta.messages import message

    before = Kept({}, 1)
    if resume is not None:  # before the questions: resuming replaces the file with the answers
        before = read_kept(resume)
        output = output or (Path(before.output) if before.output else None)  # where the session first said
    for given in (output, form_out):  # before the questions, not after them
        if given is not None:
            check_output(given, replace=force)
    form_out = form_out or resume
    reference = load_reference()
    session = Session(reference, _asker(lang), click.echo, lang, load_catalogue(catalogue_dir, lang), before.form,
                      before.item, before.agencies)
    try:
        result = session.run()
    except (KeyboardInterrupt, click.exceptions.Abort, EOFError):
        kept, command = _kept(session, form_out, reference, lang, output, catalogue_dir)
        click.echo(message("new.interrupted", lang, file=kept, command=command), err=True)
        sys.exit(130)
    except Exception:  # whatever stopped it, the answers typed are not lost
        kept, command = _kept(session, form_out, reference, lang, output, catalogue_dir)
        click.echo(message("new.failed_kept", lang, file=kept, command=command), err=True)
        raise
    for problem in result.problems:
        click.echo(f"{message(f'severity.{problem.severity}', lang)}: {explain(reference, problem, lang)}", err=True)
    target = output or Path(f"{session.form.get('id', 'new-survey')}.ttl")
    record = forms.record_turtle(result.graph, "migrmeta new")
    try:
        write(target, record, lang, force=force)
    except PublishError:
        click.echo(record, nl=False)  # the answers are not lost: the record goes to standard output
        raise
    if form_out:
        write(form_out, forms.form_yaml(forms.graph_to_form(result.graph, Vocabulary(reference)), reference,
                                        lang=lang), lang, force=force or form_out == resume)
    sys.exit(0 if result.ok else 1)
