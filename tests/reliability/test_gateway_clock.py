"""The gateway's clock going back: incoming SMS are neither lost nor repeated.

After a jump back (the account's time zone changed, the provider's clock corrected),
new SMS carry stamps earlier than the cursor. The incoming window reaches back two hours
(`incoming.OVERLAP`), so they are found, and the ids of the SMS stamped before the jump
that the window shows again are still remembered, so those are not reported twice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.jsongate import const, coordinator
from custom_components.jsongate.incoming import OVERLAP
from simulator.faults import Fault, FaultKind

from .harness import World

STEP = 5  # minutes: the polling interval here, to keep long stretches of polling cheap


@pytest.fixture(autouse=True)
def five_minute_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coordinator, "UPDATE_INTERVAL", timedelta(minutes=STEP))


async def _poll_for(world: World, minutes: int, every: int) -> None:
    """Let `minutes` of polling pass, an SMS arriving every `every` minutes."""
    for minute in range(0, minutes, STEP):
        if minute % every == 0:
            world.add_sms(f"minute {minute}")
        await world.time.advance(STEP * 60)


async def test_clock_going_back_an_hour_loses_and_repeats_nothing(world: World) -> None:
    await world.setup()
    # Forty minutes of SMS: the older ones are far behind the cursor when the clock jumps.
    await _poll_for(world, 40, every=5)
    reported_before = list(world.received)
    assert reported_before == world.added_sms

    world.sim.clock.advance(-timedelta(hours=1))
    # The next SMS are stamped 20 to 60 minutes before the newest one already seen; the
    # window shows the SMS stamped before the jump again for the next hour and more.
    await _poll_for(world, 150, every=10)

    assert world.received == world.added_sms  # none missing, none repeated, in order
    assert len(world.received) == len(reported_before) + 15
    world.assert_clean_log()


async def test_jump_back_as_wide_as_the_overlap_still_loses_nothing(world: World) -> None:
    await world.setup()
    await _poll_for(world, 15, every=5)
    world.sim.clock.advance(-(OVERLAP - timedelta(minutes=2)))
    await _poll_for(world, 50, every=5)

    assert world.received == world.added_sms
    assert len(world.received) == 13


async def test_stamps_shown_again_after_a_restart_are_not_repeated(world: World) -> None:
    await world.setup()
    await _poll_for(world, 30, every=5)
    world.sim.clock.advance(-timedelta(hours=1))

    async with world.restarted():
        await world.setup()
        await _poll_for(world, 45, every=5)

    assert world.received == world.added_sms
    assert len(world.received) == 15


@pytest.fixture
def default_polls(monkeypatch: pytest.MonkeyPatch) -> int:
    """The integration's own polling interval (seconds), not this module's five minutes."""
    monkeypatch.setattr(coordinator, "UPDATE_INTERVAL", const.UPDATE_INTERVAL)
    return int(const.UPDATE_INTERVAL.total_seconds())


# Minutes the clock moves: back by less than the look-back, by a little more, by more than
# the time to the next reading of the clock; and forward.
@pytest.mark.parametrize("minutes", [1, 4, 6, 10, -5])
async def test_small_clock_jumps_lose_nothing(
    world: World, default_polls: int, minutes: int
) -> None:
    await world.setup()
    for _ in range(3):
        world.add_sms("before")
        await world.time.advance(default_polls)
    # An SMS lands (the cursor is then the gateway's "now"), the provider's clock is
    # corrected back a few minutes, and another SMS arrives right away: stamped the
    # jump's size before the cursor, less the time in between.
    world.add_sms("at the jump")
    await world.time.advance(default_polls)
    world.sim.clock.advance(-timedelta(minutes=minutes))
    world.add_sms("just after the jump")
    await world.time.advance(20 * 60)
    world.add_sms("later")
    await world.time.advance(60)

    assert world.received == world.added_sms


async def test_jump_right_after_a_clock_reading_loses_nothing(
    world: World, default_polls: int
) -> None:
    """The worst time for a jump: the next reading comes a full interval later.

    By then the clock has run on for four of the five minutes it was put back: the
    gateway's "now" is only a minute behind the SMS stamped just before the jump, while
    the SMS right after it is stamped five minutes before that one.
    """
    await world.setup()  # reads the clock
    interval = int(coordinator.CLOCK_CHECK_INTERVAL.total_seconds())
    await world.time.advance(interval)  # the poll due now reads it again
    world.add_sms("at the jump")
    await world.time.advance(default_polls)
    world.sim.clock.advance(-timedelta(minutes=5))
    world.add_sms("just after the jump")
    await world.time.advance(15 * 60)

    assert world.received == world.added_sms


async def test_jump_while_the_gateway_was_unreachable_loses_nothing(
    world: World, default_polls: int
) -> None:
    """When polling resumes, the clock has run on past the jump: only the reading shows it."""
    await world.setup()
    world.add_sms("at the jump")
    await world.time.advance(default_polls)
    world.sim.add_fault(Fault(FaultKind.HTTP_500, times=None))
    world.sim.clock.advance(-timedelta(minutes=6))
    world.add_sms("just after the jump")
    await world.time.advance(10 * 60)
    world.sim.clear_faults()
    await world.time.advance(5 * 60)

    assert world.received == world.added_sms
