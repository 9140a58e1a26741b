"""What was harvested, remembered next to the drafts: `<drafts>/.migrmeta-harvest.json`.

Per harvest (base URL, metadata prefix, set): the date of the last complete harvest, as the
repository's own clock gave it (the `responseDate` of its first page: never ours, so a clock
that is off cannot make us miss records), and for each OAI record the draft files it became
and its datestamp. The next harvest asks only for records changed since (`from`), updates
their drafts in place, and with `--prune` deletes the drafts of records deleted at the source.
A record that could not be imported (not DDI, broken XML) is marked `failed`, its earlier
drafts (if any) kept; the next harvest asks from its datestamp when that is earlier, so it
is asked for again until it is imported, deleted at the source, or no longer listed.

Why next to the drafts and not in the user's cache directory: the state describes those
files (which file came from which record), so it must move, be copied, be committed and be
deleted with them; a state left in a cache after the drafts are deleted would make the next
harvest skip everything. The name starts with a dot, so `validate`, `import` and `publish`
of the folder never read it as a record. It is written atomically and deterministically
(sorted keys), so it diffs cleanly in version control.

Being shared, it is read as an outside input: a harvest overwrites and `--prune` deletes
the files it names, so every name must be a plain `<record id>.ttl` inside the folder (the
one rule of io/names.py); a state naming anything else (a path, `../x.ttl`) is refused
whole, before anything is written or deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrmeta.errors import InputError
from migrmeta.io.files import write_atomically
from migrmeta.io.names import name_problem
from migrmeta.jsontext import json_text

STATE_FILE = ".migrmeta-harvest.json"
SCHEMA = "https://w3id.org/migrmeta/harvest-state/1"
DRAFT_SUFFIX = ".ttl"  # every draft is <record id>.ttl (formats/harmonize.py draft_filename)
_FIX = "delete it to harvest everything again (the drafts are kept)"


@dataclass
class Harvested:
    """One OAI record as harvested: its datestamp and the draft files it became."""

    datestamp: str
    files: list[str] = field(default_factory=list)
    deleted: bool = False  # deleted at the source; its drafts kept until a harvest with --prune
    failed: bool = False  # this datestamp could not be imported (its earlier drafts, if any, kept): asked again
    sha256: dict[str, str] = field(default_factory=dict)  # file -> its bytes as the harvest wrote them: a file
    # that differs was edited by the curator, and is never overwritten or deleted


@dataclass
class EndpointState:
    base_url: str
    prefix: str
    set_spec: str = ""
    last_harvest: str = ""  # the repository's responseDate of the last complete harvest
    granularity: str = ""
    records: dict[str, Harvested] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return key(self.base_url, self.prefix, self.set_spec)

    def to_json(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "metadata_prefix": self.prefix, "set": self.set_spec,
                "last_harvest": self.last_harvest, "granularity": self.granularity,
                "records": {i: {"datestamp": r.datestamp, "files": r.files, **({"deleted": True} if r.deleted else {}),
                                **({"failed": True} if r.failed else {}), **({"sha256": r.sha256} if r.sha256 else {})}
                            for i, r in sorted(self.records.items())}}


def key(base_url: str, prefix: str, set_spec: str | None) -> str:
    return f"{base_url} {prefix} {set_spec or ''}".strip()


class HarvestState:
    """The state file of one drafts folder: every harvest made into it."""

    def __init__(self, path: Path, endpoints: dict[str, EndpointState] | None = None) -> None:
        self.path = path
        self.endpoints = endpoints or {}

    @classmethod
    def load(cls, folder: Path) -> HarvestState:
        """The state of `folder`, or an empty one. InputError (exit 3) for a state that is not
        JSON, not shaped as `to_json` writes it, or that names as a draft anything but a plain
        `<id>.ttl` inside the folder: such a state is refused before anything is written or
        deleted, since harvest overwrites and `--prune` deletes the files it names."""
        path = folder / STATE_FILE
        if not path.is_file():
            return cls(path)
        try:
            text = path.read_text(encoding="utf-8")
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"is not a harvest state migrmeta can read (invalid JSON: {exc.msg})",
                             line=exc.lineno, column=exc.colno, hint=_FIX) from exc
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"is not a harvest state migrmeta can read ({exc})", hint=_FIX) from exc
        try:
            endpoints = {}
            for entry in document["endpoints"]:
                state = EndpointState(_str(entry["base_url"]), _str(entry["metadata_prefix"]),
                                      _str(entry.get("set", "")), _str(entry.get("last_harvest", "")),
                                      _str(entry.get("granularity", "")),
                                      {_str(i): _harvested(r) for i, r in entry.get("records", {}).items()})
                endpoints[state.key] = state
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(str(path), f"is not a harvest state migrmeta can read ({type(exc).__name__}: {exc})",
                             hint=_FIX) from exc
        for state in endpoints.values():
            for identifier, record in sorted(state.records.items()):
                for name in record.files:
                    problem = name_problem(name, DRAFT_SUFFIX)
                    if problem:
                        raise InputError(str(path), f"the record {identifier!r} of the harvest of {state.base_url} "
                                         f"names the draft file {name!r}, which {problem}; nothing was harvested, "
                                         "written or deleted", line=_line_of(text, identifier, name),
                                         hint="a harvest only writes and deletes <id>.ttl files in its drafts folder: "
                                              "correct or remove that entry, or delete the state file to harvest "
                                              "everything again (the drafts are kept)")
        return cls(path, endpoints)

    def endpoint(self, base_url: str, prefix: str, set_spec: str | None) -> EndpointState:
        found = self.endpoints.get(key(base_url, prefix, set_spec))
        return found or EndpointState(base_url, prefix, set_spec or "")

    def files_of_others(self, current: EndpointState) -> set[str]:
        """Draft files that other harvests into this folder wrote (never overwritten or pruned)."""
        return {f for k, e in self.endpoints.items() if k != current.key for r in e.records.values() for f in r.files}

    def save(self, current: EndpointState) -> None:
        self.endpoints[current.key] = current
        document = {"schema": SCHEMA, "endpoints": [e.to_json() for _, e in sorted(self.endpoints.items())]}
        write_atomically(self.path, json_text(document, sort_keys=True) + "\n")


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


def _harvested(entry: dict[str, Any]) -> Harvested:
    files = entry["files"]
    if not isinstance(files, list):
        raise TypeError(f"files {files!r} is not a list")
    hashes = entry.get("sha256", {})
    if not isinstance(hashes, dict):
        raise TypeError(f"sha256 {hashes!r} is not an object")
    return Harvested(_str(entry["datestamp"]), [_str(f) for f in files], bool(entry.get("deleted", False)),
                     bool(entry.get("failed", False)), {_str(k): _str(v) for k, v in hashes.items()})


def _line_of(text: str, identifier: str, name: str) -> int | None:
    """The line where the record's entry names the file (the first mention after its key)."""
    start = text.find(json.dumps(identifier, ensure_ascii=False) + ":")
    found = text.find(json.dumps(name, ensure_ascii=False), max(start, 0))
    return text.count("\n", 0, found) + 1 if start >= 0 and found >= 0 else None


__all__ = ["SCHEMA", "STATE_FILE", "EndpointState", "HarvestState", "Harvested"]
