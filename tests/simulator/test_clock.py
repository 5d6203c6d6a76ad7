"""SimClock: frozen or running, moved on demand, one-second resolution."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from simulator import SimClock

T0 = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)


def test_frozen_clock_stands_still_and_moves_on_demand():
    clock = SimClock(T0, frozen=True)
    assert clock.now() == T0
    clock.advance(timedelta(seconds=90))
    assert clock.now() == T0 + timedelta(seconds=90)
    clock.set(datetime(2026, 6, 1, 15, 0, tzinfo=UTC))
    assert clock.now() == datetime(2026, 6, 1, 15, 0, tzinfo=UTC)


def test_running_clock_follows_real_time_from_its_start():
    clock = SimClock(T0)
    assert T0 <= clock.now() <= T0 + timedelta(seconds=2)
    clock.advance(timedelta(hours=1))
    assert clock.now() >= T0 + timedelta(hours=1)
    assert not clock.frozen


def test_default_clock_is_real_utc_now():
    now = SimClock().now()
    assert now.tzinfo is UTC
    assert abs((now - datetime.now(UTC)).total_seconds()) < 2
    assert now.microsecond == 0


def test_freeze_and_unfreeze():
    clock = SimClock(T0)
    clock.freeze()
    frozen_at = clock.now()
    time.sleep(0.01)
    assert clock.now() == frozen_at
    clock.unfreeze()
    assert clock.now() >= frozen_at


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        SimClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        SimClock().set(datetime(2026, 1, 1))


def test_listeners_run_on_every_move():
    clock = SimClock(T0, frozen=True)
    calls = []
    clock.subscribe(lambda: calls.append(clock.now()))
    clock.advance(timedelta(seconds=1))
    clock.set(T0)
    assert calls == [T0 + timedelta(seconds=1), T0]
