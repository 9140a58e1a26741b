"""The one exception hierarchy of migrmeta.

    MigrmetaError                 base; carries a message a user can act on
    ├── InputError                a file (or stdin) cannot be read or parsed   -> exit 3
    │     fields: source, line, column, hint
    ├── UsageError                the command was called wrongly              -> exit 2
    ├── PublishError              output could not be written (previous output kept) -> exit 1
    └── EndpointError             a SPARQL endpoint or graph store failed or refused -> exit 1
          fields: status (the HTTP status, if there was an answer)

Non-conformance is never an exception: it is a result (`migrmeta.validate()`'s `Report`).

Messages speak of the caller's arguments: a part written `{--store URL|store=URL}` (or `{`cmd`|...}`) reads
"store=URL" from Python (`str(error)`) and "--store URL" on the command line
(`error.cli_text()`), so the library never tells a Python user to pass a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The argument may hold a {dict} (one level: `contexts={IRI: FILE}`), no deeper.
_CHOICE = re.compile(r"\{((?:--|`)[^|{}]*)\|([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


# A path's braces and bars inside a `{cli|python}` part, kept apart from the markup's until spoken
_LITERAL = {ord("{"): "\ue000", ord("|"): "\ue001", ord("}"): "\ue002"}
_SPOKEN = {ord(v): chr(k) for k, v in _LITERAL.items()}


def literal(text: str) -> str:
    """A user's text (a path, a quoted file name) for inside a `{cli|python}` part: its braces
    and bars are its own, not the markup's (`speak` gives them back)."""
    return text.translate(_LITERAL)


def speak(text: str, *, cli: bool) -> str:
    """`{--flag|argument}` parts as the command line (cli) or Python says them."""
    return _CHOICE.sub(lambda m: m.group(1) if cli else m.group(2), text).translate(_SPOKEN)


class MigrmetaError(Exception):
    """Base of every error migrmeta raises on purpose."""

    exit_code = 1
    spoken = "en"  # the language of the command it stopped (cli.main says it in that language)

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self._text(cli=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (hint, location, status…), as a worker process sends it back."""
        return _rebuild, (type(self), self.args, self.__dict__)

    def cli_text(self) -> str:
        """The message as the command line says it (flags rather than arguments)."""
        return self._text(cli=True)

    def _text(self, *, cli: bool) -> str:
        message = speak(self.message, cli=cli)
        return message if not self.hint else f"{message}\n  hint: {speak(self.hint, cli=cli)}"


def _rebuild(cls: type[MigrmetaError], args: tuple[Any, ...], state: dict[str, Any]) -> MigrmetaError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


@dataclass(frozen=True)
class Location:
    source: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.source
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class InputError(MigrmetaError):
    """An input cannot be read: names the file, and the line where one is known."""

    exit_code = 3

    def __init__(
        self,
        source: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.location = Location(source, line, column)
        self.problem = message
        super().__init__(f"{self.location}: {message}", hint)


class UsageError(MigrmetaError):
    exit_code = 2


class PublishError(MigrmetaError):
    exit_code = 1


class EndpointError(MigrmetaError):
    """A SPARQL endpoint or graph store could not be reached or refused a request (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, status: int | None = None,
                 detail: str | None = None) -> None:
        super().__init__(message, hint)
        self.status = status
        self.detail = detail or message  # the message without the operation's name
