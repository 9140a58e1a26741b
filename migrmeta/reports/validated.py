"""The validation of what a user names: records, and merged datasets read as merged.

    validated(["records/", "cat.trig"], lang="fr")   # a Report (validation/runner.py)

A merged dataset (a .trig/.nq written by merge, a published site or its catalog.trig) is
validated as merged: what its contributions keep, without the values a conflict set aside
(merging/dataset.records_as_merged). With shapes of the user's own (`shapes_dir`: DCAT-AP 3, a
national profile), which check what a harvester reads, it is validated as published: a site's
DCAT-AP profile applied, what the profile replaced left out, as in its catalog.ttl. A folder
of migrmeta's own shapes (a copy of shapes/, any version: load/reference.shapes_owner) is read
as merged; one that mixes them with others, as published, and the report says so.
`migrmeta validate`, `migrmeta.validate()` and the quality report validate through this one
function (validation and merging are layers apart: neither can read the other's inputs).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migrmeta.load.reference import ShapesOwner, shapes_owner
from migrmeta.merging.dataset import records_as_merged
from migrmeta.validation.runner import Report, validate


def validated(paths: Iterable[str | Path], **options: Any) -> Report:
    """The report of `validation.runner.validate` on `paths` (its keyword arguments but `data`)."""
    shapes_dir = options.get("shapes_dir")
    owner = shapes_owner(shapes_dir)
    records, merged = records_as_merged(paths, published=owner is not ShapesOwner.MIGRMETA)
    report = validate(records, data=merged, **options)
    if merged and owner is ShapesOwner.MIXED:
        report.notices.append(
            f"{shapes_dir} holds migrmeta's shapes (mmsh:) beside others: the merged datasets are read as published "
            "(the DCAT-AP profile applied), the view a profile of your own checks, which migrmeta's shapes are not "
            "written for; give your profile's shapes in a folder of their own")
    return report


__all__ = ["validated"]
