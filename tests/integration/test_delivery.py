"""Delivery reports: each final status is one event; pending ids survive a restart."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.api import Abonent, OutgoingMessage, SendResult
from custom_components.jsongate.const import DOMAIN, EVENT_DELIVERY_REPORT
from custom_components.jsongate.store import storage_key
from simulator import Simulator

from .conftest import advance, setup_entry

PHONE = "79161234567"


@pytest.fixture(autouse=True)
def manual_delivery(simulator: Simulator) -> None:
    """Messages stay pending until a test finishes them."""
    simulator.delivery_delay = None


async def _send(
    entry: MockConfigEntry, *phones: str, text: str = "Привет"
) -> tuple[SendResult, ...]:
    results: tuple[SendResult, ...] = await entry.runtime_data.sender.async_send(
        OutgoingMessage(text=text, sender="INFO", abonents=tuple(Abonent(phone=p) for p in phones))
    )
    return results


async def test_a_report_says_what_a_long_message_cost(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """The gateway's `price` is the price of one part; `cost` is the whole message's."""
    await setup_entry(hass, gateway_entry)
    reports = _listen(hass)
    (result,) = await _send(gateway_entry, PHONE, text="Ж" * 100)  # UCS-2: 2 parts of 67
    simulator.finish_delivery(result.message_id, "deliver")
    await advance(hass, freezer)
    await advance(hass, freezer)

    (report,) = reports
    assert report["parts"] == 2
    assert report["price_per_part"] == 1.5
    assert report["cost"] == 3.0


def _listen(hass: HomeAssistant) -> list[dict[str, Any]]:
    reports: list[dict[str, Any]] = []
    hass.bus.async_listen(
        EVENT_DELIVERY_REPORT, callback(lambda event: reports.append(dict(event.data)))
    )
    return reports


def _entity_states(hass: HomeAssistant, entry: MockConfigEntry) -> list[dict[str, Any]]:
    entity_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{entry.entry_id}_delivery_report"
    )
    shown: list[dict[str, Any]] = []

    @callback
    def record(event: Event[Any]) -> None:
        if event.data["entity_id"] == entity_id:
            shown.append(dict(event.data["new_state"].attributes))

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    return shown


@pytest.mark.parametrize(
    ("status", "event_type"),
    [
        ("deliver", "delivered"),
        ("not_deliver", "not_delivered"),
        ("expired", "expired"),
        ("partly_deliver", "partly_delivered"),
    ],
)
async def test_each_final_status_is_one_event(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    status: str,
    event_type: str,
) -> None:
    await setup_entry(hass, gateway_entry)
    reports = _listen(hass)
    shown = _entity_states(hass, gateway_entry)
    (result,) = await _send(gateway_entry, PHONE)
    await advance(hass, freezer)
    assert reports == []  # still pending

    finished_at = simulator.clock.now()
    simulator.finish_delivery(result.message_id, status)
    await advance(hass, freezer)
    await advance(hass, freezer)

    assert len(reports) == 1
    report = reports[0]
    changed_at = datetime.fromisoformat(report.pop("changed_at"))
    assert changed_at.utcoffset() == timedelta(hours=3)
    assert changed_at == finished_at
    assert report == {
        "event_type": event_type,
        "message_id": result.message_id,
        "phone": PHONE,
        "parts": 1,
        "price_per_part": 1.5,
        "cost": 1.5,
        "config_entry_id": gateway_entry.entry_id,
    }
    assert len(shown) == 1
    assert shown[0]["event_type"] == event_type
    assert shown[0]["message_id"] == result.message_id
    assert shown[0]["price_per_part"] == 1.5
    assert gateway_entry.runtime_data.coordinator.delivery.pending == {}
    simulator.requests.clear()
    await advance(hass, freezer)
    assert simulator.requests_of_type("state") == []


async def test_only_final_ids_are_dropped(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    reports = _listen(hass)
    first, second = await _send(gateway_entry, PHONE, "79261234567")
    simulator.finish_delivery(first.message_id, "deliver")

    await advance(hass, freezer)

    assert [report["message_id"] for report in reports] == [first.message_id]
    assert list(gateway_entry.runtime_data.coordinator.delivery.pending) == [second.message_id]


async def test_pending_ids_survive_a_reload(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    (result,) = await _send(gateway_entry, PHONE)
    # Unloaded at once: the delayed write must not be lost.
    assert await hass.config_entries.async_unload(gateway_entry.entry_id)
    stored = hass_storage[storage_key(gateway_entry.entry_id, "delivery")]["data"]["pending"]
    assert list(stored) == [result.message_id]
    assert stored[result.message_id]["phone"] == PHONE

    simulator.finish_delivery(result.message_id, "not_deliver")
    reports = _listen(hass)
    await setup_entry(hass, gateway_entry)
    await advance(hass, freezer)

    assert [(r["message_id"], r["event_type"]) for r in reports] == [
        (result.message_id, "not_delivered")
    ]


async def test_pending_ids_survive_a_stop(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    (result,) = await _send(gateway_entry, PHONE)

    await hass.async_stop()

    stored = hass_storage[storage_key(gateway_entry.entry_id, "delivery")]["data"]["pending"]
    assert list(stored) == [result.message_id]


async def test_reports_older_than_72_hours_are_dropped(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    reports = _listen(hass)
    (result,) = await _send(gateway_entry, PHONE)
    await advance(hass, freezer, 71 * 3600)
    assert gateway_entry.runtime_data.coordinator.delivery.pending

    freezer.tick(timedelta(hours=1, minutes=1))
    simulator.requests.clear()
    await advance(hass, freezer)

    assert simulator.requests_of_type("state") == []
    assert gateway_entry.runtime_data.coordinator.delivery.pending == {}
    simulator.finish_delivery(result.message_id, "deliver")
    await advance(hass, freezer)
    assert reports == []


async def test_reports_can_be_turned_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    hass.config_entries.async_update_entry(
        gateway_entry, options={**gateway_entry.options, "delivery_reports": False}
    )
    await setup_entry(hass, gateway_entry)
    reports = _listen(hass)
    (result,) = await _send(gateway_entry, PHONE)
    simulator.finish_delivery(result.message_id, "deliver")

    await advance(hass, freezer)

    assert simulator.requests_of_type("state") == []
    assert reports == []
