"""Where test inputs are: the checkout, the test data, and ../shared beside the checkout."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"
RECORDS = REPO / "records"
SHARED = REPO.parent / "shared"  # read-only material beside the checkout (absent in a bare clone)


def shapes_folder(folder: Path, files: dict[str, str | bytes | Path]) -> Path:
    """A folder for `--shapes` holding these files (text, bytes, or a file to copy)."""
    folder.mkdir(parents=True)
    for name, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return folder
