"""Countries: codes and names in any common form -> the EU authority-table IRIs the records use.

The valid countries are those of `ontology/countries.ttl` (current entries of the EU
Publications Office table: alpha-3 `skos:notation`, ISO alpha-2 `mm:alpha2`, names in
English, French and Spanish). A country is found, in order, by

1. its IRI or its alpha-3 or alpha-2 code, in any case (`PHL`, `ph`);
2. a name of countries.ttl (`Mexique`, `Estados Unidos`) or coco's short or official name;
3. country_converter's regular expressions (`UK`, `Great Britain`, `England`, `Czech
   Republic`, `Turkey`, `Korea, Rep.`, `USA`, `Côte d’Ivoire`), maintained upstream;
4. the words of a name, when they fit one country only.

A name that two countries share once the words of a state's form are left out ("Congo" for
the Republic of the Congo and the Democratic Republic of the Congo, "San Martín") fits both:
it is refused with the two codes rather than taken for the one whose label it happens to be;
so is a bare name that no country has but whose words several countries' names hold ("Korea").

country_converter (coco) also gives the ISO 3166-1 numeric code and the UN M49 groupings of a
country (`m49`): its region (continent) and the finest grouping M49 has for it (UNregion: an
intermediate region such as Western Africa, else a sub-region such as Southern Asia). The
sub-regions made of intermediate regions (Sub-Saharan Africa, Latin America and the Caribbean),
which the table never names, come from `ontology/m49-subregions.csv`. Its table is read only
when a name needs it or `m49` is asked, once per process (see `coco_table`: pandas is never
imported); lookups are cached.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from migrmeta import resources
from migrmeta.namespaces import COUNTRY, COUNTRY_SCHEME, MM, SKOS
from migrmeta.values.errors import BadValue
from migrmeta.values.names import Names, stem
from migrmeta.values.text import fold

# ISO 3166-1 alpha-3 (coco) -> the EU table's code where they differ. The EU list names
# Kosovo 1A0 and the French Southern Territories FQ0 (ATF is deprecated there); countries.ttl
# lists them under those codes (formats/countries.py), so XKX and "Kosovo" resolve to 1A0.
ISO_TO_EU = {"XKX": "1A0", "ATF": "FQ0"}
_EU_TO_ISO = {eu: iso for iso, eu in ISO_TO_EU.items()}
# and the alpha-2 codes the table does not map: Kosovo's XK (user-assigned, as the EU, the IMF
# and the World Bank write it; the table's TED code is "1A").
ALPHA2_TO_EU = {"XK": "1A0"}
# Words of a state's form (en, fr, es, folded): "Democratic Republic of the Congo" is "Congo" without
# them, so a bare "Congo" names two countries.
_FORM_WORDS = frozenset((
    "republic", "democratic", "the", "of", "people", "peoples", "federal", "federated", "state", "states", "islamic",
    "socialist", "united", "kingdom", "plurinational", "bolivarian", "union", "principality", "commonwealth",
    "independent", "cooperative", "d", "l",
    "republique", "democratique", "du", "de", "la", "le", "les", "des", "populaire", "federale", "etat", "etats",
    "islamique", "unie", "unis", "royaume", "bolivarienne",
    "republica", "democratica", "del", "el", "los", "las", "popular", "estado", "estados", "islamica", "unidos",
    "unido", "reino", "plurinacional", "bolivariana",
))
_ARTICLES = frozenset(("the", "of", "d", "l", "du", "de", "la", "le", "les", "des", "del", "el", "los", "las"))
# coco's `continent` for the M49 region (M49 says "Americas"; Antarctica has no region).
_REGION = {"America": "Americas", "Antarctica": None}


def iso_alpha3(code: str) -> str:
    """The ISO 3166-1 alpha-3 code of a code of the EU table (1A0 -> XKX, FQ0 -> ATF; the others
    are the same): what an outside format that promises ISO alpha-3 is given (DDI's
    nation/@abbr, schema.org's Place identifier). The country's IRI stays the EU table's."""
    return _EU_TO_ISO.get(code, code)


@dataclass(frozen=True)
class Country:
    """One country of the list."""

    iri: str
    code: str  # alpha-3, as the EU table writes it
    alpha2: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)  # language -> name

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.code


@dataclass(frozen=True)
class M49:
    """What the UN M49 standard says of a country (for facets and the world map)."""

    numeric: str | None  # ISO 3166-1 numeric, three digits (004); the world atlas ids
    region: str | None  # Africa, Americas, Asia, Europe, Oceania
    # the finest grouping: the intermediate region where M49 has one (Western Africa, Caribbean),
    # else the sub-region (Northern Africa, South-eastern Asia)
    subregion: str | None
    # the sub-region holding `subregion` when that is an intermediate region (Sub-Saharan Africa,
    # Latin America and the Caribbean); None when `subregion` is a sub-region itself
    wider_subregion: str | None = None

    @property
    def areas(self) -> tuple[str, ...]:
        """Every M49 grouping the country is in, the widest first."""
        return tuple(a for a in (self.region, self.wider_subregion, self.subregion) if a)


class Countries:
    """The countries of countries.ttl, found by code or name (see the module)."""

    def __init__(self, countries: list[Country]) -> None:
        self._by_iri = {c.iri: c for c in countries}
        self._by_code: dict[str, Country] = {}
        self.names = Names()
        for country in sorted(countries, key=lambda c: c.code):
            for code in (country.code, country.alpha2):
                if code:
                    self._by_code.setdefault(code.casefold(), country)
                    self.names.add(country.iri, code, code, code=True)
            for label in country.labels.values():
                self.names.add(country.iri, label, country.label("en"))
        by_eu = {c.code: c for c in countries}
        for other, eu in (*ISO_TO_EU.items(), *ALPHA2_TO_EU.items()):  # ISO's codes of what the table codes otherwise
            if eu in by_eu:
                self._by_code.setdefault(other.casefold(), by_eu[eu])
                self.names.add(by_eu[eu].iri, other, other, code=True)
        self._coco_added = False
        self._found: dict[str, list[str]] = {}
        self._cores: dict[str, set[str]] = {}  # a label without the words of a state's form -> countries
        for country in countries:
            for label in country.labels.values():
                core = _core(label)
                if core:
                    self._cores.setdefault(core, set()).add(country.iri)

    @classmethod
    def from_file(cls, path: Path) -> Countries:
        """Read a country list like ontology/countries.ttl (with pyoxigraph: fast)."""
        codes: dict[str, str] = {}
        alpha2: dict[str, str] = {}
        labels: dict[str, dict[str, str]] = {}
        members: set[str] = set()
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject, predicate, obj = quad.subject.value, quad.predicate.value, quad.object
            if predicate == str(SKOS.inScheme) and obj.value == COUNTRY_SCHEME:
                members.add(subject)
            elif predicate == str(SKOS.notation):
                codes[subject] = obj.value
            elif predicate == str(MM.alpha2):
                alpha2[subject] = obj.value
            elif predicate == str(SKOS.prefLabel) and isinstance(obj, ox.Literal):
                labels.setdefault(subject, {})[obj.language or "en"] = obj.value
        return cls([Country(iri, codes[iri], alpha2.get(iri), labels.get(iri, {}))
                    for iri in sorted(members) if iri in codes])

    def __iter__(self) -> Iterator[Country]:
        return iter(sorted(self._by_iri.values(), key=lambda c: c.code))

    def __len__(self) -> int:
        return len(self._by_iri)

    def get(self, key: str) -> Country | None:
        """The country of an IRI or of an alpha-3 / alpha-2 code (any case)."""
        return self._by_iri.get(key) or self._by_code.get(key.strip().casefold())

    # lookups ------------------------------------------------------------------------------

    def find(self, text: str) -> list[str]:
        """The IRIs of the countries `text` names: one, none, or several when ambiguous."""
        key = " ".join(text.split())
        if key not in self._found:
            self._found[key] = self._find(key)
        return list(self._found[key])

    def _find(self, text: str) -> list[str]:
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if text.startswith(str(COUNTRY)):
            country = self._by_iri.get(text)
            return [country.iri] if country else []
        country = self._by_code.get(text.casefold())
        if country is not None:
            return [country.iri]
        if not fold(text):
            return []
        core = _core(text)  # written bare ("Congo", "le Congo"): the name two countries' labels share
        shared = self._cores.get(core, set())
        if len(shared) > 1 and " ".join(w for w in fold(text).split() if w not in _ARTICLES) == core:
            return sorted(shared)
        found = self.names.exact(text)
        if not found:
            self._add_coco_names()
            found = self.names.exact(text)
        if not found and self.region(text) is None:
            found = self._shared_bare_name(text) or self._by_regex(text) or self._by_words(text)
        return found

    def _shared_bare_name(self, text: str) -> list[str]:
        """The countries whose names hold every word of a bare name ("Korea", "Corée": South and
        North Korea), when there are several: coco's regular expressions would pick one of them
        without a word. A name with a word of a state's form ("Korea, Rep.") is left to them."""
        words = [w for w in fold(text).split() if w not in _ARTICLES]
        if not words or any(w in _FORM_WORDS for w in words):
            return []
        found = self._by_words(text)
        return found if len(found) > 1 else []

    def region(self, text: str) -> str | None:
        """The UN M49 region, sub-region or intermediate region `text` names ("Americas",
        "america", "Sub-Saharan Africa", "Western Africa"), unless it is a country's name too;
        None if it names none ("West Africa")."""
        found = _coco().regions.get(_region_key(text))
        if found is None or self.names.exact(text):
            return None
        return found

    def near_region(self, text: str) -> str | None:
        """The UN M49 grouping `text` seems to mean when it names none ("West Africa": Western
        Africa; "Latin America": Latin America and the Caribbean; "Subsaharan Africa"), else None."""
        if self.region(text) is not None or not fold(text):
            return None
        close = _coco().region_names.close(text)
        return close[0][0] if close else None

    def in_region(self, region: str) -> list[URIRef]:
        """The countries of a UN M49 grouping (as `region` returns its name), in code order."""
        found = []
        for country in sorted(self, key=lambda c: c.code):
            where = self.m49(country.code)
            if where is not None and region in where.areas:
                found.append(URIRef(country.iri))
        return found

    def resolve(self, text: str, lang: str = "en") -> URIRef:
        """The IRI of the one country `text` names, or BadValue with a close name. The countries a
        refusal names are named in `lang`, the language the message will be shown in."""
        written = " ".join(str(text).split())
        found = self.find(written)
        if len(found) == 1:
            return URIRef(found[0])
        parts = [p.strip() for p in re.split(r",|/|&|\band\b|\bet\b|\by\b", written) if p.strip()]
        each = [self.find(part) for part in parts] if len(parts) > 1 else []
        if each and all(len(one) == 1 for one in each):  # "Egypt, Jordan": two answers in one
            codes = ", ".join(self._by_iri[one[0]].code for one in each)
            raise BadValue(f'"{written}" names several countries ({codes}) in one answer: give each country as an '
                           "answer of its own (separated by ';' in a sheet's cell, a list item each in a form)")
        if 1 < len(found) <= 6:
            codes = ", ".join(f"{self._by_iri[iri].code} ({self._by_iri[iri].label(lang)})" for iri in found)
            raise BadValue(f'"{written}" fits several countries ({codes}): write the code')
        region = self.region(written)
        if region is not None:
            raise BadValue(f'"{written}" names a region ({region}), not a country: write the code or name of '
                           "each country")
        raise BadValue(f'"{written}" is not a country code or name', self._suggestion(written, lang))

    def _suggestion(self, written: str, lang: str) -> str | None:
        """The close code or name, a name in `lang` (any language's name is accepted as an answer);
        none for words that name no country alone ("Afrique du Nord" is not South Africa)."""
        words = {stem(w) for w in fold(written).split()}
        if not words or words <= _REGION_WORDS | _LINKING_WORDS:  # "Afrique": no "did you mean South Africa?"
            return None
        for iri, shown, _ in self.names.close(written):
            country = self._by_iri.get(iri)
            return country.label(lang) if country is not None and shown == country.label("en") else shown
        return None

    def m49(self, key: str) -> M49 | None:
        """ISO numeric code and UN M49 groupings of a country (IRI or code)."""
        country = self.get(key)
        if country is None:
            return None
        data = _coco()
        row = data.by_eu_code.get(country.code)
        if row is None:
            return M49(None, None, None)
        return M49(row["numeric"], row["region"], row["subregion"], data.wider.get(row["subregion"] or ""))

    # country_converter ----------------------------------------------------------------------

    def _add_coco_names(self) -> None:
        """coco's short and official names, as names of our countries (once)."""
        if self._coco_added:
            return
        self._coco_added = True
        for code, row in _coco().by_eu_code.items():
            country = self._by_code.get(code.casefold())
            if country is not None:
                for name in (row["name_short"], row["name_official"]):
                    if name:
                        self.names.add(country.iri, name, country.label("en"))

    def _by_regex(self, text: str) -> list[str]:
        """coco's regular expressions, each taken only where it matches whole words and what it
        leaves out does not contradict the country ("Nigerr" is not Niger, "Americas" not the
        USA, "Dominica Rep" not Dominica, a commonwealth; "Korea, Rep." is the Republic of Korea)."""
        found: list[str] = []
        for attempt in dict.fromkeys((text, fold(text))):
            for pattern, code in _coco().regexes:
                country = self._by_code.get(code.casefold())
                if country is None or country.iri in found:
                    continue
                match = pattern.search(attempt)
                if match is not None and self._whole_words(country, attempt, match) and \
                        self._consistent(country, attempt, match):
                    found.append(country.iri)
            if found:
                break
        return sorted(found)

    def _consistent(self, country: Country, attempt: str, match: re.Match[str]) -> bool:
        """The words around the match say nothing of a state's form the country does not have."""
        rest = fold(attempt[: match.start()] + " " + attempt[match.end() :]).split()
        forms = [w for w in rest if w not in _ARTICLES and (len(w) >= 3 or w in _FORM_WORDS)
                 and any(f.startswith(w) for f in _FORM_WORDS)]
        if not forms:
            return True
        own = self._name_words(country)
        return all(any(o.startswith(w) for o in own) for w in forms)

    def _whole_words(self, country: Country, text: str, match: re.Match[str]) -> bool:
        """The match begins and ends at word boundaries, or the word it cuts is one of the
        country's names ("eq. guine" in "Eq. Guinea"; "kenya" in "Kenyaa" is not)."""
        start, end = match.start(), match.end()
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
        if (start, end) == match.span():
            return True
        words = fold(text[start:end]).split()
        cut = [words[0]] if start != match.start() else []
        cut += [words[-1]] if end != match.end() else []
        return all(w in self._name_words(country) for w in cut)

    def _name_words(self, country: Country) -> frozenset[str]:
        """The folded words of the country's names: its labels and coco's short and official names."""
        row = _coco().by_eu_code.get(country.code, {})
        names = [*country.labels.values(), *(row.get(k) or "" for k in ("name_short", "name_official"))]
        return frozenset(w for name in names for w in fold(name).split())

    def _by_words(self, text: str) -> list[str]:
        """Names.by_words, unless every word is one that names no country by itself (Central)."""
        if all(stem(w) in _GENERIC_WORDS for w in fold(text).split()):
            return []
        return self.names.by_words(text)


def _region_key(name: str) -> str:
    """How a region's name is looked up: folded, plural or not ("Americas", "america")."""
    return " ".join(stem(w) for w in fold(name).split())


# Words that name no country alone, though one country's label holds them ("Central" African Republic);
# the regions' words in the site's languages too: "Afrique", the French index's region, is not South
# Africa ("Afrique du Sud"), nor "Polinesia" French Polynesia (a reviewer's find)
_REGION_WORDS = frozenset(("africa", "afrique", "america", "amerique", "asia", "asie", "europe", "europa",
                           "oceania", "oceanie", "polynesia", "polynesie", "polinesia", "melanesia", "melanesie",
                           "micronesia", "micronesie", "caribbean", "caraibe", "caribe"))
_LINKING_WORDS = frozenset(("du", "de", "del", "la", "le", "el"))
_GENERIC_WORDS = frozenset(("north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
                            "new", "saint", "st", "island", "great", "little", "upper", "lower", "middle",
                            "nord", "sud", "est", "ouest", "norte", "sur", "oeste", "centrale",
                            *_LINKING_WORDS, *_REGION_WORDS))


def _core(name: str) -> str:
    """A name without the words of a state's form: "Republic of the Congo" -> "congo"."""
    return " ".join(w for w in fold(name).split() if w not in _FORM_WORDS)


@dataclass
class _CocoData:
    regexes: list[tuple[re.Pattern[str], str]]  # (coco's regex, EU code)
    by_eu_code: dict[str, dict[str, Any]]
    regions: dict[str, str] = field(default_factory=dict)  # stemmed folded name -> M49 grouping
    wider: dict[str, str] = field(default_factory=dict)  # intermediate region -> its sub-region
    region_names: Names = field(default_factory=Names)  # the groupings' names, for near misses


def coco_table() -> Path:
    """country_converter's table (`country_data.tsv`), found without importing the package.

    `import country_converter` imports pandas (a second to start), and its
    `CountryConverter()` fails under pandas 3 (1.3.2 reads Namibia's "NA" as missing and
    compiles it as a regex). The table is what coco maintains (names, regexes, ISO and UN
    codes, UN regions) in the tab-separated format it documents for its own additional
    data, so it is read here with the csv module.
    """
    spec = importlib.util.find_spec("country_converter")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "country_data.tsv"
        if path.is_file():
            return path
    raise RuntimeError("country_converter's country_data.tsv is not installed: pip install country-converter")


@cache
def _coco() -> _CocoData:
    """coco's table, read once per process (only when a name or M49 facts are needed)."""
    regexes: list[tuple[re.Pattern[str], str]] = []
    rows: dict[str, dict[str, Any]] = {}
    with coco_table().open(encoding="utf-8", newline="") as table:
        for record in csv.DictReader(table, delimiter="\t"):
            iso3 = (record.get("ISO3") or "").strip()
            if not re.fullmatch(r"[A-Z]{3}", iso3) or (record.get("obsolete") or "").strip():
                continue  # coco's own default leaves obsolete countries out too
            code = ISO_TO_EU.get(iso3, iso3)
            regexes.append((re.compile(record["regex"], re.IGNORECASE), code))
            numeric = (record.get("ISOnumeric") or "").strip()
            continent = (record.get("continent") or "").strip()
            subregion = (record.get("UNregion") or "").strip()
            rows[code] = {
                "name_short": (record.get("name_short") or "").strip(),
                "name_official": (record.get("name_official") or "").strip(),
                "numeric": numeric.zfill(3) if numeric.isdigit() else None,
                "region": _REGION.get(continent, continent or None),
                "subregion": None if subregion in ("", "Antarctica") else subregion,
            }
    data = _CocoData(regexes, rows, wider=m49_subregions())
    named = {r[k] for r in rows.values() for k in ("region", "subregion") if r[k]}
    named |= {data.wider[n] for n in named if n in data.wider}
    for name in sorted(named):
        if not any(pattern.fullmatch(fold(name)) for pattern, _ in regexes):  # Micronesia: a country too
            data.regions[_region_key(name)] = name
            data.region_names.add(name, name)
    return data


def m49_subregions_file() -> Path:
    return resources.ontology_dir() / "m49-subregions.csv"


def m49_subregions() -> dict[str, str]:
    """Intermediate region (as coco's table writes it) -> the M49 sub-region holding it."""
    with m49_subregions_file().open(encoding="utf-8", newline="") as table:
        rows = csv.DictReader(line for line in table if not line.startswith("#"))
        return {row["intermediate_region"].strip(): row["subregion"].strip() for row in rows}


@cache
def countries() -> Countries:
    """The project's country list (ontology/countries.ttl), read once per process."""
    return Countries.from_file(resources.countries_file())
