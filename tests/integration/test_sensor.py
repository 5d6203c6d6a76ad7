"""Sensors: the balance in its ISO currency, and one sensor per area, added as areas appear."""

from __future__ import annotations

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import ATTR_DEVICE_CLASS, ATTR_UNIT_OF_MEASUREMENT, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from custom_components.jsongate.coordinator import BALANCE_INTERVAL
from simulator import Simulator
from simulator.demo import LOGIN

from .conftest import advance, setup_entry

# Money added or spent elsewhere shows on the balance's slow cadence.
BALANCE_SECONDS = int(BALANCE_INTERVAL.total_seconds())


def _entity_id(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str | None:
    return er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{entry.entry_id}_{key}")


async def test_balance(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)

    entity_id = _entity_id(hass, gateway_entry, "balance")
    assert entity_id
    state = hass.states.get(entity_id)
    assert state.state == "150"
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "RUB"  # the gateway says RUR
    assert state.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.MONETARY
    assert state.attributes["state_class"] == SensorStateClass.TOTAL
    assert state.attributes["friendly_name"].endswith("Balance")


@pytest.mark.parametrize(("currency", "unit"), [("RUB", "RUB"), ("usd", "USD")])
async def test_other_currencies(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    currency: str,
    unit: str,
) -> None:
    simulator.account(LOGIN).currency = currency
    await setup_entry(hass, gateway_entry)

    state = hass.states.get(_entity_id(hass, gateway_entry, "balance") or "")
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == unit


async def test_sms_available_per_area(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)

    shown = {}
    for area in simulator.account(LOGIN).areas:
        entity_id = _entity_id(hass, gateway_entry, f"sms_available_{area.name}")
        assert entity_id, area.name
        state = hass.states.get(entity_id)
        shown[state.attributes["friendly_name"].split(" SMS available: ")[-1]] = state.state
    assert shown == {"МТС": "100", "Мегафон": "93", "Билайн": "88", "Tele2": "107"}
    state = hass.states.get(_entity_id(hass, gateway_entry, "sms_available_МТС") or "")
    assert state.attributes["friendly_name"].endswith("SMS available: МТС")
    assert ATTR_UNIT_OF_MEASUREMENT not in state.attributes


async def test_values_follow_the_balance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    simulator.set_money(LOGIN, "15.75")

    await advance(hass, freezer, BALANCE_SECONDS)

    assert hass.states.get(_entity_id(hass, gateway_entry, "balance") or "").state == "15.75"
    state = hass.states.get(_entity_id(hass, gateway_entry, "sms_available_МТС") or "")
    assert state.state == "10"


async def test_new_area_gets_a_sensor_without_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    coordinator = gateway_entry.runtime_data.coordinator
    assert _entity_id(hass, gateway_entry, "sms_available_Yota") is None
    simulator.account(LOGIN).add_area("Yota", price="3", prefixes=("7999",))

    await advance(hass, freezer, BALANCE_SECONDS)

    entity_id = _entity_id(hass, gateway_entry, "sms_available_Yota")
    assert entity_id
    assert hass.states.get(entity_id).state == "50"
    assert gateway_entry.runtime_data.coordinator is coordinator  # not reloaded
    await advance(hass, freezer, BALANCE_SECONDS)
    entities = er.async_entries_for_config_entry(er.async_get(hass), gateway_entry.entry_id)
    assert sum(entity.unique_id.endswith("_Yota") for entity in entities) == 1


async def test_area_that_disappears_is_unavailable(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    account = simulator.account(LOGIN)
    account.areas = [area for area in account.areas if area.name != "Tele2"]

    await advance(hass, freezer, BALANCE_SECONDS)

    assert hass.states.get(_entity_id(hass, gateway_entry, "sms_available_Tele2") or "").state == (
        STATE_UNAVAILABLE
    )
    assert (
        hass.states.get(_entity_id(hass, gateway_entry, "sms_available_МТС") or "").state == "100"
    )


async def test_area_missing_for_a_day_loses_its_sensor(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    account = simulator.account(LOGIN)
    tele2 = next(area for area in account.areas if area.name == "Tele2")
    account.areas.remove(tele2)

    await advance(hass, freezer, BALANCE_SECONDS)
    entity_id = _entity_id(hass, gateway_entry, "sms_available_Tele2")
    assert entity_id
    await advance(hass, freezer, seconds=23 * 3600)
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE  # not a day yet

    await advance(hass, freezer, seconds=3600)
    assert _entity_id(hass, gateway_entry, "sms_available_Tele2") is None
    assert hass.states.get(entity_id) is None
    assert _entity_id(hass, gateway_entry, "sms_available_МТС")

    # Listed again later: a sensor again.
    account.areas.append(tele2)
    await advance(hass, freezer, BALANCE_SECONDS)
    entity_id = _entity_id(hass, gateway_entry, "sms_available_Tele2")
    assert entity_id
    assert hass.states.get(entity_id).state != STATE_UNAVAILABLE


async def test_area_missing_at_a_reload_loses_its_sensor(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)
    entity_id = _entity_id(hass, gateway_entry, "sms_available_Tele2")
    assert entity_id
    account = simulator.account(LOGIN)
    account.areas = [area for area in account.areas if area.name != "Tele2"]

    assert await hass.config_entries.async_reload(gateway_entry.entry_id)
    await hass.async_block_till_done()

    assert _entity_id(hass, gateway_entry, "sms_available_Tele2") is None
    assert hass.states.get(entity_id) is None
    assert _entity_id(hass, gateway_entry, "sms_available_МТС")
    assert _entity_id(hass, gateway_entry, "balance")


async def test_one_service_device(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)

    devices = dr.async_entries_for_config_entry(dr.async_get(hass), gateway_entry.entry_id)
    assert len(devices) == 1
    device = devices[0]
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.identifiers == {(DOMAIN, gateway_entry.entry_id)}
    entities = er.async_entries_for_config_entry(er.async_get(hass), gateway_entry.entry_id)
    assert {entity.device_id for entity in entities} == {device.id}
