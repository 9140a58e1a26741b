"""`migrmeta new`: the 14 questions, asked in order, each answer checked as it is typed.

No printing here: the command line gives two callbacks, `ask(question, again)` returning the
typed answer and `say(text)`. Answers are checked with the same parsers as forms and sheets;
a bad one is asked again with the reason. When all are in, the record is checked with the
shapes, and the questions of an item the shapes object to are asked again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from migrmeta.formats.forms.answers import Catalogue, Choice, Vocabulary
from migrmeta.formats.forms.form import (
    SURVEY_FIELDS,
    Decoder,
    Field,
    Imported,
    Problem,
    field_by_key,
    import_form,
    item_texts,
)
from migrmeta.formats.forms.sheet import label
from migrmeta.load.reference import Reference
from migrmeta.namespaces import DCT
from migrmeta.values.agencies import Agencies
from migrmeta.values.errors import BadValue
from migrmeta.values.text import is_slug, slug

_NUMBERS = re.compile(r"^[\d\s,;]+$")
ID_FIELD = Field("id", None, DCT.identifier, "string")


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

    def __post_init__(self) -> None:
        self.vocab = Vocabulary(self.reference)
        agencies = self.catalogue.agencies() if self.catalogue else Agencies()
        self.decoder = Decoder(self.vocab, agencies)
        self.items = item_texts(self.reference, self.lang)

    def question(self, f: Field, key: str, required: bool, default: str = "") -> Question:
        choices: tuple[Choice, ...] = ()
        if f.kind == "concept":
            choices = tuple(self._shown(c) for c in self.vocab.choices(f.scheme or ""))
        elif f.kind == "boolean":
            choices = (Choice("", "yes", "yes"), Choice("", "no", "no"))
        text = "short id of the survey" if f is ID_FIELD else label(self.reference, f, self.lang)
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
        for part in parts:
            self.decoder.scalar(f, part)
        return parts if f.multi else parts[0]

    def _fits(self, f: Field, raw: str) -> bool:
        try:
            self.decoder.scalar(f, raw)
        except BadValue:
            return False
        return True

    # the items ------------------------------------------------------------------------------

    def ask_item(self, item: int | None) -> None:
        for f in SURVEY_FIELDS:
            if f.item != item or not f.ask:
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
            if f.key == "alternative":
                names = self.form.get("alternative") or [self.form.get("title", "")]
                default = slug(str(names[0]))
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
        for item in range(1, 15):
            self.say("")
            self.say(self.heading(item))
            self.ask_item(item)
        self.say("")
        self.say("Sources")
        self.ask_item(None)
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


def explain(reference: Reference, problem: Problem, lang: str = "en") -> str:
    """A problem in the questions' words: `item 8 (Dedicated survey or module), host survey: ...`."""
    def name(key: str) -> str:
        head, _, sub = key.partition(".")
        f = field_by_key(SURVEY_FIELDS, head)
        part = field_by_key(f.fields, sub) if f and sub else None
        return label(reference, part or f, lang) if f else key

    message = re.sub(r'"([a-z_]+(?:\.[a-z_]+)?)"',
                     lambda m: f'"{name(m.group(1))}"' if field_by_key(
                         SURVEY_FIELDS, m.group(1).split(".")[0]) else m.group(0), problem.message)
    items = item_texts(reference, lang)
    where = f"item {problem.item} ({items[problem.item][0]})" if problem.item in items else ""
    if problem.key and problem.key != "id":
        where = f"{where}, {name(problem.key)}" if where else name(problem.key)
    return f"{where}: {message}" if where else message


def new_survey(reference: Reference, ask: Ask, say: Say, *, lang: str = "en",
               catalogue: Catalogue | None = None) -> tuple[dict[str, Any], Imported]:
    """Ask the questions; returns the answers as a form and the checked record."""
    session = Session(reference, ask, say, lang, catalogue)
    result = session.run()
    return session.form, result


__all__ = ["Ask", "Question", "Say", "Session", "explain", "new_survey"]
