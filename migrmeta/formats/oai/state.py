"""What was harvested, remembered next to the drafts: `<drafts>/.migrmeta-harvest.json`.

Per harvest (base URL, metadata prefix, set): the date of the last complete harvest, as the
repository's own clock gave it (the `responseDate` of its first page: never ours, so a clock
that is off cannot make us miss records), and for each OAI record the draft files it became
and its datestamp. The next harvest asks only for records changed since (`from`), updates
their drafts in place, and with `--prune` deletes the drafts of records deleted at the source.

Why next to the drafts and not in the user's cache directory: the state describes those
files (which file came from which record), so it must move, be copied, be committed and be
deleted with them; a state left in a cache after the drafts are deleted would make the next
harvest skip everything. The name starts with a dot, so `validate`, `import` and `publish`
of the folder never read it as a record. It is written atomically and deterministically
(sorted keys), so it diffs cleanly in version control.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrmeta.errors import InputError
from migrmeta.io.files import write_atomically
from migrmeta.jsontext import json_text

STATE_FILE = ".migrmeta-harvest.json"
SCHEMA = "https://w3id.org/migrmeta/harvest-state/1"


@dataclass
class Harvested:
    """One OAI record as harvested: its datestamp and the draft files it became."""

    datestamp: str
    files: list[str] = field(default_factory=list)
    deleted: bool = False  # deleted at the source; its drafts kept until a harvest with --prune


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
                "records": {i: {"datestamp": r.datestamp, "files": r.files, **({"deleted": True} if r.deleted else {})}
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
        path = folder / STATE_FILE
        if not path.is_file():
            return cls(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            endpoints = {}
            for entry in document["endpoints"]:
                state = EndpointState(entry["base_url"], entry["metadata_prefix"], entry.get("set", ""),
                                      entry.get("last_harvest", ""), entry.get("granularity", ""),
                                      {i: Harvested(r["datestamp"], list(r["files"]), bool(r.get("deleted", False)))
                                       for i, r in entry.get("records", {}).items()})
                endpoints[state.key] = state
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(str(path), f"is not a harvest state migrmeta can read ({exc})",
                             hint="delete it to harvest everything again (the drafts are kept)") from exc
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


__all__ = ["SCHEMA", "STATE_FILE", "EndpointState", "HarvestState", "Harvested"]
