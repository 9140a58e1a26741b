"""migrmeta: linked-data publisher for metadata about surveys on international migration.

    import migrmeta
    report = migrmeta.validate(["records/"], lang="en")
    report.conforms, report.findings
"""

from __future__ import annotations

__version__ = "0.1.0"

from migrmeta.validation.runner import Report, validate

__all__ = ["Report", "__version__", "validate"]
