"""The one rule for names on disk: a file written from data is named by a record id.

Every command that writes a file named after something in the data (publish, export,
import drafts, harvest, templates) asks here. An identifier must match the record-id
pattern the shapes state for `dct:identifier` (shapes/survey.ttl; a test keeps the two
equal), be at most `MAX_LENGTH` characters, and not be a name Windows reserves; anything
else is refused with its source named, so nothing is ever written outside the output folder.

A file name read back from data (the draft files a harvest state says it wrote, which
`harvest --prune` deletes and a later harvest overwrites) is held to the same rule by
`name_problem`: `<record id><suffix>`, a plain name inside the folder, never a path.
"""

from __future__ import annotations

import re

from migrmeta.errors import InputError
from migrmeta.namespaces import SURVEY

RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")  # = the sh:pattern of dct:identifier
MAX_LENGTH = 100  # well below the 255 bytes file systems allow, leaving room for suffixes
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")  # Windows device names


def id_problem(identifier: str) -> str | None:
    """Why `identifier` cannot name a file, or None."""
    if not identifier:
        return "is empty"
    if len(identifier) > MAX_LENGTH:
        return f"is {len(identifier)} characters long (at most {MAX_LENGTH})"
    if not RECORD_ID.match(identifier):
        return ("is not a record id: lower-case letters, digits, '.', '_' and '-' only, starting with a "
                "letter or digit (no '/', '\\', '..' at the start, spaces or other characters)")
    if _RESERVED.match(identifier):
        return "is a name Windows reserves for a device"
    return None


def file_name(identifier: str, suffix: str, *, source: str) -> str:
    """`identifier + suffix` once the identifier is known to be safe; InputError naming `source` otherwise."""
    problem = id_problem(identifier)
    if problem:
        raise InputError(source, f"the identifier {identifier[:120]!r} {problem}; no file was written for it",
                         hint="give the survey a dct:identifier like 'ph-sof-2019'")
    return identifier + suffix


def name_problem(name: str, suffix: str) -> str | None:
    """Why `name`, a file name read from data, is not one `file_name(..., suffix)` gives (a
    plain `<record id><suffix>` inside the folder), or None."""
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        return "is a path, not the name of a file in the folder"
    if not name.endswith(suffix) or name == suffix:
        return f"is not a name of the form <record id>{suffix}"
    problem = id_problem(name.removesuffix(suffix))
    return f"is not a name of the form <record id>{suffix}: the part before {suffix} {problem}" if problem else None


def name_in(space: str, iri: str) -> str | None:
    """The name `iri` has under the IRI space `space` (survey/<name>, agency/<name>) when that
    name can name a file, else None."""
    local = iri[len(space):] if iri.startswith(space) else ""
    return local if id_problem(local) is None else None


def survey_name(survey: str) -> str | None:
    """The name a survey's files take first (`publish`): its IRI's name, survey/<name>, when
    that can name a file (else publish falls back to its identifier, then to a hash)."""
    return name_in(str(SURVEY), survey)


__all__ = ["MAX_LENGTH", "RECORD_ID", "file_name", "id_problem", "name_in", "name_problem", "survey_name"]
