"""The validation of what a user names: records, and merged datasets read as merged.

    validated(["records/", "cat.trig"], lang="fr")   # a Report (validation/runner.py)

A merged dataset (a .trig/.nq written by merge, a published site or its catalog.trig) is
validated as merged: what its contributions keep, without the values a conflict set aside
(merging/dataset.records_as_merged). With shapes of the user's own (`shapes_dir`: DCAT-AP 3, a
national profile), which check what a harvester reads, it is validated as published: a site's
DCAT-AP profile applied, what the profile replaced left out, as in its catalog.ttl. A folder
holding migrmeta's own shapes (a copy of shapes/) is not the user's own: read as merged.
`migrmeta validate`, `migrmeta.validate()` and the quality report validate through this one
function (validation and merging are layers apart: neither can read the other's inputs).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migrmeta.load.reference import own_shapes
from migrmeta.merging.dataset import records_as_merged
from migrmeta.validation.runner import Report, validate


def validated(paths: Iterable[str | Path], **options: Any) -> Report:
    """The report of `validation.runner.validate` on `paths` (its keyword arguments but `data`)."""
    records, merged = records_as_merged(paths, published=not own_shapes(options.get("shapes_dir")))
    return validate(records, data=merged, **options)


__all__ = ["validated"]
