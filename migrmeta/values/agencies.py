"""Agencies: the one index of organisations by id, acronym and name; new ones named.

Known agencies come from records/agencies.ttl (and from a form's own `agencies:`): their
id (the last part of the IRI, `psa`), names in every language (foaf:name) and acronyms
(skos:altLabel). Two ways in:

- `resolve(answer, countries)`: what a contributor wrote in a form, a sheet or `migrmeta new`
  -> the agency IRI, or BadValue with the closest name ("did you mean"). An acronym or a name
  is a common word in many countries ("INS", "INE", "Institut National de la Statistique"):
  one naming an agency based in none of the survey's `countries` (mm:basedIn) is refused
  with the candidates, and among several the one based in a survey's country is taken;
- `match(names, acronym, homepage)`: an organisation read by the DDI or DCAT importer ->
  the known agency, else a new one whose IRI is derived from its name (the same file
  imported twice gives the same IRI), with the known agencies it may duplicate (`similar`:
  a name nearly the same, the same web site or acronym; given the new agency's country, never
  one based in another).

`Agencies(strict=True)`: the agencies of one catalogue compared with each other (`validate`'s
check across records), not a new one against those known: what each says of itself is
compared, never its id (the id is what differs); a web site is its whole address (a
government's agencies share one host: gob.mx/conapo, gob.mx/stps); names must be close as
wholes and in their distinctive words (`Names.close`'s `strict`). A warning on every run of a
catalogue must be rarer than a question an importer asks once.

`shown(iri)` says an agency as a person recognises it: its id, English name and country.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.load.files import parse_bytes
from migrmeta.messages import message
from migrmeta.namespaces import AGENCY, AGENCY_TYPE, DCT, FOAF, MM, ORG, RDF, SKOS
from migrmeta.values.countries import countries
from migrmeta.values.errors import BadValue
from migrmeta.values.iris import is_bracketed, is_iri, parse_iri
from migrmeta.values.names import Names
from migrmeta.values.text import fold, is_slug, slug

# the kind of agency whose names and acronyms many countries share ("INE", "INS", "PSA", "Instituto
# Nacional de Estadística") and that works in its own country (a university, a foundation, a
# donor's ministry works abroad: the Mo Ibrahim Foundation funds Afrobarometer's rounds)
_NATIONAL_OFFICE = AGENCY_TYPE["national-statistical-office"]
_ACRONYM_IN_NAME = re.compile(r"^(.*\S)\s*\(([A-Z][A-Z0-9&.\-]{1,11}s?)\)\s*$")
DUPLICATE_CUTOFF = 0.9  # a new agency's name this close to a known one: "check it is not the same"
def add_hint() -> str:
    """Where a form describes an agency not known yet (made when said: reading messages.toml at
    import cost every command 0.05 s)."""
    return message("hint.agency_form", "en", where="records/agencies.ttl")


@dataclass
class NewAgency:
    """An agency an importer met that is not known yet."""

    iri: URIRef
    names: dict[str, str] = field(default_factory=dict)  # lang ("" = unknown) -> name
    acronyms: set[str] = field(default_factory=set)
    homepage: str | None = None
    similar: list[URIRef] = field(default_factory=list)  # known agencies it may duplicate
    kind: URIRef | None = None  # its agency-type concept, when the source tells it
    # a known agency of the same name or acronym, based in none of the survey's countries
    # (another country's "INE" or "PSA"): not taken for it, but named to the curator
    elsewhere: URIRef | None = None


class Agencies:
    """Known agencies by id, acronym or name, and the new ones an importer named."""

    def __init__(self, graph: Graph | None = None, *, strict: bool = False) -> None:
        self.strict = strict
        self.ids: dict[str, URIRef] = {}
        self.names = Names()
        self._homepages: dict[str, list[URIRef]] = {}  # a web site -> the agencies at it, first known first
        self.new: dict[URIRef, NewAgency] = {}
        self.based: dict[URIRef, URIRef] = {}  # agency -> the country it is based in (mm:basedIn)
        self.national_offices: set[URIRef] = set()  # the national statistical offices among them
        self._labels: dict[URIRef, dict[str, str]] = {}  # agency -> lang -> name, to show it
        self.add_hint = ""  # where the contributor describes an agency not known yet ("": add_hint())
        if graph is not None:
            self.add_graph(graph)

    @classmethod
    def from_file(cls, path: Path | None) -> Agencies:
        """The agencies of a Turtle file (records/agencies.ttl); none when there is no file."""
        if path is None or not path.is_file():
            return cls()
        return cls(parse_bytes(path.read_bytes(), str(path), "turtle").graph)

    def copy(self) -> Agencies:
        """An independent copy: an importer adds the agencies one row describes to its own."""
        other = Agencies(strict=self.strict)
        other.ids, other.names = dict(self.ids), self.names.copy()
        other._homepages, other.new = {k: list(v) for k, v in self._homepages.items()}, dict(self.new)
        other.based, other._labels = dict(self.based), {k: dict(v) for k, v in self._labels.items()}
        other.national_offices = set(self.national_offices)
        other.add_hint = self.add_hint
        return other

    def add(self, iri: URIRef, names: Iterable[str | Literal] = (), acronyms: Iterable[str] = (),
            homepage: str | None = None, country: URIRef | None = None) -> None:
        """A known agency: its names (any language; a Literal keeps its language), acronyms and
        the country it is based in."""
        ident = str(iri).rstrip("/").rsplit("/", 1)[-1]
        self.ids.setdefault(ident, iri)
        if not self.strict:
            self.names.add(str(iri), ident, ident, code=True)
        labels = self._labels.setdefault(iri, {})
        for name in names:
            self.names.add(str(iri), str(name))
            labels.setdefault((name.language or "") if isinstance(name, Literal) else "", str(name))
        for acronym in acronyms:
            self.names.add(str(iri), acronym, code=True)
        if homepage:
            at = self._homepages.setdefault(self._site(homepage), [])
            if iri not in at:
                at.append(iri)
        if country is not None:
            self.based.setdefault(iri, country)

    def add_graph(self, graph: Graph) -> None:
        """Every foaf:Organization / mm:Agency of a graph."""
        known = set(graph.subjects(RDF.type, FOAF.Organization)) | set(graph.subjects(RDF.type, MM.Agency))
        for agency in sorted(known, key=str):
            if isinstance(agency, URIRef):
                homepage = graph.value(agency, FOAF.homepage)
                country = graph.value(agency, MM.basedIn)
                self.add(agency, [n if isinstance(n, Literal) else str(n) for n in graph.objects(agency, FOAF.name)],
                         [str(a) for a in graph.objects(agency, SKOS.altLabel)],
                         str(homepage) if homepage is not None else None,
                         country if isinstance(country, URIRef) else None)
                if any((agency, p, _NATIONAL_OFFICE) in graph for p in (DCT.type, ORG.classification)):
                    self.national_offices.add(agency)

    def shown(self, iri: URIRef) -> str:
        """An agency as a person recognises it: `ins-tunisia (National Institute of Statistics
        (Tunisia), Tunisia)`; its id alone when nothing else is known."""
        ident = str(iri).rstrip("/").rsplit("/", 1)[-1]
        labels = self._labels.get(iri, {})
        name = labels.get("en") or next((labels[k] for k in sorted(labels)), None)
        country = self.based.get(iri)
        where = None
        if country is not None:
            found = countries().get(str(country))
            where = found.label("en") if found is not None else str(country).rsplit("/", 1)[-1]
        details = ", ".join(d for d in (name, where) if d)
        return f"{ident} ({details})" if details else ident

    def find(self, text: str) -> list[URIRef]:
        """The agencies whose id, acronym or name is the text (several when ambiguous)."""
        return [URIRef(v) for v in self.names.exact(text)]

    # a contributor's answer -------------------------------------------------------------------

    def resolve(self, answer: str, namespace: str = str(AGENCY), countries: Collection[URIRef] = ()) -> URIRef:
        """An agency id, acronym, name or IRI -> the agency IRI; BadValue otherwise.

        `countries`: the survey's. An acronym or a name (not an id or an IRI) that names only
        agencies based elsewhere is refused, with them listed; of several agencies it names,
        the one based in a survey's country is taken.
        """
        text = " ".join(str(answer).split())
        if is_bracketed(text) or ("://" in text and is_iri(text)):
            return parse_iri(text)
        if text in self.ids:  # the id itself: the contributor chose this agency
            return self.ids[text]
        found = self.find(text)
        if found and countries:
            here = [iri for iri in found if self.based.get(iri) in countries]
            if not here and all(iri in self.based for iri in found):
                shown = " or ".join(self.shown(iri) for iri in found)
                raise BadValue(f'"{text}" is the acronym or name of {shown}, based in none of the survey\'s '
                               f"countries: write the id if it is the one meant; otherwise describe the "
                               f"survey's own agency ({self.add_hint or add_hint()})")
            found = here or found
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(str(iri).rsplit("/", 1)[-1] for iri in found)
            raise BadValue(f'"{text}" names several agencies ({ids}): write the id')
        if is_slug(text) and not self.ids:  # nothing known to check against
            return URIRef(namespace + text)
        raise BadValue(f'"{text}" is not a known agency ({self.add_hint or add_hint()})',
                       next(iter(self.names.suggest(text)), None))

    # an organisation read by an importer -------------------------------------------------------

    def match(self, names: dict[str, str], acronym: str | None = None, homepage: str | None = None,
              kind: URIRef | None = None, countries: Collection[URIRef] = ()) -> URIRef:
        """names: {lang: name} of one organisation -> its IRI, known or new (a new one takes the
        `kind` the source tells, an agency-type concept). `countries`: the survey's; a known
        national statistical office based in none of them is not taken on a name or an acronym
        (many are an "INE", an "INS" or a "PSA"): the organisation is a new agency, which names
        it (`NewAgency.elsewhere`)."""
        found = None
        for name in names.values():  # the full name first: "Institute of Statistics (Albania)"
            found = self._one(name, countries)
            if found is not None:
                break
        clean: dict[str, str] = {}
        acronyms = {acronym.strip()} if acronym and acronym.strip() else set()
        for lang, name in names.items():
            split = _ACRONYM_IN_NAME.match(name)
            if split:  # "Central Statistical Authority (CSA)"
                name = split.group(1)
                acronyms.add(split.group(2))
            clean[lang] = " ".join(name.split())
        for word in [*clean.values(), *sorted(acronyms)]:
            if found is not None:
                break
            found = self._one(word, countries)
        if found in self.new and countries and self.based.get(found) not in (None, *countries):
            found = None  # a new agency named by another country's dataset: another one of that name
        elsewhere = None
        if found in self.national_offices and countries and self.based.get(found) not in countries \
                and self._at(homepage) != found:  # its web site says more than where it is based
            elsewhere, found = found, None
        if found is not None and found not in self.new:
            return found  # the catalogue's agency: described there
        main = clean.get("en") or next(iter(sorted(clean.items())), ("", ""))[1]
        iri = found or self._new_iri(slug(main) or "unnamed", countries)
        entry = self.new.get(iri)
        if entry is None:
            similar = self._similar(clean.values(), homepage)
            if elsewhere is not None:
                similar = [elsewhere, *(i for i in similar if i != elsewhere)]
            entry = self.new[iri] = NewAgency(iri, similar=similar, elsewhere=elsewhere)
            if len(countries) == 1:  # where it works, as far as this import knows: another country's "INE" is
                self.based.setdefault(iri, next(iter(countries)))  # another agency (never written to a draft)
        # one new agency named again (an author also the distributor): what each naming tells is kept
        for lang, name in clean.items():
            entry.names.setdefault(lang, name)
        entry.acronyms |= acronyms
        if homepage and not entry.homepage:  # a web site told by a later naming: compared with the known ones too
            entry.homepage = homepage
            similar = self._similar(entry.names.values(), homepage)
            entry.similar = [entry.elsewhere, *(i for i in similar if i != entry.elsewhere)] \
                if entry.elsewhere is not None else similar
        entry.kind = entry.kind or kind
        self.add(iri, clean.values(), acronyms)
        return iri

    def _new_iri(self, ident: str, countries: Collection[URIRef]) -> URIRef:
        """A new agency's IRI: its id, unless a known agency has it, or a new one of another
        country (two countries' "INE"): then with the survey's country (`ine-bol`), or a number;
        a new agency of this country, or of none known, is the same one named again."""
        def taken(iri: URIRef) -> bool:
            if iri not in self.ids.values():
                return False
            based = self.based.get(iri)
            return iri not in self.new or (bool(countries) and based is not None and based not in countries)

        if not taken(AGENCY[ident]):
            return AGENCY[ident]
        codes = [str(c).rsplit("/", 1)[-1].lower() for c in countries] if len(countries) == 1 else []
        for suffix in [*codes, *(str(n) for n in range(2, 100))]:
            if not taken(AGENCY[f"{ident}-{suffix}"]):
                return AGENCY[f"{ident}-{suffix}"]
        return AGENCY[f"{ident}-{len(self.ids)}"]

    def _one(self, word: str, countries: Collection[URIRef] = ()) -> URIRef | None:
        """The one agency of that name or acronym; of several, the one based in a survey's country."""
        found = self.find(word)
        if len(found) > 1 and countries:
            here = [i for i in found if self.based.get(i) in countries]
            found = here if len(here) == 1 else found
        return found[0] if len(found) == 1 else None

    def similar(self, names: Iterable[str], homepage: str | None = None, *, besides: URIRef | None = None,
                country: URIRef | None = None) -> list[URIRef]:
        """Known agencies an agency being described may duplicate (a name nearly the same, or
        the same web site; an acronym that is a known one's), other than `besides`; with its
        `country`, never one based in another country (a web site shared says more than that)."""
        names = [" ".join(n.split()) for n in names if n and n.strip()]
        site = self._at(homepage, besides)
        found = [i for i in self._similar(names, homepage, besides) if i != besides]
        for name in names:
            found += [i for i in self.find(name) if i != besides]
        if country is not None:
            found = [i for i in found if i == site or self.based.get(i, country) == country]
        return list(dict.fromkeys(found))

    def known(self, iri: URIRef) -> bool:
        return iri in self.ids.values()

    def _at(self, homepage: str | None, besides: URIRef | None = None) -> URIRef | None:
        """The first agency known at a web site, other than `besides`."""
        at = self._homepages.get(self._site(homepage), []) if homepage else []
        return next((i for i in at if i != besides), None)

    def _similar(self, names: Iterable[str], homepage: str | None, besides: URIRef | None = None) -> list[URIRef]:
        """Known agencies a new one may duplicate: a name nearly the same, or the same site."""
        found: list[URIRef] = []
        site = self._at(homepage, besides)
        if site is not None:
            found.append(site)
        for name in names:
            if len(fold(name).replace(" ", "")) <= 3:  # an acronym one letter off another is another agency
                continue
            found += [URIRef(value) for value, _, _ in
                      self.names.close(name, DUPLICATE_CUTOFF, both_ways=True, strict=self.strict)]
        return list(dict.fromkeys(i for i in found if i not in self.new))

    def describe(self, graph: Graph, used: Iterable[Node], default_lang: str) -> list[URIRef]:
        """Add the description of each new agency in `used` to the graph; returns them."""
        added: list[URIRef] = []
        for iri in sorted({u for u in used if isinstance(u, URIRef) and u in self.new}):
            entry = self.new[iri]
            graph.add((iri, RDF.type, FOAF.Agent))
            graph.add((iri, RDF.type, FOAF.Organization))
            graph.add((iri, RDF.type, MM.Agency))
            for lang, name in sorted(entry.names.items()):
                graph.add((iri, FOAF.name, Literal(name, lang=lang or default_lang)))
            for acronym in sorted(entry.acronyms):
                graph.add((iri, SKOS.altLabel, Literal(acronym)))
            if entry.homepage:
                graph.add((iri, FOAF.homepage, URIRef(entry.homepage)))
            if entry.kind is not None:
                graph.add((iri, DCT.type, entry.kind))
            added.append(iri)
        return added


    def _site(self, address: str) -> str:
        """What two web sites share to be one: the host (an importer's), the whole address (`strict`)."""
        return _address(address) if self.strict else _host(address)


def _host(address: str) -> str:
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", address.strip().lower()).split("/", 1)[0]
    return host.removeprefix("www.")


def _address(address: str) -> str:
    """An address without its scheme, www., query, fragment or last slash: gob.mx/conapo."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", address.strip().lower()).split("#", 1)[0].split("?", 1)[0]
    return rest.removeprefix("www.").rstrip("/")


__all__ = ["Agencies", "NewAgency", "add_hint"]
