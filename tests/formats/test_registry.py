"""The converter registry: every converter is a command, every command a converter, and each
reader and writer named in the table exists."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from migrmeta.cli import cli
from migrmeta.formats.registry import CONVERTERS, converter, readers, writers


def commands(group: str) -> set[str]:
    result = CliRunner().invoke(cli, [group, "--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:", 1)[1]
    return {line.split()[0] for line in listed.splitlines() if line.strip()}


def test_import_and_export_subcommands_are_the_registry() -> None:
    assert commands("import") == {c.name for c in readers()}
    assert commands("export") == {c.name for c in writers()}


@pytest.mark.parametrize("spec", CONVERTERS, ids=lambda c: c.name)
def test_each_reader_and_writer_exists(spec: object) -> None:
    found = converter(spec.name)  # type: ignore[attr-defined]
    for which, target in (("reader", found.reader), ("writer", found.writer)):
        if target is not None:
            assert callable(found.load(which))
