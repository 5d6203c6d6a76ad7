"""The actions, against the simulator over loopback: responses, refusals, request counts."""

from __future__ import annotations

import asyncio
import json
from copy import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate import sender as sender_module
from custom_components.jsongate.api import SendResult, answers
from custom_components.jsongate.clients import GatewayRuntimeData
from custom_components.jsongate.const import DOMAIN
from simulator.demo import LOGIN, STOPPED_PHONE
from simulator.faults import Fault, FaultKind
from simulator.simulator import Simulator

OK_PHONE = "+7 916 123-45-67"
OK_NORMALISED = "79161234567"

# --- this module's fixtures -------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender_module, "RETRY_DELAYS", (0.0, 0.0))


@pytest.fixture
async def gateway(hass: HomeAssistant, gateway_entry: MockConfigEntry) -> MockConfigEntry:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    return gateway_entry


@pytest.fixture
async def scorocode(hass: HomeAssistant, scorocode_entry: MockConfigEntry) -> MockConfigEntry:
    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()
    assert scorocode_entry.state is ConfigEntryState.LOADED
    return scorocode_entry


async def call(
    hass: HomeAssistant, action: str, entry: MockConfigEntry, **data: Any
) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN,
        action,
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return dict(response)


def sms_requests(simulator: Simulator) -> int:
    return len(simulator.requests_of_type("sms"))


# --- send_sms ---------------------------------------------------------------------------


async def test_send_sms_response(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    before = sms_requests(simulator)
    response = await call(
        hass, "send_sms", gateway, recipients=[OK_PHONE, "8 926 123 45 67"], message="Hello"
    )
    assert response["sent"] == 2
    assert response["failed"] == 0
    assert [m["phone"] for m in response["messages"]] == [OK_NORMALISED, "79261234567"]
    for message in response["messages"]:
        assert message["status"] == "sent"
        assert message["error"] is None
        assert message["parts"] == 1
        assert simulator.message(message["message_id"]).text == "Hello"
    assert sms_requests(simulator) - before == 1
    # The default sender is the account's first approved one.
    assert {m.sender for m in simulator.messages(LOGIN) if m.text == "Hello"} == {"INFO"}


async def test_send_sms_partial_failure(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    response = await call(
        hass, "send_sms", gateway, recipients=[OK_PHONE, STOPPED_PHONE], message="Hi"
    )
    assert (response["sent"], response["failed"]) == (1, 1)
    ok, stopped = response["messages"]
    assert ok["message_id"] is not None
    assert stopped["phone"] == STOPPED_PHONE
    assert stopped["status"] == "failed"
    assert stopped["message_id"] is None
    assert stopped["error"]["code"] == "stop_list"
    assert stopped["error"]["message"] == "The number is in the account's stop list."
    assert "стоп" in stopped["error"]["gateway_message"].casefold()


async def test_send_sms_raises_when_nobody_accepted(
    hass: HomeAssistant, gateway: MockConfigEntry
) -> None:
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_sms", gateway, recipients=[STOPPED_PHONE], message="Hi")
    assert caught.value.translation_key == "send_rejected"
    # The reason, not the number: a failed automation logs this message.
    assert STOPPED_PHONE not in str(caught.value)
    assert "stop list" in str(caught.value)


async def test_hundred_recipients_are_one_request(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    phones = [f"79161{n:06d}" for n in range(100)]
    before = sms_requests(simulator)
    response = await call(hass, "send_sms", gateway, recipients=phones, message="Bulk")
    assert response["sent"] == 100
    assert sms_requests(simulator) - before == 1


async def test_fifty_concurrent_calls_make_at_most_three_requests(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    # Answers take a while, as on a real network, so calls pile up behind them.
    simulator.add_fault(Fault(FaultKind.LATENCY, times=None, request_type="sms", seconds=0.2))
    before = sms_requests(simulator)
    responses = await asyncio.gather(
        *(
            call(hass, "send_sms", gateway, recipients=[f"79161{n:06d}"], message=f"n{n}")
            for n in range(50)
        )
    )
    count = sms_requests(simulator) - before
    assert count <= 3
    ids = [r["messages"][0]["message_id"] for r in responses]
    assert len(set(ids)) == 50
    for n, message_id in enumerate(ids):
        assert simulator.message(message_id).text == f"n{n}"


async def test_calls_arriving_while_two_requests_are_in_flight_wait_and_go_together(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.add_fault(Fault(FaultKind.LATENCY, times=None, request_type="sms", seconds=0.3))
    before = sms_requests(simulator)
    waves = []
    for wave in range(3):
        waves += [
            asyncio.create_task(
                call(hass, "send_sms", gateway, recipients=[f"7926{wave}{n:06d}"], message="w")
            )
            for n in range(10)
        ]
        await asyncio.sleep(0.1)
    responses = await asyncio.gather(*waves)
    requests = simulator.requests_of_type("sms")[before:]
    # One request per wave; the third wave waited for a free slot and went out whole.
    assert [len(r.body["message"]) for r in requests] == [10, 10, 10]
    assert len({r["messages"][0]["message_id"] for r in responses}) == 30


async def test_connection_reset_after_processing_is_retried_without_double_send(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.add_fault(Fault(FaultKind.RESET_AFTER, request_type="sms"))
    before = sms_requests(simulator)
    response = await call(
        hass, "send_sms", gateway, recipients=[OK_PHONE, "79261234567"], message="Once"
    )
    assert response["sent"] == 2
    first, retry = simulator.requests_of_type("sms")[before:]
    assert first.processed
    assert first.status is None  # the answer was lost
    # The retry carried the same client ids and got the earlier message ids back.
    first_ids = [a["client_id_sms"] for a in first.body["message"][0]["abonent"]]
    retry_ids = [a["client_id_sms"] for a in retry.body["message"][0]["abonent"]]
    assert first_ids == retry_ids
    sent = [m for m in simulator.messages(LOGIN) if m.text == "Once"]
    assert sorted(m.id_sms for m in sent) == sorted(
        int(m["message_id"]) for m in response["messages"]
    )
    processed = simulator.processed_client_ids(LOGIN)
    assert all(processed[client_id] == 1 for client_id in first_ids)


async def test_cyrillic_text_over_seventy_characters_is_two_parts(
    hass: HomeAssistant, gateway: MockConfigEntry
) -> None:
    text = "Ж" * 71
    response = await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message=text)
    assert response["messages"][0]["parts"] == 2
    response = await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message=text[:70])
    assert response["messages"][0]["parts"] == 1


async def test_transliterate_sends_latin(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    response = await call(
        hass,
        "send_sms",
        gateway,
        recipients=[OK_PHONE],
        message="Привет, мир",
        transliterate=True,
    )
    sent = simulator.message(response["messages"][0]["message_id"])
    assert sent.text.isascii()
    assert sent.text.startswith("Privet")


async def test_send_at_schedules_and_cancel_scheduled(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    send_at = dt_util.now() + timedelta(days=1)
    response = await call(
        hass,
        "send_sms",
        gateway,
        recipients=[OK_PHONE],
        message="Later",
        send_at=send_at.isoformat(),
        valid_until=(send_at + timedelta(hours=2)).isoformat(),
    )
    message_id = response["messages"][0]["message_id"]
    scheduled = await call(hass, "get_scheduled", gateway)
    assert [m["message_id"] for m in scheduled["messages"]] == [message_id]
    entry = scheduled["messages"][0]
    assert entry["text"] == "Later"
    assert dt_util.parse_datetime(entry["send_at"]) == send_at.replace(second=0, microsecond=0)
    page = await call(hass, "get_scheduled", gateway, page=1)
    assert (page["page"], page["pages"]) == (1, 1)
    cancelled = await call(hass, "cancel_scheduled", gateway, message_ids=[message_id])
    assert cancelled == {"changes": [{"key": message_id, "action": "deleted", "number": None}]}
    assert (await call(hass, "get_scheduled", gateway))["messages"] == []


# --- bad input: refused before anything is sent -----------------------------------------


def _past() -> str:
    return (dt_util.now() - timedelta(minutes=5)).isoformat()


def _future(hours: int) -> str:
    return (dt_util.now() + timedelta(hours=hours)).isoformat()


@pytest.mark.parametrize(
    ("action", "data", "key"),
    [
        ("send_sms", {"recipients": ["12345"], "message": "x"}, "invalid_phone"),
        ("send_sms", {"recipients": [], "message": "x"}, "no_recipients"),
        ("send_sms", {"recipients": ["+7 999 abc"], "message": "x"}, "invalid_phone"),
        ("send_sms", {"recipients": [OK_PHONE], "message": "   "}, "empty_message"),
        (
            "send_sms",
            {"recipients": [OK_PHONE], "message": "x", "sender": "TOOLONGSENDER"},
            "invalid_sender",
        ),
        (
            "send_sms",
            {"recipients": [OK_PHONE], "message": "x", "sender": "1234567890123456"},
            "invalid_sender",
        ),
        ("send_sms", {"recipients": [OK_PHONE], "message": "x", "send_at": None}, "send_at"),
        (
            "send_sms",
            {"recipients": [OK_PHONE], "message": "x", "send_at": 2, "valid_until": 1},
            "valid_until_too_early",
        ),
        (
            "send_sms",
            {"recipients": [OK_PHONE], "message": "x", "message_type": "wappush"},
            "wappush_without_url",
        ),
        ("lookup_numbers", {"phones": ["0000"]}, "invalid_phone"),
        ("get_incoming", {"start": 2, "end": 1}, "end_before_start"),
        ("update_stop_list", {}, "nothing_to_change"),
        ("save_template", {"name": "n", "text": " "}, "empty_message"),
        ("send_push", {"message": "x"}, "not_gateway"),
    ],
)
async def test_bad_gateway_input_is_refused_and_nothing_is_sent(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    simulator: Simulator,
    *,
    action: str,
    data: dict[str, Any],
    key: str,
) -> None:
    data = dict(data)
    if key == "send_at":
        data["send_at"], key = _past(), "send_at_in_past"
    for field in ("send_at", "valid_until", "start", "end"):
        if isinstance(data.get(field), int):
            data[field] = _future(data[field])
    if key == "not_gateway":
        key = "not_scorocode_entry"
    before = len(simulator.requests)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, action, gateway, **data)
    assert caught.value.translation_key == key
    assert caught.value.translation_domain == DOMAIN
    assert len(simulator.requests) == before


@pytest.mark.parametrize(
    ("action", "data", "key"),
    [
        ("send_push", {"message": "x", "query": "[1, 2]"}, "not_json_object"),
        ("send_push", {"message": "x", "query": "{not json"}, "not_json_object"),
        ("send_push", {"message": "x", "data": [1]}, "not_json_object"),
        ("send_push", {"message": "x", "collection": "items"}, "invalid_collection"),
        ("send_push", {"message": " "}, "empty_message"),
        ("send_app_sms", {"message": "x", "collection": "devices"}, "sms_collection"),
        ("send_sms", {"recipients": [OK_PHONE], "message": "x"}, "not_gateway_entry"),
        ("get_senders", {}, "not_gateway_entry"),
    ],
)
async def test_bad_scorocode_input_is_refused_and_nothing_is_sent(
    hass: HomeAssistant,
    scorocode: MockConfigEntry,
    simulator: Simulator,
    *,
    action: str,
    data: dict[str, Any],
    key: str,
) -> None:
    before = len(simulator.requests)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, action, scorocode, **data)
    assert caught.value.translation_key == key
    assert len(simulator.requests) == before


async def test_unknown_and_unloaded_entries_are_refused(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "get_senders",
            {"config_entry_id": "nope"},
            blocking=True,
            return_response=True,
        )
    await hass.config_entries.async_unload(gateway.entry_id)
    before = len(simulator.requests)
    with pytest.raises(ServiceValidationError):
        await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message="x")
    assert len(simulator.requests) == before


# --- gateway refusals -------------------------------------------------------------------


async def test_wrong_password_starts_reauth(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.account(LOGIN).password = "changed"
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "get_senders", gateway)
    assert caught.value.translation_key == "invalid_auth"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert any(flow["context"]["source"] == SOURCE_REAUTH for flow in flows)


async def test_blocked_account(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.account(LOGIN).blocked = True
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message="x", sender="INFO")
    assert caught.value.translation_key == "account_blocked"


@pytest.mark.parametrize(
    ("setup", "sender", "reason"),
    [
        (lambda sim: sim.set_money(LOGIN, 0), "INFO", "Not enough money on the account."),
        (lambda _: None, "PROMO", "The sender name is not approved."),
        (lambda _: None, "NOBODY", "The sender name is unknown to the account."),
    ],
)
async def test_refusals_name_the_reason(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    simulator: Simulator,
    *,
    setup: Any,
    sender: str,
    reason: str,
) -> None:
    setup(simulator)
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message="x", sender=sender)
    assert caught.value.translation_key == "send_rejected"
    assert reason in str(caught.value)


async def test_network_failure_is_a_translated_error(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.add_fault(Fault(FaultKind.HTTP_500, times=3, request_type="sms"))
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message="x", sender="INFO")
    assert caught.value.translation_key == "cannot_connect"
    assert len(simulator.requests_of_type("sms")) == 3  # three tries, nothing sent
    assert not [m for m in simulator.messages(LOGIN) if m.text == "x"]


async def test_gateway_refused_request(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.add_fault(Fault(FaultKind.ERROR_TEXT, request_type="list_stop", text="Занято"))
    with pytest.raises(HomeAssistantError) as caught:
        await call(hass, "get_stop_list", gateway)
    assert caught.value.translation_key == "request_refused"
    assert "Занято" in str(caught.value)


# --- every other action: success and shape ----------------------------------------------


async def test_delivery_status(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    sent = await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message="Track")
    message_id = sent["messages"][0]["message_id"]
    pending = await call(hass, "get_delivery_status", gateway, message_ids=[message_id])
    assert pending["statuses"][0]["status"] == "pending"
    assert pending["statuses"][0]["changed_at"] is None
    simulator.finish_delivery(message_id, "deliver")
    status = (await call(hass, "get_delivery_status", gateway, message_ids=[message_id]))[
        "statuses"
    ][0]
    assert status["message_id"] == message_id
    assert status["status"] == "delivered"
    assert dt_util.parse_datetime(status["changed_at"]).tzinfo is not None
    assert status["parts"] == 1
    assert isinstance(status["price"], float)


async def test_get_senders(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    response = await call(hass, "get_senders", gateway)
    assert response["any_sender_allowed"] is False
    assert {"name": "INFO", "state": "approved"} in response["senders"]
    assert {"name": "PROMO", "state": "ordered"} in response["senders"]
    assert {"name": "SPAM", "state": "rejected"} in response["senders"]


async def test_get_incoming(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    response = await call(
        hass,
        "get_incoming",
        gateway,
        start=(dt_util.now() - timedelta(days=1)).isoformat(),
    )
    texts = [m["text"] for m in response["messages"]]
    assert texts == ["Привет! Это входящее SMS.", "СТОП"]
    first = response["messages"][0]
    assert first["sender"] == "79161234567"
    assert first["recipient"] == "3434"
    assert dt_util.parse_datetime(first["received_at"]).tzinfo is not None
    window = await call(
        hass,
        "get_incoming",
        gateway,
        start=(dt_util.now() - timedelta(days=1)).isoformat(),
        end=(dt_util.now() - timedelta(minutes=30)).isoformat(),
    )
    assert [m["text"] for m in window["messages"]] == ["Привет! Это входящее SMS."]


async def test_lookup_numbers(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    response = await call(hass, "lookup_numbers", gateway, phones=[OK_PHONE])
    assert response["numbers"][0]["phone"] == OK_NORMALISED
    assert response["numbers"][0]["operator"]


async def test_contact_lists_and_contacts(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    lists = (await call(hass, "get_contact_lists", gateway))["contact_lists"]
    assert [item["name"] for item in lists] == ["Клиенты"]
    assert lists[0]["greeting_sender"] == "INFO"

    created = await call(
        hass,
        "save_contact_list",
        gateway,
        name="Staff",
        greeting_enabled=True,
        greeting_time="10:30:00",
        greeting_sender="INFO",
        greeting_text="Happy birthday!",
    )
    change = created["changes"][0]
    assert change["action"] == "added"
    list_id = change["key"]
    renamed = await call(hass, "save_contact_list", gateway, contact_list_id=list_id, name="Team")
    assert renamed["changes"][0]["action"] == "changed"

    saved = await call(
        hass,
        "save_contacts",
        gateway,
        contact_list_id=list_id,
        contacts=[
            {"phone": OK_PHONE, "name": "Ivan", "birth_date": "1990-05-01", "gender": "m"},
            {"phone": "8 926 123 45 67", "name": "Maria", "extra": ["vip"]},
        ],
    )
    assert [c["action"] for c in saved["changes"]] == ["added", "added"]
    contacts = await call(hass, "get_contacts", gateway, contact_list_id=list_id)
    assert {c["phone"] for c in contacts["contacts"]} == {OK_NORMALISED, "79261234567"}
    ivan = next(c for c in contacts["contacts"] if c["name"] == "Ivan")
    assert ivan["birth_date"] == "1990-05-01"
    assert ivan["gender"] == "m"
    page = await call(hass, "get_contacts", gateway, contact_list_id=list_id, page=1)
    assert (page["page"], page["pages"]) == (1, 1)
    assert len(page["contacts"]) == 2

    deleted = await call(
        hass, "delete_contacts", gateway, contact_list_id=list_id, phones=["8 926 123 45 67"]
    )
    assert deleted["changes"][0]["action"] == "deleted"
    gone = await call(hass, "delete_contact_list", gateway, contact_list_id=list_id)
    assert gone["changes"][0] == {"key": list_id, "action": "deleted", "number": None}
    lists = (await call(hass, "get_contact_lists", gateway))["contact_lists"]
    assert [item["name"] for item in lists] == ["Клиенты"]


async def test_stop_list(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    assert (await call(hass, "get_stop_list", gateway))["phones"] == [STOPPED_PHONE]
    changed = await call(hass, "update_stop_list", gateway, add=[OK_PHONE], remove=[STOPPED_PHONE])
    assert {c["key"] for c in changed["changes"]} == {OK_NORMALISED, STOPPED_PHONE}
    assert (await call(hass, "get_stop_list", gateway))["phones"] == [OK_NORMALISED]


async def test_gateway_time(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    response = await call(hass, "get_gateway_time", gateway)
    assert response["utc_offset"] == "+03:00"
    aware = dt_util.parse_datetime(response["time"])
    assert aware is not None
    assert abs((aware - dt_util.utcnow()).total_seconds()) < 60


async def test_statistics(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    await call(hass, "send_sms", gateway, recipients=[OK_PHONE], message="Stat")
    response = await call(hass, "get_statistics", gateway)
    assert response["total"] >= 1
    record = next(r for r in response["records"] if r["text"] == "Stat")
    assert record["phone"] == OK_NORMALISED
    assert record["status"] == "pending"
    assert isinstance(record["price"], float)
    none = await call(hass, "get_statistics", gateway, status="delivered", phone=OK_PHONE)
    assert none["total"] == 0


async def test_templates(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    templates = (await call(hass, "get_templates", gateway))["templates"]
    assert [t["name"] for t in templates] == ["Напоминание"]
    created = (await call(hass, "save_template", gateway, name="Hi", text="Hello {name}"))[
        "changes"
    ][0]
    assert created["action"] == "added"
    changed = await call(
        hass, "save_template", gateway, template_id=created["key"], name="Hi", text="Hey"
    )
    assert changed["changes"][0]["action"] == "changed"
    templates = (await call(hass, "get_templates", gateway))["templates"]
    assert {"id": created["key"], "name": "Hi", "text": "Hey"} in templates
    deleted = await call(hass, "delete_template", gateway, template_id=created["key"])
    assert deleted["changes"][0]["action"] == "deleted"


async def test_send_without_response_still_sends(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": gateway.entry_id, "recipients": [OK_PHONE], "message": "Quiet"},
        blocking=True,
    )
    assert [m.text for m in simulator.messages(LOGIN)].count("Quiet") == 1


# --- Scorocode --------------------------------------------------------------------------


async def test_send_push(
    hass: HomeAssistant, scorocode: MockConfigEntry, simulator: Simulator
) -> None:
    response = await call(
        hass,
        "send_push",
        scorocode,
        message="Shipped",
        title="Shop",
        query={"deviceType": "android"},
        data={"gcm": {"data": {"order": "1"}}},
    )
    assert response == {"count": 2}
    push = simulator.requests_of_type("sendpush")[-1].body
    assert push["coll"] == "devices"
    assert push["msg"]["text"] == "Shipped"
    assert push["msg"]["data"]["gcm"]["notification"]["title"] == "Shop"
    assert push["msg"]["data"]["gcm"]["data"] == {"order": "1"}
    assert push["msg"]["data"]["apns"]["aps"]["alert"]["title"] == "Shop"
    everyone = await call(
        hass, "send_push", scorocode, message="All", query='{"deviceType": "ios"}'
    )
    assert everyone == {"count": 2}


async def test_send_app_sms(
    hass: HomeAssistant, scorocode: MockConfigEntry, simulator: Simulator
) -> None:
    response = await call(
        hass, "send_app_sms", scorocode, message="Code 1234", query={"username": "alice"}
    )
    assert response == {"count": 1}
    assert simulator.requests_of_type("sendsms")[-1].body["coll"] == "users"


async def test_every_action_is_described(hass: HomeAssistant, gateway: MockConfigEntry) -> None:
    integration = Path(sender_module.__file__).parent
    described = load_yaml_dict(str(integration / "services.yaml"))
    strings = json.loads((integration / "strings.json").read_text(encoding="utf-8"))["services"]
    icons = json.loads((integration / "icons.json").read_text(encoding="utf-8"))["services"]
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    assert len(registered) == 22
    assert set(described) == set(strings) == set(icons) == registered
    for name, description in described.items():
        assert "config_entry_id" in description["fields"]
        assert set(description["fields"]) == set(strings[name]["fields"]), name


async def test_parts_left_out_by_the_gateway_are_those_the_guard_counted(
    hass: HomeAssistant, gateway: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gateway that answers without `parts`: a WAP push is one part, whatever its text."""
    parse_send = answers.parse_send

    def without_parts(*args: Any) -> tuple[SendResult, ...]:
        return tuple(replace(result, parts=None) for result in parse_send(*args))

    monkeypatch.setattr(answers, "parse_send", without_parts)
    response = await call(
        hass,
        "send_sms",
        gateway,
        recipients=[OK_PHONE],
        message="Счётчики за месяц: " + "показания воды и электричества " * 4,
        message_type="wappush",
        url="https://example.com/meters",
    )
    assert response["messages"][0]["parts"] == 1
    runtime = gateway.runtime_data
    assert isinstance(runtime, GatewayRuntimeData)
    assert runtime.guard.sent_today == 1
