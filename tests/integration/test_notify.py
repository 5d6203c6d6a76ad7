"""notify.send_message on recipient and audience entities, against the simulator."""

from __future__ import annotations

import logging
from types import MappingProxyType
from typing import Any

import pytest
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from custom_components.jsongate.notify import sms_text
from simulator import Simulator
from simulator.demo import LOGIN, STOPPED_PHONE


def add_subentry(
    hass: HomeAssistant, entry: MockConfigEntry, kind: str, title: str, data: dict[str, Any]
) -> str:
    subentry = ConfigSubentry(
        data=MappingProxyType(data), subentry_type=kind, title=title, unique_id=None
    )
    hass.config_entries.async_add_subentry(entry, subentry)
    return subentry.subentry_id


def entity_id(hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str) -> str:
    found = er.async_get(hass).async_get_entity_id(
        "notify", DOMAIN, f"{entry.entry_id}_{subentry_id}"
    )
    assert found is not None
    return found


async def send(hass: HomeAssistant, target: str, message: str, title: str | None = None) -> None:
    data = {"entity_id": target, "message": message}
    if title is not None:
        data["title"] = title
    await hass.services.async_call("notify", "send_message", data, blocking=True)


@pytest.fixture
async def recipient(
    hass: HomeAssistant, gateway_entry: MockConfigEntry
) -> tuple[MockConfigEntry, str]:
    subentry_id = add_subentry(
        hass,
        gateway_entry,
        "recipient",
        "Family",
        {
            "phone_numbers": ["79161234567", "79261234567"],
            "sender": "ALERT",
            "transliterate": False,
        },
    )
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    return gateway_entry, entity_id(hass, gateway_entry, subentry_id)


def sent_texts(simulator: Simulator) -> list[tuple[str, str, str]]:
    return [(m.phone, m.sender, m.text) for m in simulator.messages(LOGIN)]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (None, "Door open"),
        ("Alarm", "Alarm: Door open"),
        ("Alarm!", "Alarm! Door open"),
        ("  ", "Door open"),
    ],
)
async def test_recipient_sends_one_sms_per_number(
    hass: HomeAssistant,
    recipient: tuple[MockConfigEntry, str],
    simulator: Simulator,
    title: str | None,
    text: str,
) -> None:
    _, target = recipient
    before = len(simulator.requests_of_type("sms"))
    await send(hass, target, "Door open", title)
    assert sent_texts(simulator) == [
        ("79161234567", "ALERT", text),
        ("79261234567", "ALERT", text),
    ]
    assert len(simulator.requests_of_type("sms")) - before == 1
    state = hass.states.get(target)
    assert state is not None
    assert state.state != "unknown"  # the last sent time is recorded


async def test_recipient_with_transliteration_and_default_sender(
    hass: HomeAssistant, gateway_entry: MockConfigEntry, simulator: Simulator
) -> None:
    subentry_id = add_subentry(
        hass,
        gateway_entry,
        "recipient",
        "Me",
        {"phone_numbers": ["79161234567"], "sender": None, "transliterate": True},
    )
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    await send(hass, entity_id(hass, gateway_entry, subentry_id), "Дверь открыта", "Тревога")
    ((phone, sender, text),) = sent_texts(simulator)
    assert (phone, sender) == ("79161234567", "INFO")
    assert text.isascii()
    assert text.startswith("Trevoga: ")


async def test_recipient_all_refused_raises(
    hass: HomeAssistant, gateway_entry: MockConfigEntry
) -> None:
    subentry_id = add_subentry(
        hass,
        gateway_entry,
        "recipient",
        "Stopped",
        {"phone_numbers": [STOPPED_PHONE], "sender": None, "transliterate": False},
    )
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(HomeAssistantError) as caught:
        await send(hass, entity_id(hass, gateway_entry, subentry_id), "x")
    assert caught.value.translation_key == "send_rejected"


async def test_recipient_partly_refused_logs_and_sends_the_rest(
    hass: HomeAssistant,
    gateway_entry: MockConfigEntry,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    subentry_id = add_subentry(
        hass,
        gateway_entry,
        "recipient",
        "Mixed",
        {"phone_numbers": ["79161234567", STOPPED_PHONE], "sender": None, "transliterate": False},
    )
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    await send(hass, entity_id(hass, gateway_entry, subentry_id), "x")
    assert [phone for phone, _, _ in sent_texts(simulator)] == ["79161234567"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("did not accept 1 of 2 numbers" in line for line in warnings)
    # No phone number in a log line at INFO or above.
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            assert STOPPED_PHONE not in record.getMessage()
            assert "79161234567" not in record.getMessage()


async def test_empty_message_is_refused(
    hass: HomeAssistant, recipient: tuple[MockConfigEntry, str], simulator: Simulator
) -> None:
    before = len(simulator.requests)
    with pytest.raises(ServiceValidationError):
        await send(hass, recipient[1], "  ")
    assert len(simulator.requests) == before


async def test_subentry_removed_while_unloaded_loses_its_entity_and_device(
    hass: HomeAssistant, recipient: tuple[MockConfigEntry, str]
) -> None:
    entry, target = recipient
    registered = er.async_get(hass).async_get(target)
    assert registered is not None
    await hass.config_entries.async_unload(entry.entry_id)
    (subentry_id,) = entry.subentries
    # Home Assistant removes what belongs to the subentry, loaded or not.
    assert hass.config_entries.async_remove_subentry(entry, subentry_id)
    assert er.async_get(hass).async_get(target) is None
    assert dr.async_get(hass).async_get(registered.device_id or "") is None


async def test_an_entity_registered_before_subentries_moves_to_its_subentry(
    hass: HomeAssistant, gateway_entry: MockConfigEntry
) -> None:
    """Entities made by earlier versions (on the account's device) join their subentry."""
    subentry_id = add_subentry(
        hass, gateway_entry, "recipient", "Family", {"phone_numbers": ["79161234567"]}
    )
    old = er.async_get(hass).async_get_or_create(
        "notify",
        DOMAIN,
        f"{gateway_entry.entry_id}_{subentry_id}",
        config_entry=gateway_entry,
        suggested_object_id="targetsms_family",
    )
    assert old.config_subentry_id is None
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    moved = er.async_get(hass).async_get(old.entity_id)
    assert moved is not None
    assert moved.config_subentry_id == subentry_id
    assert hass.states.get("notify.targetsms_family") is not None
    assert hass.config_entries.async_remove_subentry(gateway_entry, subentry_id)
    assert er.async_get(hass).async_get(old.entity_id) is None


@pytest.mark.parametrize("title", [None, "Shop"])
async def test_audience_push(
    hass: HomeAssistant, scorocode_entry: MockConfigEntry, simulator: Simulator, title: str | None
) -> None:
    subentry_id = add_subentry(
        hass,
        scorocode_entry,
        "audience",
        "Android",
        {"channel": "push", "collection": "devices", "query": {"deviceType": "android"}},
    )
    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()
    await send(hass, entity_id(hass, scorocode_entry, subentry_id), "Shipped", title)
    body = simulator.requests_of_type("sendpush")[-1].body
    assert body["query"] == {"deviceType": "android"}
    assert body["msg"]["text"] == "Shipped"
    if title is None:
        assert "data" not in body["msg"]
    else:
        assert body["msg"]["data"]["gcm"]["notification"] == {"title": "Shop", "body": "Shipped"}
        assert body["msg"]["data"]["apns"]["aps"]["alert"] == {"title": "Shop", "body": "Shipped"}


async def test_audience_sms(
    hass: HomeAssistant, scorocode_entry: MockConfigEntry, simulator: Simulator
) -> None:
    subentry_id = add_subentry(
        hass,
        scorocode_entry,
        "audience",
        "Alice",
        {"channel": "sms", "collection": "users", "query": {"username": "alice"}},
    )
    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()
    await send(hass, entity_id(hass, scorocode_entry, subentry_id), "Code 1", "App")
    body = simulator.requests_of_type("sendsms")[-1].body
    assert body["coll"] == "users"
    assert body["msg"]["text"] == "App: Code 1"
    assert len(simulator.app_sms) == 1


def test_sms_text() -> None:
    assert sms_text("m", None) == "m"
    assert sms_text("m", "T") == "T: m"
    assert sms_text("m", "T?") == "T? m"
