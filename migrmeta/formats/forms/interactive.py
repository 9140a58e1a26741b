"""`migrmeta new`: the 14 questions, asked in order, each answer checked as it is typed.

No printing here: the command line gives two callbacks, `ask(question, again)` returning the
typed answer and `say(text)`. Answers are checked with the same parsers as forms and sheets;
a bad one is asked again with the reason. When all are in, the record is checked with the
shapes, and the questions of an item the shapes object to are asked again.

An agency the catalogue does not know can be described on the spot (names, acronym, kind,
country, homepage), after a check against the catalogue's agencies for one it may duplicate;
it goes in the form's `agencies:`. The answers so far are `session.form`: a form that
`Session(..., form=...)` resumes (`migrmeta new --resume FILE`), asking only what is left.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrmeta.errors import UsageError
from migrmeta.formats.forms.answers import Catalogue, Choice, Vocabulary
from migrmeta.formats.forms.cells import label
from migrmeta.formats.forms.form import (
    AGENCY_FIELDS,
    SURVEY_FIELDS,
    Decoder,
    Field,
    Imported,
    Problem,
    field_by_key,
    import_form,
    item_texts,
    read_form,
)
from migrmeta.load import read_bounded
from migrmeta.load.reference import Reference
from migrmeta.messages import message, translate
from migrmeta.namespaces import AGENCY, DCT
from migrmeta.values.agencies import Agencies
from migrmeta.values.errors import BadValue
from migrmeta.values.text import is_slug, slug, split_language

_NUMBERS = re.compile(r"^[\d\s,;]+$")
ID_FIELD = Field("id", None, DCT.identifier, "string")
AGENCY_ID = Field("id", 5, DCT.identifier, "string")
YES_NO = Field("confirm", None, DCT.identifier, "string")
OTHER_NAMES = Field("other_names", 5, AGENCY_FIELDS[0].prop, "text", multi=True)
YES = {"yes", "y", "oui", "o", "si", "sí", "true", "1"}


@dataclass(frozen=True)
class Question:
    """One prompt: a form key (dotted when nested), its label and the allowed answers."""

    key: str
    item: int | None
    label: str
    field: Field
    choices: tuple[Choice, ...] = ()
    required: bool = False
    default: str = ""

    @property
    def multi(self) -> bool:
        return self.field.multi


Ask = Callable[[Question, bool], str]  # (question, asked again?) -> the typed answer
Say = Callable[[str], None]


@dataclass
class Session:
    """The questions and the answers so far, kept as a form."""

    reference: Reference
    ask: Ask
    say: Say
    lang: str = "en"
    catalogue: Catalogue | None = None
    form: dict[str, Any] = field(default_factory=dict)
    start: int = 1  # resumed: the item the session was interrupted in (the items before it are done)

    def __post_init__(self) -> None:
        self.vocab = Vocabulary(self.reference)
        agencies = self.catalogue.agencies() if self.catalogue else Agencies()
        for entry in self.form.get("agencies") or []:  # described earlier in this session (resumed)
            if isinstance(entry, dict) and is_slug(str(entry.get("id", ""))):
                agencies.add(AGENCY[str(entry["id"])], _texts(entry.get("name")), _texts(entry.get("acronym")))
        self.decoder = Decoder(self.vocab, agencies, self.lang)
        self.items = item_texts(self.reference, self.lang)
        self.current: int | None = self.start  # the item being asked

    def question(self, f: Field, key: str, required: bool, default: str = "") -> Question:
        choices: tuple[Choice, ...] = ()
        if f.kind == "concept":
            choices = tuple(self._shown(c) for c in self.vocab.choices(f.scheme or ""))
        elif f.kind == "boolean":
            choices = (Choice("", "yes", "yes"), Choice("", "no", "no"))
        text = message("new.survey_id", self.lang) if f is ID_FIELD else \
            message("new.agency_id", self.lang) if f is AGENCY_ID else \
            message("new.other_names", self.lang) if f is OTHER_NAMES else label(self.reference, f, self.lang)
        return Question(key, f.item, text, f, choices, required, default)

    def _shown(self, choice: Choice) -> Choice:
        concept = self.reference.concepts.get(choice.iri)
        return Choice(choice.iri, choice.code, (concept.labels.get(self.lang) if concept else None)
                      or choice.label)

    def heading(self, item: int) -> str:
        name, question = self.items.get(item, ("", ""))
        return f"{item}. {name}: {question}"

    # one answer -----------------------------------------------------------------------------

    def get(self, q: Question) -> Any:
        """Ask until the answer is usable: codes or text, None when skipped."""
        again = False
        while True:
            raw = self.ask(q, again).strip()
            again = True
            if not raw and q.default:
                raw = q.default
            if not raw:
                if not q.required:
                    return None
                self.say("  an answer is needed here")
                continue
            try:
                return self.parse(q, raw)
            except BadValue as exc:
                self.say(f"  {exc}")

    def parse(self, q: Question, raw: str) -> Any:
        """Numbers of choices ("1,3"), or answers separated by ';' -> checked answers."""
        f = q.field
        if q.choices and _NUMBERS.match(raw):
            numbers = [int(n) for n in re.split(r"[\s,;]+", raw) if n]
            bad = [n for n in numbers if not 1 <= n <= len(q.choices)]
            if bad:
                raise BadValue(f"there is no choice {bad[0]}: answer 1 to {len(q.choices)}")
            parts = [q.choices[n - 1].code for n in numbers]
        elif f.multi and f.kind != "text":
            parts = [p.strip() for p in raw.split(";") if p.strip()]
            if len(parts) == 1 and "," in raw and not self._fits(f, raw):
                parts = [p.strip() for p in raw.split(",") if p.strip()]
        else:
            parts = [raw]
        if len(parts) > 1 and not f.multi:
            raise BadValue("give one answer only")
        if f is ID_FIELD:
            if not is_slug(raw):
                raise BadValue(f"\"{raw}\" is not an id: use lower-case letters, digits and '-'",
                               slug(raw) or None)
            return raw
        if f.kind == "text" and self.lang != "en":  # typed in the session's language: the form says so
            parts = [p if split_language(p, None)[1] else f"[{self.lang}] {p}" for p in parts]
        for index, part in enumerate(parts):
            try:
                self.decoder.scalar(f, part)
            except BadValue as exc:
                if f.kind != "agency":
                    raise
                parts[index] = self.new_agency(part, exc)
        return parts if f.multi else parts[0]

    def _fits(self, f: Field, raw: str) -> bool:
        try:
            self.decoder.scalar(f, raw)
        except BadValue:
            return False
        return True

    # the items ------------------------------------------------------------------------------

    def ask_item(self, item: int | None, resume: bool = False) -> None:
        """The questions of one item; resuming, those answered already are not asked again."""
        for f in SURVEY_FIELDS:
            if f.item != item or not f.ask or (resume and f.key in self.form):
                continue
            if f.key == "time_frame":
                period = {sub.key: self.get(self.question(sub, f"time_frame.{sub.key}",
                                                          sub.ask == "required"))
                          for sub in f.fields}
                self._set(f.key, {k: v for k, v in period.items() if v is not None})
            elif f.key == "identification":
                self._identification(f)
            else:
                self._set(f.key, self.get(self.question(f, f.key, f.ask == "required")))
            if f.key == "alternative" and not (resume and "id" in self.form):
                names = self.form.get("alternative") or [self.form.get("title", "")]
                default = slug(split_language(str(names[0]), None)[0])
                self.form["id"] = self.get(self.question(ID_FIELD, "id", True, default))

    def _identification(self, f: Field) -> None:
        """Item 11: the criteria (several allowed), then the survey's words for each."""
        criterion, definition = f.fields[0], f.fields[1]
        several = Field(criterion.key, criterion.item, criterion.prop, criterion.kind,
                        criterion.scheme, multi=True)
        codes = self.get(self.question(several, "identification.criterion", True)) or []
        shown = {c.code: c.label for c in self.question(criterion, "", False).choices}
        methods = []
        for code in codes:
            q = self.question(definition, "identification.definition", False)
            text = self.get(Question(q.key, q.item, f"{q.label} ({shown.get(code, code)})", q.field))
            methods.append({"criterion": code, **({"definition": text} if text else {})})
        self._set(f.key, methods)

    # a new agency ---------------------------------------------------------------------------

    def _yes(self, text: str) -> bool:
        return str(self.get(Question("confirm", 5, text, YES_NO, (), True))).strip().lower() in YES

    def new_agency(self, written: str, problem: BadValue) -> str:
        """Describe an agency the catalogue does not know; its id, to answer with. Raises
        `problem` again when the contributor would rather answer again."""
        if not self._yes(f"{problem}. Describe \"{written}\" as a new agency? (yes/no)"):
            raise problem
        acronym_like = written.isupper() and len(written) <= 12 and " " not in written
        fields = {f.key: f for f in AGENCY_FIELDS}
        entry: dict[str, Any] = {}
        english = str(self.get(self.question(fields["name"], "agencies.name", True,
                                             "" if acronym_like else written)))
        names: dict[str, str] = {"en": split_language(english, "en")[0]}
        for other in self.get(self.question(OTHER_NAMES, "agencies.name", False)) or []:
            for part in re.split(r";\s*(?=\[)", str(other)):  # "[fr] ...; [es] ..."
                text, lang = split_language(part.strip(), None)
                if lang and text:
                    names[lang] = text
        entry["name"] = names
        acronyms = self.get(self.question(fields["acronym"], "agencies.acronym", False,
                                          written if acronym_like else ""))
        if acronyms:
            entry["acronym"] = acronyms
        entry["kind"] = self.get(self.question(fields["kind"], "agencies.kind", True))
        for key in ("country", "homepage"):
            value = self.get(self.question(fields[key], f"agencies.{key}", False))
            if value:
                entry[key] = value
        every = [*names.values(), *(acronyms or [])]
        for known in self.decoder.agencies.similar(every, entry.get("homepage"))[:1]:
            ident = str(known).rstrip("/").rsplit("/", 1)[-1]
            if self._yes(f"the catalogue has the agency \"{ident}\": is it this one? (yes/no)"):
                return ident
        default = slug(str((acronyms or [names["en"]])[0])) or slug(names["en"])
        while True:
            ident = str(self.get(self.question(AGENCY_ID, "agencies.id", True, default)))
            if not is_slug(ident):
                self.say(f"  \"{ident}\" is not an id: use lower-case letters, digits and '-'")
            elif self.decoder.agencies.known(AGENCY[ident]):
                self.say(f"  \"{ident}\" is the id of an agency of the catalogue already: choose another")
            else:
                break
        self.form.setdefault("agencies", []).append({"id": ident, **entry})
        self.decoder.agencies.add(AGENCY[ident], _texts(names), _texts(acronyms))
        self.say(f"  new agency \"{ident}\": added to the form's agencies")
        return ident

    def _set(self, key: str, value: Any) -> None:
        if value in (None, [], {}):
            self.form.pop(key, None)
        else:
            self.form[key] = value

    def check(self) -> Imported:
        return import_form(self.form, self.reference, source="new survey", lang=self.lang,
                           catalogue=self.catalogue, vocab=self.vocab)

    def run(self, rounds: int = 3) -> Imported:
        """All items in order; then the items the shapes object to, at most `rounds` times."""
        for item in range(self.start, 15):
            self.current = item
            self.say("")
            self.say(self.heading(item))
            self.ask_item(item, resume=True)
        self.current = None
        self.say("")
        self.say(message("new.sources", self.lang))
        self.ask_item(None, resume=True)
        result = self.check()
        for _ in range(rounds):
            bad = [p for p in result.problems if p.severity == "violation"]
            items = sorted({p.item for p in bad if p.item is not None})
            if not items:
                break
            for problem in bad:
                self.say(explain(self.reference, problem, self.lang))
            for item in items:
                self.say(self.heading(item))
                self.ask_item(item)
            result = self.check()
        return result


def _texts(raw: Any) -> list[str]:
    if isinstance(raw, dict):
        return [str(v) for v in raw.values() if isinstance(v, str)]
    if isinstance(raw, list):
        return [str(v) for v in raw]
    return [str(raw)] if raw else []


RESUME_MARK = "interrupted at item"
KEPT_MARK = "Answers given to `migrmeta new` so far"  # the first words of a kept form: only those are resumed


def kept_header(session: Session, path: str) -> str:
    """The header of the form an interrupted session is kept in: where to go on from."""
    where = f"{RESUME_MARK} {session.current}" if session.current is not None else "interrupted at the sources"
    return f"{KEPT_MARK}, {where}. Continue with:\n  migrmeta new --resume {path}"


def read_kept(path: Path) -> tuple[dict[str, Any], int]:
    """The answers of a form an interrupted session kept, and the item to go on from.

    Any other file (a record, a form written otherwise, notes) is refused before anything is
    asked, since resuming replaces the file with the answers."""
    data = read_bounded(path)
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.startswith(f"# {KEPT_MARK}"):
        raise UsageError(f"{path} is not a form kept by an interrupted `migrmeta new` (those begin "
                         f"\"# {KEPT_MARK}\"); it was not changed",
                         hint="give the file named when the session was interrupted (such as new-survey.partial.yaml); "
                              "a filled form becomes a record with {`migrmeta import form FILE`|"
                              "import_records(\"form\", [FILE])}")
    form = read_form(data, str(path))
    if not isinstance(form, dict):
        raise UsageError(f"{path} holds no answers (its text is not a form of keys and values); it was not changed",
                         hint="give the file named when the session was interrupted, as it was written")
    return form, resume_point(text)


def resume_point(text: str) -> int:
    """The item to go on from, read from a kept form's header (15: only the sources are left)."""
    found = re.search(rf"{RESUME_MARK} (\d+)", text)
    if found:
        return int(found.group(1))
    return 15 if "interrupted at the sources" in text else 1


def explain(reference: Reference, problem: Problem, lang: str = "en") -> str:
    """A problem in the questions' words: `item 8 (Dedicated survey or module), host survey: ...`."""
    def name(key: str) -> str:
        head, _, sub = key.partition(".")
        f = field_by_key(SURVEY_FIELDS, head)
        part = field_by_key(f.fields, sub) if f and sub else None
        return label(reference, part or f, lang) if f else key

    message_ = re.sub(r'"([a-z_]+(?:\.[a-z_]+)?)"',
                      lambda m: f'"{name(m.group(1))}"' if field_by_key(
                          SURVEY_FIELDS, m.group(1).split(".")[0]) else m.group(0), problem.message)
    items = item_texts(reference, lang)
    message_ = translate(message_, lang)
    where = message("new.item", lang, number=problem.item, name=items[problem.item][0]) \
        if problem.item in items else ""
    if problem.key and problem.key != "id":
        where = f"{where}, {name(problem.key)}" if where else name(problem.key)
    return f"{where}: {message_}" if where else message_


def new_survey(reference: Reference, ask: Ask, say: Say, *, lang: str = "en",
               catalogue: Catalogue | None = None, form: dict[str, Any] | None = None
               ) -> tuple[dict[str, Any], Imported]:
    """Ask the questions (those `form` leaves open); returns the answers as a form and the checked record."""
    session = Session(reference, ask, say, lang, catalogue, dict(form or {}))
    result = session.run()
    return session.form, result


__all__ = ["Ask", "Question", "Say", "Session", "explain", "kept_header", "new_survey", "read_kept", "resume_point"]
