"""Seconds spent in each step of a run, for benchmarks (`Report.phases`)."""

from __future__ import annotations

from time import perf_counter


class Clock:
    """Wall-clock seconds of consecutive steps, added into a dict by name."""

    def __init__(self, phases: dict[str, float]) -> None:
        self.phases, self.last = phases, perf_counter()

    def lap(self, name: str) -> None:
        now = perf_counter()
        self.phases[name] = self.phases.get(name, 0.0) + now - self.last
        self.last = now


__all__ = ["Clock"]
