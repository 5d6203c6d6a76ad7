"""Long-term statistics of "SMS sent today": a statistics card shows the parts sent per day.

Its own module: the recorder's database must be prepared before Home Assistant starts,
which the autouse fixture below arranges for these tests only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)

from .test_spending_guard import TIME_ZONE, phones, send_sms, sensor_id, setup

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.components.recorder import Recorder
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_db_url: str,  # first: the database is made before Home Assistant
    enable_custom_integrations: None,
) -> None:
    """Let Home Assistant load the integration, with a recorder."""


async def _compile_hour_ending(hass: HomeAssistant, end: datetime) -> None:
    """Compile the statistics of the hour before `end` (its last 5 minutes compile it)."""
    await async_wait_recording_done(hass)
    do_adhoc_statistics(hass, start=dt_util.as_utc(end - timedelta(minutes=5)))
    await async_wait_recording_done(hass)


async def test_statistics_show_parts_sent_per_day(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    gateway_entry: MockConfigEntry,
) -> None:
    await hass.config.async_set_time_zone(TIME_ZONE)
    day_one = dt_util.start_of_local_day(dt_util.now().date() + timedelta(days=1))
    freezer.move_to(day_one + timedelta(hours=10))
    await setup(hass, gateway_entry, None)
    await _compile_hour_ending(hass, day_one + timedelta(hours=11))
    freezer.move_to(day_one + timedelta(hours=11, minutes=1))
    await send_sms(hass, gateway_entry, phones(3))
    await _compile_hour_ending(hass, day_one + timedelta(hours=12))

    day_two = day_one + timedelta(days=1)
    freezer.move_to(day_two)
    async_fire_time_changed(hass, day_two)
    await hass.async_block_till_done()
    freezer.move_to(day_two + timedelta(minutes=1))
    await send_sms(hass, gateway_entry, phones(2, start=10))
    await _compile_hour_ending(hass, day_two + timedelta(hours=1))

    statistic_id = sensor_id(hass, gateway_entry)
    per_day = await recorder_mock.async_add_executor_job(
        statistics_during_period,
        hass,
        dt_util.as_utc(day_one),
        None,
        {statistic_id},
        "day",
        None,
        {"change"},
    )
    assert [(row["start"], row["change"]) for row in per_day[statistic_id]] == [
        (day_one.timestamp(), 3),
        (day_two.timestamp(), 2),
    ]
