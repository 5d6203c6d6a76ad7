"""`balance`, `originator`, `time`, `def`, `incoming`, `state`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.simulator.conftest import START

MTS = "79161234567"
BAD_FORMAT = {"error": "Неправильный формат JSON документа"}


async def test_balance_counts_sms_per_area_by_floor(gate, sim):
    sim.set_money("demo", "10.99")
    assert await gate.call("balance") == {
        "money": {"currency": "RUR", "value": "10.99"},
        "sms": [
            {"area": "МТС", "number": "7"},  # 1.50
            {"area": "Мегафон", "number": "6"},  # 1.60
            {"area": "Билайн", "number": "6"},  # 1.70
            {"area": "Tele2", "number": "7"},  # 1.40
        ],
    }


async def test_balance_follows_sends(gate, sim):
    await gate.send({"phone": MTS, "number_sms": "1"})
    answer = await gate.call("balance")
    assert answer["money"]["value"] == "148.5"
    assert answer["sms"][0] == {"area": "МТС", "number": "99"}


async def test_balance_of_the_documents_example(gate, sim):
    account = sim.add_account("example", "pw", money=10)
    account.add_area("МТС", price=1, prefixes=["7916"])
    account.add_area("Мегафон", price=2, prefixes=["7926"])
    answer = await gate.call("balance", login="example", password="pw")
    assert answer == {
        "money": {"currency": "RUR", "value": "10"},
        "sms": [{"area": "МТС", "number": "10"}, {"area": "Мегафон", "number": "5"}],
    }


async def test_originator_lists_senders(gate):
    assert await gate.call("originator") == {
        "any_originator": "FALSE",
        "list_originator": [
            {"state": "completed", "originator": "INFO"},
            {"state": "completed", "originator": "ALERT"},
            {"state": "order", "originator": "PROMO"},
            {"state": "rejected", "originator": "SPAM"},
        ],
    }


async def test_any_originator_returns_no_list(gate, sim):
    sim.account("demo").any_originator = True
    assert await gate.call("originator") == {"any_originator": "TRUE"}


async def test_time_is_account_local(gate, sim):
    assert await gate.call("time") == {"time": "2026-03-10 12:00:00"}
    sim.account("demo").utc_offset = timedelta(hours=7)
    assert await gate.call("time") == {"time": "2026-03-10 16:00:00"}
    sim.account("demo").utc_offset = timedelta(hours=-5)
    assert await gate.call("time") == {"time": "2026-03-10 04:00:00"}


async def test_time_follows_the_sim_clock_not_the_host(gate, sim):
    sim.clock.set(datetime(2030, 12, 31, 22, 59, 59, tzinfo=UTC))
    assert await gate.call("time") == {"time": "2031-01-01 01:59:59"}


async def test_def_looks_numbers_up_in_areas(gate):
    answer = await gate.call("def", phones=["79031234567", 79161234567, "70000000000"])
    assert answer == {
        "phones": [
            {
                "phone": "79031234567",
                "operator": "Билайн",
                "region": "Новосибирская область",
                "time_zone": "4",
            },
            {
                "phone": "79161234567",
                "operator": "МТС",
                "region": "Москва и Московская область",
                "time_zone": "0",
            },
            {"phone": "70000000000", "operator": "", "region": "", "time_zone": "0"},
        ]
    }


async def test_def_needs_phones(gate):
    assert await gate.call("def") == BAD_FORMAT


# Incoming


@pytest.fixture
def inbox(sim):
    """Three SMS at 12:00:10, 12:00:11 (two) local time, added out of order."""
    sim.account("demo").incoming.clear()
    at = START + timedelta(seconds=10)
    late_a = sim.add_incoming(
        "demo", originator="79160000001", text="b", received_at=at + timedelta(seconds=1)
    )
    early = sim.add_incoming(
        "demo", originator="79160000002", text="a", phone="3434", prefix="IGRA", received_at=at
    )
    late_b = sim.add_incoming(
        "demo", originator="79160000003", text="c", received_at=at + timedelta(seconds=1)
    )
    return early, late_a, late_b


async def test_incoming_answer_shape(gate, inbox):
    early, _, _ = inbox
    answer = await gate.call(
        "incoming", time={"start": "2026-03-10 12:00:09", "end": "2026-03-10 12:00:11"}
    )
    assert answer == {
        "sms": [
            {
                "id_sms": early,
                "date_receive": "2026-03-10 12:00:10",
                "originator": "79160000002",
                "prefix": "IGRA",
                "phone": "3434",
                "text_sms": "a",
            }
        ]
    }


async def test_incoming_start_is_exclusive(gate, inbox):
    _, late_a, late_b = inbox
    answer = await gate.call("incoming", time={"start": "2026-03-10 12:00:10"})
    assert [sms["id_sms"] for sms in answer["sms"]] == [late_a, late_b]


async def test_incoming_end_is_exclusive(gate, inbox):
    answer = await gate.call(
        "incoming", time={"start": "2026-03-10 12:00:10", "end": "2026-03-10 12:00:11"}
    )
    assert answer == {"sms": []}


async def test_incoming_orders_by_time_then_id(gate, inbox):
    early, late_a, late_b = inbox
    answer = await gate.call("incoming", time={"start": "2026-03-10 11:00", "end": ""})
    assert [sms["id_sms"] for sms in answer["sms"]] == [early, late_a, late_b]
    assert all(sms["id_sms"].isdigit() for sms in answer["sms"])


async def test_incoming_window_is_in_account_local_time(gate, sim, inbox):
    sim.account("demo").utc_offset = timedelta(0)
    answer = await gate.call(
        "incoming", time={"start": "2026-03-10 09:00:09", "end": "2026-03-10 09:00:11"}
    )
    assert [sms["date_receive"] for sms in answer["sms"]] == ["2026-03-10 09:00:10"]


async def test_incoming_drops_sub_second_precision(gate, sim):
    sim.account("demo").incoming.clear()
    sim.add_incoming(
        "demo",
        originator="1",
        text="x",
        received_at=START + timedelta(seconds=5, microseconds=900_000),
    )
    answer = await gate.call("incoming", time={"start": "2026-03-10 12:00:05"})
    assert answer == {"sms": []}


async def test_incoming_naive_time_is_account_local(sim):
    id_sms = sim.add_incoming(
        "demo", originator="1", text="x", received_at=datetime(2026, 3, 10, 12, 0, 7)
    )
    received = next(sms for sms in sim.account("demo").incoming if str(sms.id_sms) == id_sms)
    assert received.received_at == START + timedelta(seconds=7)


@pytest.mark.parametrize(
    "window",
    [
        None,
        {},
        {"start": "2018-02-31 12:23:00"},
        {"start": "yesterday"},
        {"start": "2026-03-10 12:00", "end": 5},
    ],
    ids=["missing", "no-start", "impossible-date", "words", "end-number"],
)
async def test_incoming_bad_window_is_a_format_error(gate, window):
    assert await gate.call("incoming", time=window) == BAD_FORMAT


# State


async def test_state_reports_each_known_message(gate, sim):
    sent = await gate.send(*({"phone": MTS, "number_sms": str(n)} for n in range(5)), text="Ж" * 71)
    ids = [a["id_sms"] for a in sent]
    sim.clock.advance(timedelta(seconds=5))
    sim.finish_delivery(ids[1], "deliver")
    sim.finish_delivery(ids[2], "not_deliver")
    sim.finish_delivery(int(ids[3]), "expired")
    sim.finish_delivery(ids[4], "partly_deliver")
    answer = await gate.call("state", get_state=[*ids, "123", "junk", 5])
    assert answer == {
        "state": [
            {"id_sms": ids[0], "time": "", "state": "send", "num_parts": "2", "price": "1.5"},
            {
                "id_sms": ids[1],
                "time": "2026-03-10 12:00:05",
                "state": "deliver",
                "num_parts": "2",
                "price": "1.5",
            },
            {
                "id_sms": ids[2],
                "time": "2026-03-10 12:00:05",
                "state": "not_deliver",
                "num_parts": "2",
                "price": "1.5",
            },
            {
                "id_sms": ids[3],
                "time": "2026-03-10 12:00:05",
                "state": "expired",
                "num_parts": "2",
                "price": "1.5",
            },
            {
                "id_sms": ids[4],
                "time": "2026-03-10 12:00:05",
                "state": "partly_deliver",
                "num_parts": "2",
                "price": "1.5",
            },
        ]
    }


async def test_state_never_shows_other_accounts_messages(gate, sim):
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"})
    other = sim.add_account("other", "pw")
    assert other.messages == {}
    assert await gate.call("state", login="other", password="pw", get_state=[answer["id_sms"]]) == {
        "state": []
    }


async def test_final_state_is_final(sim, gate):
    (answer,) = await gate.send({"phone": MTS, "number_sms": "1"})
    sim.finish_delivery(answer["id_sms"], "deliver")
    with pytest.raises(ValueError, match="not waiting"):
        sim.finish_delivery(answer["id_sms"], "not_deliver")
    with pytest.raises(KeyError):
        sim.finish_delivery("1", "deliver")


async def test_finish_all_deliveries(sim, gate):
    await gate.send({"phone": MTS, "number_sms": "1"}, {"phone": MTS, "number_sms": "2"})
    await gate.send({"phone": MTS, "number_sms": "3", "time_send": "2026-03-11 10:00"})
    assert sim.finish_all_deliveries("not_deliver") == 2
    assert sorted(m.state for m in sim.messages("demo")) == [
        "not_deliver",
        "not_deliver",
        "scheduled",
    ]
    with pytest.raises(ValueError, match="final state"):
        sim.finish_all_deliveries("send")


async def test_state_needs_its_list(gate):
    assert await gate.call("state") == BAD_FORMAT
