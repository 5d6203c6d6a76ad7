"""Incoming SMS: every SMS the gateway shows makes exactly one event, across everything."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import CoreState, Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.jsongate.api import Abonent, OutgoingMessage
from custom_components.jsongate.const import DOMAIN, EVENT_SMS_RECEIVED
from custom_components.jsongate.delivery import DeliveryReportTracker
from custom_components.jsongate.incoming import OVERLAP, IncomingSmsTracker
from custom_components.jsongate.store import storage_key
from simulator.demo import LOGIN
from simulator.faults import Fault, FaultKind
from simulator.simulator import Simulator

from .conftest import advance, restarted, setup_entry

MSK = timedelta(hours=3)  # the demo account's offset


def _listen(hass: HomeAssistant) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    hass.bus.async_listen(
        EVENT_SMS_RECEIVED, callback(lambda event: received.append(dict(event.data)))
    )
    return received


def _entity_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{entry.entry_id}_incoming_sms"
    )
    assert entity_id
    return entity_id


def _state_changes(hass: HomeAssistant, entity_id: str) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []

    @callback
    def record(event: Event[Any]) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] == entity_id and new_state.state != STATE_UNAVAILABLE:
            shown.append(dict(new_state.attributes))

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    return shown


def _ids(events: list[dict[str, Any]]) -> list[Any]:
    """The message ids of `events` (bus events' data or the entity's attributes), in order."""
    return [event["message_id"] for event in events]


def _add(simulator: Simulator, text: str, **kwargs: Any) -> str:
    return simulator.add_incoming(LOGIN, originator="79161234567", text=text, **kwargs)


async def test_each_sms_is_one_event_in_order(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    shown = _state_changes(hass, _entity_id(hass, gateway_entry))
    now = simulator.clock.now()
    ids = [
        _add(
            simulator, "first", phone="3434", prefix="KEY", received_at=now - timedelta(seconds=5)
        ),
        _add(simulator, "second", received_at=now - timedelta(seconds=5)),  # the same second
        _add(simulator, "третье"),
    ]

    await advance(hass, freezer)

    assert _ids(bus) == ids
    assert _ids(shown) == ids
    first = bus[0]
    assert first == {
        "event_type": "received",
        "message_id": ids[0],
        "sender": "79161234567",
        "recipient": "3434",
        "text": "first",
        "prefix": "KEY",
        "received_at": first["received_at"],
        "config_entry_id": gateway_entry.entry_id,
    }
    received_at = datetime.fromisoformat(first["received_at"])
    assert received_at.utcoffset() == MSK
    assert received_at == now - timedelta(seconds=5)
    assert shown[-1]["text"] == "третье"
    assert shown[-1]["event_type"] == "received"
    assert {key: shown[0][key] for key in ("message_id", "recipient", "prefix", "received_at")} == {
        "message_id": ids[0],
        "recipient": "3434",
        "prefix": "KEY",
        "received_at": first["received_at"],
    }

    await advance(hass, freezer)
    await advance(hass, freezer)
    assert len(bus) == 3
    assert len(shown) == 3


async def test_new_entry_starts_at_the_gateway_time(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    bus = _listen(hass)
    now = simulator.clock.now()
    _add(simulator, "old", received_at=now - timedelta(minutes=2))
    _add(simulator, "this second, before setup")

    await setup_entry(hass, gateway_entry)
    await advance(hass, freezer)

    assert bus == []  # the demo's history and these are all older than the entry
    time_requests = simulator.requests_of_type("time")
    assert len(time_requests) == 1
    new = _add(simulator, "new")
    await advance(hass, freezer)
    assert _ids(bus) == [new]


async def test_late_sms_inside_the_overlap_fire_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    first = _add(simulator, "first")
    await advance(hass, freezer)
    # Shows up only now, stamped with a time before the newest SMS already seen.
    late = _add(simulator, "late", received_at=simulator.clock.now() - timedelta(minutes=3))
    await advance(hass, freezer)
    await advance(hass, freezer)

    assert _ids(bus) == [first, late]


async def test_remembered_ids_are_pruned(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    old = _add(simulator, "old")
    await advance(hass, freezer)
    stored = hass_storage[storage_key(gateway_entry.entry_id, "incoming")]["data"]
    assert old in stored["seen"]

    freezer.tick(OVERLAP)
    new = _add(simulator, "new")
    await advance(hass, freezer)

    stored = hass_storage[storage_key(gateway_entry.entry_id, "incoming")]["data"]
    assert list(stored["seen"]) == [new]
    assert (
        datetime.fromisoformat(stored["cursor"])
        == (simulator.clock.now() - timedelta(seconds=60)).astimezone(UTC).replace(tzinfo=None)
        + MSK
    )


async def test_reload_repeats_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    before = [_add(simulator, f"before {number}") for number in range(3)]
    await advance(hass, freezer)

    assert await hass.config_entries.async_unload(gateway_entry.entry_id)
    while_unloaded = _add(simulator, "while unloaded")
    await setup_entry(hass, gateway_entry)
    await advance(hass, freezer)
    after = _add(simulator, "after")
    await advance(hass, freezer)

    assert _ids(bus) == [*before, while_unloaded, after]


async def test_restart_on_the_same_storage(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    first_run = _listen(hass)
    before = _add(simulator, "before the stop")
    await advance(hass, freezer)
    assert _ids(first_run) == [before]
    await hass.async_stop()

    freezer.tick(timedelta(minutes=30))
    while_down = [_add(simulator, f"while down {number}") for number in range(3)]

    async with restarted(hass, gateway_entry) as (second, entry):
        second_run = _listen(second)
        await setup_entry(second, entry)
        state = second.states.get(_entity_id(second, entry))
        assert state is not None
        assert state.attributes["message_id"] == while_down[-1]
        await advance(second, freezer)

    assert _ids(second_run) == while_down


async def test_outage_is_caught_up_in_order(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    entity_id = _entity_id(hass, gateway_entry)
    shown = _state_changes(hass, entity_id)
    simulator.add_fault(Fault(FaultKind.HTTP_502, times=None))
    missed = []
    for number in range(4):
        missed.append(_add(simulator, f"during the outage {number}"))
        await advance(hass, freezer)
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    assert bus == []

    simulator.clear_faults()
    await advance(hass, freezer)
    await advance(hass, freezer)

    assert _ids(bus) == missed
    assert _ids(shown) == missed


async def test_failure_after_reading_sms_loses_none(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    await gateway_entry.runtime_data.sender.async_send(
        OutgoingMessage(text="hello", sender="INFO", abonents=(Abonent(phone="79161234567"),))
    )
    sms = _add(simulator, "read, then the state request fails")
    simulator.add_fault(Fault(FaultKind.HTTP_500, request_type="state"))

    await advance(hass, freezer)
    assert bus == []
    assert len(simulator.requests_of_type("state")) == 1

    await advance(hass, freezer)
    assert _ids(bus) == [sms]


@pytest.mark.parametrize(
    ("failing_write", "reported_at_the_failure"),
    [
        pytest.param((Store, "async_save"), False, id="incoming_state_write_fires_nothing"),
        # The incoming state is written, then the delivery reports' write fails.
        pytest.param((DeliveryReportTracker, "async_commit"), True, id="later_write_reports_once"),
    ],
)
async def test_a_failed_write_reports_each_sms_once(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    failing_write: tuple[type, str],
    reported_at_the_failure: bool,
) -> None:
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    sms = _add(simulator, "a write fails")
    with patch.object(*failing_write, side_effect=OSError("disk full")):
        await advance(hass, freezer)
    assert _ids(bus) == ([sms] if reported_at_the_failure else [])

    await advance(hass, freezer)
    await advance(hass, freezer)
    assert _ids(bus) == [sms]


async def test_refresh_cancelled_during_the_write_still_reports(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    sms = _add(simulator, "a reload lands mid-write")
    coordinator = gateway_entry.runtime_data.coordinator
    writing = asyncio.Event()
    disk = asyncio.Event()
    commit = IncomingSmsTracker.async_commit

    async def slow_commit(tracker: IncomingSmsTracker, batch: Any) -> None:
        writing.set()
        await disk.wait()
        await commit(tracker, batch)

    with patch.object(IncomingSmsTracker, "async_commit", slow_commit):
        refresh = hass.async_create_task(coordinator.async_refresh())
        await writing.wait()
        refresh.cancel()
        with pytest.raises(asyncio.CancelledError):
            await refresh
        assert bus == []
        disk.set()
        await hass.async_block_till_done()

    assert _ids(bus) == [sms]
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert len(bus) == 1


async def test_fetch_needs_a_start(hass: HomeAssistant, simulator: Simulator) -> None:
    tracker = IncomingSmsTracker(hass, MockConfigEntry(domain=DOMAIN), client=None)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        await tracker.async_fetch()


async def test_sms_received_while_down_reach_automations(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    """The first poll after a restart runs before automations are armed.

    Its events (the SMS that arrived while Home Assistant was down) wait until Home
    Assistant has started, so that automations on the bus event and on the event
    entity both see each of them once.
    """
    await setup_entry(hass, gateway_entry)
    await hass.async_stop()
    while_down = [_add(simulator, f"while down {number}") for number in range(2)]

    async with restarted(hass, gateway_entry) as (second, entry):
        second.set_state(CoreState.not_running)
        await setup_entry(second, entry)
        on_bus = _listen(second)
        ran: list[tuple[str, str]] = []
        second.bus.async_listen(
            "automation_ran",
            callback(lambda event: ran.append((event.data["via"], str(event.data["message_id"])))),
        )
        assert await async_setup_component(
            second,
            "automation",
            {
                "automation": [
                    {
                        "triggers": [{"trigger": "event", "event_type": EVENT_SMS_RECEIVED}],
                        "actions": [
                            {
                                "event": "automation_ran",
                                "event_data": {
                                    "via": "bus",
                                    "message_id": "{{ trigger.event.data.message_id }}",
                                },
                            }
                        ],
                        "mode": "queued",
                    },
                    {
                        "triggers": [{"trigger": "state", "entity_id": _entity_id(second, entry)}],
                        "actions": [
                            {
                                "event": "automation_ran",
                                "event_data": {
                                    "via": "entity",
                                    "message_id": "{{ trigger.to_state.attributes.message_id }}",
                                },
                            }
                        ],
                        "mode": "queued",
                    },
                ]
            },
        )
        assert on_bus == []  # held while starting
        await second.async_start()
        await second.async_block_till_done()

    assert _ids(on_bus) == while_down
    assert sorted(ran) == sorted(
        [("bus", i) for i in while_down] + [("entity", i) for i in while_down]
    )


async def test_failed_write_keeps_the_wide_window(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """A poll whose write failed leaves the next one the same window.

    After the gateway's clock went back, the poll looks wide while the previous poll's
    clock is behind the newest SMS: an SMS stamped then is long before the cursor. If
    the write of the poll that found it fails, the next poll must look as wide again,
    although the clock has caught up meanwhile.
    """
    clock_check = 240  # seconds: every poll reads the gateway's clock
    await setup_entry(hass, gateway_entry)
    bus = _listen(hass)
    first = _add(simulator, "before the jump")
    await advance(hass, freezer, clock_check)
    simulator.clock.advance(-timedelta(hours=1))
    behind = _add(simulator, "the clock went back")
    await advance(hass, freezer, clock_check)
    assert _ids(bus) == [first, behind]

    long_before = _add(simulator, "stamped long before the cursor")
    simulator.clock.advance(timedelta(hours=1))  # the clock has caught up
    with patch.object(Store, "async_save", side_effect=OSError("disk full")):
        await advance(hass, freezer, clock_check)
    assert len(bus) == 2

    await advance(hass, freezer, clock_check)
    assert _ids(bus) == [first, behind, long_before]
