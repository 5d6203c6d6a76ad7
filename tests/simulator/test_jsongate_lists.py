"""Contact lists, stop list and templates: `list_bases`, `bases`, `list_phones`,
`phones`, `list_stop`, `stop`, `list_patterns`, `patterns`."""

from __future__ import annotations

from datetime import timedelta

import pytest

BAD_FORMAT = {"error": "Неправильный формат JSON документа"}
NO_BASE = {"error": "Базы с таким номером не существует"}


async def test_list_bases(gate, sim):
    (base,) = sim.account("demo").contact_lists.values()
    assert await gate.call("list_bases") == {
        "base": [
            {
                "id_base": str(base.id_base),
                "name_base": "Клиенты",
                "time_birth": "12:00",
                "local_time_birth": "no",
                "day_before": "0",
                "originator_birth": "INFO",
                "on_birth": "no",
                "text_birth": "С днём рождения!",
            }
        ]
    }


async def test_bases_edit_insert_delete(gate, sim):
    (existing,) = sim.account("demo").contact_lists
    answer = await gate.call(
        "bases",
        bases=[
            {"id_base": str(existing), "name_base": "VIP", "on_birth": "yes"},
            {"number_base": "1", "name_base": "Новая", "time_birth": "09:30", "day_before": 1},
            {"id_base": "999"},
        ],
        delete_bases=[{"id_base": "998"}],
    )
    inserted = answer["bases"][1]["id_base"]
    assert answer == {
        "bases": [
            {"id_base": str(existing), "action": "edit"},
            {"id_base": inserted, "action": "insert", "number_base": "1"},
            {"id_base": "999", "action": "not_found"},
            {"id_base": "998", "action": "not_found"},
        ]
    }
    listed = {row["id_base"]: row for row in (await gate.call("list_bases"))["base"]}
    assert (listed[str(existing)]["name_base"], listed[str(existing)]["on_birth"]) == ("VIP", "yes")
    assert listed[inserted]["name_base"] == "Новая"
    assert listed[inserted]["time_birth"] == "09:30"
    assert listed[inserted]["day_before"] == "1"
    assert listed[inserted]["local_time_birth"] == "no"

    deleted = await gate.call("bases", delete_bases=[{"id_base": inserted}])
    assert deleted == {"bases": [{"id_base": inserted, "action": "delete"}]}
    assert [row["id_base"] for row in (await gate.call("list_bases"))["base"]] == [str(existing)]


async def test_bases_needs_something_to_do(gate):
    assert await gate.call("bases") == BAD_FORMAT


async def test_list_phones(gate, sim):
    (base,) = sim.account("demo").contact_lists
    answer = await gate.call("list_phones", base={"id_base": str(base), "page": "1"})
    assert answer["page"] == "1"
    assert answer["num_pages"] == "1"
    assert answer["phones"][0] == {
        "phone": "79161234567",
        "region": "",
        "operator": "МТС",
        "name": "Иван",
        "surname": "Петров",
        "patronymic": "",
        "date_birth": "",
        "male": "m",
        "addition_1": "",
        "addition_2": "",
        "addition_3": "",
        "addition_4": "",
        "addition_5": "",
        "last_update": "2026-03-10 12:00:00",
    }
    assert [row["phone"] for row in answer["phones"]] == ["79161234567", "79261234567"]


async def test_list_phones_errors(gate):
    assert await gate.call("list_phones", base={"id_base": "424242"}) == NO_BASE
    assert await gate.call("list_phones", base={"page": "1"}) == BAD_FORMAT
    assert await gate.call("list_phones") == BAD_FORMAT
    assert await gate.call("list_phones", base={"id_base": "x"}) == BAD_FORMAT


async def test_phones_insert_edit_delete(gate, sim):
    (base,) = sim.account("demo").contact_lists
    sim.clock.advance(timedelta(minutes=5))
    answer = await gate.call(
        "phones",
        id_base=base,
        phones=[
            {"phone": "79161234567", "name": "Пётр", "male": "мужской", "number_phone": "1"},
            {
                "phone": "79031112233",
                "surname": "Ермолаева",
                "male": "женский",
                "date_birth": "1984-08-21",
                "addition_1": "поле",
                "number_phone": "2",
            },
            {"phone": "79261234567", "action": "delete", "number_phone": "5"},
            {"phone": "79269999999", "action": "delete", "number_phone": "6"},
        ],
    )
    assert answer == {
        "id_base": str(base),
        "phones": [
            {"phone": "79161234567", "number_phone": "1", "action": "edit"},
            {"phone": "79031112233", "number_phone": "2", "action": "insert"},
            {"phone": "79261234567", "number_phone": "5", "action": "delete"},
            {"phone": "79269999999", "number_phone": "6", "action": "not_found"},
        ],
    }
    rows = {
        row["phone"]: row
        for row in (await gate.call("list_phones", base={"id_base": base}))["phones"]
    }
    assert set(rows) == {"79161234567", "79031112233"}
    edited, inserted = rows["79161234567"], rows["79031112233"]
    assert (edited["name"], edited["surname"], edited["male"]) == ("Пётр", "Петров", "m")
    assert edited["last_update"] == "2026-03-10 12:05:00"
    assert inserted["male"] == "f"
    assert inserted["date_birth"] == "1984-08-21"
    assert inserted["addition_1"] == "поле"
    # Determined automatically from the number when not given.
    assert (inserted["operator"], inserted["region"]) == ("Билайн", "Новосибирская область")


async def test_phones_errors(gate):
    assert await gate.call("phones", id_base="424242", phones=[{"phone": "79161234567"}]) == NO_BASE
    assert await gate.call("phones", phones=[{"phone": "79161234567"}]) == BAD_FORMAT


async def test_list_phones_paging_and_last_update(gate, sim):
    sim.page_size = 3
    account = sim.account("demo")
    base = account.add_contact_list("Большая")
    for n in range(7):
        account.add_contact(base.id_base, f"7916000000{n}")
    sim.clock.advance(timedelta(hours=1))
    await gate.call(
        "phones", id_base=base.id_base, phones=[{"phone": "79160000003", "name": "Новое имя"}]
    )

    pages = [
        await gate.call("list_phones", base={"id_base": base.id_base, "page": page})
        for page in (1, 2, 3, 4)
    ]
    assert [p["num_pages"] for p in pages] == ["3"] * 4
    assert [len(p["phones"]) for p in pages] == [3, 3, 1, 0]
    assert [row["phone"] for p in pages for row in p["phones"]] == [
        f"7916000000{n}" for n in range(7)
    ]

    recent = await gate.call(
        "list_phones",
        base={"id_base": base.id_base, "page": "1", "last_update": "2026-03-10 13:00:00"},
    )
    assert [row["phone"] for row in recent["phones"]] == ["79160000003"]
    assert recent["num_pages"] == "1"
    newer = await gate.call(
        "list_phones", base={"id_base": base.id_base, "last_update": "2026-03-10 13:00:01"}
    )
    assert newer == {"page": "1", "num_pages": "1", "phones": []}


async def test_stop_list(gate, sim):
    assert await gate.call("list_stop") == {"phones": ["79160000000"]}
    answer = await gate.call(
        "stop", add_stop=["79612242243", 79612242244], delete_stop=["79160000000", "79612242247"]
    )
    assert answer == {
        "phones": [
            {"phone": "79612242243", "action": "add"},
            {"phone": "79612242244", "action": "add"},
            {"phone": "79160000000", "action": "delete"},
            {"phone": "79612242247", "action": "not_found"},
        ]
    }
    assert await gate.call("list_stop") == {"phones": ["79612242243", "79612242244"]}
    assert sim.account("demo").stop_list == {"79612242243", "79612242244"}


async def test_stop_list_blocks_and_unblocks_sending(gate):
    await gate.call("stop", add_stop=["79161234567"])
    (refused,) = await gate.send({"phone": "79161234567", "number_sms": "1"})
    await gate.call("stop", delete_stop=["79161234567"])
    (sent,) = await gate.send({"phone": "79161234567", "number_sms": "1"})
    assert refused["action"] == "Номер телефона присутствует в стоп-листе."
    assert sent["action"] == "send"


async def test_stop_needs_something_to_do(gate):
    assert await gate.call("stop") == BAD_FORMAT
    assert await gate.call("stop", add_stop="79161234567") == BAD_FORMAT


async def test_patterns(gate, sim):
    (template,) = sim.account("demo").templates.values()
    template_id = str(template.id_pattern)
    assert await gate.call("list_patterns") == {
        "patterns": [
            {
                "id_pattern": template_id,
                "name": "Напоминание",
                "pattern": "Напоминаем о встрече завтра в 10:00.",
            }
        ]
    }
    answer = await gate.call(
        "patterns",
        patterns=[
            {"id_pattern": template_id, "name": "Напоминание", "pattern": "Новый текст"},
            {"number_pattern": "1", "name": "Приветствие", "pattern": "Здравствуйте!"},
            {"id_pattern": "4040", "name": "x", "pattern": "y"},
        ],
        delete_patterns=[{"id_pattern": "4041"}],
    )
    inserted = answer["patterns"][1]["id_pattern"]
    assert answer == {
        "patterns": [
            {"id_pattern": template_id, "action": "edit"},
            {"id_pattern": inserted, "action": "insert", "number_pattern": "1"},
            {"id_pattern": "4040", "action": "not_found"},
            {"id_pattern": "4041", "action": "not_found"},
        ]
    }
    same = await gate.call(
        "patterns",
        patterns=[{"id_pattern": inserted, "name": "Приветствие", "pattern": "Здравствуйте!"}],
    )
    assert same == {"patterns": [{"id_pattern": inserted, "action": "not_edit"}]}
    deleted = await gate.call("patterns", delete_patterns=[{"id_pattern": template_id}])
    assert deleted == {"patterns": [{"id_pattern": template_id, "action": "delete"}]}
    assert await gate.call("list_patterns") == {
        "patterns": [{"id_pattern": inserted, "name": "Приветствие", "pattern": "Здравствуйте!"}]
    }


@pytest.mark.parametrize(
    "fields", [{}, {"patterns": {"name": "x"}}, {"delete_patterns": [{"id_pattern": "x"}]}]
)
async def test_patterns_format_errors(gate, fields):
    assert await gate.call("patterns", **fields) == BAD_FORMAT
