"""Sends in flight when Home Assistant stops get their answers before it is gone."""

from __future__ import annotations

import asyncio

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from custom_components.jsongate.data import GatewayRuntimeData
from simulator import Fault, Simulator, demo


async def test_a_send_in_flight_when_home_assistant_stops_gets_its_answer(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    runtime = gateway_entry.runtime_data
    assert isinstance(runtime, GatewayRuntimeData)
    simulator.add_fault(Fault("latency", times=None, request_type="sms", seconds=0.5))

    call = hass.async_create_task(
        hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": gateway_entry.entry_id,
                "recipients": ["79161234567"],
                "message": "Power is back",
            },
            blocking=True,
            return_response=True,
        )
    )
    async with asyncio.timeout(10):
        while not runtime.sender.requests_sent:  # noqa: ASYNC110 - polls state the code under test owns
            await asyncio.sleep(0.01)

    await hass.async_stop()

    response = await call
    assert response["sent"] == 1
    assert response["messages"][0]["message_id"]
    assert list(simulator.processed_client_ids(demo.LOGIN).values()) == [1]
