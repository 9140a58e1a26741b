"""`migrmeta report inventory`, `report quality` and `report sources`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from migrmeta import defaults
from migrmeta.cli.notices import say_notices


@click.group("report")
def report_cmd() -> None:
    """Reports on the catalogue: what it holds, how complete each record is, the sources it cites.

    \b
    Examples:
      migrmeta report inventory records/
      migrmeta report quality records/ --format csv -o quality.csv
      migrmeta report sources records/ --check
    """


@report_cmd.command("inventory")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(defaults.INVENTORY_FORMATS), default="markdown", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def inventory_cmd(paths: tuple[str, ...], fmt: str, output: Path | None, force: bool) -> None:
    """The inventory: one row per survey with items 1, 3, 4, 6, 8, 12 and 14, and the share of
    surveys answering each item, overall and per conducting agency.

    \b
    Examples:
      migrmeta report inventory                       # Markdown, records/
      migrmeta report inventory --format html -o inventory.html
      migrmeta report inventory --format csv records/ > inventory.csv

    \b
    Exit codes: 0 written, 1 the output file exists (not replaced without --force) or could
    not be written, 2 usage error, 3 a record could not be read (left out of the inventory,
    named on standard error).
    """
    from migrmeta.io.files import check_output, write_output
    from migrmeta.reports.inventory import RENDERERS, build_inventory

    if output:
        check_output(output, replace=force, inputs=_read(paths))
    inventory = build_inventory(list(paths) or [defaults.RECORDS])
    _say(inventory.notices, inventory.problems)
    text = RENDERERS[fmt](inventory)
    if output:
        write_output(output, text, force=force, inputs=_read(paths))
        click.echo(f"wrote {output} ({len(inventory.rows)} surveys)", err=True)
    else:
        click.echo(text, nl=False)
    if inventory.problems:
        raise SystemExit(3)


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it YYYY-MM-DD (e.g. 2026-11-30)") from None


def _say(notices: list[str], problems: list[str]) -> None:
    """On standard error: a merge's output left out (or stale), then each input skipped."""
    say_notices(notices)
    for problem in problems:
        click.echo(f"migrmeta: skipped {problem}", err=True)


def _read(paths: tuple[str, ...]) -> list[str | Path]:
    """What a report over `paths` reads (an output may be none of it): the records and the
    agencies.ttl beside them."""
    from migrmeta.load import files_read

    return files_read(paths or [defaults.RECORDS])


def _write(text: str, output: Path | None, summary: str, *, force: bool, inputs: tuple[str, ...]) -> None:
    from migrmeta.io.files import write_output

    if output:
        write_output(output, text, force=force, inputs=_read(inputs))
        click.echo(f"wrote {output} ({summary})", err=True)
    else:
        click.echo(text, nl=False)


@report_cmd.command("quality")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(defaults.QUALITY_FORMATS), default="text", show_default=True)
@click.option("--as-of", "as_of", metavar="DATE", callback=_as_of,
              help="Date against which the age of each record's last check (mm:checkedOn) is measured "
                   "[default: the newest mm:checkedOn of the records].")
@click.option("--by", type=click.Choice(defaults.QUALITY_BY), default="record", show_default=True,
              help="CSV: one row per record (survey or series) or per conducting agency.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="SCORE",
              help="Exit 1 when a survey scores below SCORE (for CI).")
@click.option("--no-cache", is_flag=True, help="Revalidate every record (the findings count in the score).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def quality_cmd(paths: tuple[str, ...], fmt: str, as_of: date | None, by: str, fail_under: float | None,
                no_cache: bool, output: Path | None, force: bool) -> None:
    """A quality score out of 100 per record, per conducting agency and for the catalogue.

    Six dimensions, modelled on data.europa.eu's Metadata Quality Assessment: completeness of
    the 14 questionnaire items, findability, accessibility, interoperability, reusability and
    provenance. Criteria and weights: docs/quality.md. A series scores the mean of its rounds.

    \b
    Examples:
      migrmeta report quality                                  # text, records/
      migrmeta report quality --format markdown -o docs/quality-report.md
      migrmeta report quality --format csv --by agency > agencies.csv
      migrmeta report quality --as-of 2027-06-30 --fail-under 50

    \b
    Exit codes: 0 done, 1 a survey below --fail-under, or the output file exists (not
    replaced without --force), 2 usage error, 3 an input could not be read (the others are
    still scored).
    """
    from migrmeta.io.files import check_output
    from migrmeta.messages import plural
    from migrmeta.reports.quality import RENDERERS, build_quality, render_csv

    if output:
        check_output(output, replace=force, inputs=_read(paths))  # before the work, not after it
    report = build_quality(list(paths) or [defaults.RECORDS], as_of=as_of, cache=not no_cache)
    _say(report.notices, report.problems)
    if not report.rows and report.problems:  # no mean of nothing, dated 1970, rated poor
        click.echo("migrmeta: no survey could be read: nothing was scored", err=True)
        raise SystemExit(3)
    if report.checked_later and as_of is not None:
        click.echo(f"migrmeta: warning: --as-of {as_of.isoformat()} is before the check of "
                   f"{plural(report.checked_later, 'survey')} and series (mm:checkedOn): "
                   "their checks count as made that day", err=True)
    text = render_csv(report, by) if fmt == "csv" else RENDERERS[fmt](report)
    _write(text, output, f"{len(report.rows)} records, mean {report.mean:g}", force=force, inputs=paths)
    if report.problems:
        raise SystemExit(3)
    if fail_under is not None:
        low = [r.identifier for r in report.surveys if r.score.total < fail_under]
        if low:
            click.echo(f"migrmeta: {len(low)} surveys score below {fail_under:g}: {', '.join(low[:10])}"
                       + (" ..." if len(low) > 10 else ""), err=True)
            raise SystemExit(1)


@report_cmd.command("sources")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(defaults.SOURCES_FORMATS), default="text", show_default=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(defaults.SOURCE_KINDS),
    help="Show only citations of this kind (repeatable), e.g. --kind mirror --kind news.")
@click.option("--check", is_flag=True, help="Send a HEAD request to each address and report its status.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=defaults.SOURCES_TIMEOUT, show_default=True,
              help="--check: seconds to wait for each answer.")
@click.option("--delay", type=click.FloatRange(min=0), default=defaults.SOURCES_DELAY, show_default=True,
              help="--check: seconds at least between two requests to the same host.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def sources_cmd(paths: tuple[str, ...], fmt: str, kinds: tuple[str, ...], check: bool, timeout: float,
                delay: float, output: Path | None, force: bool) -> None:
    """Every web address each record cites, with its kind: the publisher's own page, a DOI,
    a data archive, a legal text, a mirror, news or other.

    Nothing is fetched unless --check is given; then each distinct address gets one HEAD
    request (redirects followed), hosts in turn, at least --delay seconds apart per host.
    Kinds come from ontology/source-hosts.csv and the agencies' home pages.

    \b
    Examples:
      migrmeta report sources                              # text, records/
      migrmeta report sources --kind mirror --kind news    # what to replace
      migrmeta report sources --format csv -o sources.csv
      migrmeta report sources records/mafe.ttl --check

    \b
    Exit codes: 0 done (with --check: every address answered), 1 with --check an address
    is broken (HTTP 4xx/5xx other than 405/501) or unreachable, or the output file exists
    (not replaced without --force), 2 usage error, 3 an input could not be read.
    """
    from migrmeta.io.files import check_output
    from migrmeta.reports.sources import RENDERERS, build_sources, check_sources

    if output:
        check_output(output, replace=force, inputs=_read(paths))  # before the work and the requests
    report = build_sources(list(paths) or [defaults.RECORDS])
    if kinds:
        report = report.only(kinds)
    _say(report.notices, report.problems)
    if check:
        check_sources(report, timeout=timeout, delay=delay,
                      progress=lambda address, c: click.echo(f"  {c.status or c.state} {address}", err=True))
    _write(RENDERERS[fmt](report), output, f"{len(report.rows)} citations", force=force, inputs=paths)
    if report.problems:
        raise SystemExit(3)
    if report.failed():
        click.echo(f"migrmeta: {len(report.failed())} addresses broken or unreachable", err=True)
        raise SystemExit(1)
