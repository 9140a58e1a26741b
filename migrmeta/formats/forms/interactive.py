"""`migrmeta new`: the 14 questions, asked in order, each answer checked as it is typed.

No printing here: the command line gives two callbacks, `ask(question, again)` returning the
typed answer and `say(text)`, and the session speaks the language it is given. Answers are
checked with the same parsers as forms and sheets; a bad one is asked again with the reason.
`?` (or help, aide, ayuda) explains the question (guide.py); `back` (retour, atrás) returns to
the previous item, whose answers are offered as defaults, as they are whenever an item is
asked again. When all are in, the record is checked with the shapes, and the questions of an
item the shapes object to are asked again, the earlier answers offered.

Item 11 asks, for each criterion, its definition, the minimum age, and the parameters the
shapes' rules name for that criterion (guide.follow_ups): a duration threshold and framework,
a reference period.

An agency the catalogue does not know can be described on the spot (newagency.py). The
answers so far are `session.form`, a form that `Session(..., form=..., start=...)` goes on
from (`migrmeta new --resume FILE`: kept.py), even when cut short in an agency's description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from migrmeta.formats.forms.answers import Catalogue, Choice, Vocabulary, parse_boolean
from migrmeta.formats.forms.cells import label
from migrmeta.formats.forms.fields import as_list
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
from migrmeta.formats.forms.guide import Guide, follow_ups, rule_description, rule_items
from migrmeta.formats.forms.kept import SOURCES
from migrmeta.formats.forms.newagency import NewAgencies, texts
from migrmeta.formats.forms.questions import AGENCY_ID, ID_FIELD, OTHER_NAMES, REMOVE, YES_NO, Ask, Back, Question, Say
from migrmeta.formats.forms.questions import words as words
from migrmeta.load.reference import Reference
from migrmeta.messages import message, translate
from migrmeta.namespaces import AGENCY
from migrmeta.values.agencies import Agencies
from migrmeta.values.errors import BadValue
from migrmeta.values.text import fold, is_slug, slug, split_language

_NUMBERS = re.compile(r"^[\d\s,;]+$")


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
    agencies: tuple[str, ...] = ()  # resumed: the form's new agencies whose description was interrupted
    # offered as the day the facts were checked (mm:checkedOn): the contributor answers from the sources now
    today: str = field(default_factory=lambda: date.today().isoformat())

    def __post_init__(self) -> None:
        self.vocab = Vocabulary(self.reference, self.lang)
        self.guide = Guide(self.reference, self.vocab, self.lang)
        left: dict[str, dict[str, Any]] = {}  # new agencies described in part: id -> answers so far
        agencies = self.catalogue.agencies() if self.catalogue else Agencies()
        where = self.catalogue.agencies_file() if self.catalogue else None
        agencies.add_hint = (message("new.agency_hint", self.lang, where=where) if where  # the session's words
                             else message("new.agency_hint_here", self.lang))
        for entry in self.form.get("agencies") or []:  # described earlier in this session (resumed)
            if not isinstance(entry, dict) or not is_slug(str(entry.get("id", ""))):
                continue
            ident = str(entry["id"])
            if ident in self.agencies:
                left[ident] = {k: v for k, v in entry.items() if k != "id"}
            else:
                agencies.add(AGENCY[ident], texts(entry.get("name")), texts(entry.get("acronym")))
        self.decoder = Decoder(self.vocab, agencies, self.lang)
        self.new_agencies = NewAgencies(self, left)
        self.items = item_texts(self.reference, self.lang)
        self.current: int | None = self.start if self.start < SOURCES else None  # the item being asked

    def question(self, f: Field, key: str, required: bool, default: str = "") -> Question:
        choices: tuple[Choice, ...] = ()
        if f.kind == "concept":
            choices = tuple(self.vocab.choices(f.scheme or ""))
        elif f.kind == "boolean":
            yes, no = message("answer.yes", self.lang), message("answer.no", self.lang)
            choices = (Choice("", yes, yes), Choice("", no, no))
        text = message("new.survey_id", self.lang) if f is ID_FIELD else \
            message("new.agency_id", self.lang) if f is AGENCY_ID else \
            message("new.other_names", self.lang) if f is OTHER_NAMES else label(self.reference, f, self.lang)
        return Question(key, f.item, text, f, choices, required, default)

    def heading(self, item: int) -> str:
        name, question = self.items.get(item, ("", ""))
        return f"{item}. {name}: {question}"

    def describing(self) -> tuple[str, ...]:
        """The new agencies described in part, kept in the form under these ids."""
        return tuple(self.new_agencies.left)

    # one answer -----------------------------------------------------------------------------

    def get(self, q: Question) -> Any:
        """Ask until the answer is usable: codes or text, None when skipped. `?` explains the
        question, `back` raises Back, `-` removes an optional answer offered."""
        again = False
        while True:
            raw = self.ask(q, again).strip()
            again = True
            word = fold(raw)
            if raw == "?" or (word and word in words("answer.help")):
                for line in self.help(q):
                    self.say(f"  {line}")
                continue
            if word and word in words("answer.back"):
                raise Back
            if raw == REMOVE and q.default and not q.required:
                return None
            if not raw and q.default:
                raw = q.default
            if not raw:
                if not q.required:
                    return None
                self.say("  " + message("new.answer_needed", self.lang))
                continue
            try:
                return self.parse(q, raw)
            except BadValue as exc:
                self.say(f"  {translate(str(exc), self.lang)}")

    def help(self, q: Question) -> list[str]:
        """What `?` says about a question (guide.py)."""
        choices = [(str(n), c.label if c.label == c.code else f"{c.label} [{c.code}]", c.iri)
                   for n, c in enumerate(q.choices, 1)]
        ids = {ID_FIELD: "id", AGENCY_ID: "agency_id"}  # what an id takes, said once (not the shapes' wider rule)
        kind = ids.get(q.field)
        what = message(f"what.{kind}", self.lang) if kind else \
            message("what.other_names", self.lang) if q.field is OTHER_NAMES else None
        return self.guide.help(q.item, q.field, q.label, choices, what, example=f"example.{kind}" if kind else None,
                               described=kind is None and q.field is not YES_NO)

    def parse(self, q: Question, raw: str) -> Any:
        """Numbers of choices ("1,3"), or answers separated by ';' -> checked answers."""
        f = q.field
        if q.choices and _NUMBERS.match(raw):
            numbers = [int(n) for n in re.split(r"[\s,;]+", raw) if n]
            bad = [n for n in numbers if not 1 <= n <= len(q.choices)]
            if bad:
                raise BadValue(f"there is no choice {bad[0]}: answer 1 to {len(q.choices)}")
            parts = [q.choices[n - 1].code for n in numbers]
        elif q.split:  # several answers typed at once (the rule the prompt says: Question.split)
            parts = [p.strip() for p in raw.split(";") if p.strip()]
            if f is not OTHER_NAMES and len(parts) == 1 and "," in raw and not self._fits(f, raw):
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
        if f is OTHER_NAMES:  # each name says its language: one without is not dropped unsaid
            for part in parts:
                text, lang = split_language(part, None)
                if lang is None or not text:
                    raise BadValue(f'"{text}" does not say its language: write the language before it, '
                                   f"as in [en] {text}")
            return parts
        if f.kind == "text" and self.lang != "en":  # typed in the session's language: the form says so
            parts = [p if split_language(p, None)[1] else f"[{self.lang}] {p}" for p in parts]
        if f.kind == "agency":
            named = self.new_agencies.resolve(q, parts)
            return named if f.multi else named[0]
        for part in parts:
            self.decoder.scalar(f, part)
        return parts if f.multi else parts[0]

    def _fits(self, f: Field, raw: str) -> bool:
        try:
            self.decoder.scalar(f, raw)
        except BadValue:
            return False
        return True

    def default(self, f: Field, value: Any) -> str:
        """An answer of the form as it would be typed, to offer it again."""
        if value is None or value in ([], {}):
            return ""
        if isinstance(value, list):
            single = replace(f, multi=False)
            return "; ".join(text for text in (self.default(single, v) for v in value) if text)
        if isinstance(value, bool):
            return message("answer.yes" if value else "answer.no", self.lang)
        if isinstance(value, dict):
            if f.kind != "text":
                return ""
            return "; ".join(self.default(f, f"[{k}] {t}") for k, texts in value.items() for t in as_list(texts))
        text = str(value)
        if f.kind == "text":
            words, lang = split_language(text, None)
            return words if (lang or "en") == self.lang else f"[{lang or 'en'}] {words}"
        return text

    # the items ------------------------------------------------------------------------------

    def ask_item(self, item: int | None) -> None:
        """The questions of one item, the answers given before offered as defaults."""
        for f in SURVEY_FIELDS:
            if f.item != item or not f.ask:
                continue
            if f.key == "identification":
                self._identification(f)
            elif f.kind == "node":
                self._node(f)
            else:
                before = self.form.get(f.key)
                offered = self.default(f, before) or (self.today if f.key == "checked_on" and self._cited() else "")
                answer = self.get(self.question(f, f.key, f.ask == "required", offered))
                if isinstance(before, list) and len(before) > 1 and answer == [offered] and offered:
                    answer = before  # texts taken whole (citations), offered joined: kept as they were
                self.set(f.key, answer)
            if f.key == "alternative":
                names = self.form.get("alternative") or [self.form.get("title", "")]
                default = str(self.form.get("id") or slug(split_language(str(names[0]), None)[0]))
                self.form["id"] = self.get(self.question(ID_FIELD, "id", True, default))
        self.new_agencies.forget_unnamed()

    def _node(self, f: Field) -> None:
        """A nested answer (the time frame): each part asked, kept as it is answered."""
        before = self.form.get(f.key)
        answers = dict(before) if isinstance(before, dict) else {}
        for sub in f.fields:
            if not sub.ask:
                continue
            value = self.get(self.question(sub, f"{f.key}.{sub.key}", sub.ask == "required",
                                           self.default(sub, answers.get(sub.key))))
            if value is None:
                answers.pop(sub.key, None)
            else:
                answers[sub.key] = value
            self.set(f.key, dict(answers))

    def _identification(self, f: Field) -> None:
        """Item 11: the criteria (several allowed), then for each its definition, the minimum
        age and the parameters the shapes ask of that criterion (guide.follow_ups)."""
        criterion = field_by_key(f.fields, "criterion")
        assert criterion is not None and criterion.scheme is not None
        several = replace(criterion, multi=True)
        before = [m for m in as_list(self.form.get(f.key)) if isinstance(m, dict)]
        given = "; ".join(self.default(criterion, m.get("criterion")) for m in before if m.get("criterion"))
        codes = self.get(self.question(several, f"{f.key}.criterion", f.ask == "required", given)) or []
        rules = follow_ups(self.reference)
        methods: list[dict[str, Any]] = []
        for code in codes:
            iri = str(self.vocab.concept(criterion.scheme, str(code)))
            old = next((m for m in before if self._criterion_is(m.get("criterion"), iri)), {})
            named = {rule.field.key: rule for rule in rules.get(iri, [])}
            concept = self.reference.concepts.get(iri)
            shown = concept.labels.get(self.lang) or concept.labels.get("en") or code if concept else code
            method: dict[str, Any] = {"criterion": code}
            said: set[str] = set()
            for sub in f.fields:
                if sub is criterion or not (sub.ask or sub.key in named):
                    continue
                rule = named.get(sub.key)
                why = rule_description(self.reference, rule.rule, self.lang) if rule else None
                if why and why not in said:
                    said.add(why)
                    self.say(f"  {why}")
                q = self.question(sub, f"{f.key}.{sub.key}", bool(rule and rule.required),
                                  self.default(sub, old.get(sub.key)))
                value = self.get(replace(q, label=f"{q.label} ({shown})"))
                if value is not None:
                    method[sub.key] = value
                self.set(f.key, [*methods, method])
            methods.append(method)
        self.set(f.key, methods)

    def _cited(self) -> bool:
        """Sources or citations given: only then is today offered as the day the facts were checked."""
        return bool(self.form.get("sources") or self.form.get("citations"))

    def _criterion_is(self, written: Any, iri: str) -> bool:
        try:
            return str(self.vocab.concept("identification-criterion", str(written))) == iri
        except BadValue:
            return False

    # a new agency ---------------------------------------------------------------------------

    def yes(self, text: str) -> bool:
        """A yes or no question, in the session's words; anything else is asked again."""
        answer = self.get(Question("confirm", 5, text, YES_NO, (), True))
        return str(parse_boolean(answer)) == "true"

    def set(self, key: str, value: Any) -> None:
        """An answer of the form (none: the key removed)."""
        if value in (None, [], {}):
            self.form.pop(key, None)
        else:
            self.form[key] = value

    def check(self) -> Imported:
        return import_form(self.form, self.reference, source="new survey", lang=self.lang,
                           catalogue=self.catalogue, vocab=self.vocab, medium="prompt")

    # the session ----------------------------------------------------------------------------

    def run(self, rounds: int = 3) -> Imported:
        """All items in order from `start`; then the items the shapes object to, at most
        `rounds` times, each with the answers given offered again."""
        steps: list[int | None] = [*range(1, SOURCES), None]
        self._walk(steps, min(max(self.start, 1), SOURCES) - 1)
        result = self.check()
        for _ in range(rounds):
            bad = [p for p in result.problems if p.severity == "violation"]
            # the item a rule is reported under, and the others it reads: the fix may be in any
            involved = {p.item for p in bad if p.item is not None}
            involved |= {i for p in bad for i in rule_items(self.reference, p.shape) if i in self.items}
            items: list[int | None] = [*sorted(involved)]
            if not items:
                break
            self.say("")
            for problem in bad:
                self.say(explain(self.reference, problem, self.lang))
            self._walk(items, 0)
            result = self.check()
        return result

    def _walk(self, steps: list[int | None], index: int) -> None:
        """Ask the items of `steps` from `index`; `back` goes to the one before."""
        while index < len(steps):
            item = steps[index]
            self.current = item
            self.say("")
            self.say(self.heading(item) if item is not None else message("new.sources", self.lang))
            try:
                self.ask_item(item)
            except Back:
                if index == 0 and isinstance(item, int) and item > 1:  # items asked again: back goes on before them
                    steps = [item - 1, *steps]
                elif index == 0:
                    self.say("  " + message("new.no_earlier", self.lang))
                index = max(index - 1, 0)
                continue
            index += 1


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
    """Ask the questions, the answers of `form` offered as defaults; returns the answers as a form and the
    checked record."""
    session = Session(reference, ask, say, lang, catalogue, dict(form or {}))
    result = session.run()
    return session.form, result


__all__ = ["Ask", "Back", "Question", "Say", "Session", "explain", "new_survey"]
