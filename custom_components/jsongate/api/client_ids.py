"""Numeric `client_id_sms` values, unique for an account across restarts.

jsonGate sends each `client_id_sms` once and answers a repeat with the earlier `id_sms`, so
an id unique forever makes a retry harmless. An id is Unix milliseconds times 1000 plus a
counter: a restarted process starts above the previous one's ids unless the clock went back
(a caller that persists `last` passes it as `after`). Below 2**53 (exact in JSON and PHP's
floats) until 2255.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

IDS_PER_MILLISECOND = 1000


def _milliseconds_now() -> int:
    return time.time_ns() // 1_000_000


class ClientIdGenerator:
    """Makes strictly increasing `client_id_sms` values."""

    __slots__ = ("_clock", "_last")

    def __init__(self, clock: Callable[[], int] = _milliseconds_now, *, after: int = 0) -> None:
        """Base every id on `clock` (Unix milliseconds); every id is greater than `after`."""
        self._clock = clock
        self._last = after

    @property
    def last(self) -> int:
        """The greatest id made so far (or `after`)."""
        return self._last

    def next_id(self) -> int:
        """A new id, greater than every id this generator made before."""
        self._last = max(self._last + 1, self._clock() * IDS_PER_MILLISECOND)
        return self._last
