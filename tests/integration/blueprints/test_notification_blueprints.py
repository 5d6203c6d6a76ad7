"""The notification blueprints: low balance alert and forward incoming SMS.

Each test makes an automation from one of them (`use_blueprint`) and drives it through
the simulator: the balance sensor and the incoming SMS entity are fed by real polls, and
the notify target is a real recipient, so a notification is an SMS the simulator
received.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.core import Event, HomeAssistant

from simulator import Simulator
from simulator.demo import LOGIN

from .helpers import entity_id, poll, use_automation_blueprint

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pytest_homeassistant_custom_component.common import MockConfigEntry

FORWARD_TO = "79261234567"


@pytest.fixture
async def gateway(hass: HomeAssistant, gateway_entry: MockConfigEntry) -> MockConfigEntry:
    """The demo account, set up, with a recipient "Owner" that gets the notifications."""
    subentry = ConfigSubentry(
        data=MappingProxyType(
            {"phone_numbers": [FORWARD_TO], "sender": "ALERT", "transliterate": False}
        ),
        subentry_type="recipient",
        title="Owner",
        unique_id=None,
    )
    hass.config_entries.async_add_subentry(gateway_entry, subentry)
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    return gateway_entry


def _owner(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    (subentry_id,) = entry.subentries
    return entity_id(hass, "notify", f"{entry.entry_id}_{subentry_id}")


async def _reload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED


def _notifications(simulator: Simulator) -> list[str]:
    """The texts of the SMS sent to the recipient, oldest first."""
    return [
        message.text
        for message in simulator.messages(LOGIN)
        if message.phone == FORWARD_TO and message.sender == "ALERT"
    ]


# --- low_balance.yaml ------------------------------------------------------------------


async def test_low_balance_alerts_once_per_fall(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    balance = entity_id(hass, "sensor", f"{gateway.entry_id}_balance")
    runs = await use_automation_blueprint(
        hass,
        "jsongate/low_balance.yaml",
        {"balance_sensor": balance, "threshold": 100, "notify_target": [_owner(hass, gateway)]},
    )

    await poll(hass, gateway)  # 150: above the threshold
    assert _notifications(simulator) == []

    simulator.set_money(LOGIN, Decimal("42.5"))
    await poll(hass, gateway)
    friendly_name = hass.states.get(balance).attributes["friendly_name"]
    assert _notifications(simulator) == [
        f"Low SMS balance: {friendly_name} is 42.5 RUB, below 100."
    ]

    # Still low: no new alert, neither on the next poll nor after a reload.
    simulator.set_money(LOGIN, Decimal(40))
    await poll(hass, gateway)
    await _reload(hass, gateway)
    assert hass.states.get(balance).state == "40"
    assert len(_notifications(simulator)) == len(runs) == 1

    # Topped up, then spent again: a new fall, a new alert.
    simulator.set_money(LOGIN, Decimal(500))
    await poll(hass, gateway)
    simulator.set_money(LOGIN, Decimal(99))
    await poll(hass, gateway)
    assert len(_notifications(simulator)) == len(runs) == 2
    assert _notifications(simulator)[-1].endswith("is 99 RUB, below 100.")


async def test_low_balance_custom_title(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    await use_automation_blueprint(
        hass,
        "jsongate/low_balance.yaml",
        {
            "balance_sensor": entity_id(hass, "sensor", f"{gateway.entry_id}_balance"),
            "threshold": 20,
            "notify_target": [_owner(hass, gateway)],
            "title": "Top up!",
        },
    )
    simulator.set_money(LOGIN, Decimal(30))
    await poll(hass, gateway)
    assert _notifications(simulator) == []
    simulator.set_money(LOGIN, Decimal(10))
    await poll(hass, gateway)
    (text,) = _notifications(simulator)
    assert text.startswith("Top up! ")
    assert text.endswith("is 10 RUB, below 20.")


# --- forward_incoming_sms.yaml -----------------------------------------------------------


async def _forward(
    hass: HomeAssistant, entry: MockConfigEntry, sender_filter: str | None
) -> list[Event[Mapping[str, Any]]]:
    inputs: dict[str, Any] = {
        "incoming_sms": entity_id(hass, "event", f"{entry.entry_id}_incoming_sms"),
        "notify_target": [_owner(hass, entry)],
    }
    if sender_filter is not None:
        inputs["sender_filter"] = sender_filter
    return await use_automation_blueprint(hass, "jsongate/forward_incoming_sms.yaml", inputs)


async def test_forward_every_sms_once(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    runs = await _forward(hass, gateway, None)
    # The demo account's two SMS from before the entry was added are history.
    await poll(hass, gateway)
    assert _notifications(simulator) == []

    # Two SMS in one poll: both forwarded, in order.
    simulator.add_incoming(LOGIN, originator="79161234567", text="Door code 1234")
    simulator.add_incoming(LOGIN, originator="BANK", text="Card blocked")
    await poll(hass, gateway)
    assert _notifications(simulator) == [
        "SMS from 79161234567: Door code 1234",
        "SMS from BANK: Card blocked",
    ]

    # A reload restores the last SMS on the event entity: it is not forwarded again.
    await _reload(hass, gateway)
    await poll(hass, gateway)
    assert len(_notifications(simulator)) == len(runs) == 2

    simulator.add_incoming(LOGIN, originator="79031234567", text="Hello")
    await poll(hass, gateway)
    assert _notifications(simulator)[-1] == "SMS from 79031234567: Hello"
    assert len(_notifications(simulator)) == len(runs) == 3


@pytest.mark.parametrize(
    ("sender_filter", "forwarded"),
    [
        ("", ["79161234567", "BANK", "79031234567"]),
        ("+7 (916) 123-45-67", ["79161234567"]),
        ("79161234567, bank", ["79161234567", "BANK"]),
        ("Bank", ["BANK"]),
        ("79999999999", []),
    ],
)
async def test_forward_sender_filter(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    simulator: Simulator,
    sender_filter: str,
    forwarded: list[str],
) -> None:
    runs = await _forward(hass, gateway, sender_filter)
    for sender in ("79161234567", "BANK", "79031234567"):
        simulator.add_incoming(LOGIN, originator=sender, text=f"from {sender}")
    await poll(hass, gateway)
    assert _notifications(simulator) == [
        f"SMS from {sender}: from {sender}" for sender in forwarded
    ]
    assert len(runs) == len(forwarded)
