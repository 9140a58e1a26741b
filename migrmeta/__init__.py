"""migrmeta: linked-data publisher for metadata about surveys on international migration."""

from __future__ import annotations

__version__ = "0.1.0"
