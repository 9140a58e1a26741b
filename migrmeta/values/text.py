"""Text for matching and naming: `fold` (the one matching key), `slug` (ids), language tags,
and which of a record's texts a reader of one language is given (`pick`, `pick_all`).

`fold` is how every lookup of the toolkit compares words: case, accents, the kind of
apostrophe (' or ’), hyphens, underscores and other punctuation do not matter, so
"Côte d’Ivoire", "cote d'ivoire" and "COTE-D-IVOIRE" are one key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Literal
from rdflib.term import Node

from migrmeta.messages import message
from migrmeta.values.errors import BadValue

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""An id of the catalogue (survey, agency): lower-case ASCII letters, digits, '.', '_', '-'."""
SLUG_LENGTH = 60
_NOT_WORD = re.compile(r"[\W_]+")
_LANG_MARK = re.compile(r"^\[([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\]\s*")
_APOSTROPHES = str.maketrans({"’": "", "'": "", "ʼ": "", "`": "", "´": ""})
_APOSTROPHES_SPLIT = str.maketrans({"’": " ", "ʼ": " ", "´": " "})  # in ids, a word break like '


@lru_cache(maxsize=1 << 16)  # a catalogue repeats its names (agencies, countries) on every page
def fold(text: str) -> str:
    """Case-, accent-, apostrophe- and punctuation-insensitive form of a name, for matching.

    "Côte d’Ivoire" -> "cote divoire"; "probability.simple-random" -> "probability simple random".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    # ASCII has no combining marks: the character-by-character filter only for the rest
    plain = decomposed if decomposed.isascii() else "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


@lru_cache(maxsize=1 << 16)
def collation_key(text: str) -> tuple[str, str]:
    """The order of names and titles in every list a reader sees, in every language: case- and
    accent-insensitive ("Égypte" between "Danemark" and "Finlande"), then as written (case-folded)."""
    folded = text.casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = decomposed if decomposed.isascii() else "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain, folded


def shortened(text: str, limit: int, *, keep_spacing: bool = False) -> str:
    """`text` on one line, at most `limit` characters: cut at the last word that fits, with "…"
    (a page's meta description, a report's excerpt); a first word longer than that is cut.

    `keep_spacing` leaves the spaces as they are, for a value already written on one line
    whose spaces are data (a diff shows a change of spacing alone as two different lines)."""
    if not keep_spacing:
        text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = len(cut) if text[len(cut)] == " " else cut.rfind(" ")  # the last word is whole when a space follows
    return (cut[:space] if space > 0 else cut).rstrip(" ,;:.-–—") + "…"


def words(text: str) -> list[str]:
    """The words of a name as `fold` sees them."""
    return fold(text).split()


def slug(text: str, max_length: int = SLUG_LENGTH) -> str:
    """A lower-case ASCII id, words joined by '-', at most `max_length` characters (cut at a
    word); "" when nothing is left (the caller names the thing otherwise)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES_SPLIT))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    value = "-".join(re.sub(r"[^a-z0-9]+", " ", plain.encode("ascii", "ignore").decode()).split())
    if len(value) > max_length:
        cut = value[: max_length + 1]
        value = cut.rsplit("-", 1)[0] if "-" in cut else value[:max_length]
    return value


def is_slug(text: str) -> bool:
    return bool(SLUG.match(text))


def split_language(text: str, default: str | None) -> tuple[str, str | None]:
    """`[fr] Enquête` -> ('Enquête', 'fr'); otherwise the text in the default language."""
    match = _LANG_MARK.match(text)
    if match:
        return text[match.end() :].strip(), match.group(1).lower()
    return text.strip(), default


# ISO 639-2 (T and B) -> ISO 639-1, for the languages a catalogue names by a three-letter code:
# the EU's language authority table (.../authority/language/DEU), id.loc.gov, lexvo.
_ISO639_PAIRS = (
    "ara:ar ben:bn bul:bg cat:ca ces:cs cze:cs dan:da deu:de ger:de ell:el gre:el eng:en est:et eus:eu baq:eu "
    "fas:fa per:fa fin:fi fra:fr fre:fr gle:ga glg:gl heb:he hin:hi hrv:hr hun:hu hye:hy arm:hy ind:id isl:is "
    "ice:is ita:it jpn:ja kat:ka geo:ka kor:ko lav:lv lit:lt ltz:lb mkd:mk mac:mk mlt:mt msa:ms may:ms mya:my "
    "bur:my nep:ne nld:nl dut:nl nor:no nob:nb nno:nn pol:pl por:pt ron:ro rum:ro rus:ru slk:sk slo:sk slv:sl "
    "som:so spa:es sqi:sq alb:sq srp:sr swa:sw swe:sv tgl:tl tha:th tur:tr ukr:uk urd:ur vie:vi zho:zh chi:zh "
    "amh:am aze:az bos:bs hat:ht kaz:kk khm:km kir:ky lao:lo mon:mn pan:pa pus:ps sin:si tam:ta tel:te tgk:tg "
    "tuk:tk uzb:uz wol:wo yor:yo hau:ha ibo:ig zul:zu xho:xh afr:af mlg:mg kin:rw run:rn lin:ln"
)
_ISO639_1 = dict(pair.split(":") for pair in _ISO639_PAIRS.split())
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
"""The shape of a BCP 47 language tag (xml:lang, a literal's language)."""
# Where catalogues name languages by IRI: the EU authority table, id.loc.gov, lexvo.
_LANGUAGE_IRIS = ("http://publications.europa.eu/resource/authority/language/", "http://id.loc.gov/vocabulary/iso639",
                  "http://lexvo.org/id/iso639")


def language_tag(value: str) -> str | None:
    """A language as a BCP 47 tag: a tag ("es", "es-ES") as it is; a three-letter code, or an
    IRI of the EU authority table (.../language/DEU), id.loc.gov (.../iso639-2/ger) or lexvo
    (.../iso639-3/deu), as its ISO 639-1 code when there is one; None for anything else."""
    code = value.strip()
    if "/" in code:
        if not code.startswith(_LANGUAGE_IRIS):
            return None
        code = code.rstrip("/").rsplit("/", 1)[-1]
    if not LANGUAGE_TAG.match(code):
        return None
    return _ISO639_1.get(code.lower(), code.lower()) if len(code) == 3 else code


# ISO 639-1: the two-letter language codes (a `[xx] ` mark that is none is a slip, not a language)
_ISO_639_1_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee "
    "el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it "
    "iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my "
    "na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn "
    "so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"
)
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())


_LANGUAGE_SHAPE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # an ISO 639 language, then subtags


def is_language(tag: str) -> bool:
    """A language tag naming a language (`de`, `pt-BR`): not `english`, `1` or `xx`."""
    return _LANGUAGE_SHAPE.fullmatch(tag) is not None and known_language(tag)


def known_language(tag: str) -> bool:
    """Whether a language tag's language is one: a two-letter one must be ISO 639-1's (three
    letters, ISO 639-2/3, has thousands of codes: taken as given)."""
    primary = tag.split("-", 1)[0].lower()
    return len(primary) != 2 or primary in ISO_639_1


def lang_text(answer: object, default_lang: str | None) -> Literal:
    """Text as written, tagged with its language (`[fr] ...` or the default); never empty."""
    text, lang = split_language(str(answer), default_lang)
    if lang and not known_language(lang):
        raise BadValue(message("value.not_a_language", "en", value=lang))
    if not text:
        raise BadValue("the text is empty")
    return Literal(text, lang=lang) if lang else Literal(text)


@dataclass(frozen=True)
class Text:
    """A text of a record and its language tag (None: untagged)."""

    value: str
    lang: str | None


def text_sort_key(node: Node) -> tuple[str, str, str]:
    """The order `pick` and `pick_all` expect their values in: by kind, language, text."""
    return (type(node).__name__, getattr(node, "language", None) or "", str(node))


def pick(values: Iterable[Node], lang: str) -> Text | None:
    """The text in `lang`, else English, else an untagged one, else the first by language: what
    the site's pages and their schema.org JSON-LD show a reader of `lang`. `values` sorted by
    `text_sort_key` (the first of several in one language is chosen)."""
    literals = [v for v in values if isinstance(v, Literal)]
    if not literals:
        return None
    by_lang: dict[str | None, Literal] = {}
    for value in literals:
        by_lang.setdefault(value.language, value)
    chosen = by_lang.get(lang) or by_lang.get("en") or by_lang.get(None) or literals[0]
    return Text(str(chosen), chosen.language)


def pick_all(values: Iterable[Node], lang: str) -> list[Text]:
    """Every text of a list (keywords, definitions): those in `lang` when there are any, else
    the English and untagged ones, else all of them."""
    literals = [v for v in values if isinstance(v, Literal)]
    mine = [v for v in literals if v.language == lang]
    if not mine:
        english = [v for v in literals if v.language in ("en", None)]
        mine = english or literals
    return [Text(str(v), v.language) for v in mine]
