"""Headless Chromium (Debian's `chromium`) driven by Playwright, for the browser tests.

Playwright never downloads a browser here: it launches /usr/bin/chromium with flags that keep
it off the network (no background requests, component updates, sync or QUIC). Missing
Chromium or Playwright skips the tests on a developer's machine and fails them in CI
(`CI` set), where `.ci/install-browser.sh` installs them first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import REPO

CHROMIUM = Path(os.environ.get("MIGRMETA_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
AXE = REPO / "tests" / "data" / "axe-core" / "axe.min.js"


def missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: .ci/install-browser.sh should have installed it")
    pytest.skip(f"{what} is missing (install with .ci/install-browser.sh)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright (pip install '.[test]')")
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        missing("chromium (apt-get install chromium)")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    try:
        yield tab
    finally:
        context.close()


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's violations of the page (injected from tests/data/axe-core)."""
    tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = tab.evaluate("async () => await axe.run(document)")
    return list(result["violations"])


def screenshot(tab: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    tab.screenshot(path=str(path), full_page=True)
    return path
