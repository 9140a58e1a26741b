"""`BadValue`: a value as written that cannot be used, with the answer probably meant."""

from __future__ import annotations


class BadValue(ValueError):
    """A value that cannot be used. `message` quotes what was written and says what is
    accepted; `suggestion`, when there is one, is a value that would be accepted.

    Every importer shows `str(error)`, so a bad value reads the same in a form, a sheet,
    `migrmeta new`, a DDI or DCAT loss report and `migrmeta query --param`.
    """

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        self.message = message
        self.suggestion = suggestion
        text = f'{message}; did you mean "{suggestion}"?' if suggestion else message
        super().__init__(text)

    def __str__(self) -> str:
        return str(self.args[0])
