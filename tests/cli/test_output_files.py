"""Output files of the commands: never over an existing file without --force (and then named,
every one of them), never over the command's own input, never in a syntax the name does not
promise, and nothing at all when there is nothing to write.

Each test sets up the file a user has (a report, a record, a good dataset), runs the real
command, and checks the exit code, the message and what is on disk afterwards.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from command import run
from paths import REPO, TESTS

from migrmeta.formats.exporting import export_records

RECORD = REPO / "records" / "gb-ips.ttl"
JSONLD_RECORD = TESTS / "snapshots" / "mafe.jsonld"


# --- the output is the input (even with --force) -----------------------------------------------


def test_export_form_never_writes_over_the_record_it_exports(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    record = tmp_path / "mafe.json"  # a JSON-LD record, named as a JSON form may be
    shutil.copy(JSONLD_RECORD, record)
    code, _, err = run(capsys, "export", "form", str(record), "-o", str(record), "--force")
    assert code == 2, err
    assert f"{record} is also an input" in err and "nothing was written" in err and "Traceback" not in err
    assert record.read_bytes() == JSONLD_RECORD.read_bytes()
    other = tmp_path / "." / "mafe.json"  # another spelling of the same file
    code, _, err = run(capsys, "export", "form", str(record), "-o", str(other), "--force")
    assert code == 2 and "is also an input" in err
    assert record.read_bytes() == JSONLD_RECORD.read_bytes()


def test_import_form_never_writes_over_the_form_it_imports(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    form = tmp_path / "gb-ips.yaml"
    written = export_records("form", [RECORD]).documents[0].data
    form.write_bytes(written)
    code, _, err = run(capsys, "import", "form", str(form), "--catalogue", str(REPO / "records"), "-o", str(form),
                       "--force")
    assert code == 2, err
    assert f"{form} is also an input" in err and "--force" in err and "Traceback" not in err
    assert form.read_bytes() == written


@pytest.mark.parametrize("name", ["gb-ips.ttl", "gb-ips.txt", "gb-ips"])
def test_export_form_refuses_a_name_that_is_not_a_form(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       name: str) -> None:
    """The help promises .yaml or .json: a .ttl would hold YAML under a Turtle name."""
    code, _, err = run(capsys, "export", "form", str(RECORD), "-o", str(tmp_path / name))
    assert code == 2, err
    assert f"{tmp_path / name}: write the form as .yaml" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("name", "first"), [("f.yaml", b"#"), ("f.yml", b"#"), ("f.JSON", b"{")])
def test_export_form_follows_the_extensions_it_names(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     name: str, first: bytes) -> None:
    code, _, err = run(capsys, "export", "form", str(RECORD), "-o", str(tmp_path / name))
    assert code == 0, err
    assert (tmp_path / name).read_bytes().startswith(first)
