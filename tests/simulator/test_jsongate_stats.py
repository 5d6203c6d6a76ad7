"""`list_stats`: rows per part, filters, the three-month window, its two errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

MTS = "79161234567"
BEELINE = "79031234567"


@pytest.fixture
async def history(gate, sim):
    """Yesterday 12:00 one 2-part SMS to МТС from INFO; today 12:00 one to Билайн from ALERT."""
    sim.clock.advance(timedelta(days=-1))
    (old,) = await gate.send(
        {"phone": MTS, "number_sms": "1"}, text="Ж" * 71, name_delivery="Акция"
    )
    sim.clock.advance(timedelta(seconds=15))
    sim.finish_delivery(old["id_sms"], "deliver")
    sim.clock.advance(timedelta(days=1, seconds=-15))
    (new,) = await gate.send({"phone": BEELINE, "number_sms": "1"}, sender="ALERT", text="Hi")
    return old["id_sms"], new["id_sms"]


async def test_default_period_is_today(gate, history):
    _, new = history
    answer = await gate.call("list_stats")
    assert answer["num_stats"] == "1"
    (row,) = answer["stats"]
    assert row["id_sms"] == new
    assert row["status"] == "send"
    assert row["status_translate"] == "Отправлено"
    assert row["time_change_state"] == row["time"] == "2026-03-10 12:00:00"


async def test_one_row_per_part_num_stats_counts_sms(gate, sim, history):
    old, _ = history
    answer = await gate.call(
        "list_stats", stats={"date_start": "2026-03-09", "date_stop": "2026-03-09"}
    )
    assert answer["num_stats"] == "1"
    message = sim.message(old)
    assert answer["stats"] == [
        {
            "id_sms": old,
            "id_state": str(message.part_ids[part - 1]),
            "operator": "МТС",
            "name_delivery": "Акция",
            "phone": MTS,
            "originator": "INFO",
            "time_change_state": "2026-03-09 12:00:15",
            "time": "2026-03-09 12:00:00",
            "status": "deliver",
            "status_translate": "Доставлено",
            "text": "Ж" * 71,
            "price": "1.5",
            "num_parts": "2",
            "part_no": str(part),
        }
        for part in (1, 2)
    ]
    assert message.part_ids[0] != message.part_ids[1]


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10"}, 2),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "state": "deliver"}, 1),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "state": "send"}, 1),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "state": "expired"}, 0),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "originator": "ALERT"}, 1),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "phone": MTS}, 1),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "operator": "Beeline"}, 1),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "operator": "мтс"}, 1),
        ({"date_start": "2026-03-09", "date_stop": "2026-03-10", "operator": "Tele2"}, 0),
        (
            {
                "date_start": "2026-03-09",
                "date_stop": "2026-03-10",
                "from_hour": "12",
                "from_minute": "01",
            },
            1,
        ),
        (
            {
                "date_start": "2026-03-10",
                "date_stop": "2026-03-10",
                "to_hour": "11",
                "to_minute": "59",
            },
            0,
        ),
        (
            {
                "date_start": "2026-03-10",
                "date_stop": "2026-03-10",
                "to_hour": "12",
                "to_minute": "00",
            },
            1,
        ),
        ({"date_start": "2026-03-10", "date_stop": "2026-03-09"}, 0),
        (
            {
                "date_start": "2026-03-09",
                "date_stop": "2026-03-10",
                "state": "",
                "originator": "",
                "phone": "",
                "operator": "",
            },
            2,
        ),
    ],
)
async def test_filters(gate, history, stats, expected):
    answer = await gate.call("list_stats", stats=stats)
    assert answer["num_stats"] == str(expected)
    assert len({row["id_sms"] for row in answer["stats"]}) == expected


@pytest.mark.parametrize(
    "stats",
    [
        {"date_start": "2026-02-30"},
        {"date_stop": "10.03.2026"},
        {"from_hour": "24"},
        {"to_minute": "6O"},
    ],
)
async def test_bad_date(gate, stats):
    assert await gate.call("list_stats", stats=stats) == {"error": "Некорректный формат даты"}


async def test_unknown_operator(gate):
    answer = await gate.call("list_stats", stats={"operator": "Ростелеком"})
    assert answer == {"error": "Такой оператор не обнаружен"}


async def test_only_the_last_three_months(gate, sim):
    sim.clock.advance(timedelta(days=-92))  # 2025-12-08
    await gate.send({"phone": MTS, "number_sms": "1"})
    sim.clock.advance(timedelta(days=2))  # 2025-12-10: exactly three months back
    await gate.send({"phone": MTS, "number_sms": "2"})
    sim.clock.advance(timedelta(days=90))
    answer = await gate.call(
        "list_stats", stats={"date_start": "2025-01-01", "date_stop": "2026-03-10"}
    )
    assert [row["time"] for row in answer["stats"]] == ["2025-12-10 12:00:00"]


async def test_scheduled_messages_are_not_in_stats_until_sent(gate, sim):
    await gate.send({"phone": MTS, "number_sms": "1", "time_send": "2026-03-10 12:10"})
    assert (await gate.call("list_stats"))["num_stats"] == "0"
    sim.clock.advance(timedelta(minutes=10))
    answer = await gate.call("list_stats")
    assert answer["num_stats"] == "1"
    assert answer["stats"][0]["time"] == "2026-03-10 12:10:00"
