"""Shared fixtures: the reference data (ontology, vocabularies, countries, shapes), loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import REPO as ROOT

from migrmeta.load.reference import Reference, load_reference

# fixtures requested by name (tests/ is on sys.path)
pytest_plugins = ["browser", "http_server", "nginx_server", "oxigraph_server", "virtuoso_server"]


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
