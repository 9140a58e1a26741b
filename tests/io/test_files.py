"""Every file a command writes: atomic, never over an existing file without --force, never
through or over a link, a FIFO or a device, and a full disk leaves the previous file whole
(issue 13, rows 5, 6 and 7; issue 14, item 7).

Each test first sets up the fault (a file already there, a link, a FIFO, a device node, a
file size limit), then runs the real command and checks what is on disk afterwards.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from paths import DATA, REPO

from migrmeta.cli import main
from migrmeta.errors import PublishError
from migrmeta.formats.exporting import export_records
from migrmeta.io.files import write_atomically, write_new, write_output

RECORD = REPO / "records" / "gb-ips.ttl"
PREVIOUS = "the previous report, which must survive\n" * 500  # 20 kB


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out + captured.err


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- the helper ---------------------------------------------------------------------------


def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("curated\n", encoding="utf-8")
    with pytest.raises(PublishError, match="exists already") as refused:
        write_output(target, "new\n")
    assert "--force" in refused.value.cli_text() and "force=True" in str(refused.value)
    assert target.read_text(encoding="utf-8") == "curated\n"
    write_output(target, "new\n", force=True)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert listing(tmp_path) == ["out.ttl"]  # no temporary file left


def test_a_link_is_never_written_through_or_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("kept\n", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    for path in (link, dangling):
        for force in (False, True):
            with pytest.raises(PublishError, match="symbolic link"):
                write_output(path, "new\n", force=force)
            with pytest.raises(PublishError, match="symbolic link"):
                write_atomically(path, "new\n")
        assert path.is_symlink()
    assert real.read_text(encoding="utf-8") == "kept\n" and not (tmp_path / "nowhere.json").exists()


def test_a_fifo_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(PublishError, match="FIFO"):
        write_output(fifo, "x", force=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_node_is_never_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD (the CI runs as root and has it)")
    code, output = run(capsys, "template", "--format", "csv", "-o", str(device), "--force")
    assert code == 1 and "character device" in output and str(device) in output
    assert stat.S_ISCHR(os.lstat(device).st_mode)  # still the device, not a regular file
    assert listing(tmp_path) == ["full"]


def test_written_files_get_the_usual_permissions_and_no_temporary_is_left(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_output(tmp_path / "a.ttl", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.ttl").stat().st_mode) == 0o640
    assert listing(tmp_path) == ["a.ttl"]


def test_a_file_of_a_new_folder_gets_the_usual_permissions_and_its_status_as_written(tmp_path: Path) -> None:
    """write_new: the status it gives is the one the file has afterwards (the manifest of a
    site's files keeps it: publishing/reuse.py), and the whole text is written."""
    data = "é".encode() * 300_000
    previous = os.umask(0o027)
    try:
        found = write_new(tmp_path / "a.html", data)
    finally:
        os.umask(previous)
    after = (tmp_path / "a.html").stat()
    assert (found.st_size, found.st_mtime_ns, found.st_ino) == (after.st_size, after.st_mtime_ns, after.st_ino)
    assert (tmp_path / "a.html").read_bytes() == data
    assert stat.S_IMODE(after.st_mode) == 0o640
    write_new(tmp_path / "a.html", b"shorter")
    assert (tmp_path / "a.html").read_bytes() == b"shorter"


# --- every command that writes a file -----------------------------------------------------


def _commands(tmp: Path) -> list[tuple[list[str], Path]]:
    """(command line, the file it would write): each writes one named output file."""
    ddi, schemaorg = tmp / "ddi", tmp / "schemaorg"
    return [
        (["validate", "--no-cache", "--format", "json", "-o", str(tmp / "report.json"), str(RECORD)],
         tmp / "report.json"),
        (["query", "--data", str(RECORD), "--no-reference", "-e", "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
          "-o", str(tmp / "answer.csv")], tmp / "answer.csv"),
        (["report", "inventory", str(RECORD), "-o", str(tmp / "inventory.md")], tmp / "inventory.md"),
        (["template", "--format", "xlsx", "-o", str(tmp / "surveys-filled.xlsx")], tmp / "surveys-filled.xlsx"),
        (["template", "--format", "yaml", "-o", str(tmp / "my-survey.yaml")], tmp / "my-survey.yaml"),
        (["export", "form", str(RECORD), "-o", str(tmp / "gb-ips.yaml")], tmp / "gb-ips.yaml"),
        (["export", "ddi", str(RECORD), "-o", str(ddi)], ddi / "gb-ips.xml"),
        (["export", "schemaorg", str(RECORD), "-o", str(schemaorg)], schemaorg / "gb-ips.jsonld"),
        (["merge", str(RECORD), "-o", str(tmp / "catalogue.trig")], tmp / "catalogue.trig"),
        (["import", "form", str(tmp / "form.yaml"), "--catalogue", str(REPO / "records"), "-o",
          str(tmp / "gb-ips.ttl")],
         tmp / "gb-ips.ttl"),
    ]


@pytest.mark.parametrize("index", range(10))
def test_no_command_replaces_an_existing_output_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              index: int) -> None:
    argv, target = _commands(tmp_path)[index]
    (tmp_path / "form.yaml").write_bytes(export_records("form", [RECORD]).documents[0].data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"filled in by hand\n")
    code, output = run(capsys, *argv)
    assert code == 1, output
    assert str(target) in output and "--force" in output and "Traceback" not in output
    assert target.read_bytes() == b"filled in by hand\n"
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    code, output = run(capsys, *argv, "--force")
    assert code in (0, 1) and "exists already" not in output, output  # 1: the record's own findings
    assert target.read_bytes() != b"filled in by hand\n"


def test_an_import_into_records_never_replaces_a_curated_record(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    curated = (REPO / "records" / "mmp.ttl").read_bytes()
    (records / "mmp.ttl").write_bytes(curated)
    code, output = run(capsys, "import", "dcat", str(DATA / "dcat" / "mmp-portal.ttl"), "-o", str(records))
    assert code == 1 and f"{records / 'mmp.ttl'} exists already and was not replaced" in output
    assert (records / "mmp.ttl").read_bytes() == curated and listing(records) == ["mmp.ttl"]
    code, output = run(capsys, "import", "dcat", str(DATA / "dcat" / "mmp-portal.ttl"), "-o", str(records),
                       "--force")
    assert code == 0, output
    assert (records / "mmp.ttl").read_bytes() != curated


def test_an_import_says_what_it_writes_not_that_it_replaces(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    form = tmp_path / "gb-ips.yaml"
    form.write_bytes(export_records("form", [RECORD]).documents[0].data)
    code, output = run(capsys, "import", "form", str(form), "--catalogue", str(REPO / "records"), "-o",
                       str(tmp_path / "out.ttl"))
    assert code == 0, output
    assert "is already described in" in output and "replaces" not in output  # it wrote out.ttl only
    assert f"wrote {tmp_path / 'out.ttl'}" in output
    code, output = run(capsys, "import", "form", str(form), "--catalogue", str(REPO / "records"), "-o",
                       str(tmp_path / "out-fr.ttl"), "--lang", "fr")  # it was said in English in every language
    assert code == 0 and "est déjà décrit dans" in output and "already described" not in output, output


def test_commands_write_a_new_file_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, output = run(capsys, "template", "--format", "yaml", "-o", str(tmp_path / "new.yaml"))
    assert code == 0, output
    assert (tmp_path / "new.yaml").is_file()


# --- a full disk ----------------------------------------------------------------------------


def _limited(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past it fail with EFBIG


@pytest.mark.parametrize("command", [
    ["validate", "--no-cache", "--format", "json", str(RECORD)],
    ["report", "inventory", "--format", "html", str(REPO / "records")],
    ["query", "--data", str(RECORD), "-e", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"],
])
def test_a_full_disk_leaves_the_previous_file_whole_and_names_it(tmp_path: Path, command: list[str]) -> None:
    report = tmp_path / "report.out"
    report.write_text(PREVIOUS, encoding="utf-8")
    migrmeta = shutil.which("migrmeta", path=str(Path(sys.executable).parent)) or "migrmeta"
    done = subprocess.run([migrmeta, *command, "-o", str(report), "--force"], capture_output=True, text=True,
                          preexec_fn=lambda: _limited(1024), timeout=600, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"{report} could not be written (File too large); the previous report.out is unchanged" in done.stderr
    assert "Traceback" not in done.stderr
    assert report.read_text(encoding="utf-8") == PREVIOUS  # whole, not truncated
    assert listing(tmp_path) == ["report.out"]


# --- the output is one of the inputs --------------------------------------------------------


def test_an_input_is_never_the_output_even_when_forced(tmp_path: Path) -> None:
    from migrmeta.errors import UsageError
    from migrmeta.io.files import check_output

    record = tmp_path / "record.ttl"
    record.write_text("the input\n", encoding="utf-8")
    linked = tmp_path / "hard-link.ttl"
    os.link(record, linked)
    for output in (record, tmp_path / "." / "record.ttl", linked):
        with pytest.raises(UsageError, match="is also an input") as refused:
            write_output(output, "the output\n", force=True, inputs=["-", str(record)])
        assert "--force" in refused.value.cli_text() and "force=True" in str(refused.value)
        with pytest.raises(UsageError, match="is also an input"):
            check_output(output, replace=True, inputs=[record])
    assert record.read_text(encoding="utf-8") == "the input\n"
    write_output(tmp_path / "other.ttl", "the output\n", inputs=[record, tmp_path / "absent.ttl", "-"])
    assert (tmp_path / "other.ttl").read_text(encoding="utf-8") == "the output\n"
