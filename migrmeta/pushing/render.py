"""A push said for people: what was written, pruned and checked, or what was not, and what to do.

    print(render_push(report, cli=True))           # after `pushing.gsp.push`
    print(render_dry_run(plan.graphs, found))       # `push --dry-run` (`found`: `gsp.leftovers`, or None)

Hints are written `{--flag|argument}` (errors.speak): the command line reads the flag, Python
the argument.
"""

from __future__ import annotations

from migrmeta.errors import speak
from migrmeta.messages import plural
from migrmeta.pushing.gsp import Leftovers, PushReport
from migrmeta.querying.store import CatalogueGraph

_AGAIN = "PUT replaces, so graphs already written are not duplicated"


def render_push(report: PushReport, *, cli: bool = False) -> str:
    """The report for people: what was written, pruned and checked, or what was not."""
    lines: list[str] = [f"not pushed: {error}" for error in report.input_errors]
    if report.interrupted:
        lines += _interrupted(report)
    elif report.failed or report.not_attempted:
        lines += _part_way(report)
    else:
        lines += _done(report)
    return speak("\n".join(lines) + "\n", cli=cli)


def _written(report: PushReport) -> list[str]:
    return [f"  written      <{g}> ({report.source(g)})" for g in report.written]


def _not_written(report: PushReport) -> list[str]:
    if report.not_attempted and not report.written:  # nothing reached the store: no list of 65 names
        return [f"  not written  the other {plural(len(report.not_attempted), 'graph')} (not tried)"]
    return [f"  not written  <{g}> ({report.source(g)})" for g in report.not_attempted]


def _part_way(report: PushReport) -> list[str]:
    lines = [f"push to {report.store} failed{' part-way' if report.written else ''}: {len(report.written):,} of "
             f"{plural(len(report.graphs), 'graph')} written"]
    lines += _written(report)
    lines += [f"  FAILED       <{g}> ({report.source(g)}): {why}" for g, why in report.failed.items()]
    lines += _not_written(report)
    if report.stopped and report.not_attempted:
        lines.append("  (stopped at the first failure: every other graph would meet it)")
    if report.hint:
        lines.append(f"  hint: {report.hint}")
    when = "once the store is reachable" if report.unreachable else "once this is fixed"
    lines.append(f"nothing was pruned or checked; push again {when} ({_AGAIN})")
    return lines


def _interrupted(report: PushReport) -> list[str]:
    lines = [f"push to {report.store} interrupted while {report.interrupted}: {len(report.written):,} of "
             f"{plural(len(report.graphs), 'graph')} written"]
    lines += _written(report)
    lines += [f"  FAILED       <{g}> ({report.source(g)}): {why}" for g, why in report.failed.items()]
    if report.in_flight and report.interrupted == "writing":
        lines.append(f"  unknown      <{report.in_flight}> ({report.source(report.in_flight)}): its PUT was under way")
    lines += [f"  not written  <{g}> ({report.source(g)})" for g in report.not_attempted]
    lines += [f"  pruned       <{g}>" for g in report.pruned]
    lines += [f"  DELETE sent  <{g}>: not verified" for g in report.deletes_sent]
    if report.interrupted == "pruning":
        if report.in_flight:
            lines.append(f"  unknown      <{report.in_flight}>: its DELETE was under way")
        done = {*report.deletes_sent, *report.prune_failed, report.in_flight}
        lines += [f"  not deleted  <{g}>" for g in report.extra if g not in done]
    lines.append(f"nothing was checked; run the same push again to finish it ({_AGAIN})")
    return lines


def _done(report: PushReport) -> list[str]:
    total = sum(len(g) for g in report.graphs if g.name in report.written)
    lines = [f"pushed {plural(len(report.written), 'graph')} ({plural(total, 'triple')}) to {report.store}"]
    lines += [f"pruned <{name}> (no longer in the catalogue)" for name in report.pruned]
    lines += [f"NOT PRUNED <{name}>: {why}" for name, why in report.prune_failed.items()]
    lines += [f"NOT PRUNED <{name}>: the DELETE was answered, but the store's graphs could not be listed "
              "to see it taken" for name in report.deletes_sent]
    if report.prune_hint:
        lines.append(f"  hint: {report.prune_hint}")
    if report.extra:
        if not report.prune:
            reason = "not asked to prune"
        elif report.input_errors:  # the unreadable input may be the one that gives it
            reason = "not pruned: an input was unreadable, which may be the one that gives it"
        else:
            reason = "not pruned: the DELETEs stopped at the failure above"
        lines += [f"kept <{name}>: no input read gives it ({reason})" for name in report.extra]
    lines += elsewhere_lines(report.elsewhere, report.store)
    if report.check_error:
        lines.append(f"check failed: {report.check_error}")
        if report.check_hint:
            lines.append(f"  hint: {report.check_hint}")
    for check in report.mismatches:
        detail = check.note or f"expected {plural(check.expected, 'triple')}, the store holds {check.found:,}"
        lines.append(f"MISMATCH <{check.graph}> ({check.source}): {detail}")
    if not report.mismatches and not report.check_error:
        what = ("the same content (canonical N-Triples digests)" if report.check == "content"
                else "the expected number of triples (counts only: a changed value would go unseen)")
        lines.append(f"check: the store holds {what} in all {plural(report.checked, 'graph')}")
    return lines


def elsewhere_lines(elsewhere: dict[str, list[str]], store: str) -> list[str]:
    """The graphs of this catalogue that the store also holds under another graph base."""
    lines: list[str] = []
    for base, names in sorted(elsewhere.items()):
        naming = f"<{base}>" if base else "the default naming (<survey IRI>/graph)"
        lines.append(f"also in the store under another graph base, {naming}: {plural(len(names), 'graph')} of this "
                     "catalogue (a union default graph holds their statements twice: answers may count them twice):")
        lines += [f"  <{name}>" for name in names]
        lines.append("  hint: migrmeta never deletes graphs outside its graph base (they may be another publisher's); "
                     "if an earlier push of yours wrote them, delete each on the store: "
                     f"curl -X DELETE -G '{store}' --data-urlencode 'graph=IRI'")
    return lines


def render_dry_run(graphs: list[CatalogueGraph], found: Leftovers | None = None, *, prune: bool = False,
                   unreadable: bool = False, store: str = "", cli: bool = False) -> str:
    """The graphs a push would write; with the store's `found` leftovers, what it would prune and keep."""
    width = max((len(g.name) for g in graphs), default=5)
    lines = [f"{'graph':<{width}}  {'triples':>7}  source"]
    lines += [f"{g.name:<{width}}  {len(g):>7}  {g.shown}" for g in graphs]
    if found is not None:
        if prune and not unreadable:
            lines += [f"would prune <{name}> ({plural(found.sizes.get(name, 0), 'triple')}, not in the catalogue)"
                      for name in found.extra]
            if not found.extra:
                lines.append("would prune nothing: the store holds no graph under the base that the catalogue lacks")
        else:
            reason = "not pruned: an input is unreadable, which may be the one that gives it" if prune \
                else "not asked to prune"
            lines += [f"would keep <{name}>: no input read gives it ({reason})" for name in found.extra]
        lines += elsewhere_lines(found.elsewhere, store)
    return speak("\n".join(lines) + "\n", cli=cli)


__all__ = ["elsewhere_lines", "render_dry_run", "render_push"]
