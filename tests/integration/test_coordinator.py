"""The coordinator: what each interval costs, how failures show, and when it stops."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.jsongate.api import (
    Abonent,
    CommunicationError,
    GatewayError,
    OutgoingMessage,
    RequestTimeoutError,
)
from custom_components.jsongate.const import DOMAIN, EVENT_SMS_RECEIVED, UPDATE_INTERVAL
from custom_components.jsongate.coordinator import (
    BALANCE_INTERVAL,
    CLOCK_CHECK_INTERVAL,
)
from custom_components.jsongate.errors import error_translation
from simulator import Simulator
from simulator.demo import LOGIN
from simulator.faults import Fault, FaultKind

from .conftest import advance, setup_entry

LOGGER = "custom_components.jsongate.coordinator"


def _request_types(simulator: Simulator) -> list[str | None]:
    return [record.request_type for record in simulator.requests]


def _balance_entity(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{entry.entry_id}_balance"
    )
    assert entity_id
    return entity_id


async def test_setup_then_one_request_per_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    # The clock once, the starting window once, then the first poll.
    assert _request_types(simulator) == ["time", "incoming", "balance", "incoming"]
    simulator.requests.clear()

    await advance(hass, freezer)
    await advance(hass, freezer)

    assert _request_types(simulator) == ["incoming"] * 2


async def test_clock_and_balance_on_the_slow_cadence(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    simulator.requests.clear()
    polls = int(BALANCE_INTERVAL / UPDATE_INTERVAL)

    for _ in range(polls):
        await advance(hass, freezer, int(UPDATE_INTERVAL.total_seconds()))

    types = _request_types(simulator)
    assert types.count("incoming") == polls
    assert types.count("balance") == 1
    assert types.count("time") == BALANCE_INTERVAL // CLOCK_CHECK_INTERVAL
    assert len(types) / polls <= 1.1


async def test_incoming_sms_show_up_within_thirty_seconds(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    received: list[str] = []
    hass.bus.async_listen(EVENT_SMS_RECEIVED, lambda event: received.append(event.data["text"]))
    simulator.add_incoming(LOGIN, originator="79161234567", text="hello")

    for _ in range(30):
        await advance(hass, freezer, 1)
        if received:
            break

    assert received == ["hello"]


async def test_balance_once_after_a_burst_of_sends(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    sender = gateway_entry.runtime_data.sender
    for number in range(3):
        await sender.async_send(
            OutgoingMessage(
                text="a burst", sender="INFO", abonents=(Abonent(phone=f"7916123456{number}"),)
            )
        )
    simulator.requests.clear()

    await advance(hass, freezer)
    await advance(hass, freezer)

    assert _request_types(simulator).count("balance") == 1
    assert _request_types(simulator)[0] == "balance"


async def test_pending_reports_add_one_state_request(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    simulator.delivery_delay = None  # reports only when the test finishes them
    await setup_entry(hass, gateway_entry)
    sender = gateway_entry.runtime_data.sender
    results = await sender.async_send(
        OutgoingMessage(
            text="three recipients",
            sender="INFO",
            abonents=tuple(Abonent(phone=f"7916123456{n}") for n in range(3)),
        )
    )
    simulator.requests.clear()

    await advance(hass, freezer)

    assert _request_types(simulator) == ["balance", "incoming", "state"]
    asked = simulator.requests_of_type("state")[0].body["get_state"]
    assert sorted(asked) == sorted(result.message_id for result in results)


async def test_polling_interval_is_the_integrations_choice(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """Incoming SMS show up within 30 s; no option changes that (`appropriate-polling`)."""
    assert timedelta(seconds=30) >= UPDATE_INTERVAL
    await setup_entry(hass, gateway_entry)
    assert gateway_entry.runtime_data.coordinator.update_interval == UPDATE_INTERVAL
    simulator.requests.clear()

    # Home Assistant spreads polls within a second of the interval.
    await advance(hass, freezer, int(UPDATE_INTERVAL.total_seconds()) - 2)
    assert simulator.requests == []
    await advance(hass, freezer, 3)
    assert _request_types(simulator) == ["incoming"]


async def test_unavailable_and_back_with_one_log_line_each(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    entity_id = _balance_entity(hass, gateway_entry)
    caplog.clear()
    caplog.set_level(logging.INFO, logger=LOGGER)
    simulator.add_fault(Fault(FaultKind.HTTP_502, times=None))

    for _ in range(4):
        await advance(hass, freezer)
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    simulator.clear_faults()
    for _ in range(3):
        await advance(hass, freezer)
        assert hass.states.get(entity_id).state == "150"

    lines = [record for record in caplog.records if record.name == LOGGER]
    assert [record.levelno for record in lines] == [logging.ERROR, logging.INFO]
    assert "Could not connect to the gateway" in lines[0].getMessage()
    assert "recovered" in lines[1].getMessage()
    assert "demo-password" not in caplog.text


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        (Fault(FaultKind.HTTP_500, times=None), "cannot_connect"),
        (Fault(FaultKind.HTML, times=None), "invalid_response"),
        (Fault(FaultKind.MALFORMED_JSON, times=None), "invalid_response"),
        (Fault(FaultKind.ERROR_TEXT, times=None), "request_refused"),
    ],
)
async def test_update_failures_are_translated(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    fault: Fault,
    key: str,
) -> None:
    await setup_entry(hass, gateway_entry)
    coordinator = gateway_entry.runtime_data.coordinator
    simulator.add_fault(fault)

    await advance(hass, freezer)

    assert not coordinator.last_update_success
    assert coordinator.last_exception.translation_key == key
    assert coordinator.last_exception.translation_domain == DOMAIN


async def test_blocked_account_is_translated(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    simulator.account(LOGIN).blocked = True

    coordinator = gateway_entry.runtime_data.coordinator

    await advance(hass, freezer)

    assert coordinator.last_exception.translation_key == "account_blocked"
    # The entry then stops (see test_repairs.py), saying why in the user's language.
    assert gateway_entry.state is ConfigEntryState.SETUP_ERROR
    assert gateway_entry.error_reason_translation_key == "account_blocked"


def test_error_table() -> None:
    assert error_translation(RequestTimeoutError("slow")) == ("timeout", {})
    assert error_translation(CommunicationError("reset")) == ("cannot_connect", {})
    assert error_translation(GatewayError("other")) == ("cannot_connect", {})


async def test_wrong_password_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    simulator.account(LOGIN).password = "changed elsewhere"

    await advance(hass, freezer)

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == gateway_entry.entry_id
    simulator.requests.clear()
    await advance(hass, freezer)
    assert simulator.requests == []  # no polling with credentials known to be wrong


async def test_overlapping_refreshes_report_once(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    received = []
    hass.bus.async_listen(EVENT_SMS_RECEIVED, received.append)
    simulator.add_incoming(LOGIN, originator="79161234567", text="once")
    coordinator = gateway_entry.runtime_data.coordinator

    await asyncio.gather(coordinator.async_refresh(), coordinator.async_refresh())
    await hass.async_block_till_done()

    assert len(received) == 1


async def test_unload_stops_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    assert await hass.config_entries.async_unload(gateway_entry.entry_id)
    simulator.requests.clear()

    await advance(hass, freezer)

    assert simulator.requests == []
    assert gateway_entry.state is ConfigEntryState.NOT_LOADED


async def test_polling_turned_off_and_update_entity_from_an_automation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """README "Options": other timing is polling off plus `homeassistant.update_entity`."""
    hass.config_entries.async_update_entry(gateway_entry, pref_disable_polling=True)
    await setup_entry(hass, gateway_entry)
    assert await async_setup_component(hass, "homeassistant", {})
    simulator.requests.clear()
    await advance(hass, freezer, 600)
    assert simulator.requests == []

    simulator.add_incoming(LOGIN, originator="79161234567", text="Door open")
    received = async_capture_events(hass, EVENT_SMS_RECEIVED)
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {"entity_id": _balance_entity(hass, gateway_entry)},
        blocking=True,
    )
    await hass.async_block_till_done()

    # The gateway's clock is due too: more than `CLOCK_CHECK_INTERVAL` passed unpolled.
    assert _request_types(simulator) == ["time", "balance", "incoming"]
    assert [event.data["text"] for event in received] == ["Door open"]
