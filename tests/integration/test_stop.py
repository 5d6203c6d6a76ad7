"""Sends in flight when Home Assistant stops get their answers before it is gone."""

from __future__ import annotations

import asyncio

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.api.transport import MAX_IN_FLIGHT
from custom_components.jsongate.clients import GatewayRuntimeData
from simulator import Fault, Simulator, demo

from .conftest import send_sms, setup_entry, until


async def _set_up(hass: HomeAssistant, entry: MockConfigEntry) -> GatewayRuntimeData:
    """Set up the account's entry and return what it runs on."""
    await setup_entry(hass, entry)
    runtime = entry.runtime_data
    assert isinstance(runtime, GatewayRuntimeData)
    return runtime


async def test_a_send_in_flight_when_home_assistant_stops_gets_its_answer(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    runtime = await _set_up(hass, gateway_entry)
    simulator.add_fault(Fault("latency", times=None, request_type="sms", seconds=0.5))

    call = hass.async_create_task(send_sms(hass, gateway_entry, ["79161234567"], "Power is back"))
    await until(lambda: runtime.sender.requests_sent)

    await hass.async_stop()

    response = await call
    assert response["sent"] == 1
    assert response["messages"][0]["message_id"]
    assert list(simulator.processed_client_ids(demo.LOGIN).values()) == [1]


@pytest.mark.usefixtures("short_stop_wait")
async def test_a_send_still_at_the_gateway_when_the_wait_ends_says_its_outcome_is_unknown(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """The gateway holds the request longer than Home Assistant's stop waits, then sends."""
    await _set_up(hass, gateway_entry)
    simulator.add_fault(Fault("latency", times=None, request_type="sms", seconds=1.5))

    # The caller's own task, as a websocket command's: not one Home Assistant tracks.
    call = asyncio.get_running_loop().create_task(
        send_sms(hass, gateway_entry, ["79161234567"], "Power is back")
    )
    await until(lambda: simulator.requests_of_type("sms"))

    await hass.async_stop()

    with pytest.raises(HomeAssistantError) as raised:
        await call
    assert raised.value.translation_key == "send_outcome_unknown"
    assert "nothing was sent" not in str(raised.value)
    # And indeed: the gateway sends it once it has finished with the request.
    await until(lambda: simulator.processed_client_ids(demo.LOGIN), 0.05)
    assert list(simulator.processed_client_ids(demo.LOGIN).values()) == [1]


@pytest.mark.usefixtures("short_stop_wait")
async def test_a_send_still_waiting_for_a_slot_when_the_wait_ends_was_not_sent(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """Every slot of the account's requests is taken: the send never leaves."""
    runtime = await _set_up(hass, gateway_entry)
    simulator.add_fault(Fault("latency", times=None, request_type="balance", seconds=5))
    loop = asyncio.get_running_loop()
    readings = [loop.create_task(runtime.client.get_balance()) for _ in range(MAX_IN_FLIGHT)]
    await until(lambda: len(simulator.requests_of_type("balance")) >= MAX_IN_FLIGHT + 1)

    call = loop.create_task(
        # A sender given: no lookup of the default, which would wait for a slot too.
        send_sms(hass, gateway_entry, ["79161234567"], "Power is back", sender="INFO")
    )
    await until(lambda: runtime.sender.requests_sent)

    await hass.async_stop()

    with pytest.raises(HomeAssistantError) as raised:
        await call
    assert raised.value.translation_key == "entry_unloading"
    assert runtime.guard.sent_today == 0
    await asyncio.gather(*readings, return_exceptions=True)
    assert not simulator.requests_of_type("sms")
