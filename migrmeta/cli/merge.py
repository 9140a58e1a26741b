"""`migrmeta merge`: contributions of several agencies -> one dataset (TriG or N-Quads)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices
from migrmeta.cli.publish import DATE, check_date
from migrmeta.cli.spoken import remember_language

if TYPE_CHECKING:
    from migrmeta.merging.merge import MergeResult


@click.command("merge")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The dataset to write: .trig (TriG) or .nq (N-Quads).")
@click.option("--agency", metavar="AGENCY",
              help="The agency contributing every input (an id such as psa, agency:psa, or an IRI) "
                   "[default: per input, PATH=AGENCY, else the record's dct:publisher, else its first dct:creator].")
@click.option("--prefer", multiple=True, metavar="AGENCY",
              help="On a conflict, keep this agency's value (repeat: first listed wins).")
@click.option("--date", callback=check_date, metavar=DATE,
              help="dct:modified of contributions whose records carry none [default: the day a record's facts were "
                   "checked, mm:checkedOn, else the newest date of the inputs].")
@click.option("--default-agency", metavar="AGENCY", default=defaults.MAINTAINER_AGENCY,
              show_default=True,
              help="The agency of files without surveys (agencies.ttl) when nothing else says.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--lang", type=click.Choice(defaults.LANGUAGES), default="en", show_default=True,
              callback=remember_language, help="Language of the report and the messages.")
def merge_cmd(paths: tuple[str, ...], output: Path, agency: str | None, prefer: tuple[str, ...],
              date: str | None, default_agency: str, force: bool, lang: str) -> None:
    """Merge records contributed by several agencies into one RDF dataset.

    Each file goes in its own named graph, described in the default graph with the
    contributing agency (prov:wasAttributedTo), the source file's name and SHA-256 and
    dct:modified; the union of the graphs is the catalogue. Give an input's agency with
    PATH=AGENCY (e.g. psa/sof.ttl=psa).

    Descriptions of the same survey (same IRI, or owl:sameAs) are
    united; a survey under two IRIs linked by owl:sameAs is written under one (the --prefer
    agency's, else the subject of owl:sameAs), the other kept as its owl:sameAs. A
    single-valued item with different values is a conflict: it is reported, and nothing is
    written unless --prefer settles it. Surveys under different IRIs that give one
    dct:identifier are refused (nothing written) unless owl:sameAs links them. Surveys
    under different IRIs with the same title, countries and time frame are reported as
    likely duplicates. An identification method two files give with another reference
    period, threshold, minimum age or framework is reported too; both are kept. A survey
    several files describe is validated as merged, as publish does: what none of the files
    broke alone but they break together is said by file, and a violation writes nothing.
    One agency that looks described under two ids (a name, an acronym in one country or a
    web site in common) is a warning, as validate gives it.

    \b
    Examples:
      migrmeta merge records/ -o catalogue.trig
      migrmeta merge psa/ph-sof.ttl=psa un/ph-sof.ttl=un-desa-pd --prefer psa -o sof.nq
      migrmeta merge psa/ un/=un-desa-pd --lang fr -o catalogue.trig   # the report in French

    \b
    Exit codes: 0 merged, 1 an unresolved conflict, an identifier two surveys' IRIs give
    (not linked by owl:sameAs), a violation of surveys as merged, or the output exists already and --force
    was not given (nothing written), 2 usage error (e.g. the output is one of the inputs,
    an agency of --agency, PATH=AGENCY or --prefer that is not described, or --prefer
    an agency contributing no input),
    3 an input could not be read (the others are merged and written, unless a conflict
    is unresolved or none could be read: then nothing is written and a previous output is
    left as it was; the last line of standard error says which).
    """
    from migrmeta.io.files import check_output
    from migrmeta.merging.described import unnamed_notice
    from migrmeta.merging.merge import merge
    from migrmeta.merging.output import render_report, summary, write_dataset
    from migrmeta.merging.sources import Source, agency_iri, parse_source

    sources: list[Source] = [parse_source(p) for p in paths]
    check_output(output, replace=force, inputs=[s.path for s in sources])  # say so before the work, not after it
    result = merge(sources, agency=agency, prefer=prefer, date=date, default_agency=agency_iri(default_agency))
    say_notices(result.notices + unnamed_notice(result.unnamed))
    report = render_report(result, cli=True, lang=lang)
    if report:
        click.echo(report, err=True, nl=False)
    from migrmeta.messages import message
    from migrmeta.validation.across import alike_agencies_in  # as validate and publish warn of them

    for source, warning in alike_agencies_in([(c.source, c.triples) for c in result.contributions], lang):
        click.echo(f"{source}: {message('severity.warning', lang)}: {warning}", err=True)
    said = summary(result, lang)
    if not result.contributions:  # every input unreadable: an empty dataset is no merge, and no reason to replace one
        click.echo(message("merge.nothing_readable", lang, summary=said), err=True)
        sys.exit(result.exit_code() or 3)
    if not result.refused and _union_breaks_rules(result, lang):
        click.echo(message("merge.nothing_conforms", lang, summary=said), err=True)
        sys.exit(1)
    if not result.refused:
        write_dataset(result, output, force=force)
        unreadable = ", ".join(e.location.source for e in result.errors)
        click.echo(message("merge.written_without", lang, summary=said, output=output, unreadable=unreadable)
                   if unreadable else message("merge.written", lang, summary=said, output=output))
    else:
        click.echo(message("merge.nothing_written", lang, summary=said), err=True)
    sys.exit(result.exit_code())


def _union_breaks_rules(result: MergeResult, lang: str = "en") -> bool:
    """Say what the surveys several files describe break once united, as `publish` would
    refuse them (publishing/union.py); True when a violation is among it."""
    from migrmeta.errors import speak
    from migrmeta.publishing.union import merged_findings
    from migrmeta.validation.cache import default_cache_dir
    from migrmeta.validation.render import word

    added = merged_findings(result, cache_dir=default_cache_dir(), lang=lang)
    blocking = False
    for source in sorted(added):
        for finding in added[source]:
            where = f"{source}:{finding.line}" if finding.line else source
            click.echo(f"{where}: {word(finding.severity, lang)}: {speak(finding.text(), cli=True)}", err=True)
            blocking = blocking or finding.severity in ("violation", "error")
    return blocking
