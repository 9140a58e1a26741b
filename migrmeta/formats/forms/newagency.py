"""New agencies described on the spot in `migrmeta new`, and kept when a description is cut short.

An agency the catalogue does not know is described where it is named: its name in the
session's language, its names in other languages (each after its language: one without is
asked again, never dropped), its name in English when none was given (the catalogue names
every agency in English), acronym, kind, country and homepage, then a check against the
catalogue's agencies for one it may duplicate, then its id. It goes in the form's `agencies:`.

Interrupted (Ctrl-C, end of input) or sent `back` in the middle, what was typed is kept in the
form: the agency under an id of its own (`left`), and the answer that names it; describing it
goes on from those answers when it is named again (after `back`, or resumed with the id
`Session(..., agencies=...)` was given).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migrmeta.formats.forms.fields import AGENCY_FIELDS, SURVEY_FIELDS, as_list, field_by_key
from migrmeta.formats.forms.questions import AGENCY_ID, ENGLISH_NAME, OTHER_NAMES, Question
from migrmeta.messages import message, translate
from migrmeta.namespaces import AGENCY
from migrmeta.values.errors import BadValue
from migrmeta.values.text import is_slug, slug, split_language

if TYPE_CHECKING:
    from migrmeta.formats.forms.interactive import Session


@dataclass
class _Describing:
    """A new agency being described: where it is named (the form key, the answers before and
    after it in the same answer) and what has been typed about it."""

    key: str
    done: list[str]
    written: str
    rest: list[str]
    entry: dict[str, Any]
    confirmed: bool = False
    ident: str = ""  # the id it is kept under, once known


class NewAgencies:
    """The agencies a session describes, and those described in part (`left`: id -> answers)."""

    def __init__(self, session: Session, left: dict[str, dict[str, Any]] | None = None) -> None:
        self.session = session
        self.lang = session.lang
        self.left: dict[str, dict[str, Any]] = dict(left or {})

    def resolve(self, q: Question, parts: list[str]) -> list[str]:
        """The agencies of an answer, as ids or as written; one the catalogue does not know is
        described on the spot, one described in part goes on from its answers."""
        named: list[str] = []
        for index, part in enumerate(parts):
            rest = parts[index + 1:]
            if part in self.left:
                state = _Describing(q.key, list(named), part, rest, self.left.pop(part), True, part)
                self.session.say("  " + message("new.agency_resumed", self.lang, id=part))
                named.append(self._keeping(state))
                continue
            try:
                self.session.decoder.scalar(q.field, part)
            except BadValue as exc:
                named.append(self.describe(part, exc, q.key, named, rest))
            else:
                named.append(part)
        return named

    def describe(self, written: str, problem: BadValue, key: str = "", done: list[str] | None = None,
                 rest: list[str] | None = None) -> str:
        """Describe an agency the catalogue does not know; its id, to answer with. Raises
        `problem` again when the contributor would rather answer again."""
        acronym_like = written.isupper() and len(written) <= 12 and " " not in written
        entry: dict[str, Any] = {"acronym": [written]} if acronym_like else {"name": {self.lang: written}}
        state = _Describing(key, list(done or []), written, list(rest or []), entry)
        question = message("new.describe_agency", self.lang, problem=translate(str(problem), self.lang), value=written)
        try:
            confirmed = self.session.yes(question)
        except BaseException:
            self._park(state)
            raise
        if not confirmed:
            raise problem
        state.confirmed = True
        return self._keeping(state)

    def _keeping(self, state: _Describing) -> str:
        """Describe, keeping what was typed when interrupted or sent back."""
        try:
            return self._describe(state)
        except BaseException:
            self._park(state)
            raise

    def _ask(self, key: str, entry: dict[str, Any]) -> None:
        """One answer about the agency, the one given before offered."""
        session, f = self.session, _FIELDS[key]
        offered = session.default(f, entry.get(key))
        value = session.get(session.question(f, f"agencies.{key}", f.ask == "required", offered))
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value

    def _names(self, entry: dict[str, Any]) -> None:
        """The name in the session's language (unless marked), the names in other languages,
        each after its language, and the name in English if none was given."""
        session, name = self.session, _FIELDS["name"]
        names = _name_map(entry.get("name"))
        main = next((lang for lang in (self.lang, *names) if lang in names), self.lang)
        offered = session.default(name, f"[{main}] {names[main]}") if names else ""
        text, lang = split_language(str(session.get(session.question(name, "agencies.name", True, offered))), self.lang)
        entry["name"] = {lang: text, **{k: v for k, v in names.items() if k not in (lang, main)}}
        while True:
            offered = "; ".join(f"[{k}] {v}" for k, v in entry["name"].items() if k != lang)
            others: dict[str, str] = {}
            for part in session.get(session.question(OTHER_NAMES, "agencies.name", False, offered)) or []:
                other, other_lang = split_language(part, None)
                if other_lang in (lang, *others):
                    session.say("  " + message("new.name_twice", self.lang, lang=other_lang))
                    break
                others[str(other_lang)] = other
            else:
                break
        entry["name"] = {lang: text, **others}
        if "en" not in entry["name"]:  # the catalogue names every agency in English too
            english = session.get(Question("agencies.name", 5, message("new.agency_name_english", self.lang),
                                           ENGLISH_NAME, (), True))
            entry["name"]["en"] = split_language(str(english), "en")[0]

    def _describe(self, state: _Describing) -> str:
        session, entry = self.session, state.entry
        self._names(entry)
        for key in ("acronym", "kind", "country", "homepage"):
            self._ask(key, entry)
        acronyms = as_list(entry.get("acronym"))
        agencies = session.decoder.agencies
        for known in agencies.similar([*entry["name"].values(), *acronyms], entry.get("homepage"),
                                      country=session.decoder.country_of(entry.get("country")))[:1]:
            ident = str(known).rstrip("/").rsplit("/", 1)[-1]
            if session.yes(message("new.is_this_one", self.lang, id=agencies.shown(known))):
                self._unkeep(state.ident)
                return ident
        default = state.ident or _guess_id(entry)
        while True:
            ident = str(session.get(session.question(AGENCY_ID, "agencies.id", True, default)))
            if not is_slug(ident):
                session.say("  " + message("value.not_an_id", self.lang, value=ident))
            elif agencies.known(AGENCY[ident]):
                session.say("  " + message("new.id_taken", self.lang, id=ident))
            else:
                break
        self._unkeep(state.ident)
        session.form.setdefault("agencies", []).append(_entry(ident, entry))
        agencies.add(AGENCY[ident], texts(entry["name"]), texts(acronyms))
        session.say("  " + message("new.agency_added", self.lang, id=ident))
        return ident

    def _park(self, state: _Describing) -> None:
        """Keep a description cut short in the form: the agency (when its description had
        begun) under an id of its own, and the answer that names it."""
        session = self.session
        if state.confirmed:
            ident = state.ident or _guess_id(state.entry)
            while ident in self.left or session.decoder.agencies.known(AGENCY[ident]):
                ident += "-new"
            self._unkeep(state.ident)
            session.form.setdefault("agencies", []).append(_entry(ident, state.entry))
            self.left[ident] = state.entry
            value = ident
        else:
            value = state.written
        f = field_by_key(SURVEY_FIELDS, state.key)
        if f is not None:
            parts = [*state.done, value, *state.rest]
            session.set(state.key, parts if f.multi else parts[0])

    def _unkeep(self, ident: str) -> None:
        """Drop the form's entry of an agency described in part (now described, or dropped)."""
        if not ident:
            return
        self.left.pop(ident, None)
        entries = as_list(self.session.form.get("agencies"))
        self.session.set("agencies", [e for e in entries if not (isinstance(e, dict) and e.get("id") == ident)])

    def forget_unnamed(self) -> None:
        """Agencies described in part that no answer names any more are dropped."""
        form = self.session.form
        named = {str(v) for f in SURVEY_FIELDS if f.kind == "agency" for v in as_list(form.get(f.key))}
        for ident in [i for i in self.left if i not in named]:
            self._unkeep(ident)


_FIELDS = {f.key: f for f in AGENCY_FIELDS}


def _name_map(raw: Any) -> dict[str, str]:
    """An agency's names as the form holds them -> language: name (one each)."""
    if isinstance(raw, dict):
        return {str(k): str(as_list(v)[0]) for k, v in raw.items() if as_list(v)}
    found: dict[str, str] = {}
    for value in as_list(raw):
        text, lang = split_language(str(value), "en")
        found.setdefault(lang or "en", text)
    return found


def _entry(ident: str, answers: dict[str, Any]) -> dict[str, Any]:
    """An agency of the form: its id, then its answers in the order of the questions."""
    return {"id": ident, **{f.key: answers[f.key] for f in AGENCY_FIELDS if f.key in answers}}


def _guess_id(entry: dict[str, Any]) -> str:
    names = _name_map(entry.get("name"))
    for candidate in [*as_list(entry.get("acronym")), names.get("en", ""), *names.values()]:
        if slug(str(candidate)):
            return slug(str(candidate))
    return "new-agency"


def texts(raw: Any) -> list[str]:
    if isinstance(raw, dict):
        return [str(v) for v in raw.values() if isinstance(v, str)]
    if isinstance(raw, list):
        return [str(v) for v in raw]
    return [str(raw)] if raw else []


__all__ = ["NewAgencies", "texts"]
