"""A clock for the rate limits' tests: the limits count in fixed windows on the wall
clock, so a test whose requests straddle the end of a minute would see its count start
again. Tests put this clock in instead, starting at a whole minute."""

from __future__ import annotations

import threading

from samvirke.core import ratelimit


class Clock:
    """From the start of a minute, `step` seconds further on each reading."""

    def __init__(self, step: float = 0.01, start: float = 1_800_000_000.0):
        self.now = start
        self.step = step
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now += self.step
            return self.now


def freeze(monkeypatch, step: float = 0.01) -> Clock:
    clock = Clock(step)
    monkeypatch.setattr(ratelimit, "_clock", clock)
    return clock
