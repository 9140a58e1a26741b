"""The one exception hierarchy of migrmeta.

    MigrmetaError                 base; carries a message a user can act on
    ├── InputError                a file (or stdin) cannot be read or parsed   -> exit 3
    │     fields: source, line, column, hint
    ├── UsageError                the command was called wrongly              -> exit 2
    ├── PublishError              output could not be written (previous output kept) -> exit 1
    └── EndpointError             a SPARQL endpoint or graph store failed or refused -> exit 1
          fields: status (the HTTP status, if there was an answer)

Non-conformance is never an exception: it is a result (`migrmeta.validate.Report`).
"""

from __future__ import annotations

from dataclasses import dataclass


class MigrmetaError(Exception):
    """Base of every error migrmeta raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


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
