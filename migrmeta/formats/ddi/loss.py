"""The loss accounting of a DDI import: which elements the mapping used, and what it lost.

The mapping marks each element (and attribute) it reads in a `Ledger`, and records why an
element it looked at could not be used. Afterwards `Ledger.collect_lost` walks the codeBook
and lists every other non-empty element in the draft's loss report with its path, a reason
(its own, or the usual one for common DDI elements) and the questionnaire item concerned.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

from migrmeta.formats.ddi.xml import XML_LANG, local_name, text_of
from migrmeta.formats.loss import LossReport

# Containers walked into when listing what was not mapped; any other element is a leaf.
_STRUCTURE = {
    "stdyDscr",
    "citation",
    "titlStmt",
    "rspStmt",
    "prodStmt",
    "distStmt",
    "stdyInfo",
    "subject",
    "sumDscr",
    "method",
    "dataColl",
    "dataAccs",
    "setAvail",
    "useStmt",
    "othrStdyMat",
    "dataDscr",
    "fileDscr",
    "targetSampleSize",
    "sampleFrame",
}
_QUIET_ATTRS = {XML_LANG, "ID", "elementVersion", "elementVersionDate"}
# Why common DDI elements have no place in a survey record (shown in the loss report).
_WHY: dict[str, tuple[str, int | None]] = {
    "docDscr": ("describes the DDI document itself, not the survey", None),
    "var": ("variable-level metadata: no questionnaire item", None),
    "varGrp": ("variable groups: no questionnaire item", None),
    "fileTxt": ("data files: describe them as dcat:distribution with an access URL", 13),
    "otherMat": ("related materials: add dct:isReferencedBy for publications", 13),
    "geogCover": ("geographic coverage below country level: no questionnaire field", 3),
    "geogUnit": ("geographic units: no questionnaire field", 3),
    "serStmt": ("series: link the draft with dcat:inSeries if the catalogue holds the series", 4),
    "topcClas": ("topic classification: no questionnaire field", None),
    "citReq": ("citation requirement: put a citation in dct:bibliographicCitation by hand", None),
    "relPubl": ("publication without a link: add dct:isReferencedBy by hand", 13),
    "relStdy": ("related study: no questionnaire field", None),
    "collMode": ("mode of data collection: no questionnaire field", None),
    "othId": ("other persons or bodies: add agencies with prov:qualifiedAttribution by hand", 5),
    "depositr": ("depositor: no questionnaire field", None),
}


class Ledger:
    """Which elements (and attributes) were used, and why some looked at were not."""

    def __init__(self) -> None:
        self.used: set[etree._Element] = set()
        self.used_attrs: dict[etree._Element, set[str]] = defaultdict(set)
        self.why: dict[etree._Element, tuple[str, int | None]] = {}

    def use(self, element: etree._Element, *attrs: str) -> None:
        self.used.add(element)
        self.used_attrs[element].update(attrs)

    def collect_lost(self, element: etree._Element, path: str, report: LossReport) -> None:
        """List in `report` what under `element` (at `path`) was neither used nor empty."""
        for child in element:
            name = local_name(child)
            if not name:
                continue
            location = f"{path}/{name}"
            if child in self.used:
                for attr in child.attrib:
                    if attr not in self.used_attrs[child] and attr not in _QUIET_ATTRS:
                        report.lose(f"{location}/@{etree.QName(attr).localname}")
                if name in _STRUCTURE:  # a container with a mapped attribute (fileDscr/@URI)
                    self.collect_lost(child, location, report)
            elif name in _STRUCTURE and child not in self.why:
                self.collect_lost(child, location, report)
            elif not _empty(child):
                note, item = self.why.get(child) or _WHY.get(name, ("", None))
                report.lose(location, note=note, item=item)


def _empty(element: etree._Element) -> bool:
    attrs = [a for a in element.attrib if a not in _QUIET_ATTRS]
    return not attrs and not text_of(element) and not any(local_name(c) and not _empty(c) for c in element)
