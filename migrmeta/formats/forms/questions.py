"""The prompt of `migrmeta new`: a question, the callbacks that ask it and say things, and the
fields a session asks that the form's field table does not have (ids, a yes/no, other names)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from migrmeta.formats.forms.answers import Choice
from migrmeta.formats.forms.fields import AGENCY_FIELDS, Field
from migrmeta.messages import in_every_language
from migrmeta.namespaces import DCT
from migrmeta.values.text import fold

ID_FIELD = Field("id", None, DCT.identifier, "string")
AGENCY_ID = Field("id", 5, DCT.identifier, "string")
YES_NO = Field("confirm", None, DCT.identifier, "boolean")
OTHER_NAMES = Field("other_names", 5, AGENCY_FIELDS[0].prop, "text", multi=True)
ENGLISH_NAME = Field("name", 5, AGENCY_FIELDS[0].prop, "string")
REMOVE = "-"  # typed where an optional answer is offered: no answer


@cache
def words(key: str) -> frozenset[str]:
    """The word of messages.toml's `key` in every language, folded (back, retour, atrás)."""
    return frozenset(fold(text) for text in in_every_language(key))


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

    @property
    def split(self) -> bool:
        """Several answers typed at once, separated by ';' (a text is taken whole: a citation
        holds its own ';'; other names say their language each)."""
        return self.field.multi and (self.field.kind != "text" or self.field is OTHER_NAMES)


Ask = Callable[[Question, bool], str]  # (question, asked again?) -> the typed answer
Say = Callable[[str], None]


class Back(Exception):
    """`back` typed at a prompt: the session returns to the previous item."""


__all__ = ["AGENCY_ID", "ENGLISH_NAME", "ID_FIELD", "OTHER_NAMES", "REMOVE", "YES_NO", "Ask", "Back", "Question",
           "Say", "words"]
