"""The simulator's clock: real UTC time shifted, or frozen, on demand.

Everything the simulated gateways do (scheduled sends, delivery reports, session
expiry, incoming SMS windows) reads this clock, never the host's, so tests can move
time without sleeping. The clock has the gateway's one-second resolution.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def _real_now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the simulator clock takes timezone-aware datetimes")
    return moment.astimezone(UTC)


class SimClock:
    """A UTC clock that follows real time at an offset, or stands still when frozen.

    Listeners registered with `subscribe` run after every explicit move (`set`,
    `advance`, `freeze`), so that time-driven state (scheduled SMS, deliveries) can
    catch up at once instead of on the next request.
    """

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        """Start at `start` (aware; default: real now), ticking unless `frozen`."""
        self._frozen_at: datetime | None = None
        self._offset = timedelta()
        self._listeners: list[Callable[[], None]] = []
        if start is not None:
            self._offset = _aware(start) - _real_now()
        if frozen:
            self._frozen_at = self._exact_now()

    @property
    def frozen(self) -> bool:
        """Whether the clock stands still."""
        return self._frozen_at is not None

    def now(self) -> datetime:
        """Return the current simulated time: aware UTC, whole seconds."""
        return self._exact_now().replace(microsecond=0)

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (aware); a running clock keeps running from there."""
        moment = _aware(moment)
        if self._frozen_at is not None:
            self._frozen_at = moment
        else:
            self._offset = moment - _real_now()
        self._notify()

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (or back, with a negative delta)."""
        if self._frozen_at is not None:
            self._frozen_at += delta
        else:
            self._offset += delta
        self._notify()

    def freeze(self) -> None:
        """Stop the clock at the current simulated time."""
        if self._frozen_at is None:
            self._frozen_at = self._exact_now()
        self._notify()

    def unfreeze(self) -> None:
        """Let a frozen clock run again from where it stands."""
        if self._frozen_at is not None:
            self._offset = self._frozen_at - _real_now()
            self._frozen_at = None

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every explicit move of the clock."""
        self._listeners.append(listener)

    def _exact_now(self) -> datetime:
        if self._frozen_at is not None:
            return self._frozen_at
        return _real_now() + self._offset

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()
