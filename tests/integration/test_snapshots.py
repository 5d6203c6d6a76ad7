"""Snapshots of what users see: entities, diagnostics, every action's response, events.

A change of shape shows as a diff of `snapshots/test_snapshots.ambr`; review it, then
accept it with `pytest tests/integration/test_snapshots.py --snapshot-update`. Time is
frozen and the entries have fixed ids and titles, so the simulator's random port never
reaches a snapshot.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import (
    Platform,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from syrupy.filters import props

from custom_components.jsongate import sender as sender_module
from custom_components.jsongate.const import (
    DOMAIN,
    EVENT_DELIVERY_REPORT,
    EVENT_SMS_RECEIVED,
)
from simulator import Simulator, SimulatorServer, build_demo, demo

from .conftest import advance, make_gateway_entry, make_scorocode_entry, setup_entry

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion

# 12:00 in the demo account's time zone (UTC+3).
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
GATEWAY_ENTRY_ID = "01JSONGATEGATEWAYENTRY0000"
SCOROCODE_ENTRY_ID = "01JSONGATESCOROCODEENTRY00"


@pytest.fixture(autouse=True)
def frozen_time(freezer: FrozenDateTimeFactory) -> None:
    """A fixed moment that stands still until a test moves it (before any token is made)."""
    freezer.move_to(NOW)


@pytest.fixture
def simulator(frozen_time: None) -> Simulator:
    """The demo data, made at the fixed moment."""
    return build_demo()


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender_module, "RETRY_DELAYS", (0.0, 0.0))


@pytest.fixture
def gateway_entry(hass: HomeAssistant, simulator_server: SimulatorServer) -> MockConfigEntry:
    """The demo account with one recipient, under fixed ids and a title without the port."""
    entry = make_gateway_entry(
        simulator_server.url,
        entry_id=GATEWAY_ENTRY_ID,
        title=f"Simulator ({demo.LOGIN})",
        subentries_data=[
            ConfigSubentryData(
                subentry_id="01JSONGATERECIPIENTFAMILY0",
                subentry_type="recipient",
                title="Family",
                unique_id=None,
                data=MappingProxyType(
                    {
                        "phone_numbers": ["79161234567", "79261234567"],
                        "sender": "ALERT",
                        "transliterate": False,
                    }
                ),
            )
        ],
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def scorocode_entry(hass: HomeAssistant, simulator_server: SimulatorServer) -> MockConfigEntry:
    """The demo app with one audience, under fixed ids."""
    entry = make_scorocode_entry(
        simulator_server.scorocode_url,
        entry_id=SCOROCODE_ENTRY_ID,
        title=f"Scorocode ({demo.APP_ID})",
        subentries_data=[
            ConfigSubentryData(
                subentry_id="01JSONGATEAUDIENCESTAFF000",
                subentry_type="audience",
                title="Staff",
                unique_id=None,
                data=MappingProxyType(
                    {"channel": "push", "collection": "users", "query": {"username": "bob"}}
                ),
            )
        ],
    )
    entry.add_to_hass(hass)
    return entry


# --- entities and diagnostics -----------------------------------------------------------


@pytest.mark.parametrize("platform", [Platform.EVENT, Platform.NOTIFY, Platform.SENSOR])
async def test_gateway_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    gateway_entry: MockConfigEntry,
    platform: Platform,
) -> None:
    with patch("custom_components.jsongate.GATEWAY_PLATFORMS", [platform]):
        await setup_entry(hass, gateway_entry)
    await snapshot_platform(hass, entity_registry, snapshot, gateway_entry.entry_id)


async def test_scorocode_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    scorocode_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, scorocode_entry)
    await snapshot_platform(hass, entity_registry, snapshot, scorocode_entry.entry_id)


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    gateway_entry: MockConfigEntry,
    scorocode_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry, scorocode_entry)
    for name, entry in (("gateway", gateway_entry), ("scorocode", scorocode_entry)):
        diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
        # The URL holds the simulator's port, which changes with every run.
        assert diagnostics == snapshot(name=name, exclude=props("url"))


# --- actions ----------------------------------------------------------------------------


class Actions:
    """Calls actions of one entry and snapshots each response under the action's name."""

    def __init__(self, hass: HomeAssistant, snapshot: SnapshotAssertion) -> None:
        self._hass = hass
        self._snapshot = snapshot
        self.called: set[str] = set()

    async def call(
        self, action: str, entry: MockConfigEntry, *, snapshot_name: str | None = None, **data: Any
    ) -> dict[str, Any]:
        """Call `action`; check its response against `snapshot_name` (default: the action)."""
        response = await self._hass.services.async_call(
            DOMAIN,
            action,
            {"config_entry_id": entry.entry_id, **data},
            blocking=True,
            return_response=True,
        )
        assert response == self._snapshot(name=snapshot_name or action)
        self.called.add(action)
        return dict(response or {})


async def test_action_responses(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    gateway_entry: MockConfigEntry,
    scorocode_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry, scorocode_entry)
    actions = Actions(hass, snapshot)
    call = actions.call

    sent = await call(
        "send_sms",
        gateway_entry,
        recipients=["+7 916 123-45-67", demo.STOPPED_PHONE],
        message="Привет",
        sender="INFO",
    )
    await advance(hass, freezer, 31)  # the demo account delivers after 30 s
    await call(
        "get_delivery_status",
        gateway_entry,
        message_ids=[m["message_id"] for m in sent["messages"] if m["message_id"]],
    )
    await call("get_statistics", gateway_entry)
    scheduled = await call(
        "send_sms",
        gateway_entry,
        snapshot_name="send_sms_scheduled",
        recipients=["79261234567"],
        message="Tomorrow",
        send_at="2026-03-11T09:00:00+03:00",
    )
    await call("get_scheduled", gateway_entry)
    await call(
        "cancel_scheduled", gateway_entry, message_ids=[scheduled["messages"][0]["message_id"]]
    )

    await call("get_senders", gateway_entry)
    await call("get_incoming", gateway_entry, start="2026-03-10T00:00:00+03:00")
    await call("lookup_numbers", gateway_entry, phones=["79161234567", "79031234567"])
    await call("get_gateway_time", gateway_entry)

    lists = await call("get_contact_lists", gateway_entry)
    list_id = lists["contact_lists"][0]["id"]
    await call("get_contacts", gateway_entry, contact_list_id=list_id)
    await call(
        "save_contacts",
        gateway_entry,
        contact_list_id=list_id,
        contacts=[{"phone": "79031234567", "name": "Олег", "gender": "m"}],
    )
    await call("delete_contacts", gateway_entry, contact_list_id=list_id, phones=["79031234567"])
    saved = await call("save_contact_list", gateway_entry, name="Соседи", greeting_time="09:30:00")
    await call("delete_contact_list", gateway_entry, contact_list_id=saved["changes"][0]["key"])

    await call("get_stop_list", gateway_entry)
    await call("update_stop_list", gateway_entry, add=["79051234567"], remove=[demo.STOPPED_PHONE])

    await call("get_templates", gateway_entry)
    template = await call("save_template", gateway_entry, name="Код", text="Ваш код: {code}")
    await call("delete_template", gateway_entry, template_id=template["changes"][0]["key"])

    await call("send_push", scorocode_entry, message="Door opened", title="Home")
    await call("send_app_sms", scorocode_entry, message="Door opened")

    # Every action has a snapshot: a new one fails here until it gets one.
    assert actions.called == set(hass.services.async_services_for_domain(DOMAIN))


# --- events -----------------------------------------------------------------------------


async def test_event_payloads(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, gateway_entry)
    fired: list[tuple[str, dict[str, Any]]] = []

    @callback
    def record(event: Event[Any]) -> None:
        fired.append((event.event_type, dict(event.data)))

    for event_type in (EVENT_SMS_RECEIVED, EVENT_DELIVERY_REPORT):
        hass.bus.async_listen(event_type, record)

    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.family", "message": "Door open"},
        blocking=True,
    )
    simulator.add_incoming(demo.LOGIN, originator="79161234567", text="Открой", phone="3434")
    for _ in range(3):
        await advance(hass, freezer, 60)

    assert fired == snapshot
