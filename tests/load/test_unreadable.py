"""Nothing is skipped in silence (issue 13, rows 1 and 9).

A records folder with a subfolder that cannot be read (mode 000) and a `*.ttl` link that
points nowhere: every command that reads records names both and exits 3; `push --prune`,
which used to delete the graphs of the records it could not see, deletes nothing. The
commands run as a subprocess without the capabilities that let root read anything
(tests/unprivileged.py), so mode 000 means what it says.

And standard input read twice (`validate - -`): the record on standard input keeps its
findings; the second `-` is reported on its own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer
from paths import DATA, REPO
from unprivileged import command, migrmeta

from migrmeta.load import expand_paths

RECORDS = REPO / "records"
HIDDEN = ("gb-ips.ttl", "lamp.ttl", "mafe.ttl", "mmp.ttl")  # the records the issue saw pruned


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[Path]:
    """records/ with four records in a folder of mode 000 and a dangling link."""
    folder = tmp_path / "records"
    shutil.copytree(RECORDS, folder)
    restricted = folder / "restricted"
    restricted.mkdir()
    for name in HIDDEN:
        (folder / name).rename(restricted / name)
    (folder / "moved.ttl").symlink_to(tmp_path / "elsewhere" / "moved.ttl")
    restricted.chmod(0o000)
    yield folder
    restricted.chmod(0o755)


def said(output: str, folder: Path) -> bool:
    return str(folder / "restricted") in output and str(folder / "moved.ttl") in output


def test_expand_paths_names_what_it_cannot_read(damaged: Path) -> None:
    found = expand_paths([damaged])
    problems = [str(p) for p in found if not isinstance(p, str)]
    assert any(str(damaged / "moved.ttl") in p and "does not exist" in p for p in problems)
    # as root the folder itself is readable here; the subprocess tests below show it is named


def test_validate_names_the_unreadable_folder_and_the_dangling_link(damaged: Path) -> None:
    done = command("validate", "--no-cache", "-q", str(damaged))
    assert done.returncode == 3, done.stdout + done.stderr
    assert said(done.stdout + done.stderr, damaged)
    assert "Permission denied" in done.stdout + done.stderr


def test_publish_refuses_and_keeps_the_previous_site(damaged: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.ttl").write_text("# the previous site\n", encoding="utf-8")
    done = command("publish", "--no-cache", "-o", str(site), str(damaged))
    assert done.returncode == 3, done.stdout + done.stderr
    assert said(done.stdout + done.stderr, damaged)
    assert (site / "catalog.ttl").read_text(encoding="utf-8") == "# the previous site\n"


@pytest.mark.server
def test_push_prune_deletes_nothing_when_an_input_is_unreadable(damaged: Path, oxigraph: OxigraphServer) -> None:
    first = subprocess.run([migrmeta(), "push", str(RECORDS), "--endpoint", oxigraph.query_url],
                           capture_output=True, text=True, timeout=900, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    before = oxigraph.sizes()
    for extra in ([], ["--skip-invalid"]):
        done = command("push", str(damaged), "--endpoint", oxigraph.query_url, "--prune", *extra)
        output = done.stdout + done.stderr
        assert done.returncode == 3, output
        assert said(output, damaged) and "pruned <" not in output
        assert oxigraph.sizes() == before  # the four records' graphs are still there
    assert all(f"https://w3id.org/migrmeta/survey/{name[:-4]}/graph" in before for name in HIDDEN)


def test_import_names_an_unreadable_folder_of_the_harvest(tmp_path: Path) -> None:
    harvest = tmp_path / "harvest"
    (harvest / "restricted").mkdir(parents=True)
    study = next(p for p in sorted((DATA / "ddi").glob("*.xml")))
    shutil.copy(study, harvest / study.name)
    shutil.copy(study, harvest / "restricted" / study.name)
    (harvest / "gone.xml").symlink_to(tmp_path / "nowhere.xml")
    (harvest / "restricted").chmod(0o000)
    try:
        done = command("import", "ddi", str(harvest), "-o", str(tmp_path / "drafts"))
    finally:
        (harvest / "restricted").chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert str(harvest / "restricted") in done.stderr and str(harvest / "gone.xml") in done.stderr
    assert (tmp_path / "drafts").is_dir()  # the readable study is still imported


def test_standard_input_twice_keeps_the_first_record(tmp_path: Path) -> None:
    record = (RECORDS / "gb-ips.ttl").read_text(encoding="utf-8").replace("country:GBR", "country:SN")
    once = subprocess.run([migrmeta(), "validate", "--no-cache", "--format", "json", "-"], input=record,
                          capture_output=True, text=True, timeout=900, check=False)
    twice = subprocess.run([migrmeta(), "validate", "--no-cache", "--format", "json", "-", "-"], input=record,
                           capture_output=True, text=True, timeout=900, check=False)
    assert once.returncode == 1, once.stderr
    assert twice.returncode == 3, twice.stderr
    alone = {r["source"]: r for r in json.loads(once.stdout)["records"]}
    both = {r["source"]: r for r in json.loads(twice.stdout)["records"]}
    assert set(both) == {"<stdin>", "-"}
    assert both["<stdin>"]["findings"] == alone["<stdin>"]["findings"]
    assert sum(f["severity"] == "violation" for f in both["<stdin>"]["findings"]) >= 1
    assert "given a second time" in both["-"]["findings"][0]["message"]


def test_a_device_given_as_a_record_is_said_to_be_one(capsys: pytest.CaptureFixture[str]) -> None:
    """`--data /dev/null` said 'no such file or directory' (the sync review): it is there, and no record."""
    from command import said

    code, output = said(capsys, "validate", "--no-cache", "/dev/null")
    assert code == 3
    assert "/dev/null" in output and "is neither a file nor a folder (a device, a pipe...)" in output
    assert "no such file" not in output
