"""Shared fixtures: the reference data (ontology, vocabularies, countries, shapes), loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from paths import REPO as ROOT
from rdflib import Graph

from migrmeta.load.reference import Reference, load_reference

if TYPE_CHECKING:
    from migrmeta.publishing.site import PublishResult

# fixtures requested by name (tests/ is on sys.path)
pytest_plugins = ["browser", "http_server", "oxigraph_server", "snapshot", "virtuoso_server", "web_servers"]


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@dataclass(frozen=True)
class Published:
    """The bundled catalogue (records/), published once for the whole test run."""

    result: PublishResult
    out: Path

    @property
    def catalog(self) -> Graph:
        return Graph().parse(self.out / "catalog.ttl", format="turtle")


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """records/ (whatever conforms today) published once per run; tests only read it."""
    from migrmeta.publishing.site import PublishOptions, publish

    out = tmp_path_factory.mktemp("published") / "site"
    result = publish([ROOT / "records"], out, PublishOptions(skip_invalid=True, cache=False))
    assert result.refused is None, result.refused
    return Published(result, out)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true",
                     help="Rewrite the golden files of tests/snapshots/ from what the code writes now.")
