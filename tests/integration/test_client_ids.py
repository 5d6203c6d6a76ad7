"""`client_id_sms` stays above every id used before a restart, whatever the host clock does."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.jsongate.store import storage_key
from simulator import Simulator, demo

from .conftest import send_sms


async def _send(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    return await send_sms(hass, entry, ["79161234567"], "Power is back")


async def test_ids_start_above_the_greatest_one_stored(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """Before the restart the clock was an hour ahead of what it says now."""
    used_before = (time.time_ns() // 1_000_000 + 3_600_000) * 1000
    key = storage_key(gateway_entry.entry_id, "client_ids")
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {"last": used_before},
    }
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()

    response = await _send(hass, gateway_entry)

    assert response["sent"] == 1
    assert list(simulator.processed_client_ids(demo.LOGIN)) == [used_before + 1]
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["last"] == used_before + 1


async def test_a_new_entry_saves_what_it_used_and_forgets_it_when_deleted(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    await _send(hass, gateway_entry)
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    key = storage_key(gateway_entry.entry_id, "client_ids")
    assert hass_storage[key]["data"]["last"] == max(simulator.processed_client_ids(demo.LOGIN))

    assert await hass.config_entries.async_remove(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
