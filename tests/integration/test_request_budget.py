"""One request budget per account: polls, actions and sends never open more than three."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.api.transport import MAX_IN_FLIGHT
from custom_components.jsongate.const import DOMAIN
from simulator import Simulator
from simulator.demo import LOGIN
from simulator.faults import Fault, FaultKind

FLOOD = 10  # of each: reads, sends, polls


async def test_a_flood_of_reads_sends_and_polls_keeps_three_in_flight(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    # Every request stays open a while, so that they overlap as on a slow gateway.
    simulator.add_fault(Fault(FaultKind.LATENCY, times=None, seconds=0.05))
    simulator.max_in_flight.clear()
    coordinator = gateway_entry.runtime_data.coordinator
    entry = {"config_entry_id": gateway_entry.entry_id}

    def action(name: str, **data: Any) -> Any:
        return hass.services.async_call(
            DOMAIN, name, {**entry, **data}, blocking=True, return_response=True
        )

    calls = []
    for number in range(FLOOD):
        calls += [
            action("get_senders"),
            action("get_stop_list"),
            action("send_sms", recipients=[f"7916123{number:04d}"], message="flood", sender="INFO"),
            coordinator.async_refresh(),
        ]
    results = await asyncio.gather(*calls)

    assert simulator.max_in_flight[LOGIN] == MAX_IN_FLIGHT == 3
    assert all(result["sent"] == 1 for result in results[2::4])
    assert coordinator.last_update_success
