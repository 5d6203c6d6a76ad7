"""`sms`: sending, every per-abonent error, de-duplication, scheduling, charging."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from simulator import Simulator
from simulator.jsongate import errors

MTS = "79161234567"  # МТС, 1.50 per part
BEELINE = "79031234567"  # Билайн, 1.70 per part


def _nothing(_sim: Simulator) -> None:
    pass


def _provider_out(sim: Simulator) -> None:
    sim.provider_out_of_sms = True


def _package_used_up(sim: Simulator) -> None:
    sim.account("demo").sms_quota = 0


def _sending_blocked(sim: Simulator) -> None:
    sim.account("demo").sending_blocked = True


def _mts_denied(sim: Simulator) -> None:
    sim.account("demo").areas[0].denied = True


def _mts_closed(sim: Simulator) -> None:
    sim.account("demo").areas[0].closed = True


def _one_part_short(sim: Simulator) -> None:
    sim.set_money("demo", "1.49")


def _casino_banned(sim: Simulator) -> None:
    sim.account("demo").forbidden_words.add("казино")


Setup = Callable[[Simulator], None]
ERROR_CASES: list[tuple[str, Setup, dict[str, Any], dict[str, Any], str]] = [
    ("provider-out", _provider_out, {}, {}, errors.PROVIDER_OUT_OF_SMS),
    ("package-used-up", _package_used_up, {}, {}, errors.OUT_OF_SMS),
    ("sending-blocked", _sending_blocked, {}, {}, errors.SENDING_BLOCKED),
    ("no-phone", _nothing, {}, {"phone": ""}, errors.NO_PHONE),
    ("stop-list", _nothing, {}, {"phone": "79160000000"}, errors.PHONE_STOPPED),
    ("area-denied", _mts_denied, {}, {}, errors.AREA_DENIED),
    ("area-closed", _mts_closed, {}, {}, errors.AREA_CLOSED),
    ("area-unknown", _nothing, {}, {"phone": "71234567890"}, errors.AREA_CLOSED),
    ("no-money", _one_part_short, {}, {}, errors.NO_MONEY),
    ("moderation", _casino_banned, {"text": "Лучшее КАЗИНО"}, {}, errors.TEXT_REJECTED),
    ("no-sender", _nothing, {"sender": ""}, {}, errors.NO_SENDER),
    ("alnum-sender-12", _nothing, {"sender": "ABCDEFGHIJKL"}, {}, errors.SENDER_TOO_LONG),
    ("digit-sender-16", _nothing, {"sender": "7" * 16}, {}, errors.SENDER_TOO_LONG),
    ("plus-in-phone", _nothing, {}, {"phone": "+79161234567"}, errors.BAD_PHONE),
    ("phone-15-digits", _nothing, {}, {"phone": "791612345678901"}, errors.BAD_PHONE),
    ("no-text", _nothing, {"text": ""}, {}, errors.NO_TEXT),
    ("blank-text", _nothing, {"text": "   "}, {}, errors.NO_TEXT),
    ("wappush-no-url", _nothing, {"type": "wappush"}, {}, errors.NO_URL),
    ("unknown-sender", _nothing, {"sender": "NOPE"}, {}, errors.UNKNOWN_SENDER),
    ("sender-in-order", _nothing, {"sender": "PROMO"}, {}, errors.SENDER_NOT_APPROVED),
    ("sender-rejected", _nothing, {"sender": "SPAM"}, {}, errors.SENDER_NOT_APPROVED),
]


@pytest.mark.parametrize(
    ("setup", "message", "abonent", "expected"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
async def test_each_abonent_error(gate, sim, *, setup, message, abonent, expected):
    setup(sim)
    money = sim.account("demo").money
    answer = await gate.call(
        "sms",
        message=[
            {
                "type": "sms",
                "sender": "INFO",
                "text": "Тест",
                **message,
                "abonent": [{"phone": MTS, "number_sms": "7", "client_id_sms": 55, **abonent}],
            }
        ],
    )
    assert answer == {"sms": [{"number_sms": "7", "parts": "1", "action": expected}]}
    assert sim.account("demo").money == money
    assert sim.messages("demo") == []
    assert sim.processed_client_ids("demo") == {}


def test_every_documented_abonent_error_is_reachable():
    reachable = {case[-1] for case in ERROR_CASES} | {errors.ALREADY_SENT}
    assert reachable == set(errors.ABONENT_ERRORS)
    assert len(errors.ABONENT_ERRORS) == 17
    assert all(text.endswith(".") for text in errors.ABONENT_ERRORS)


async def test_successful_send_debits_and_numbers_messages(gate, sim):
    answers = await gate.send(
        {"phone": MTS, "number_sms": "1"}, {"phone": BEELINE, "number_sms": "2"}, text="Hello"
    )
    assert [a["action"] for a in answers] == ["send", "send"]
    assert [a["parts"] for a in answers] == ["1", "1"]
    first, second = (int(a["id_sms"]) for a in answers)
    assert second > first
    assert all(a["id_sms"].isdigit() for a in answers)
    assert sim.account("demo").money == Decimal(150) - Decimal("1.50") - Decimal("1.70")
    message = sim.message(first)
    assert (message.state, message.sender, message.phone, message.area) == (
        "send",
        "INFO",
        MTS,
        "МТС",
    )
    assert message.name_delivery == "Шлюз"
    assert message.sent_at == sim.clock.now()


async def test_answer_keys_are_in_document_order(gate):
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"})
    assert list(answer) == ["number_sms", "id_sms", "parts", "action"]


async def test_answers_follow_abonents_across_messages(gate):
    answer = await gate.call(
        "sms",
        message=[
            {
                "type": "sms",
                "sender": "INFO",
                "text": "one",
                "abonent": [{"phone": MTS, "number_sms": "1"}, {"phone": "", "number_sms": "2"}],
            },
            {
                "type": "flashsms",
                "sender": "ALERT",
                "text": "two",
                "abonent": [{"phone": BEELINE, "number_sms": "3"}],
            },
        ],
    )
    assert [a["number_sms"] for a in answer["sms"]] == ["1", "2", "3"]
    assert [a["action"] for a in answer["sms"]] == ["send", errors.NO_PHONE, "send"]
    assert "id_sms" not in answer["sms"][1]


async def test_multipart_message_is_charged_per_part(gate, sim):
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"}, text="Ж" * 71)
    assert answer["parts"] == "2"
    assert sim.account("demo").money == Decimal(147)
    assert len(sim.message(answer["id_sms"]).part_ids) == 2


async def test_money_must_cover_every_part(gate, sim):
    sim.set_money("demo", "2.99")
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"}, text="Ж" * 71)
    assert answer["action"] == errors.NO_MONEY
    sim.set_money("demo", "3.00")
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"}, text="Ж" * 71)
    assert answer["action"] == "send"
    assert sim.account("demo").money == 0


async def test_translite_sends_latin_and_counts_gsm_parts(gate, sim):
    text = "Щука" * 20  # 80 Cyrillic letters: 2 UCS-2 parts, but 140 Latin ones fit in one
    (plain,) = await gate.send({"phone": MTS, "number_sms": "1"}, text=text)
    (latin,) = await gate.send({"phone": MTS, "number_sms": "2"}, text=text, translite="1")
    assert plain["parts"] == "2"
    assert latin["parts"] == "1"
    assert sim.message(latin["id_sms"]).text == "Shchuka" * 20


@pytest.mark.parametrize("translite", ["0", "", None])
async def test_translite_other_than_1_keeps_cyrillic(gate, sim, translite):
    (answer,) = await gate.send(
        {"phone": MTS, "number_sms": "1"}, text="Привет", translite=translite
    )
    assert sim.message(answer["id_sms"]).text == "Привет"


async def test_sender_length_limits_are_inclusive(gate):
    (alnum,) = await gate.send({"phone": MTS, "number_sms": "1"}, sender="ABCDEFGHIJK")
    (digits,) = await gate.send({"phone": MTS, "number_sms": "2"}, sender="7" * 15)
    assert alnum["action"] == errors.UNKNOWN_SENDER  # long enough is fine; just not registered
    assert digits["action"] == errors.UNKNOWN_SENDER


async def test_any_originator_allows_unregistered_senders(gate, sim):
    sim.account("demo").any_originator = True
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"}, sender="WHATEVER")
    (rejected,) = await gate.send({"phone": MTS, "number_sms": "2"}, sender="SPAM")
    (too_long,) = await gate.send({"phone": MTS, "number_sms": "3"}, sender="ABCDEFGHIJKL")
    assert answer["action"] == "send"
    assert rejected["action"] == "send"
    assert too_long["action"] == errors.SENDER_TOO_LONG


async def test_phone_of_14_digits_is_accepted(gate):
    (answer,) = await gate.send({"phone": "79161234567890", "number_sms": "1"})
    assert answer["action"] == "send"


async def test_wappush_with_url_and_vcard(gate, sim):
    answer = await gate.call(
        "sms",
        message=[
            {
                "type": "wappush",
                "sender": "INFO",
                "text": "Наш сайт",
                "url": "https://example.com",
                "abonent": [{"phone": MTS, "number_sms": "1"}],
            },
            {
                "type": "vcard",
                "sender": "INFO",
                "text": "BEGIN:VCARD\nFN:Ivan\nEND:VCARD",
                "abonent": [{"phone": MTS, "number_sms": "2"}],
            },
        ],
    )
    push, card = answer["sms"]
    assert (push["action"], push["parts"], card["action"], card["parts"]) == (
        "send",
        "1",
        "send",
        "1",
    )
    assert sim.message(push["id_sms"]).url == "https://example.com"
    assert sim.message(card["id_sms"]).kind == "vcard"


@pytest.mark.parametrize(
    "message",
    [
        {"type": "mms", "sender": "INFO", "text": "x", "abonent": [{"phone": MTS}]},
        {"type": "sms", "sender": "INFO", "text": "x"},
        {"type": "sms", "sender": "INFO", "text": "x", "abonent": {"phone": MTS}},
        {
            "type": "sms",
            "sender": "INFO",
            "text": "x",
            "abonent": [{"phone": MTS, "time_send": "tomorrow"}],
        },
        {
            "type": "sms",
            "sender": "INFO",
            "text": "x",
            "abonent": [{"phone": MTS, "client_id_sms": "abc"}],
        },
        {"type": "sms", "sender": "INFO", "text": ["x"], "abonent": [{"phone": MTS}]},
    ],
    ids=["unknown-type", "no-abonent", "abonent-object", "bad-time", "bad-client-id", "text-list"],
)
async def test_format_errors_send_nothing(gate, sim, message):
    good = {
        "type": "sms",
        "sender": "INFO",
        "text": "ok",
        "abonent": [{"phone": MTS, "number_sms": "1"}],
    }
    answer = await gate.call("sms", message=[good, message])
    assert answer == {"error": "Неправильный формат JSON документа"}
    assert sim.messages("demo") == []


async def test_missing_message_list_is_a_format_error(gate):
    assert await gate.call("sms") == {"error": "Неправильный формат JSON документа"}


# De-duplication


@pytest.mark.parametrize("client_id", [100, "100", " 100 "])
async def test_repeated_client_id_is_not_sent_again(gate, sim, client_id):
    (first,) = await gate.send(
        {"phone": MTS, "number_sms": "1", "client_id_sms": 100}, text="Ж" * 71
    )
    money = sim.account("demo").money
    (again,) = await gate.send(
        {"phone": MTS, "number_sms": "9", "client_id_sms": client_id}, text="other"
    )
    assert again == {"number_sms": "9", "id_sms": first["id_sms"], "parts": "2", "action": "send"}
    assert sim.account("demo").money == money
    assert len(sim.messages("demo")) == 1
    assert sim.processed_client_ids("demo") == {100: 1}
    assert sim.seen_client_ids("demo") == {100: 2}


async def test_repeat_within_one_document_is_sent_once(gate, sim):
    answers = await gate.send(
        {"phone": MTS, "number_sms": "1", "client_id_sms": 7},
        {"phone": MTS, "number_sms": "2", "client_id_sms": "7"},
    )
    assert answers[0]["id_sms"] == answers[1]["id_sms"]
    assert sim.processed_client_ids("demo") == {7: 1}


async def test_repeat_is_deduplicated_even_if_it_would_now_fail(gate, sim):
    (first,) = await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 8})
    sim.set_money("demo", 0)
    (again,) = await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 8})
    assert again["id_sms"] == first["id_sms"]
    assert again["action"] == "send"


async def test_refused_client_id_can_be_retried(gate, sim):
    sim.set_money("demo", 0)
    (refused,) = await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 9})
    sim.set_money("demo", 10)
    (sent,) = await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 9})
    assert refused["action"] == errors.NO_MONEY
    assert sent["action"] == "send"
    assert sim.processed_client_ids("demo") == {9: 1}


async def test_client_ids_are_per_account(gate, sim):
    other = sim.add_account("other", "pw", money=10)
    other.add_area("МТС", price="1", prefixes=["7916"])
    other.add_sender("INFO")
    (mine,) = await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 5})
    answer = await gate.call(
        "sms",
        login="other",
        password="pw",
        message=[
            {
                "type": "sms",
                "sender": "INFO",
                "text": "x",
                "abonent": [{"phone": MTS, "client_id_sms": 5}],
            }
        ],
    )
    assert answer["sms"][0]["id_sms"] != mine["id_sms"]
    assert sim.processed_client_ids("other") == {5: 1}


async def test_duplicate_action_can_be_the_documented_text(gate, sim):
    sim.duplicate_action = errors.ALREADY_SENT
    (first,) = await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 3})
    (again,) = await gate.send({"phone": MTS, "number_sms": "1", "client_id_sms": 3})
    assert again == {
        "number_sms": "1",
        "id_sms": first["id_sms"],
        "parts": "1",
        "action": errors.ALREADY_SENT,
    }


# Scheduling (the demo account is UTC+3; the clock stands at 12:00 local)


async def test_future_time_send_is_scheduled_then_sent(gate, sim):
    (answer,) = await gate.send(
        {
            "phone": MTS,
            "number_sms": "1",
            "time_send": "2026-03-10 12:30",
            "validity_period": "2026-03-10 18:00",
        }
    )
    assert answer["action"] == "send"
    assert sim.account("demo").money == Decimal("148.5")  # charged when scheduled
    listed = await gate.call("list_scheduled", page="1")
    assert listed["page"] == "1"
    assert listed["num_pages"] == "1"
    assert listed["scheduled"] == [
        {
            "id_sms": answer["id_sms"],
            "time_put_turn": "2026-03-10 12:00:00",
            "originator": "INFO",
            "phone": MTS,
            "type_sms": "sms",
            "text_sms": "Тест",
            "count_sms": "1",
            "name_delivery": "Шлюз",
            "time_send": "2026-03-10 12:30",
            "validity_period": "2026-03-10 18:00:00",
        }
    ]
    state = await gate.call("state", get_state=[answer["id_sms"]])
    assert state["state"][0]["state"] == "send"
    assert state["state"][0]["time"] == ""

    sim.clock.advance(timedelta(minutes=29, seconds=59))
    assert len((await gate.call("list_scheduled"))["scheduled"]) == 1
    sim.clock.advance(timedelta(seconds=1))
    assert (await gate.call("list_scheduled"))["scheduled"] == []
    message = sim.message(answer["id_sms"])
    assert message.state == "send"
    assert message.sent_at == sim.clock.now()


async def test_clock_move_alone_sends_scheduled_messages(gate, sim):
    (answer,) = await gate.send(
        {"phone": MTS, "number_sms": "1", "time_send": "2026-03-10 13:00:00"}
    )
    sim.clock.advance(timedelta(hours=2))
    assert sim.account("demo").messages[int(answer["id_sms"])].state == "send"


async def test_past_or_present_time_send_goes_at_once(gate, sim):
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1", "time_send": "2026-03-10 11:00"})
    assert sim.message(answer["id_sms"]).sent_at == sim.clock.now()
    assert (await gate.call("list_scheduled"))["scheduled"] == []


async def test_cancel_scheduled_refunds(gate, sim):
    (answer,) = await gate.send(
        {"phone": MTS, "number_sms": "1", "time_send": "2026-03-11 09:00"}, text="Ж" * 71
    )
    assert sim.account("demo").money == 147
    result = await gate.call(
        "scheduled", delete_schedule=[{"id_sms": answer["id_sms"]}, {"id_sms": "1"}]
    )
    assert result == {
        "scheduled": [
            {"id_sms": answer["id_sms"], "action": "delete"},
            {"id_sms": "1", "action": "not_found"},
        ]
    }
    assert sim.account("demo").money == 150
    assert (await gate.call("list_scheduled"))["scheduled"] == []
    assert (await gate.call("state", get_state=[answer["id_sms"]]))["state"] == []


async def test_sent_message_cannot_be_cancelled(gate):
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"})
    result = await gate.call("scheduled", delete_schedule=[{"id_sms": int(answer["id_sms"])}])
    assert result["scheduled"][0]["action"] == "not_found"


async def test_scheduled_delete_needs_its_list(gate):
    assert await gate.call("scheduled") == {"error": "Неправильный формат JSON документа"}


async def test_list_scheduled_is_paged(gate, sim):
    sim.page_size = 2
    abonents = [
        {"phone": MTS, "number_sms": str(n), "time_send": f"2026-03-10 {13 + n}:00"}
        for n in range(5)
    ]
    answers = await gate.send(*abonents)
    pages = [await gate.call("list_scheduled", page=page) for page in (1, "2", 3, 4)]
    assert [p["num_pages"] for p in pages] == ["3"] * 4
    assert [p["page"] for p in pages] == ["1", "2", "3", "4"]
    listed = [row["id_sms"] for p in pages for row in p["scheduled"]]
    assert listed == [a["id_sms"] for a in answers]
    assert pages[3]["scheduled"] == []
    assert (await gate.call("list_scheduled"))["page"] == "1"
    assert await gate.call("list_scheduled", page="0") == {
        "error": "Неправильный формат JSON документа"
    }


async def test_empty_schedule_still_has_one_page(gate):
    assert await gate.call("list_scheduled") == {"page": "1", "num_pages": "1", "scheduled": []}


# Delivery states


async def test_validity_period_expires_unreported_message(gate, sim):
    (answer,) = await gate.send(
        {"phone": MTS, "number_sms": "1", "validity_period": "2026-03-10 12:10"}
    )
    sim.clock.advance(timedelta(minutes=10))
    state = await gate.call("state", get_state=[answer["id_sms"]])
    assert state["state"][0]["state"] == "expired"
    assert state["state"][0]["time"] == "2026-03-10 12:10:00"


async def test_delivery_delay_delivers_automatically(gate, sim):
    sim.delivery_delay = timedelta(seconds=30)
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"})
    sim.clock.advance(timedelta(seconds=29))
    assert (await gate.call("state", get_state=[answer["id_sms"]]))["state"][0]["state"] == "send"
    sim.clock.advance(timedelta(seconds=1))
    row = (await gate.call("state", get_state=[answer["id_sms"]]))["state"][0]
    assert (row["state"], row["time"]) == ("deliver", "2026-03-10 12:00:30")
