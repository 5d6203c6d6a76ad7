"""The blueprints in blueprints/automation/jsongate/, run by Home Assistant's blueprint machinery.

Each test copies the repository's blueprints into a temporary config directory, makes an
automation from one of them (`use_blueprint`), and drives it through the simulator: the
balance sensor and the incoming SMS entity are fed by real polls, and the notify target
is a real recipient, so a notification is an SMS the simulator received.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.automation import EVENT_AUTOMATION_TRIGGERED
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from simulator import Simulator
from simulator.demo import LOGIN

if TYPE_CHECKING:
    from collections.abc import Mapping

BLUEPRINTS = Path(__file__).parents[2] / "blueprints"
FORWARD_TO = "79261234567"


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A config directory of this test's own, with the repository's blueprints in it."""
    shutil.copytree(BLUEPRINTS, Path(hass_tmp_config_dir) / "blueprints", dirs_exist_ok=True)
    return hass_tmp_config_dir


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


def _entity_id(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def _owner(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    (subentry_id,) = entry.subentries
    return _entity_id(hass, "notify", f"{entry.entry_id}_{subentry_id}")


async def _use_blueprint(
    hass: HomeAssistant, path: str, inputs: dict[str, Any]
) -> list[Event[Mapping[str, Any]]]:
    """Make and turn on an automation from a blueprint; returns the list of its runs.

    A run is an `automation_triggered` event: the trigger fired and the conditions
    passed. Counting runs, not only SMS, catches a run whose notification was lost
    (for instance because the notify entity was reloading at that moment).
    """
    runs: list[Event[Mapping[str, Any]]] = []
    hass.bus.async_listen(EVENT_AUTOMATION_TRIGGERED, runs.append)
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": {"id": "under_test", "use_blueprint": {"path": path, "input": inputs}}},
    )
    await hass.async_block_till_done()
    automations = hass.states.async_entity_ids("automation")
    assert len(automations) == 1, automations
    state = hass.states.get(automations[0])
    assert state is not None
    assert state.state == "on", state
    return runs


async def _poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)


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
    balance = _entity_id(hass, "sensor", f"{gateway.entry_id}_balance")
    runs = await _use_blueprint(
        hass,
        "jsongate/low_balance.yaml",
        {"balance_sensor": balance, "threshold": 100, "notify_target": [_owner(hass, gateway)]},
    )

    await _poll(hass, gateway)  # 150: above the threshold
    assert _notifications(simulator) == []

    simulator.set_money(LOGIN, Decimal("42.5"))
    await _poll(hass, gateway)
    friendly_name = hass.states.get(balance).attributes["friendly_name"]
    assert _notifications(simulator) == [
        f"Low SMS balance: {friendly_name} is 42.5 RUB, below 100."
    ]

    # Still low: no new alert, neither on the next poll nor after a reload.
    simulator.set_money(LOGIN, Decimal(40))
    await _poll(hass, gateway)
    await _reload(hass, gateway)
    assert hass.states.get(balance).state == "40"
    assert len(_notifications(simulator)) == len(runs) == 1

    # Topped up, then spent again: a new fall, a new alert.
    simulator.set_money(LOGIN, Decimal(500))
    await _poll(hass, gateway)
    simulator.set_money(LOGIN, Decimal(99))
    await _poll(hass, gateway)
    assert len(_notifications(simulator)) == len(runs) == 2
    assert _notifications(simulator)[-1].endswith("is 99 RUB, below 100.")


async def test_low_balance_custom_title(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    await _use_blueprint(
        hass,
        "jsongate/low_balance.yaml",
        {
            "balance_sensor": _entity_id(hass, "sensor", f"{gateway.entry_id}_balance"),
            "threshold": 20,
            "notify_target": [_owner(hass, gateway)],
            "title": "Top up!",
        },
    )
    simulator.set_money(LOGIN, Decimal(30))
    await _poll(hass, gateway)
    assert _notifications(simulator) == []
    simulator.set_money(LOGIN, Decimal(10))
    await _poll(hass, gateway)
    (text,) = _notifications(simulator)
    assert text.startswith("Top up! ")
    assert text.endswith("is 10 RUB, below 20.")


# --- forward_incoming_sms.yaml -----------------------------------------------------------


async def _forward(
    hass: HomeAssistant, entry: MockConfigEntry, sender_filter: str | None
) -> list[Event[Mapping[str, Any]]]:
    inputs: dict[str, Any] = {
        "incoming_sms": _entity_id(hass, "event", f"{entry.entry_id}_incoming_sms"),
        "notify_target": [_owner(hass, entry)],
    }
    if sender_filter is not None:
        inputs["sender_filter"] = sender_filter
    return await _use_blueprint(hass, "jsongate/forward_incoming_sms.yaml", inputs)


async def test_forward_every_sms_once(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    runs = await _forward(hass, gateway, None)
    # The demo account's two SMS from before the entry was added are history.
    await _poll(hass, gateway)
    assert _notifications(simulator) == []

    # Two SMS in one poll: both forwarded, in order.
    simulator.add_incoming(LOGIN, originator="79161234567", text="Door code 1234")
    simulator.add_incoming(LOGIN, originator="BANK", text="Card blocked")
    await _poll(hass, gateway)
    assert _notifications(simulator) == [
        "SMS from 79161234567: Door code 1234",
        "SMS from BANK: Card blocked",
    ]

    # A reload restores the last SMS on the event entity: it is not forwarded again.
    await _reload(hass, gateway)
    await _poll(hass, gateway)
    assert len(_notifications(simulator)) == len(runs) == 2

    simulator.add_incoming(LOGIN, originator="79031234567", text="Hello")
    await _poll(hass, gateway)
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
    await _poll(hass, gateway)
    assert _notifications(simulator) == [
        f"SMS from {sender}: from {sender}" for sender in forwarded
    ]
    assert len(runs) == len(forwarded)
