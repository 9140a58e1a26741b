"""The catalogue as merged, checked again: what the shapes find in a survey several
contributions describe, and in none of them alone.

    added = union_findings(merged, report)   # record file -> findings its report did not have

Each record is validated alone (validation/), and the merge makes a conflict of every item the
shapes allow once (`sh:maxCount 1`, `sh:uniqueLang`: merging/merge.py reads them from the
shapes), so `prefer` settles those. The shapes' other rules read several values or several
items together (shapes/rules.ttl: a main access level among several, micro-data and 'no
access', a complete enumeration alone...): two descriptions that each conform can break them
once united. Only a survey described by several contributions can, so only those are validated
again, as merged (the kept statements of the files that describe it, their blank nodes as
such), with the compiled engine in one store; a finding of the union that none of these files
had alone is given to each of those that describe its focus node (a survey of the group),
naming the others and what to do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rdflib import BNode, URIRef
from rdflib.term import Node

from migrmeta.load.reference import Reference, load_reference
from migrmeta.merging.merge import MergeResult
from migrmeta.merging.sources import Contribution, Triple
from migrmeta.messages import message
from migrmeta.namespaces import IS_TYPE, SURVEY_CLASSES
from migrmeta.rdf.ntriples import ntriples
from migrmeta.rdf.partition import Partition
from migrmeta.rdf.skolem import GENID, is_skolem
from migrmeta.validation.findings import Explainer, Finding
from migrmeta.validation.runner import Report, check_records, explain_results, validate

_GENID = str(GENID)
Key = tuple[str | None, str | None, str | None, str | None, str | None]


def shared_surveys(merged: MergeResult) -> list[list[Contribution]]:
    """The contributions that describe a survey together, each set once (joined when they share
    several surveys): most catalogues have none, one agency per survey."""
    surveys = {s for c in merged.contributions for s, p, o in c.triples if p in IS_TYPE and o in SURVEY_CLASSES}
    by_survey: dict[Node, list[int]] = defaultdict(list)
    for index, c in enumerate(merged.contributions):
        for subject in {s for s, _, _ in c.triples} & surveys:
            by_survey[subject].append(index)
    same: Partition[int] = Partition()
    for indexes in by_survey.values():
        for other in indexes[1:]:
            same.union(indexes[0], other)
    groups = sorted(sorted(group) for group in same.classes())
    return [[merged.contributions[i] for i in group] for group in groups]


def merged_findings(merged: MergeResult, reference: Reference | None = None, *, cache_dir: Path | None = None,
                    lang: str = "en") -> dict[str, list[Finding]]:
    """`union_findings` for a merge on its own (`migrmeta merge`): the files that describe a survey
    together are validated first (their own findings, from the cache when they are there)."""
    groups = shared_surveys(merged)
    if not groups:
        return {}
    files = sorted({c.source for group in groups for c in group})
    report = validate(files, lang=lang, cache_dir=cache_dir)
    return union_findings(merged, report, reference or load_reference(), cache_dir=cache_dir, groups=groups)


def union_findings(merged: MergeResult, report: Report, reference: Reference, *, cache_dir: Path | None = None,
                   groups: list[list[Contribution]] | None = None) -> dict[str, list[Finding]]:
    """Record file -> the findings of the surveys it describes with other files, as merged, that
    none of these files had alone (`report`: the records' own findings; `groups`: `shared_surveys`
    of the merge, when the caller has them)."""
    groups = shared_surveys(merged) if groups is None else groups
    if not groups:
        return {}
    items = [(f"union:{index}", _as_written(triples_of(group)).encode("utf-8"), "ntriples")
             for index, group in enumerate(groups)]
    checked = check_records(items, engine="sparql", reference=reference, jobs=1, cache_dir=cache_dir)
    explainer = Explainer(checked.texts, report.lang)
    own = {r.source: r.findings for r in report.records}
    added: dict[str, list[Finding]] = defaultdict(list)
    for group, outcome in zip(groups, checked.outcomes, strict=True):
        had = {_key(f) for c in group for f in own.get(c.source, ())}
        subjects = [{s for s, _, _ in c.triples} for c in group]
        for finding in explain_results(explainer, outcome):
            if _key(finding) in had:
                continue
            # the files that describe the node at fault, not every file the group joined
            # (one that shares another survey with them); a nested node's: the whole group
            focus = URIRef(finding.focus) if finding.focus else None
            blamed = [c for c, said in zip(group, subjects, strict=True) if focus in said] or group
            for c in blamed:
                others = ", ".join(o.label for o in blamed if o is not c)
                added[c.source].append(replace(
                    finding, source=c.source, line=None, check="union",  # no line: N-Triples made here
                    message=message("union.as_merged", report.lang, others=others, message=finding.message),
                    hint=message("union.hint", report.lang)))
    return dict(added)


def triples_of(group: Sequence[Contribution]) -> set[Triple]:
    """What the files of a group say, as merged (a conflict's losers set aside)."""
    return set().union(*(c.triples for c in group))


def _as_written(triples: set[Triple]) -> str:
    """N-Triples with the merge's skolem IRIs as the blank nodes they were: the shapes then see
    the records' nested nodes as each record's validation saw them."""
    def node(term: Node) -> Node:
        return BNode(str(term)[len(_GENID):]) if is_skolem(term) else term

    return ntriples((node(s), p, node(o)) for s, p, o in triples)


def _key(finding: Finding) -> Key:
    return (finding.focus, finding.shape, finding.component, finding.path, finding.value)


__all__ = ["merged_findings", "shared_surveys", "triples_of", "union_findings"]
