"""Where test inputs are: the checkout, the test data, and ../shared beside the checkout."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"
RECORDS = REPO / "records"
SHARED = REPO.parent / "shared"  # read-only material beside the checkout (absent in a bare clone)
