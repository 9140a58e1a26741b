"""`migrmeta validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices
from migrmeta.cli.spoken import remember_language


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(defaults.VALIDATION_FORMATS), default="text",
              show_default=True, help="Report for people (text) or machines (json, turtle: SHACL report, junit: CI).")
@click.option("--lang", type=click.Choice(defaults.LANGUAGES), default="en", show_default=True,
              callback=remember_language, help="Language of the messages.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--quiet", "-q", is_flag=True,
              help="Text report: show violations only (with --strict, warnings too: they fail the run); "
                   "no progress bar.")
@click.option("--no-cache", is_flag=True,
              help="Revalidate every record (ignore and do not update the cache of outcomes; the compiled shapes "
                   "and what the known agencies say, which no record changes, are kept).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the validation cache lives [default: $XDG_CACHE_HOME/migrmeta].")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes, each checking parts of 5,000 records in a store of their own [default: "
                   "one per CPU from 2,000 records, else 1; pyshacl engine: one per CPU]. Same findings whatever "
                   "the number.")
@click.option("--input-format", type=click.Choice(defaults.INPUT_FORMATS),
              help="Format of the inputs when the extension does not say (standard input is sniffed).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--agencies", type=click.Path(dir_okay=False, path_type=Path),
              help="Agencies the records may name without describing them [default: the catalogue's "
                   "records/agencies.ttl, unless an agencies.ttl is among or beside the inputs].")
@click.option("--force", is_flag=True, help="Replace the report file if it exists.")
@click.option("--shapes", "shapes_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of your own SHACL shapes (*.ttl, e.g. the DCAT-AP 3 ones) instead of the project's.")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes compiled to SPARQL on one store; pyshacl: the reference engine (slower).")
@click.option("--verbose", "-v", is_flag=True, help="Text report: also name the shapes pySHACL checked, and why.")
def validate_cmd(paths: tuple[str, ...], fmt: str, lang: str, strict: bool, quiet: bool, no_cache: bool,
                 cache_dir: Path | None, jobs: int | None, input_format: str | None, output: Path | None,
                 agencies: Path | None, force: bool, shapes_dir: Path | None, engine: str, verbose: bool) -> None:
    """Check survey records against the questionnaire's shapes and across records.

    PATHS are files, directories (searched recursively) or - for standard input; the
    default is records/. Formats: Turtle, JSON-LD, N-Triples, N-Quads, TriG, RDF/XML.
    A dataset written by merge (.trig, .nq) or publish (a site, its catalog.trig) is
    checked as merged: the values a conflict set aside are left out. With --shapes
    (shapes of your own, such as DCAT-AP 3's) a site's dataset is checked as published,
    as its catalog.ttl: the DCAT-AP profile in, what it replaced out.
    A merge's output found in a folder beside its unchanged sources is left out, and
    standard error says so (a stale one is checked, and said stale).

    \b
    Examples:
      migrmeta validate
      migrmeta validate records/ph-sof.ttl --lang es
      migrmeta validate --format junit -o report.xml records/
      cat my-survey.ttl | migrmeta validate -
      migrmeta validate --shapes DIR site/catalog.ttl    # DIR: shapes of your own, e.g. DCAT-AP 3's
                                                         # (github.com/SEMICeu/DCAT-AP, releases/3.0.0/html/shacl)
      migrmeta validate catalogue.trig                   # a merge, as merged

    \b
    Exit codes: 0 every record conforms (warnings allowed), 1 a violation (or a warning
    with --strict), or the report file exists (not replaced without --force), 2 usage error
    (e.g. the report file is one of the inputs), 3 an input could not be read (the others
    are still checked).
    """
    from migrmeta.cli.progress import progress_bar
    from migrmeta.io.files import check_output, write_output
    from migrmeta.load import files_read
    from migrmeta.reports.validated import validated
    from migrmeta.resources import bundled_agencies
    from migrmeta.validation.render import RENDERERS, render_text

    read = files_read(paths or [defaults.RECORDS], agencies or bundled_agencies())  # the agencies known too
    if output:
        check_output(output, replace=force, inputs=read)  # before the work, not after it
    with progress_bar(quiet) as progress:
        report = validated(list(paths) or [defaults.RECORDS], lang=lang, jobs=jobs, cache=not no_cache,
                           cache_dir=cache_dir, input_format=input_format, agencies=agencies, progress=progress,
                           shapes_dir=shapes_dir, engine=engine)
    say_notices(report.notices)
    if fmt == "text":
        colour = output is None and sys.stdout.isatty()
        # under --strict a warning fails the run: -q still shows what failed it
        text = render_text(report, colour=colour, quiet=quiet and not strict, verbose=verbose, cli=True)
    else:
        text = RENDERERS[fmt](report, cli=True)
    if output:
        write_output(output, text, force=force, inputs=read)
    else:
        click.echo(text, nl=False)
    sys.exit(report.exit_code(strict))
