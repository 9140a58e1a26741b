"""One DDI codeBook being mapped to a draft: its graph, loss report, ledger and shared helpers.

`Study` holds what the mapping steps (citation.py, method.py) share: the codeBook, the
project's terms and agencies, the draft graph about `survey`, the loss report and the ledger
of used elements (loss.py); and the helpers they read the codeBook with.
"""

from __future__ import annotations

from lxml import etree
from rdflib import Graph, Literal, URIRef

from migrmeta.formats.ddi.loss import Ledger
from migrmeta.formats.ddi.xml import OWN_VOCAB, VERSIONS, explicit_lang, local_name, text_of
from migrmeta.formats.harmonize import Terms
from migrmeta.formats.loss import LossReport
from migrmeta.load.reference import Reference
from migrmeta.namespaces import SURVEY
from migrmeta.values.agencies import Agencies

CODES = frozenset({"concept"})


class Study:
    """One codeBook being mapped: the draft graph, and which elements were used."""

    def __init__(
        self,
        codebook: etree._Element,
        source: str,
        terms: Terms,
        agencies: Agencies,
        reference: Reference,
        lang: str,
    ) -> None:
        self.cb, self.terms, self.agencies, self.reference = codebook, terms, agencies, reference
        self.lang = lang
        self.version = codebook.get("version") or VERSIONS.get(etree.QName(codebook).namespace or "", "?")
        self.ledger = Ledger()
        self.agent_of: dict[etree._Element, URIRef] = {}
        self.graph = Graph()
        self.report = LossReport(source, f"DDI Codebook {self.version} -> migrmeta draft")
        self.survey = SURVEY["unnamed"]

    def find(self, path: str, under: etree._Element | None = None) -> list[etree._Element]:
        nodes = [under if under is not None else self.cb]
        for step in path.split("/"):
            nodes = [c for n in nodes for c in n if local_name(c) == step]
        return nodes

    def text(self, element: etree._Element) -> Literal | None:
        """The element's words in their language; a coding `<concept>` child is not part of them
        (`<anlyUnit>Individual<concept>Individual</concept></anlyUnit>` is "Individual")."""
        value = text_of(element, CODES) or text_of(element)  # a bare <concept> is the words
        return Literal(value, lang=explicit_lang(element) or self.lang) if value else None

    def add(self, predicate: URIRef, value: object) -> None:
        self.graph.add((self.survey, predicate, value))  # type: ignore[arg-type]

    def coded(self, element: etree._Element, scheme: str) -> list[URIRef]:
        """Concepts given as <concept vocabURI=...> children (ours or DDI CV ones we map)."""
        found = []
        for concept in self.find("concept", element):
            iri = self.terms.by_iri((concept.get("vocabURI") or "").strip(), scheme)
            if iri is None:
                iri = self.terms.by_label(text_of(concept), scheme) if concept.get("vocab") == OWN_VOCAB else None
            if iri is not None:
                found.append(iri)
        return found
