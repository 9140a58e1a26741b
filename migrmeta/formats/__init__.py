"""One module per outside standard: each maps the catalogue to (or from) one format.

Modules are chosen by name through PROFILES: add a module and one line here.

- `dcat_ap`: DCAT-AP 3 (the profile `migrmeta publish` applies to the catalogue)
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

PROFILES: dict[str, str] = {
    "dcat-ap-3": "migrmeta.formats.dcat.profile",
}


def profile(name: str) -> ModuleType:
    """The module of a profile, by name (`dcat-ap-3`)."""
    return import_module(PROFILES[name])
