"""The event entities keep their last event across reauthentication, reloads and restarts."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.restore_state import async_get as restore_state
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.jsongate.api import Abonent, OutgoingMessage
from custom_components.jsongate.clients import GatewayRuntimeData
from custom_components.jsongate.const import DOMAIN
from simulator.demo import LOGIN, PASSWORD
from simulator.simulator import Simulator


def _entity_id(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("event", DOMAIN, f"{entry.entry_id}_{key}")
    assert entity_id
    return entity_id


async def _poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    runtime = entry.runtime_data
    assert isinstance(runtime, GatewayRuntimeData)
    await runtime.coordinator.async_refresh()
    await hass.async_block_till_done()


def _shown(hass: HomeAssistant, entity_id: str) -> tuple[str, dict[str, Any]]:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state, dict(state.attributes)


async def test_the_last_sms_survives_a_refused_login_and_the_reload_after_reauth(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    incoming = _entity_id(hass, gateway_entry, "incoming_sms")
    simulator.add_incoming(LOGIN, originator="79161234567", text="Gate opened")
    await _poll(hass, gateway_entry)
    before = _shown(hass, incoming)
    assert before[0] not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
    assert before[1]["text"] == "Gate opened"

    # The password changes at the provider: polling fails, the entities go unavailable,
    # and a reauth flow starts.
    simulator.account(LOGIN).password = "changed"
    await _poll(hass, gateway_entry)
    assert hass.states.get(incoming).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    assert any(
        flow["context"]["source"] == SOURCE_REAUTH
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    )

    # The user enters it (here: the provider takes the old one again); the entry reloads.
    simulator.account(LOGIN).password = PASSWORD
    assert await hass.config_entries.async_reload(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    assert _shown(hass, incoming) == before

    # And again through another reload: nothing drifts.
    assert await hass.config_entries.async_reload(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert _shown(hass, incoming) == before


async def test_a_restart_after_an_unavailable_stop_shows_the_last_report(
    hass: HomeAssistant, gateway_entry: MockConfigEntry
) -> None:
    """What Home Assistant stored at a stop while the entity was unavailable."""
    entity_id = "event.jsongate_demo_delivery_report"
    er.async_get(hass).async_get_or_create(
        "event",
        DOMAIN,
        f"{gateway_entry.entry_id}_delivery_report",
        config_entry=gateway_entry,
        suggested_object_id="jsongate_demo_delivery_report",
    )
    attributes = {"message_id": "1001", "phone": "79161234567", "parts": 2, "cost": 7.0}
    last_event_at = "2026-11-29T10:00:00.123+00:00"
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, STATE_UNAVAILABLE, {"event_type": "delivered", **attributes}),
                {
                    "last_event_type": "delivered",
                    "last_event_attributes": attributes,
                    "last_event_at": last_event_at,
                },
            )
        ],
    )
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    state, shown = _shown(hass, entity_id)
    assert state == last_event_at
    assert shown["event_type"] == "delivered"
    assert shown["message_id"] == "1001"

    # What it keeps for the next restart holds the time too.
    stored = restore_state(hass).async_get_stored_states()
    (mine,) = [item for item in stored if item.state.entity_id == entity_id]
    assert mine.extra_data is not None
    assert mine.extra_data.as_dict()["last_event_at"] == last_event_at


async def test_both_events_survive_a_reauth_the_user_completes(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    """The real path: the password changes, the user types the new one into the reauth form.

    Completing the flow reloads the entry; the incoming SMS and the delivery report
    show the same last event as before, not "Unknown".
    """
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    runtime = gateway_entry.runtime_data
    assert isinstance(runtime, GatewayRuntimeData)
    (sent,) = await runtime.sender.async_send(
        OutgoingMessage(text="Привет", abonents=(Abonent(phone="79161234567"),))
    )
    simulator.finish_delivery(sent.message_id, "deliver")
    simulator.add_incoming(LOGIN, originator="79161234567", text="Gate opened")
    await _poll(hass, gateway_entry)
    entity_ids = [
        _entity_id(hass, gateway_entry, key) for key in ("incoming_sms", "delivery_report")
    ]
    before = [_shown(hass, entity_id) for entity_id in entity_ids]
    assert before[0][1]["text"] == "Gate opened"
    assert before[1][1]["event_type"] == "delivered"
    assert all(state not in (STATE_UNKNOWN, STATE_UNAVAILABLE) for state, _ in before)

    simulator.account(LOGIN).password = "changed"
    await _poll(hass, gateway_entry)
    (flow,) = [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"password": "changed"}
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert result["reason"] == "reauth_successful"
    assert gateway_entry.state is ConfigEntryState.LOADED
    assert [_shown(hass, entity_id) for entity_id in entity_ids] == before
