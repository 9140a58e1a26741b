"""migrmeta.values sits above load and below validation, merging, formats, querying and the CLI."""

from __future__ import annotations

import ast

from paths import REPO

FORBIDDEN = ("validation", "merging", "formats", "querying", "publishing", "pushing", "cli", "reports")


def test_values_imports_nothing_from_the_floors_above() -> None:
    bad = []
    for path in sorted((REPO / "migrmeta" / "values").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            bad += [f"{path.name}: {n}" for n in names
                    if n.startswith("migrmeta.") and n.split(".")[1] in FORBIDDEN]
    assert not bad, bad
