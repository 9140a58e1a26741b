"""Text from data, made safe for the programs that open what we write.

- Spreadsheets (the OWASP CSV-injection rule): a cell that begins with `=`, `+`, `-`, `@`,
  a tab or a carriage return would be taken for a formula by Excel, LibreOffice or Google
  Sheets (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`); `csv_cell` writes it as text, with a
  leading `'`, and `xlsx_text` stores it as a string cell, never a formula. A plain number
  (`-5`, `+3.2`) is not a formula and is left as it is. Every CSV and XLSX written for
  people (templates, reports) goes through here; the SPARQL results formats of `query`
  (CSV, TSV) are machine formats, written as the standard says (docs/security.md).
- XML 1.0 (`xml_text`): characters XML forbids (most C0 controls, U+FFFE, U+FFFF, lone
  surrogates) are dropped, so a literal cannot make a report not well-formed.
- Terminals (`terminal_text`): ESC and the other C0/C1 control characters except newline
  and tab are shown as `\\x1b`-style escapes, so data cannot move the cursor, set a window
  title or hide a line (OSC, CSI sequences).
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet program take this cell for a formula?"""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.match(text)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell that people open in a spreadsheet: formulas written as text."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def xlsx_text(cell: Any) -> None:
    """After `cell.value = text` (openpyxl): a string is a string cell, never a formula."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def terminal_text(text: str) -> str:
    """`text` with control characters (but newline and tab) shown as escapes, never sent raw."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


__all__ = ["FORMULA_STARTS", "csv_cell", "is_formula_like", "terminal_text", "xlsx_text", "xml_text"]
