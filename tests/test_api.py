"""The Python API takes a folder or file as a str, as the paths it reads: `migrmeta.publish(
["records/"], "site")` as its docstring and docs/api.md write it, not only a Path."""

from __future__ import annotations

from pathlib import Path

from paths import DATA, RECORDS

import migrmeta


def test_every_folder_and_file_argument_takes_a_str(tmp_path: Path) -> None:
    record, agencies = str(RECORDS / "ph-sof.ttl"), str(RECORDS / "agencies.ttl")
    report = migrmeta.validate([record], shapes_dir=str(RECORDS.parent / "shapes"), cache_dir=str(tmp_path / "cache"),
                               agencies=agencies)
    assert report.conforms, [f.text() for f in report.findings]
    assert (tmp_path / "cache").is_dir()

    site = migrmeta.publish([record, agencies], str(tmp_path / "site"),
                            migrmeta.PublishOptions(cache_dir=str(tmp_path / "cache")))  # type: ignore[arg-type]
    assert site.exit_code() == 0
    assert (tmp_path / "site" / "catalog.ttl").is_file()

    exported = migrmeta.export_records("ddi", [record], output=str(tmp_path / "ddi"), agencies=agencies)
    assert exported.errors == []
    assert sorted(p.name for p in (tmp_path / "ddi").iterdir()) == ["ph-sof-2019.xml", "ph-sof.xml"]  # round, series

    imported = migrmeta.import_records("ddi", [DATA / "ddi" / "ag-eth-survey-2003_ddi.xml"],
                                       output=str(tmp_path / "drafts"))
    assert imported.errors == []
    assert [p.suffix for p in (tmp_path / "drafts").iterdir()] == [".ttl"]
