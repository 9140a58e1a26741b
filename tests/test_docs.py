"""The documentation is true: every command has help with examples and a place in the README,
the README's command lines run as written (or, for those that need a server or a person at
the keyboard, at least parse), and docs/api.md's Python examples run (as sqlite-utils'
test_docs.py does for its documentation). Across README.md and docs/*.md, and the examples
of every command's help: each command and option a `migrmeta ...` line names exists, each
relative link and anchor resolves, and each file and Python name the docs give exists."""

from __future__ import annotations

import importlib
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from paths import DATA, RECORDS, REPO

from migrmeta.cli import cli
from migrmeta.formats.registry import CONVERTERS

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from _commands(command, path)


COMMANDS = list(_commands(cli))
LEAVES = [p for p in COMMANDS if not isinstance(cli.get_command(click.Context(cli), p[0]), click.Group) or len(p) > 1]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: cli {' '.join(path)}") or "Usage:" in result.output
    assert "Examples:" in result.output or "Example:" in result.output, f"{' '.join(path)} has no example"
    if path in LEAVES:  # what a script may rely on
        assert "Exit codes:" in result.output or "Exit code" in result.output, f"{' '.join(path)} names no exit code"


def test_the_readme_converts_both_ways_only_what_has_a_reader_and_a_writer() -> None:
    """"converts from and to X" names only formats migrmeta both imports and exports (there is
    no schema.org importer, no spreadsheet exporter)."""
    claims = re.findall(r"converts from and to ([^;]+?)(?:, imports|;)", " ".join(README.split()))
    assert claims
    for converter in CONVERTERS:
        if converter.reader is None or converter.writer is None:
            assert all(converter.title.lower() not in claim.lower() for claim in claims), converter.name


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_is_shown_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"migrmeta {' '.join(path)}" in README, f"README.md never shows `migrmeta {' '.join(path)}`"


def _readme_lines() -> list[str]:
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", README, re.S)
    lines = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("migrmeta ") or " | migrmeta " in line:
                lines.append(line)
    return lines


def _needs_the_world(line: str) -> bool:
    """A server, a repository, the network or a person at the keyboard: parse, do not run."""
    return "http://" in line or "https://" in line or line.startswith("migrmeta new") or "git:" in line


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder as a user has it: the catalogue's records, and the files the examples name."""
    shutil.copytree(RECORDS, tmp_path / "records")
    shutil.copy(RECORDS / "ph-sof.ttl", tmp_path / "my-survey.ttl")
    for agency, name in (("psa", "psa"), ("undesa", "un-desa-pd")):
        (tmp_path / agency).mkdir()
        shutil.copy(DATA / "merge" / name / "ph-sof.ttl", tmp_path / agency / "ph-sof.ttl")
    shutil.copy(DATA / "ddi" / "gesis-2800.xml", tmp_path / "study.xml")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "form", "records/ph-sof.ttl", "-o", "my-survey.yaml"]).exit_code == 0
    assert runner.invoke(cli, ["template", "--format", "xlsx", "-o", "surveys.xlsx"]).exit_code == 0
    _fill_the_example_row(tmp_path / "surveys.xlsx", "my-sheet-survey")  # the sheet as its user filled it in
    return tmp_path


def _fill_the_example_row(workbook: Path, survey_id: str) -> None:
    """Turn the template's example row (its id starts with '#', so import skips it) into a survey."""
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    sheet = book.worksheets[0]
    cells = [c for c in sheet["A"] if isinstance(c.value, str) and c.value.startswith("#")]
    assert cells, "the template has no example row"
    cells[0].value = survey_id
    book.save(workbook)


def _parse_only(args: list[str]) -> None:
    """Resolve the command and parse its options as click would, without running it."""
    command: click.Command = cli
    ctx = cli.make_context("migrmeta", list(args), resilient_parsing=False)
    while isinstance(command, click.Group) and ctx.protected_args:
        name, *rest = [*ctx.protected_args, *ctx.args]
        sub = command.get_command(ctx, name)
        assert sub is not None, f"no command {name!r}"
        command, ctx = sub, sub.make_context(name, rest, parent=ctx)


@pytest.mark.parametrize("line", _readme_lines())
def test_readme_examples_run_as_written(line: str, workspace: Path) -> None:
    stdin = None
    if " | migrmeta " in line:  # `cat FILE | migrmeta ...`
        feed, line = line.split(" | ", 1)
        stdin = Path(shlex.split(feed)[1].replace("my-survey.jsonld", "my-survey.ttl")).read_text(encoding="utf-8")
    args = shlex.split(line)[1:]
    if _needs_the_world(line):
        _parse_only(args)
        return
    if args[0] == "template" and "-o" in args:  # it makes the sheet the workspace holds for the lines after it
        (workspace / args[args.index("-o") + 1]).unlink(missing_ok=True)
    result = CliRunner().invoke(cli, args, input=stdin)
    assert result.exit_code == 0, f"{line}\n{result.output}"
    assert "Traceback" not in result.output


def _api_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (REPO / "docs" / "api.md").read_text(encoding="utf-8"), re.S)


@pytest.mark.slow
def test_api_examples_run_in_order(workspace: Path) -> None:
    namespace: dict[str, object] = {}
    for number, example in enumerate(_api_examples(), 1):
        exec(compile(example, f"docs/api.md example {number}", "exec"), namespace)
    assert len(_api_examples()) >= 5


def test_the_public_names_are_exactly_the_documented_ones() -> None:
    import migrmeta

    documented = set(re.findall(r"`migrmeta\.([A-Za-z_]+)", (REPO / "docs" / "api.md").read_text(encoding="utf-8")))
    assert sorted(migrmeta.__all__) == migrmeta.__all__
    for name in migrmeta.__all__:
        assert getattr(migrmeta, name) is not None
        if not name.startswith("_") and name[0].islower():
            assert name in documented, f"migrmeta.{name} is not in docs/api.md"
    assert not [n for n in dir(migrmeta) if not n.startswith("_") and n not in migrmeta.__all__]


DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def _doc_id(path: Path) -> str:
    return str(path.relative_to(REPO))


def _command_lines(text: str) -> list[str]:
    """`migrmeta ...` in code blocks (a line, or after `$ ` or a pipe) and in inline code."""
    lines = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.strip().removeprefix("$ ")
            if " | migrmeta " in line:
                line = line.split(" | ", 1)[1]
            if line.startswith("migrmeta "):
                lines.append(line)
    prose = " ".join(re.sub(r"```.*?```", "", text, flags=re.S).split())
    lines += [span for span in re.findall(r"`([^`]+)`", prose) if span.startswith("migrmeta ")]
    return lines


def _help_lines(path: tuple[str, ...]) -> list[str]:
    text = CliRunner().invoke(cli, [*path, "--help"]).output
    examples = re.split(r"Examples?:", text, maxsplit=1)[-1].split("Exit code")[0]
    return _command_lines(f"```\n{examples}\n```")


def _options_of(command: click.Command) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)} | {"--help", "-h"}


def _unknown(line: str) -> list[str]:
    """The commands and options of a `migrmeta ...` line that do not exist (placeholders such
    as NAME, FILE|DIR or [-o DIR] stand for anything)."""
    words = shlex.split(line.split("  #", 1)[0].replace("…", "...").replace("'", "").replace('"', ""))[1:]
    words = words[:next((i for i, w in enumerate(words) if w in ("|", ">", "&&", ";", "#")), len(words))]
    command: click.Command = cli
    while isinstance(command, click.Group):
        while words and words[0].startswith("-"):  # options of the group (--limit NAME=VALUE)
            option = words.pop(0).split("=", 1)[0]
            if option not in _options_of(command):
                return [option]
            if words and not words[0].startswith("-") and option != "--version":
                words.pop(0)
        if not words or not re.fullmatch(r"[a-z][a-z-]*", words[0]):
            return []  # the group alone, or a placeholder (`migrmeta import NAME`)
        name = words.pop(0)
        sub = command.get_command(click.Context(command), name)
        if sub is None:
            return [name]
        command = sub
    return [w.split("=", 1)[0] for w in words
            if re.fullmatch(r"--?[a-z][a-z0-9-]*(=.*)?", w) and w.split("=", 1)[0] not in _options_of(command)]


@pytest.mark.parametrize("doc", DOCS, ids=_doc_id)
def test_every_command_and_option_the_docs_name_exists(doc: Path) -> None:
    lines = _command_lines(doc.read_text(encoding="utf-8"))
    wrong = {line: _unknown(line) for line in lines if _unknown(line)}
    assert not wrong, f"{_doc_id(doc)} names commands or options that do not exist: {wrong}"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_help_example_names_commands_and_options_that_exist(path: tuple[str, ...]) -> None:
    wrong = {line: _unknown(line) for line in _help_lines(path) if _unknown(line)}
    assert not wrong, f"`migrmeta {' '.join(path)} --help` shows commands or options that do not exist: {wrong}"


def _anchors(doc: Path) -> set[str]:
    """The fragments GitHub gives a page's headings (lower case, punctuation dropped, spaces as
    `-`, a repeated heading numbered)."""
    anchors, counts = set(), dict[str, int]()
    text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
    for heading in re.findall(r"^#{1,6}\s+(.*)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        counts[slug] = counts.get(slug, 0) + 1
        anchors.add(slug if counts[slug] == 1 else f"{slug}-{counts[slug] - 1}")
    return anchors


@pytest.mark.parametrize("doc", DOCS, ids=_doc_id)
def test_every_relative_link_and_anchor_resolves(doc: Path) -> None:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z+.-]*:", target):
            continue  # http(s), mailto: not ours to check offline
        path, _, fragment = target.partition("#")
        linked = (doc.parent / path) if path else doc
        if not linked.exists() or (fragment and linked.suffix == ".md" and fragment not in _anchors(linked)):
            broken.append(target)
    assert not broken, f"{_doc_id(doc)} links to what does not exist: {broken}"


REPO_PATH = re.compile(r"`((?:\.ci|bench|docs|migrmeta|ontology|queries|records|shapes|tests)/[\w./-]*)((?:::\w+)?)`")


@pytest.mark.parametrize("doc", DOCS, ids=_doc_id)
def test_every_file_and_test_the_docs_name_exists(doc: Path) -> None:
    """`migrmeta/io/http.py`, `tests/x.py::test_name`: moved or renamed, the docs must follow."""
    missing = []
    for line in doc.read_text(encoding="utf-8").splitlines():
        for path, test in REPO_PATH.findall(line):
            if not (REPO / path).exists():
                missing.append(path)
            elif test and not re.search(rf"def {test[2:]}\b", (REPO / path).read_text(encoding="utf-8")):
                missing.append(path + test)
    assert not missing, f"{_doc_id(doc)} names files or tests that do not exist: {missing}"


def _resolves(name: str) -> bool:
    """Whether a dotted name (`migrmeta.formats.loss.LossReport`) is a module or an attribute of one."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            if not hasattr(found, part):
                return False
            found = getattr(found, part)
        return True
    return False


@pytest.mark.parametrize("doc", DOCS, ids=_doc_id)
def test_every_python_name_the_docs_give_exists(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    names = set(re.findall(r"`(migrmeta(?:\.[A-Za-z_]\w*)+)", text))
    for block in re.findall(r"```python\n(.*?)```", text, re.S):
        for module, imported in re.findall(r"^from (migrmeta[\w.]*) import ([\w, ]+)$", block, re.M):
            names |= {f"{module}.{name.strip()}" for name in imported.split(",")}
    missing = sorted(n for n in names if not _resolves(n))
    assert not missing, f"{_doc_id(doc)} names Python that does not exist: {missing}"
