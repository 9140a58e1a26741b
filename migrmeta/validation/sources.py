"""The web addresses a record cites, and what kind of page each one is.

    rules = load_host_rules()                       # ontology/source-hosts.csv
    sites = agency_sites(catalogue)                 # the agencies' foaf:homepage
    for cited in citations(graph, survey, rules, sites):
        cited.address, cited.predicate, cited.kind   # publisher | doi | archive | legal | mirror | news | other

A cited address is an http(s) object of dct:source, dcat:landingPage, foaf:page,
dct:isReferencedBy, dcatap:applicableLegislation, or the dcat:accessURL / dcat:downloadURL
of a distribution. Its kind comes from data, not code: the host rules of
`ontology/source-hosts.csv` (DOI resolvers, data archives, legal texts, mirrors, the press),
and the home pages of the agencies conducting or publishing the survey (its dct:creator
and dct:publisher, and those of its series): an address on one of those sites is the
publisher's own page. Nothing here touches the network.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import URIRef
from rdflib.term import Node

from migrmeta import resources
from migrmeta.errors import InputError
from migrmeta.namespaces import AGENCY, DCAT, DCATAP, DCT, FOAF
from migrmeta.rdf.curie import curie
from migrmeta.rdf.readonly import Statements

KINDS = ("publisher", "doi", "archive", "legal", "mirror", "news", "other")
KIND_NAMES = {
    "publisher": "publisher's own page",
    "doi": "DOI or handle",
    "archive": "data archive",
    "legal": "legal text",
    "mirror": "mirror (a copy)",
    "news": "news",
    "other": "other",
}
AUTHORITATIVE = ("publisher", "doi", "archive", "legal")  # what a curator can rely on
CITING = (DCT.source, DCAT.landingPage, FOAF.page, DCT.isReferencedBy, DCATAP.applicableLegislation)
DISTRIBUTION_LINKS = (DCAT.accessURL, DCAT.downloadURL)
_RULE_KINDS = frozenset(KINDS) - {"other"}


def host_rules_file() -> Path:
    return resources.ontology_dir() / "source-hosts.csv"


@dataclass(frozen=True)
class HostRule:
    host: str  # without "www."; "name.*" for any top-level domain
    path: str  # a path prefix ("" for the whole host)
    kind: str
    note: str = ""
    agency: str = ""  # kind publisher: the agency (IRI) whose other site this host is

    def matches(self, host: str, path: str) -> bool:
        if self.host.endswith(".*"):
            found = _any_domain(self.host[:-2]).search(host) is not None
        else:
            found = host == self.host or host.endswith("." + self.host)
        return found and path.startswith(self.path)


@cache
def _any_domain(name: str) -> re.Pattern[str]:
    """`name.*`: the name followed by a top-level domain, or a country's second-level one."""
    return re.compile(rf"(^|\.){re.escape(name)}\.[a-z]{{2,}}(\.[a-z]{{2}})?$")


@dataclass(frozen=True)
class HostRules:
    rules: tuple[HostRule, ...]
    _found: dict[str, HostRule | None] = field(default_factory=dict, compare=False, repr=False)
    # rule index by host, so an address is tried against the rules of its host and of the
    # domains above it, not all of them (each survey cites addresses of its own)
    _by_host: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)
    _wildcards: list[int] = field(default_factory=list, compare=False, repr=False)  # `name.*` rules

    def __post_init__(self) -> None:
        for index, rule in enumerate(self.rules):
            if rule.host.endswith(".*"):
                self._wildcards.append(index)
            else:
                self._by_host.setdefault(rule.host, []).append(index)

    def rule(self, address: str) -> HostRule | None:
        """The most specific rule fitting the address, if any (of those as specific, the first)."""
        if address not in self._found:
            host, path = split_address(address)
            labels = host.split(".")
            candidates = sorted([*self._wildcards, *(i for at in range(len(labels))
                                                      for i in self._by_host.get(".".join(labels[at:]), ()))])
            fitting = [self.rules[i] for i in candidates if self.rules[i].matches(host, path)]
            self._found[address] = max(fitting, key=lambda r: (len(r.path), len(r.host))) if fitting else None
        return self._found[address]

    def kind(self, address: str) -> str | None:
        """The kind the rules give the address; None if no rule fits."""
        found = self.rule(address)
        return found.kind if found is not None else None


def parse_host_rules(text: str, source: str) -> HostRules:
    """Rules from CSV text (host,kind,note,agency; lines starting with # are comments)."""
    rows = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    reader = csv.reader([line for _, line in rows])
    header = next(reader, None)
    if header is None or [h.strip() for h in header[:2]] != ["host", "kind"]:
        raise InputError(source, "the host rules need a header line 'host,kind,note'",
                         line=rows[0][0] if rows else None, hint="see the comment at the top of the file")
    rules = []
    for (line, _), row in zip(rows[1:], reader, strict=True):
        if len(row) < 2 or not row[0].strip():
            raise InputError(source, "a rule needs a host and a kind", line=line)
        kind = row[1].strip()
        agency = row[3].strip() if len(row) > 3 else ""
        if kind not in _RULE_KINDS:
            raise InputError(source, f"{kind!r} is not a kind of source", line=line,
                             hint=f"use one of: {', '.join(sorted(_RULE_KINDS))}")
        if (kind == "publisher") != bool(agency):
            raise InputError(source, "a publisher rule names its agency in the fourth column, and only it does",
                             line=line, hint="write host,publisher,note,agency-id (the id of records/agencies.ttl)")
        host, _, path = row[0].strip().lower().removeprefix("www.").partition("/")
        rules.append(HostRule(host, "/" + path if path else "", kind, row[2].strip() if len(row) > 2 else "",
                              agency if agency.startswith("http") else (str(AGENCY) + agency if agency else "")))
    return HostRules(tuple(rules))


@cache
def load_host_rules(path: Path | None = None) -> HostRules:
    file = path or host_rules_file()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(file), f"cannot read the host rules ({exc.strerror or exc})") from None
    return parse_host_rules(text, str(file))


def split_address(address: str) -> tuple[str, str]:
    """(host without "www.", path) of an address, in lower case for the host."""
    parts = urlsplit(address)
    return (parts.hostname or "").lower().removeprefix("www."), parts.path or "/"


@dataclass(frozen=True)
class Site:
    """Where an agency's own pages are: its home page's host and, for a shared host such
    as www.gob.mx/conapo, the path below which its pages live."""

    agency: URIRef
    host: str
    path: str

    def holds(self, address: str) -> bool:
        host, path = split_address(address)
        same = host == self.host or host.endswith("." + self.host)
        return same and (self.path in ("", "/") or path == self.path or path.startswith(self.path.rstrip("/") + "/"))


def _as_text(pair: tuple[Node, Node]) -> tuple[str, str]:
    return str(pair[0]), str(pair[1])


def agency_sites(graph: Statements) -> dict[URIRef, list[Site]]:
    """Each agency's sites, from its foaf:homepage."""
    sites: dict[URIRef, list[Site]] = {}
    # by text: rdflib's terms compare in Python (the same order for the IRIs kept)
    for agency, page in sorted(graph.subject_objects(FOAF.homepage), key=_as_text):
        if isinstance(agency, URIRef) and isinstance(page, URIRef) and str(page).startswith(("http:", "https:")):
            host, path = split_address(str(page))
            if host:
                sites.setdefault(agency, []).append(Site(agency, host, path.rstrip("/") or "/"))
    return sites


@dataclass(frozen=True)
class Citation:
    subject: str  # the survey or series citing it
    address: str
    predicate: str  # CURIE: dct:source, dcat:landingPage, dcat:accessURL, ...
    kind: str
    agency: str | None = None  # for a publisher page: the agency whose site it is

    @property
    def host(self) -> str:
        return (urlsplit(self.address).hostname or "").lower()


def publishing_agencies(graph: Statements, subject: Node) -> list[URIRef]:
    """The agencies conducting or publishing `subject` or the series it is a round of."""
    nodes = [subject, *graph.objects(subject, DCAT.inSeries)]
    found = {a for node in nodes for p in (DCT.creator, DCT.publisher) for a in graph.objects(node, p)}
    return sorted(a for a in found if isinstance(a, URIRef))


def kind_of(address: str, rules: HostRules, sites: Iterable[Site],
            agencies: Iterable[URIRef] = ()) -> tuple[str, str | None]:
    """(kind, agency) of one address: a legal text, DOI, mirror or news item by the rules; else the
    publisher's own page when it is on the site of one of `agencies` (their home pages, `sites`, or
    a publisher rule naming one of them); else the rules' kind (a data archive) or other."""
    rule = rules.rule(address)
    if rule is not None and rule.kind in ("legal", "doi", "mirror", "news"):
        return rule.kind, None
    own = {str(a) for a in agencies}
    if rule is not None and rule.kind == "publisher" and rule.agency in own:
        return "publisher", rule.agency
    for site in sites:
        if site.holds(address):
            return "publisher", str(site.agency)
    return (rule.kind if rule is not None and rule.kind == "archive" else "other"), None


def cited_addresses(graph: Statements, subject: Node) -> list[tuple[str, URIRef]]:
    """(address, property) of every http(s) address `subject` cites, sorted."""
    found: set[tuple[str, URIRef]] = set()
    for predicate in CITING:
        found |= {(str(o), predicate) for o in graph.objects(subject, predicate) if isinstance(o, URIRef)}
    for distribution in graph.objects(subject, DCAT.distribution):
        for predicate in DISTRIBUTION_LINKS:
            found |= {(str(o), predicate) for o in graph.objects(distribution, predicate) if isinstance(o, URIRef)}
    return sorted(((a, p) for a, p in found if a.startswith(("http://", "https://"))), key=lambda x: (x[0], str(x[1])))


def citations(graph: Statements, subject: Node, rules: HostRules, sites: dict[URIRef, list[Site]]) -> list[Citation]:
    """Every address `subject` cites, with its kind."""
    agencies = publishing_agencies(graph, subject)
    own = [site for agency in agencies for site in sites.get(agency, [])]
    result = []
    for address, predicate in cited_addresses(graph, subject):
        kind, agency = kind_of(address, rules, own, agencies)
        result.append(Citation(str(subject), address, curie(predicate), kind, agency))
    return result


__all__ = ["AUTHORITATIVE", "KINDS", "KIND_NAMES", "Citation", "HostRule", "HostRules", "Site", "agency_sites",
           "citations", "cited_addresses", "kind_of", "load_host_rules", "parse_host_rules", "publishing_agencies"]
