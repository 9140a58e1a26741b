"""migrmeta: linked-data publisher for metadata about surveys on international migration.

The Python API mirrors the command line; each function is the library call its command
makes (docs/api.md has runnable examples):

    import migrmeta
    report = migrmeta.validate(["records/"], lang="fr")      # migrmeta validate
    report.conforms, report.findings, report.exit_code()
    merged = migrmeta.merge(["records/"])                     # migrmeta merge
    site = migrmeta.publish(["records/"], Path("site"))       # migrmeta publish
    answer = migrmeta.query("surveys-by-country", params={"country": "SEN"})   # migrmeta query
    pushed = migrmeta.push(["records/"], endpoint="http://localhost:7878/query")  # migrmeta push
    drafts = migrmeta.import_records("ddi", ["study.xml"])   # migrmeta import ddi
    files = migrmeta.export_records("ddi", ["records/"], output=Path("ddi"))  # migrmeta export ddi

Names are imported when first used, so `import migrmeta` (and `migrmeta --help`) stays fast.
Non-conformance is a result, never an exception; errors are `MigrmetaError`s (errors.py).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrmeta.api import (
        ExportResult,
        ImportResult,
        MergeResult,
        PublishOptions,
        PublishResult,
        PushReport,
        QueryResult,
        Refusal,
        Report,
        Severity,
        export_records,
        import_records,
        merge,
        publish,
        push,
        query,
        validate,
    )
    from migrmeta.errors import EndpointError, InputError, MigrmetaError, PublishError, UsageError

_LAZY = {
    **{name: "migrmeta.api" for name in (
        "ExportResult", "ImportResult", "MergeResult", "PublishOptions", "PublishResult", "PushReport",
        "QueryResult", "Refusal", "Report", "Severity", "export_records", "import_records", "merge", "publish",
        "push", "query", "validate")},
    **{name: "migrmeta.errors" for name in (
        "EndpointError", "InputError", "MigrmetaError", "PublishError", "UsageError")},
}

__all__ = [
    "EndpointError", "ExportResult", "ImportResult", "InputError", "MergeResult", "MigrmetaError", "PublishError",
    "PublishOptions", "PublishResult", "PushReport", "QueryResult", "Refusal", "Report", "Severity", "UsageError",
    "__version__", "export_records", "import_records", "merge", "publish", "push", "query", "validate",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from migrmeta.resources import version

        return version()
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'migrmeta' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
