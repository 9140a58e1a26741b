"""Shared fixtures: the reference data (ontology, vocabularies, countries, shapes), loaded once."""

from __future__ import annotations

import signal
from collections.abc import Iterator
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


_SIGNALS = (signal.SIGINT, signal.SIGTERM)

# A shell starts a background job (`bash .ci/run &`, nohup) with Ctrl-C ignored, and every
# command the tests start would inherit that: the tests of what Ctrl-C does then failed (CI,
# once). Python's own handler is not inherited, so the commands start with Ctrl-C as usual.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _signal_state() -> tuple[object, ...]:
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    return (*(signal.getsignal(s) for s in _SIGNALS), *(s in blocked for s in _SIGNALS))


@pytest.fixture(autouse=True)
def _signals_left_as_found() -> Iterator[None]:
    """A test that leaves Ctrl-C ignored or held in the test process passes that on to every
    command a later test starts (a child inherits both): those tests then failed, far away
    (CI, once). So the test that does it fails, and the process is put back."""
    before = _signal_state()
    masked = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    yield
    after = _signal_state()
    if after != before:
        for signum, handler in zip(_SIGNALS, before, strict=False):
            signal.signal(signum, handler)  # type: ignore[arg-type]
        signal.pthread_sigmask(signal.SIG_SETMASK, masked)
        pytest.fail(f"the test left SIGINT/SIGTERM changed: {before} -> {after}", pytrace=False)


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
