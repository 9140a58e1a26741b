"""Outside a catalogue (no records/ here, no --catalogue), the forms know the agencies `validate` knows.

A statistician runs `migrmeta import form f.yaml` in a folder of their own: "IOM" was "not a known
agency" there (and `migrmeta new` offered to describe IOM again), while `migrmeta validate` knew it
from the agencies bundled with migrmeta. One function says which agencies are known by default.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from command import said as run
from paths import REPO

from migrmeta import resources
from migrmeta.formats.forms.answers import load_catalogue
from migrmeta.namespaces import AGENCY
from migrmeta.validation.runner import validate


def _guide_form(folder: Path) -> Path:
    """The guide's filled form (Egypt-HIMS 2013: CAPMAS, with IOM): agencies of the catalogue only."""
    guide = (REPO / "docs" / "contributing-a-survey.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", guide, re.S)
    assert example is not None and "iom" in example.group(1).lower()
    path = folder / "eg-hims-2013.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    return path


def test_import_form_outside_a_catalogue_knows_the_bundled_agencies_and_says_so(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no records/ here
    form = _guide_form(tmp_path)
    code, said = run(capsys, "import", "form", str(form), "-o", str(tmp_path / "out.ttl"))
    assert code == 0, said
    assert "is not a known agency" not in said
    assert f"no records folder here: the agencies known are those bundled with migrmeta " \
           f"({resources.agencies_file()})" in said
    code, said = run(capsys, "import", "form", str(form), "--lang", "fr", "-o", str(tmp_path / "out.ttl"), "--force")
    assert code == 0 and "pas de dossier records ici : les organismes connus sont ceux fournis avec migrmeta" in said


def test_with_a_catalogue_nothing_is_said_about_bundled_agencies(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    code, said = run(capsys, "import", "form", str(_guide_form(tmp_path)), "--catalogue", str(REPO / "records"))
    assert code == 0 and "bundled" not in said


def test_validate_and_the_forms_take_their_default_agencies_from_one_function(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "bundled" / "agencies.ttl"
    other.parent.mkdir()
    other.write_text("@prefix agency: <https://w3id.org/migrmeta/agency/> .\n"
                     "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
                     'agency:only-one a foaf:Agent, foaf:Organization ; foaf:name "Only One"@en .\n', encoding="utf-8")
    monkeypatch.setattr(resources, "bundled_agencies", lambda: other)
    catalogue = load_catalogue(None)
    assert catalogue.bundled == other
    assert set(catalogue.agencies().ids.values()) == {AGENCY["only-one"]}
    record = tmp_path / "records" / "eg-hims-2013.ttl"  # alone: no agencies.ttl beside it
    record.parent.mkdir()
    shutil.copy(REPO / "records" / "eg-hims-2013.ttl", record)
    report = validate([record], cache=False)
    unknown = {f.value for r in report.records for f in r.findings if f.component == "unknown_agency"}
    assert "agency:capmas" in unknown or str(AGENCY.capmas) in unknown, unknown
