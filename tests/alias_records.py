"""One survey under two IRIs, for the tests: PSA's ph-sof and the UN's description of it as
survey:un-sof, said the same with `owl:sameAs` (tests/merging/test_aliases.py, the nginx test)."""

from __future__ import annotations

from pathlib import Path

from paths import DATA

from migrmeta.namespaces import OWL, SURVEY

MERGE = DATA / "merge"
SOF, ALIAS = SURVEY["ph-sof"], SURVEY["un-sof"]
SAME_AS = f"<{OWL.sameAs}>"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edited(source: Path, *edits: tuple[str, str]) -> str:
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


def records(root: Path, *, same_as: bool = True) -> list[str]:
    """PSA's ph-sof and the UN's description of it as survey:un-sof (its own identifier, start
    1993), with `survey:un-sof owl:sameAs survey:ph-sof` on a line of its own."""
    psa = write(root / "psa" / "ph-sof.ttl", (MERGE / "psa" / "ph-sof.ttl").read_text(encoding="utf-8"))
    link = f"survey:un-sof {SAME_AS} survey:ph-sof .\n" if same_as else ""
    un = write(root / "un" / "ph-sof.ttl", edited(
        MERGE / "un-desa-pd" / "ph-sof.ttl", ("survey:ph-sof a", f"{link}survey:un-sof a"),
        ('dct:identifier "ph-sof"', 'dct:identifier "un-sof"')))
    agencies = write(root / "agencies.ttl", (MERGE / "agencies.ttl").read_text(encoding="utf-8"))
    return [str(psa), f"{un}=un-desa-pd", str(agencies)]
