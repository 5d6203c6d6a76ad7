"""Entries made by version 1.1 (with a `scan_interval` option) are migrated to 1.2.

Nothing is lost: the entry id, and with it the entities (their ids and history), the
other options and the data stay; only the polling option goes.
"""

from __future__ import annotations

import hashlib

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from simulator import Simulator, SimulatorServer, demo


def _old_entry(hass: HomeAssistant, data: dict[str, object], unique_id: str) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Old entry",
        unique_id=unique_id,
        data=data,
        options={"scan_interval": 300, "delivery_reports": False},
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    return entry


async def test_login_entry_from_1_1(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    data = {
        "entry_type": "gateway",
        "url": simulator_server.url,
        "username": demo.LOGIN,
        "password": demo.PASSWORD,
        "api_token": "",
        "verify_ssl": True,
    }
    entry = _old_entry(hass, data, f"127.0.0.1_{demo.LOGIN}")
    registry = er.async_get(hass)
    balance = registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{entry.entry_id}_balance",
        config_entry=entry,
        suggested_object_id="my_sms_balance",
    )

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.options == {"delivery_reports": False}
    assert entry.data == data
    assert entry.unique_id == f"127.0.0.1_{demo.LOGIN}"
    assert registry.async_get(balance.entity_id) is not None
    assert hass.states.get(balance.entity_id) is not None
    assert not entry.runtime_data.coordinator.delivery.enabled


async def test_token_only_entry_keeps_its_id(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    unique_id = f"127.0.0.1_token_{hashlib.sha256(b'an-older-token').hexdigest()}"
    data = {
        "entry_type": "gateway",
        "url": simulator_server.url,
        "api_token": demo.TOKEN,
        "verify_ssl": True,
    }
    entry = _old_entry(hass, data, unique_id)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 2
    assert entry.unique_id == unique_id
    assert entry.options == {"delivery_reports": False}


async def test_scorocode_entry_from_1_1(
    hass: HomeAssistant, simulator: Simulator, scorocode_entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(scorocode_entry, minor_version=1)

    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()

    assert scorocode_entry.state is ConfigEntryState.LOADED
    assert scorocode_entry.minor_version == 2
    assert scorocode_entry.unique_id == demo.APP_ID


async def test_entry_of_a_newer_version_is_left_alone(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(gateway_entry, version=2, options={"future": 1})

    assert not await hass.config_entries.async_setup(gateway_entry.entry_id)

    assert gateway_entry.state is ConfigEntryState.MIGRATION_ERROR
    assert gateway_entry.version == 2
    assert gateway_entry.options == {"future": 1}
