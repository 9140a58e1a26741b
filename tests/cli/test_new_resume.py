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


@pytest.mark.parametrize("terminal", ["C.UTF-8", "strict"])
def test_an_answer_that_is_not_utf8_is_asked_again_and_no_answer_is_lost(tmp_path: Path, terminal: str) -> None:
    """A title typed on a Latin-1 terminal ("Enqu\\xeate"): it crashed at the end of the session
    with a traceback (a surrogate in the record) and lost all 14 items, or at once on a strict
    UTF-8 terminal. It is refused and asked again; on a strict terminal, whose input is then
    unreadable, the answers so far are kept as after Ctrl-C."""
    import os

    answers = [b"Enqu\xeate migration Ghana", b"Enquete migration Ghana", b"", b"gh-x-2019",
               b"Survey of return migrants.", b"Measure return migration.", b"Ghana", b"2019", b"2019", b"1", b"GSS",
               b"", b"19", b"", b"", b"household", b"dedicated", *[b""] * 40]
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.pop("PYTHONIOENCODING", None)
    if terminal == "strict":
        env["PYTHONIOENCODING"] = "utf-8:strict"
    done = subprocess.run([sys.executable, "-m", "migrmeta", "new", "-o", "x.ttl", "--catalogue", str(RECORDS)],
                          cwd=tmp_path, input=b"\n".join(answers) + b"\n", capture_output=True, env=env, timeout=120)
    said = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in said
    assert "your terminal sent text that is not UTF-8" in said
    if terminal == "strict":
        assert done.returncode == 130
        assert (tmp_path / "new-survey.partial.yaml").is_file()
    else:
        assert done.returncode in (0, 1), said
        assert '"Enquete migration Ghana"@en' in (tmp_path / "x.ttl").read_text(encoding="utf-8")
