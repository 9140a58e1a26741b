"""`migrmeta new --resume FILE` goes on only from a form an interrupted `migrmeta new` kept:
any other file is refused before a question is asked, and left as it is (resuming replaces
the file with the answers, so a record or notes given by mistake would be lost)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from paths import DATA, REPO

from migrmeta.formats.exporting import export_records

RECORDS = REPO / "records"


def _not_kept(tmp_path: Path, kind: str) -> Path:
    if kind == "JSON-LD record":  # JSON is YAML too: it used to be read as a form and rewritten
        path = tmp_path / "pod.jsonld"
        path.write_bytes((DATA / "dcat" / "catalog_pod.jsonld").read_bytes())
    elif kind == "notes":
        path = tmp_path / "notes.txt"
        path.write_text("things to ask the statistics office\n", encoding="utf-8")
    else:  # a form, but one `export form` wrote, not an interrupted session
        path = tmp_path / "gb-ips.yaml"
        path.write_bytes(export_records("form", [RECORDS / "gb-ips.ttl"]).documents[0].data)
    return path


@pytest.mark.parametrize("kind", ["JSON-LD record", "notes", "exported form"])
def test_resume_refuses_a_file_no_interrupted_session_kept(tmp_path: Path, kind: str) -> None:
    given = _not_kept(tmp_path, kind)
    before = given.read_bytes()
    done = subprocess.run([sys.executable, "-m", "migrmeta", "new", "--resume", given.name, "--catalogue",
                           str(RECORDS)], cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120)  # as `migrmeta new --resume pod.jsonld </dev/null`
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{given.name} is not a form kept by an interrupted `migrmeta new`" in done.stderr
    assert "it was not changed" in done.stderr and "hint:" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""  # not a question asked
    assert given.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [given.name]  # no partial form made beside it
