"""Every sample answer of the jsonGate document, read through the whole client.

The samples are in `fixtures/samples/`, byte for byte as the document has them; each is
served by the canned gateway and read by the matching client method, so transport,
decoding and parsing are all exercised.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import aiohttp
import pytest

from custom_components.jsongate.api import (
    Abonent,
    ChangeAction,
    ContactListUpdate,
    DeliveryStatus,
    Gender,
    InvalidResponseError,
    JsonGateClient,
    OutgoingMessage,
    RequestRefusedError,
    SendErrorKind,
    SenderState,
    TemplateUpdate,
)

from .conftest import CannedGateway

SAMPLES = Path(__file__).parent / "fixtures" / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / f"{name}.json").read_bytes()


@pytest.fixture
def client(canned_gateway: CannedGateway, http: aiohttp.ClientSession) -> JsonGateClient:
    return JsonGateClient(http, canned_gateway.url, login="login", password="password")


async def test_sms_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    """The sample's action is a placeholder, not `send`: both abonents failed, unclassified."""
    canned_gateway.answer(sample("sms"))
    report = await client.send(
        [
            OutgoingMessage(
                text="t",
                sender="INFO",
                abonents=(Abonent(phone="79033256699"), Abonent(phone="79033256698")),
            )
        ]
    )
    assert [r.status for r in report.results] == ["Статус/сообщение об ошибке"] * 2
    assert [r.error for r in report.results] == [SendErrorKind.UNKNOWN] * 2
    assert [r.parts for r in report.results] == [1, 1]
    assert report.accepted == ()


async def test_state_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("state"))
    states = await client.get_delivery_states(["a", "b"])
    assert [s.changed_at for s in states] == [
        datetime(2016, 3, 2, 18, 31, 38),
        datetime(2016, 3, 2, 18, 31, 39),
    ]
    assert [s.parts for s in states] == [2, 1]
    assert [s.price for s in states] == [Decimal("1.15")] * 2
    # The sample's state is a placeholder text, which is no status the client knows.
    assert {s.status for s in states} == {DeliveryStatus.UNKNOWN}
    assert not states[0].status.is_final


@pytest.mark.parametrize(
    ("name", "money", "areas"),
    [
        ("balance", Decimal(150), [("МТС", 140), ("Мегафон", 141)]),
        ("balance_example", Decimal(10), [("МТС", 10), ("Мегафон", 5)]),
    ],
)
async def test_balance_samples(
    client: JsonGateClient,
    canned_gateway: CannedGateway,
    name: str,
    money: Decimal,
    areas: list[tuple[str, int]],
) -> None:
    canned_gateway.answer(sample(name))
    balance = await client.get_balance()
    assert balance.money == money
    assert balance.currency == "RUR"
    assert balance.iso_currency == "RUB"
    assert [(a.area, a.sms_available) for a in balance.areas] == areas


async def test_originator_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("originator"))
    senders = await client.get_senders()
    assert senders.any_sender_allowed is False
    assert [(s.name, s.state) for s in senders.senders] == [
        ("Отправитель 1", SenderState.APPROVED),
        ("Отправитель 2", SenderState.ORDERED),
        ("Отправитель 3", SenderState.REJECTED),
    ]
    assert senders.approved == ("Отправитель 1",)


async def test_incoming_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("incoming"))
    messages = await client.get_incoming(datetime(2012, 1, 31))
    assert [m.message_id for m in messages] == ["1234", "1235"]
    first = messages[0]
    assert first.received_at == datetime(2012, 1, 31, 12, 55, 55)
    assert (first.sender, first.recipient, first.prefix, first.text) == (
        "79612242243",
        "3434",
        "IGRA",
        "ТекстСМС.",
    )


async def test_def_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("def"))
    info = await client.lookup_numbers(["79612242243", "79612242244"])
    assert [(i.phone, i.operator, i.region, i.time_zone) for i in info] == [
        ("79612242243", "BeeLine", "Новосибирская область", 6),
        ("79612242244", "BeeLine", "Новосибирская область", 6),
    ]


async def test_list_bases_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("list_bases"))
    lists = await client.get_contact_lists()
    assert [(c.id, c.name) for c in lists] == [
        ("1234", "Базаглавногоофиса"),
        ("1235", "БазаМосковскогоофиса"),
    ]
    assert [c.greeting_enabled for c in lists] == [True, False]
    assert [c.greeting_in_local_time for c in lists] == [True, False]
    assert lists[0].greeting_time == "12:48"
    assert lists[0].greeting_sender == "fitnes"
    assert lists[0].greeting_text == "Поздравляем!"


async def test_bases_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("bases"))
    changes = await client.save_contact_lists(
        [ContactListUpdate(name="x")], delete_ids=["1236", "1237"]
    )
    assert [(c.key, c.action, c.number) for c in changes] == [
        ("1234", ChangeAction.EDITED, None),
        ("1235", ChangeAction.INSERTED, 1),
        ("1236", ChangeAction.DELETED, None),
        ("1237", ChangeAction.NOT_FOUND, None),
    ]


async def test_list_phones_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("list_phones"))
    page = await client.get_contacts("1234")
    assert (page.page, page.pages) == (1, 100)
    contact = page.contacts[0]
    assert contact.phone == "79612242243"
    assert (contact.name, contact.surname, contact.patronymic) == (
        "Константин",
        "Ермолаев",
        "Александрович",
    )
    assert contact.birth_date == date(1984, 8, 21)
    assert contact.gender is Gender.MALE
    assert contact.extra == ("Первоедополнительноеполе", "второе", "третье", "четвертое", "пятое")
    assert contact.updated_at == datetime(2016, 11, 15, 11, 2, 29)


async def test_phones_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("phones"))
    changes = await client.save_contacts("1234", delete_phones=["79612242245"])
    assert [(c.key, c.action, c.number) for c in changes] == [
        ("79612242243", ChangeAction.EDITED, 1),
        ("79612242244", ChangeAction.INSERTED, 2),
        ("79612242245", ChangeAction.DELETED, 5),
        ("79612242246", ChangeAction.NOT_FOUND, 6),
    ]


async def test_list_stop_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("list_stop"))
    assert await client.get_stop_list() == (
        "79000000001",
        "79000000002",
        "79000000003",
        "79805364198",
    )


async def test_stop_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("stop"))
    changes = await client.update_stop_list(add=["79612242243"], remove=["79612242246"])
    assert [c.action for c in changes] == [ChangeAction.ADDED] * 3 + [
        ChangeAction.DELETED,
        ChangeAction.NOT_FOUND,
    ]


async def test_list_scheduled_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("list_scheduled"))
    page = await client.get_scheduled()
    assert (page.page, page.pages) == (1, 100)
    message = page.messages[0]
    assert (message.message_id, message.phone, message.sender, message.message_type) == (
        "1234",
        "79612242243",
        "fitnes",
        "sms",
    )
    assert message.parts == 2
    assert message.queued_at == datetime(2016, 8, 31, 14, 56, 53)
    assert message.send_at == datetime(2016, 8, 30, 21, 0)
    assert message.valid_until == datetime(2016, 9, 3, 14, 56, 53)


async def test_scheduled_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("scheduled"))
    changes = await client.cancel_scheduled(["1234", "1235"])
    assert [(c.key, c.action) for c in changes] == [
        ("1234", ChangeAction.DELETED),
        ("1235", ChangeAction.NOT_FOUND),
    ]


@pytest.mark.parametrize(
    ("name", "local", "offset"),
    [
        ("time", datetime(2016, 11, 17, 15, 34, 5), timedelta(hours=3)),
        ("time_example", datetime(2016, 11, 17, 18, 34, 27), timedelta(hours=6)),
    ],
)
async def test_time_samples(
    canned_gateway: CannedGateway,
    http: aiohttp.ClientSession,
    name: str,
    local: datetime,
    offset: timedelta,
) -> None:
    """The offset is learned against our clock, and rounded to a quarter hour."""
    utc_now = local - offset + timedelta(seconds=40)
    client = JsonGateClient(
        http,
        canned_gateway.url,
        login="l",
        password="p",
        utc_now=lambda: utc_now.replace(tzinfo=UTC),
    )
    canned_gateway.answer(sample(name))
    gateway_time = await client.get_time()
    assert gateway_time.local_time == local
    assert gateway_time.utc_offset == offset
    assert client.gateway_time == gateway_time
    assert gateway_time.localize(local).utcoffset() == offset


async def test_list_stats_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("list_stats"))
    statistics = await client.get_statistics()
    assert statistics.total == 1
    assert [r.part_number for r in statistics.records] == [1, 2]
    record = statistics.records[0]
    assert (record.message_id, record.part_id, record.operator, record.sender) == (
        "324044392",
        "1229469388",
        "МТС",
        "INCORE",
    )
    assert record.status is DeliveryStatus.DELIVERED
    assert record.status_text == "Доставлено"
    assert record.price == Decimal("1.5")
    assert record.sent_at == datetime(2016, 3, 9, 20, 37, 2)
    assert record.changed_at == datetime(2016, 3, 9, 20, 37, 17)


async def test_list_patterns_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("list_patterns"))
    templates = await client.get_templates()
    assert [(t.id, t.name, t.text) for t in templates] == [
        ("1234", "ЗаголовокШаблона", "ТекстШаблона"),
        ("1235", "ЗаголовокШаблона", "ТекстШаблона"),
    ]


async def test_patterns_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("patterns"))
    changes = await client.save_templates([TemplateUpdate(name="n", text="t")], delete_ids=["1236"])
    assert [(c.key, c.action, c.number) for c in changes] == [
        ("1234", ChangeAction.EDITED, None),
        ("1237", ChangeAction.INSERTED, 1),
        ("1236", ChangeAction.DELETED, None),
    ]


async def test_error_sample(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    canned_gateway.answer(sample("error"))
    with pytest.raises(RequestRefusedError) as caught:
        await client.get_balance()
    assert caught.value.gateway_text == "текст ошибки"


async def test_malformed_sample_is_refused(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    """The document's list_stats request is not JSON (`state=""`); as an answer it is refused."""
    canned_gateway.answer(sample("list_stats_request_malformed"))
    with pytest.raises(InvalidResponseError):
        await client.get_statistics()


async def test_sms_answer_without_commas_is_refused(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    """Some copies of the document miss commas in the sms answer; such an answer is refused."""
    canned_gateway.answer('{"sms":[{"number_sms":"1" "id_sms":"5" "parts":"1" "action":"send"}]}')
    with pytest.raises(InvalidResponseError):
        await client.send(
            [OutgoingMessage(text="t", sender="INFO", abonents=(Abonent(phone="79033256699"),))]
        )
