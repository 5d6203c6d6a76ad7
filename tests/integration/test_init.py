"""Setting up and unloading entries of both kinds, and what a failed setup says."""

from __future__ import annotations

from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate import store
from custom_components.jsongate.api import Abonent, OutgoingMessage
from custom_components.jsongate.clients import GatewayRuntimeData, ScorocodeRuntimeData
from custom_components.jsongate.const import DOMAIN, EVENT_SMS_RECEIVED
from custom_components.jsongate.entity import gateway_runtime
from simulator import Simulator, demo
from simulator.faults import Fault, FaultKind

from .conftest import advance


async def test_gateway_setup_and_unload(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()

    assert gateway_entry.state is ConfigEntryState.LOADED
    assert isinstance(gateway_entry.runtime_data, GatewayRuntimeData)
    entities = er.async_entries_for_config_entry(er.async_get(hass), gateway_entry.entry_id)
    assert {entity.domain for entity in entities} >= {"sensor", "event"}
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), gateway_entry.entry_id)
    assert device.name == gateway_entry.title
    # Home Assistant translates no device model: a product name, the same in every
    # language; the maker is the provider (by name if known, else its host).
    assert (device.manufacturer, device.model) == ("127.0.0.1", "jsonGate")

    assert await hass.config_entries.async_unload(gateway_entry.entry_id)
    assert gateway_entry.state is ConfigEntryState.NOT_LOADED


async def test_scorocode_setup_and_unload(
    hass: HomeAssistant, simulator: Simulator, scorocode_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()

    assert scorocode_entry.state is ConfigEntryState.LOADED
    assert isinstance(scorocode_entry.runtime_data, ScorocodeRuntimeData)
    (device,) = dr.async_entries_for_config_entry(dr.async_get(hass), scorocode_entry.entry_id)
    assert (device.manufacturer, device.model) == ("Scorocode", None)
    entities = er.async_entries_for_config_entry(er.async_get(hass), scorocode_entry.entry_id)
    assert {entity.domain for entity in entities} <= {"notify"}
    with pytest.raises(TypeError):
        gateway_runtime(scorocode_entry)

    assert await hass.config_entries.async_unload(scorocode_entry.entry_id)
    assert scorocode_entry.state is ConfigEntryState.NOT_LOADED


@pytest.mark.parametrize("entry_fixture", ["gateway_entry", "scorocode_entry"])
async def test_refused_credentials_start_reauth(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    scorocode_entry: MockConfigEntry,
    entry_fixture: str,
) -> None:
    entry = gateway_entry if entry_fixture == "gateway_entry" else scorocode_entry
    simulator.account(demo.LOGIN).password = "changed"
    simulator.apps[demo.APP_ID].message_key = "changed"

    assert not await hass.config_entries.async_setup(entry.entry_id)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "invalid_auth"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    (flow,) = [flow for flow in flows if flow["context"]["entry_id"] == entry.entry_id]
    assert flow["context"]["source"] == SOURCE_REAUTH


@pytest.mark.parametrize(
    ("entry_fixture", "fault", "key"),
    [
        ("gateway_entry", Fault(FaultKind.HTTP_502, times=None), "cannot_connect"),
        ("gateway_entry", Fault(FaultKind.HTML, times=None), "invalid_response"),
        ("scorocode_entry", Fault(FaultKind.HTTP_500, times=None), "cannot_connect"),
    ],
)
async def test_unreachable_gateway_retries_setup(
    hass: HomeAssistant,
    *,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    scorocode_entry: MockConfigEntry,
    entry_fixture: str,
    fault: Fault,
    key: str,
) -> None:
    entry = gateway_entry if entry_fixture == "gateway_entry" else scorocode_entry
    simulator.add_fault(fault)

    assert not await hass.config_entries.async_setup(entry.entry_id)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == key


async def test_setup_retry_succeeds_later(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    simulator.add_fault(Fault(FaultKind.HTTP_502, request_type="time"))
    assert not await hass.config_entries.async_setup(gateway_entry.entry_id)
    assert gateway_entry.state is ConfigEntryState.SETUP_RETRY

    await advance(hass, freezer, 30)

    assert gateway_entry.state is ConfigEntryState.LOADED


async def test_removing_the_entry_forgets_its_state(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    simulator.delivery_delay = None
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    await gateway_entry.runtime_data.sender.async_send(
        OutgoingMessage(text="x", sender="INFO", abonents=(Abonent(phone="79161234567"),))
    )
    assert await hass.config_entries.async_unload(gateway_entry.entry_id)
    assert store.storage_key(gateway_entry.entry_id, "incoming") in hass_storage
    assert store.storage_key(gateway_entry.entry_id, "delivery") in hass_storage

    await hass.config_entries.async_remove(gateway_entry.entry_id)
    await hass.async_block_till_done()

    assert store.storage_key(gateway_entry.entry_id, "incoming") not in hass_storage
    assert store.storage_key(gateway_entry.entry_id, "delivery") not in hass_storage


async def test_bus_events_need_no_entity(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload_platforms(
        gateway_entry, [Platform.SENSOR, Platform.EVENT]
    )
    received: list[str] = []
    hass.bus.async_listen(
        EVENT_SMS_RECEIVED, callback(lambda event: received.append(event.data["text"]))
    )
    simulator.add_incoming(demo.LOGIN, originator="79161234567", text="nobody watches")

    await advance(hass, freezer, 60)

    assert received == ["nobody watches"]
