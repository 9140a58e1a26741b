"""`migrmeta publish`: records -> the published site (DCAT-AP 3 catalogue, per-survey files)."""

from __future__ import annotations

import datetime
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices
from migrmeta.cli.progress import progress_bar, quiet_option
from migrmeta.cli.spoken import remember_language
from migrmeta.errors import UsageError
from migrmeta.io.names import survey_name
from migrmeta.messages import message, plural

if TYPE_CHECKING:
    from migrmeta.publishing.site import PublishResult
    from migrmeta.validation.runner import RecordReport

DATE = "YYYY-MM-DD"


def check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-29") from None
    if len(value) != 10:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-29")
    return value


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so the half-written output is removed either way."""
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _why_skipped(record: RecordReport, lang: str) -> str:
    if not record.readable:
        return " " + message("publish.skipped_why_unreadable", lang)
    if any(f.check == "union" and f.severity == "violation" for f in record.findings):
        return " " + message("publish.skipped_why_union", lang)
    return ""


def _summary(result: PublishResult) -> str:
    from migrmeta.merging.changes import summary

    surveys = sum(1 for f in result.files if f.startswith("surveys/"))
    agencies = sum(1 for f in result.files if f.startswith("agencies/"))
    lines = [
        f"Published {plural(result.surveys, 'survey')} and {plural(result.series, 'series', 'series')} "
        f"({plural(result.triples, 'triple')}) to {result.out_dir}/: {plural(len(result.files), 'file')}",
        "  catalogue: catalog.ttl, catalog.jsonld, catalog.nt, catalog.trig, void.ttl",
        "  web pages (en, fr, es): <lang>/index.html, <lang>/surveys/<id>.html, <lang>/agencies.html, "
        "<lang>/agencies/<id>.html, index.html"
        + (", sitemap.xml" if "sitemap.xml" in result.files else ""),
        f"  per survey: surveys/<id>.ttl, .jsonld, .nt, .xml ({surveys} files); reference data: ontology/, shapes/, "
        "context.jsonld; server configurations: server/",
        f"  per agency: agencies/<id>.ttl, .jsonld, .nt ({agencies} files: what its IRI answers, and the surveys "
        "naming it), and its page in each language",
        "  changes: <lang>/changelog.html, <lang>/feed.xml, changelog.html, feed.xml (English), release.json" + (
            f" ({summary(result.changes)} since the previous release)" if result.changes is not None
            else " (the first release: nothing to compare with)"),
    ]
    if result.stale_dates:
        stale = sorted(result.stale_dates.items())
        shown = ", ".join(f"{survey_name(iri) or iri} ({day or 'no date'})" for iri, day in stale[:5])
        more = f" and {len(result.stale_dates) - 5} more" if len(result.stale_dates) > 5 else ""
        lines.append(f"  warning: changed since the previous release, but dated no later than it by their records' "
                     f"dct:modified ({len(stale)}): {shown}{more}. A harvester that goes by the date (ckanext-dcat, "
                     "piveau) does not fetch them again: give each changed record the day of its change as "
                     "dct:modified")
    if result.reused:
        total = result.surveys + result.series
        catalogue = ", and the catalogue's files (no record changed)" if result.catalogue_reused else ""
        lines.append(f"  unchanged: the files of {result.reused} of {total} surveys and series{catalogue} were taken "
                     "over from the previous site (nothing they are made from changed; --no-cache makes every file)")
    return "\n".join([*lines, *_skipped(result)]) + "\n"


def _skipped(result: PublishResult) -> list[str]:
    """The records `--skip-invalid` left out, each unreadable one said so."""
    if not result.skipped:
        return []
    lang = result.report.lang
    unreadable = sum(1 for r in result.skipped if not r.readable)
    why = ", ".join(part for part in (message("publish.skipped_unreadable", lang, count=unreadable) if unreadable
                                      else "",
                                      message("publish.skipped_violations", lang,
                                              count=len(result.skipped) - unreadable)
                                      if len(result.skipped) > unreadable else "") if part)
    number = "one" if len(result.skipped) == 1 else "many"
    lines = [message("publish.skipped", lang, records=message(f"publish.records_{number}", lang,
                                                              count=len(result.skipped)),
                     why=why, them=message(f"publish.them_{number}", lang))]
    for record in result.skipped:
        lines.append(f"  {record.source}{_why_skipped(record, lang)}")
        lines += _reasons(record, lang)
    if result.carried:
        lines.append(f"Published as last time ({plural(len(result.carried), 'record')} left out above: their surveys "
                     "are not withdrawn; remove a file to withdraw its surveys):")
        lines += [f"  {source}" for source in result.carried]
    return lines


def _reasons(record: RecordReport, lang: str, shown: int = 3) -> list[str]:
    """Why a record was left out: what made it unreadable, at its line, or its violations (the
    first few, each once)."""
    if any(f.check == "union" for f in record.findings):
        return []  # said already: the findings as merged, shown above
    unreadable = not record.readable
    wanted = "error" if unreadable else "violation"
    # at its line, as validate says it (file:line), when the finding has one
    reasons = list(dict.fromkeys(f"{message('publish.at_line', lang, line=f.line)}: {f.text(lang, cli=True)}" if f.line
                                 else f.text(lang, cli=True) for f in record.findings if f.severity == wanted))
    more = [f"    ... and {len(reasons) - shown} more"] if len(reasons) > shown else []
    return [f"    {reason}" for reason in reasons[:shown]] + more


@click.command("publish")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@quiet_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=defaults.SITE,
              show_default=True, help="The site directory (replaced as a whole, atomically).")
@click.option("--skip-invalid", is_flag=True,
              help="Publish the records that conform; list the others (one the site published before "
                   "stays as it was last published: its surveys are not withdrawn).")
@click.option("--prefer", multiple=True, metavar="AGENCY",
              help="On a conflict between agencies, keep this agency's value (repeat: first listed wins).")
@click.option("--agency", metavar="AGENCY", help="The agency contributing every input [default: from each record].")
@click.option("--date", callback=check_date, metavar=DATE,
              help="dct:modified for records that carry none [default: the day a record's facts were checked, "
                   "mm:checkedOn, else the newest date in the records].")
@click.option("--catalog-iri", metavar="IRI", help="The catalogue's IRI [default: https://w3id.org/migrmeta/catalog].")
@click.option("--title", help="The catalogue's title, in English [default: Surveys on international migration].")
@click.option("--description", help="The catalogue's description, in English.")
@click.option("--publisher", metavar="AGENCY",
              help="The catalogue's publisher, an agency of agencies.ttl [default: agency:migrmeta, "
                   "'maintainers of this catalogue'].")
@click.option("--base-url", metavar="URL",
              help="Where the site is served (absolute http(s) URL): VoID's dumps [default: "
                   "https://w3id.org/migrmeta/] and sitemap.xml, written only with this option.")
@click.option("--no-cache", is_flag=True,
              help="Revalidate and parse every record, and make every file again (by default a record is "
                   "parsed once, and a survey's files are taken over from the previous site when nothing they "
                   "are made from changed).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the validation cache, the records as parsed and what the last publish made each "
                   "survey's files from are kept.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Worker processes validating the records and writing the site's files [default: one per "
                   "CPU; see validate --help]. The site is the same whatever the number.")
@click.option("--wait", type=click.FloatRange(min=0), default=defaults.PUBLISH_WAIT, show_default=True,
              metavar="SECONDS", help="How long to wait for another publish writing the same folder (0: not at all).")
@click.option("--force", is_flag=True, help="Replace the output folder even if it is not a site migrmeta wrote.")
@click.option("--lang", type=click.Choice(defaults.LANGUAGES), default="en", show_default=True,
              callback=remember_language,
              help="Language of the findings, conflicts and refusals (the site is always in en, fr and es).")
def publish_cmd(paths: tuple[str, ...], output: Path, skip_invalid: bool, prefer: tuple[str, ...], agency: str | None,
                date: str | None, catalog_iri: str | None, title: str | None, description: str | None,
                publisher: str | None, base_url: str | None, no_cache: bool, cache_dir: Path | None,
                jobs: int | None, wait: float, force: bool, lang: str, quiet: bool) -> None:
    """Publish the catalogue: validate, merge, apply DCAT-AP 3 and write the site.

    PATHS are record files or directories [default: records/], each optionally naming the
    agency that contributed it, PATH=AGENCY (e.g. un/ph-sof.ttl=un-desa-pd), as merge takes
    them (--prefer AGENCY settles their conflicts). A catalogue with violations
    is refused (nothing is written) unless --skip-invalid. The site (default site/) gets
    catalog.ttl, catalog.jsonld, catalog.nt, catalog.trig (by contribution, with
    provenance), surveys/<id>.ttl, .jsonld, .nt and .xml (DDI Codebook), web pages in
    English, French and Spanish (<lang>/index.html with search, facets, map and
    timeline; <lang>/surveys/<id>.html with the schema.org Dataset JSON-LD embedded;
    <lang>/agencies/<id>.html, each agency with every survey naming it, and the list of
    them, <lang>/agencies.html), agencies/<id>.ttl, .jsonld and .nt, <lang>/changelog.html
    and an Atom <lang>/feed.xml in each language, and release.json (what changed since
    the last publish; changelog.html at the root chooses a language, feed.xml there is
    the English feed),
    server/ (nginx, Apache httpd, Caddy content negotiation), void.ttl, the ontology,
    vocabularies, shapes and JSON-LD context; sitemap.xml too with --base-url. It is
    written next to the target and swapped in at the end in one step: whenever the
    process stops (a failure, Ctrl-C, even SIGKILL), the output folder holds the previous
    site or the new one, whole. One publish writes a folder at a time (the next one waits
    up to --wait seconds); a folder that is not a site migrmeta wrote is replaced only
    with --force. The same records always give the same bytes.

    \b
    Examples:
      migrmeta publish
      migrmeta publish records/ -o /var/www/migrmeta --publisher agency:iom
      migrmeta publish --skip-invalid --prefer psa contributions/
      migrmeta publish psa/ un/ph-sof.ttl=un-desa-pd --prefer psa
      migrmeta publish contributions/ --lang fr          # findings and refusals in French

    \b
    Exit codes: 0 published, 1 refused (violations, an unresolved conflict, another publish
    still writing the folder, a folder that is not a site, a --prefer agency whose inputs were
    all skipped by --skip-invalid), 2 usage error (e.g. --publisher or --prefer naming an
    agency that is not described, an output under a file), 3 refused
    because an input could not be read (with --skip-invalid: published without it, or with its
    last published version).
    """
    from migrmeta.formats.dcat.profile import CatalogOptions
    from migrmeta.merging.sources import agency_iri
    from migrmeta.publishing.site import PublishOptions, publish

    def waiting(message: str) -> None:
        click.echo(f"migrmeta: {message}", err=True)

    options = PublishOptions(
        catalog=CatalogOptions(iri=catalog_iri, title=title, description=description,
                               publisher=agency_iri(publisher) if publisher else None, date=date),
        agency=agency, prefer=prefer, skip_invalid=skip_invalid, cache=not no_cache, cache_dir=cache_dir,
        jobs=jobs, base_url=base_url, force=force, wait=wait, waiting=waiting, lang=lang,
    )
    if catalog_iri is not None and not _absolute_iri(catalog_iri):
        raise UsageError(f"--catalog-iri {catalog_iri!r} is not an absolute IRI", hint="e.g. https://example.org/catalog")
    with _terminate_as_interrupt(), progress_bar(quiet) as progress:
        result = publish(list(paths) or [defaults.RECORDS], output, options, progress)
    say_notices(result.report.notices)
    _say(result, output)
    sys.exit(result.exit_code())


def _say(result: PublishResult, output: Path) -> None:
    """What was published, or why nothing was (the previous site is unchanged)."""

    from migrmeta.merging.described import taken_notice, unnamed_notice
    from migrmeta.merging.output import render_report
    from migrmeta.validation.render import render_text

    lang = result.report.lang
    if result.refused == "violations":
        click.echo(render_text(result.report, quiet=True, cli=True), nl=False)
        problem = "unreadable" if result.report.unreadable and not result.report.count("violation") else "violations"
        click.echo(message(f"publish.refused_{problem}", lang, output=output) + "\n  "
                   + message("publish.refused_hint", lang), err=True)
    elif result.refused == "conflicts":
        assert result.merged is not None
        click.echo(render_report(result.merged, cli=True, lang=lang), nl=False, err=True)
        why = "shared_identifier" if not result.merged.unresolved else "conflicts"
        click.echo(message(f"publish.refused_{why}", lang, output=output), err=True)
    elif result.refused == "preference":  # --skip-invalid left no input of a --prefer agency
        assert result.unused_preference is not None
        _say_as_merged(result)
        click.echo("".join(f"{line}\n" for line in _skipped(result)), nl=False)
        preference = result.unused_preference
        click.echo(f"Nothing published: {preference.message}, and {plural(len(result.skipped), 'record')} "
                   f"{'was' if len(result.skipped) == 1 else 'were'} skipped as invalid (above), which may be its "
                   f"inputs; {output}/ is unchanged.\n  hint: correct them, or prefer an agency of the inputs left; "
                   f"{preference.hint}", err=True)
    elif result.refused == "empty":  # --skip-invalid left nothing: say what it left out, and why
        click.echo("".join(f"{line}\n" for line in _skipped(result)), nl=False)
        readable = any(r.readable for r in result.skipped) or not result.skipped
        what = "none_readable" if not readable else "no_survey_conforms" if result.merged is not None \
            else "none_conforms"
        click.echo(message(f"publish.refused_{what}", lang, output=output), err=True)
    else:
        if result.merged is not None:
            notes = render_report(result.merged, cli=True, lang=lang)
            if notes:
                click.echo(notes, nl=False, err=True)
            merged = result.merged
            say_notices(taken_notice(merged.taken, merged.taken_from) + unnamed_notice(merged.unnamed))
        _say_as_merged(result)
        click.echo(_summary(result), nl=False)


def _say_as_merged(result: PublishResult) -> None:
    """What a survey several files describe breaks as merged (skipped or warnings), and one
    agency under two ids (the site would name it twice)."""
    from dataclasses import replace

    from migrmeta.validation.render import render_text
    from migrmeta.validation.runner import Report

    merged = [replace(r, findings=[f for f in r.findings if f.check == "union" or f.component in _SAID])
              for r in result.report.records]
    shown = Report([r for r in merged if r.findings], result.report.lang)
    if shown.records:
        click.echo("\n".join(render_text(shown, cli=True).splitlines()[:-1]), err=True)


_SAID = ("duplicate_agency",)  # validation warnings publish says too: what the published site would show wrong


def _absolute_iri(text: str) -> bool:
    parts = urlsplit(text)
    return bool(parts.scheme and (parts.netloc or parts.scheme == "urn")) and not any(c in text for c in ' <>"{}|\\^`')
