"""Golden files of what migrmeta writes for two records: the published Turtle and JSON-LD,
the DDI Codebook export (tests/snapshot.py says how they are compared and rewritten)."""

from __future__ import annotations

import pytest
from conftest import Published
from paths import RECORDS
from snapshot import Check

from migrmeta.formats.exporting import export_records

SURVEYS = ["mafe", "mx-enadid-2018"]  # one survey on three continents; a round of a series


@pytest.mark.parametrize("survey", SURVEYS)
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_published_files_match_their_snapshots(survey: str, suffix: str, published: Published,
                                               snapshot: Check) -> None:
    snapshot(f"{survey}{suffix}", (published.out / "surveys" / f"{survey}{suffix}").read_bytes())


@pytest.mark.parametrize("survey", SURVEYS)
def test_ddi_export_matches_its_snapshot(survey: str, snapshot: Check) -> None:
    record = RECORDS / f"{survey.rsplit('-2', 1)[0]}.ttl"
    documents = {d.identifier: d for d in export_records("ddi", [record]).documents}
    snapshot(f"{survey}.ddi.xml", documents[survey].data)
