"""Recipient and audience subentry flows, and the notify entities they make and remove."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

import custom_components.jsongate as integration
from custom_components.jsongate.const import DOMAIN
from simulator import Simulator

TEXTS = {
    language: json.loads(
        (Path(integration.__file__).parent / "translations" / f"{language}.json").read_text(
            encoding="utf-8"
        )
    )
    for language in ("en", "ru")
}


@pytest.fixture
async def gateway(hass: HomeAssistant, gateway_entry: MockConfigEntry) -> MockConfigEntry:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    return gateway_entry


@pytest.fixture
async def scorocode(hass: HomeAssistant, scorocode_entry: MockConfigEntry) -> MockConfigEntry:
    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()
    return scorocode_entry


async def start(hass: HomeAssistant, entry: MockConfigEntry, kind: str) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, kind), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return dict(result)


async def submit(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_configure(flow_id, data)
    await hass.async_block_till_done()
    return dict(result)


def notify_entity(
    hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str
) -> er.RegistryEntry | None:
    entity_id = er.async_get(hass).async_get_entity_id(
        "notify", DOMAIN, f"{entry.entry_id}_{subentry_id}"
    )
    return er.async_get(hass).async_get(entity_id) if entity_id else None


def assert_own_success_text(done: dict[str, Any], kind: str) -> None:
    """A reconfigure ends with the subentry type's own text, not Home Assistant's generic one.

    Without a translation domain the frontend looks the reason up under
    `config_subentries.<kind>.abort` of the integration's texts.
    """
    assert done["type"] is FlowResultType.ABORT
    assert done.get("translation_domain") is None
    for language in ("en", "ru"):
        assert done["reason"] in TEXTS[language]["config_subentries"][kind]["abort"]


def only_subentry_id(entry: MockConfigEntry) -> str:
    (subentry_id,) = entry.subentries
    return subentry_id


def _own_device(
    hass: HomeAssistant, gateway: MockConfigEntry, entity: er.RegistryEntry, subentry_id: str
) -> dr.DeviceEntry:
    """The entity's device: its subentry's own, linked to the account's device.

    So the entry's page lists the entity under the recipient's row.
    """
    assert entity.config_subentry_id == subentry_id
    devices = dr.async_get(hass)
    device = devices.async_get(entity.device_id or "")
    assert device is not None
    assert (device.config_entry_id, device.config_subentry_id) == (gateway.entry_id, subentry_id)
    account = devices.async_get_device_by_identifier(
        (DOMAIN, gateway.entry_id), config_entry_id=gateway.entry_id
    )
    assert account is not None
    assert device.via_device_id == account.id
    return device


async def test_recipient_create_reconfigure_delete(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    form = await start(hass, gateway, "recipient")
    sender_selector = form["data_schema"].schema["sender"].config
    assert sender_selector["options"] == ["INFO", "ALERT"]  # approved ones only
    assert sender_selector["custom_value"] is True

    bad = await submit(
        hass,
        form["flow_id"],
        {"name": "Family", "phone_numbers": ["+7 916 123-45-67", "12", "abc"]},
    )
    assert bad["type"] is FlowResultType.FORM
    assert bad["errors"] == {"phone_numbers": "invalid_phone"}
    assert bad["description_placeholders"] == {"phones": "12, abc"}

    bad = await submit(
        hass,
        form["flow_id"],
        {"name": "Family", "phone_numbers": ["+7 916 123-45-67"], "sender": "WAY TOO LONG NAME"},
    )
    assert bad["errors"] == {"sender": "invalid_sender"}

    empty = await submit(hass, form["flow_id"], {"name": "Family", "phone_numbers": [" "]})
    assert empty["errors"] == {"phone_numbers": "no_recipients"}

    done = await submit(
        hass,
        form["flow_id"],
        {
            "name": "Family",
            "phone_numbers": ["+7 916 123-45-67", "8 926 123 45 67", "79161234567"],
            "sender": "ALERT",
            "transliterate": True,
        },
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    subentry_id = only_subentry_id(gateway)
    subentry = gateway.subentries[subentry_id]
    assert subentry.title == "Family"
    assert dict(subentry.data) == {
        "phone_numbers": ["79161234567", "79261234567"],
        "sender": "ALERT",
        "transliterate": True,
    }
    entity = notify_entity(hass, gateway, subentry_id)
    assert entity is not None
    device = _own_device(hass, gateway, entity, subentry_id)
    assert device.name == "Family"
    # No English word that the Russian UI would show untranslated: product names only.
    assert (device.manufacturer, device.model) == ("127.0.0.1", "jsonGate")
    assert hass.states.get(entity.entity_id) is not None

    # Reconfigure: same form, filled in; the entity follows.
    result = await hass.config_entries.subentries.async_init(
        (gateway.entry_id, "recipient"),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry_id},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    done = await submit(
        hass, result["flow_id"], {"name": "Parents", "phone_numbers": ["+7 903 000-00-01"]}
    )
    assert done["reason"] == "reconfigure_successful"
    assert_own_success_text(done, "recipient")
    subentry = gateway.subentries[subentry_id]
    assert subentry.title == "Parents"
    assert dict(subentry.data) == {
        "phone_numbers": ["79030000001"],
        "sender": None,
        "transliterate": False,
    }
    await hass.async_block_till_done()
    entity = notify_entity(hass, gateway, subentry_id)
    assert entity is not None
    state = hass.states.get(entity.entity_id)
    assert state is not None
    assert state.attributes["friendly_name"] == "Parents"
    assert _own_device(hass, gateway, entity, subentry_id).name == "Parents"
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": entity.entity_id, "message": "Hi"}, blocking=True
    )
    assert [(m.phone, m.text) for m in simulator.messages("demo")] == [("79030000001", "Hi")]

    # Delete: the entity goes with it.
    assert hass.config_entries.async_remove_subentry(gateway, subentry_id)
    await hass.async_block_till_done()
    assert notify_entity(hass, gateway, subentry_id) is None
    assert hass.states.get(entity.entity_id) is None
    assert dr.async_get(hass).async_get(device.id) is None


async def test_recipient_form_works_when_senders_cannot_be_read(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.account("demo").blocked = True
    form = await start(hass, gateway, "recipient")
    assert form["data_schema"].schema["sender"].config["options"] == []
    simulator.account("demo").blocked = False
    done = await submit(
        hass, form["flow_id"], {"name": "Me", "phone_numbers": ["+7 916 123-45-67"], "sender": "X"}
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY


async def test_audience_create_reconfigure_delete(
    hass: HomeAssistant, scorocode: MockConfigEntry
) -> None:
    form = await start(hass, scorocode, "audience")

    bad = await submit(
        hass,
        form["flow_id"],
        {"name": "Phones", "channel": "sms", "collection": "devices", "query": {}},
    )
    assert bad["errors"] == {"collection": "sms_collection"}
    bad = await submit(
        hass,
        form["flow_id"],
        {"name": "Phones", "channel": "push", "collection": "devices", "query": [1, 2]},
    )
    assert bad["errors"] == {"query": "invalid_query"}

    done = await submit(
        hass,
        form["flow_id"],
        {
            "name": "Android",
            "channel": "push",
            "collection": "devices",
            "query": {"deviceType": "android"},
        },
    )
    assert done["type"] is FlowResultType.CREATE_ENTRY
    subentry_id = only_subentry_id(scorocode)
    assert dict(scorocode.subentries[subentry_id].data) == {
        "channel": "push",
        "collection": "devices",
        "query": {"deviceType": "android"},
    }
    entity = notify_entity(hass, scorocode, subentry_id)
    assert entity is not None
    device = _own_device(hass, scorocode, entity, subentry_id)
    assert (device.manufacturer, device.model) == ("Scorocode", None)

    result = await hass.config_entries.subentries.async_init(
        (scorocode.entry_id, "audience"),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry_id},
    )
    done = await submit(
        hass,
        result["flow_id"],
        {"name": "Admins", "channel": "sms", "collection": "users", "query": '{"roles": "x"}'},
    )
    assert done["reason"] == "reconfigure_successful"
    assert_own_success_text(done, "audience")
    assert dict(scorocode.subentries[subentry_id].data) == {
        "channel": "sms",
        "collection": "users",
        "query": {"roles": "x"},
    }
    assert scorocode.subentries[subentry_id].title == "Admins"

    assert hass.config_entries.async_remove_subentry(scorocode, subentry_id)
    await hass.async_block_till_done()
    assert notify_entity(hass, scorocode, subentry_id) is None
