"""Answers the simulator never gives, and request documents checked field by field.

The canned gateway answers exactly what a test queues, so the client's strictness
(where a caller depends on a value) and leniency (where the gateway is loose) are
pinned down here.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, time

import aiohttp
import pytest

from custom_components.jsongate.api import (
    Abonent,
    AuthenticationError,
    CommunicationError,
    DeliveryStatus,
    InvalidResponseError,
    JsonGateClient,
    OutgoingMessage,
    ScorocodeClient,
    SendErrorKind,
    StatisticsQuery,
)
from custom_components.jsongate.api.fields import Fields
from custom_components.jsongate.api.transport import JsonTransport

from .conftest import CannedGateway

ONE = (
    OutgoingMessage(
        text="t", sender="INFO", abonents=(Abonent(phone="79161234567", client_id_sms=7),)
    ),
)


@pytest.fixture
def client(canned_gateway: CannedGateway, http: aiohttp.ClientSession) -> JsonGateClient:
    return JsonGateClient(http, canned_gateway.url, login="login", password="password")


async def test_answer_missing_an_abonent_is_invalid(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    """The caller could not tell whether that SMS went out."""
    canned_gateway.answer(
        {"sms": [{"number_sms": "2", "id_sms": "5", "parts": "1", "action": "send"}]}
    )
    with pytest.raises(InvalidResponseError, match="number_sms 1"):
        await client.send(ONE)


async def test_accepted_without_id_is_invalid(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    canned_gateway.answer({"sms": [{"number_sms": 1, "parts": 1, "action": "send"}]})
    with pytest.raises(InvalidResponseError, match="id_sms"):
        await client.send(ONE)


async def test_duplicate_with_earlier_id_counts_as_accepted(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    canned_gateway.answer(
        {
            "sms": [
                {
                    "number_sms": 1,
                    "id_sms": 55,
                    "parts": 1,
                    "action": "Данное сообщение уже было отправлено.",
                }
            ]
        }
    )
    (result,) = (await client.send(ONE)).results
    assert (result.accepted, result.message_id, result.error) == (
        True,
        "55",
        SendErrorKind.DUPLICATE,
    )


async def test_numbers_as_numbers_and_extra_fields(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    canned_gateway.answer(
        {
            "sms": [
                {
                    "number_sms": 1,
                    "id_sms": 123,
                    "parts": 2,
                    "action": "send",
                    "new_field": {"x": 1},
                }
            ],
            "extra": 1,
        }
    )
    (result,) = (await client.send(ONE)).results
    assert (result.message_id, result.parts) == ("123", 2)


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        (
            "У нас закончились SMS. Для разрешения проблемы свяжитесь с менеджером.",
            SendErrorKind.PROVIDER_OUT_OF_SMS,
        ),
        ("Закончились SMS.", SendErrorKind.OUT_OF_SMS),
        ("Аккаунт заблокирован.", SendErrorKind.ACCOUNT_BLOCKED),
        ("Укажите номер телефона.", SendErrorKind.PHONE_MISSING),
        ("Номер телефона присутствует в стоп-листе.", SendErrorKind.STOP_LIST),
        ("Данное направление закрыто для вас.", SendErrorKind.DIRECTION_CLOSED_FOR_ACCOUNT),
        ("Данное направление закрыто.", SendErrorKind.DIRECTION_CLOSED),
        (
            "Недостаточно средств для отправки SMS. SMS будет отправлена как только…",
            SendErrorKind.INSUFFICIENT_FUNDS,
        ),
        ("Текст SMS отклонен модератором.", SendErrorKind.TEXT_REJECTED),
        ("Нет отправителя.", SendErrorKind.SENDER_MISSING),
        ("Отправитель не должен превышать 15 символов", SendErrorKind.SENDER_TOO_LONG),
        ("Номер телефона должен быть меньше 15 символов.", SendErrorKind.PHONE_TOO_LONG),
        ("Нет текста сообщения.", SendErrorKind.TEXT_MISSING),
        ("Нет ссылки.", SendErrorKind.URL_MISSING),
        ("Такого отправителя Нет.", SendErrorKind.SENDER_UNKNOWN),
        ("Отправитель не прошёл модерацию.", SendErrorKind.SENDER_NOT_APPROVED),
        ("Данное сообщение уже было отправлено.", SendErrorKind.DUPLICATE),
        ("Something new", SendErrorKind.UNKNOWN),
    ],
)
async def test_all_documented_send_errors_are_classified(
    client: JsonGateClient, canned_gateway: CannedGateway, action: str, kind: SendErrorKind
) -> None:
    canned_gateway.answer({"sms": [{"number_sms": "1", "parts": "1", "action": action}]})
    (result,) = (await client.send(ONE)).results
    assert (result.error, result.status, result.accepted) == (kind, action, False)


async def test_incoming_ids_must_be_digits(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    canned_gateway.answer(
        {"sms": [{"id_sms": "x1", "date_receive": "2026-01-01 10:00:00", "originator": "7"}]}
    )
    with pytest.raises(InvalidResponseError):
        await client.get_incoming(datetime(2026, 1, 1))


async def test_incoming_sorted_by_time_then_id(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    canned_gateway.answer(
        {
            "sms": [
                {
                    "id_sms": "10",
                    "date_receive": "2026-01-01 10:00:01",
                    "originator": "7",
                    "text_sms": "b",
                },
                {
                    "id_sms": 9,
                    "date_receive": "2026-01-01 10:00:01",
                    "originator": 7,
                    "text_sms": "a",
                },
                {"id_sms": "11", "date_receive": "2026-01-01 10:00:00", "originator": "7"},
            ]
        }
    )
    messages = await client.get_incoming(datetime(2026, 1, 1), datetime(2026, 1, 2))
    assert [m.message_id for m in messages] == ["11", "9", "10"]
    assert messages[0].text == ""
    document = canned_gateway.requests[0].document
    assert document["time"] == {"start": "2026-01-01 00:00:00", "end": "2026-01-02 00:00:00"}


async def test_stop_list_entries_must_be_numbers(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    canned_gateway.answer({"phones": ["79000000001", 79000000002]})
    assert await client.get_stop_list() == ("79000000001", "79000000002")
    canned_gateway.answer({"phones": [{"phone": "1"}]})
    with pytest.raises(InvalidResponseError):
        await client.get_stop_list()


async def test_request_documents(client: JsonGateClient, canned_gateway: CannedGateway) -> None:
    """Optional fields go out in the gateway's formats; login and password in `security`."""
    canned_gateway.answer({"page": 1, "num_pages": 1, "phones": []})
    await client.get_contacts("12", page=3, updated_since=datetime(2026, 5, 1, 8, 30))
    canned_gateway.answer({"num_stats": 0})
    await client.get_statistics(
        StatisticsQuery(
            date_from=date(2026, 5, 1),
            date_to=date(2026, 5, 2),
            from_time=time(8, 5),
            to_time=time(17, 0),
            status=DeliveryStatus.NOT_DELIVERED,
            sender="INFO",
            phone="8 916 123-45-67",
            operator="МТС",
        )
    )
    contacts, stats = (r.document for r in canned_gateway.requests)
    assert contacts["security"] == {"login": "login", "password": "password"}
    assert contacts["base"] == {"id_base": "12", "page": "3", "last_update": "2026-05-01 08:30:00"}
    assert stats["stats"] == {
        "date_start": "2026-05-01",
        "date_stop": "2026-05-02",
        "from_hour": "08",
        "from_minute": "05",
        "to_hour": "17",
        "to_minute": "00",
        "state": "not_deliver",
        "originator": "INFO",
        "phone": "79161234567",
        "operator": "МТС",
    }
    assert all(
        r.headers["Content-Type"] == "application/json; charset=utf-8"
        for r in canned_gateway.requests
    )


@pytest.mark.parametrize(
    ("status", "body", "content_type", "error"),
    [
        (401, "Unauthorized", "text/plain", AuthenticationError),
        (403, "<html>Forbidden</html>", "text/html", AuthenticationError),
        (404, "<html>Not Found</html>", "text/html", CommunicationError),
        (401, '{"error": ""}', "application/json", AuthenticationError),
        (200, b"\xff\xfe not utf-8", "application/json", InvalidResponseError),
        (200, "[" * 100_000 + "]" * 100_000, "application/json", InvalidResponseError),
        (200, '{"error": 5}', "application/json", InvalidResponseError),
        (200, "[]", "application/json", InvalidResponseError),
    ],
)
async def test_http_and_decoding_failures(  # noqa: PLR0917 - pytest parametrisation
    client: JsonGateClient,
    canned_gateway: CannedGateway,
    status: int,
    body: str | bytes,
    content_type: str,
    error: type[Exception],
) -> None:
    canned_gateway.answer(body, status=status, content_type=content_type)
    with pytest.raises(error):
        await client.get_balance()


async def test_bom_and_false_error_are_accepted(
    client: JsonGateClient, canned_gateway: CannedGateway
) -> None:
    """PHP often prepends a BOM; some answers carry `"error": false`."""
    canned_gateway.answer(
        b'\xef\xbb\xbf{"error": false, "money": {"currency": "RUR", "value": "1,5"}}'
    )
    balance = await client.get_balance()
    assert str(balance.money) == "1.5"
    assert balance.areas == ()


def test_repr_names_only_the_url(http: aiohttp.ClientSession) -> None:
    assert (
        repr(JsonTransport(http, "https://x/sendsmsjson.php"))
        == "JsonTransport('https://x/sendsmsjson.php')"
    )


async def test_scorocode_document_carries_every_field(
    canned_gateway: CannedGateway, http: aiohttp.ClientSession
) -> None:
    client = ScorocodeClient(
        http,
        canned_gateway.url + "/api/v1/",
        app_id="app",
        client_key="cli",
        access_key="acc",
        session_id="sess",
    )
    # The raw `msg.data` reaches Scorocode exactly as given.
    data = {
        "gcm": {
            "protocol": "xmpp",
            "notification": {"body": "b", "title": "t", "icon": "i"},
            "data": {"key": "value"},
        },
        "apns": {
            "acme1": "bar",
            "acme2": ["bang", "whiz"],
            "id": "123e4567",
            "topic": "com.example",
            "collapseId": "c",
            "expiration": "2026-01-02T15:04:05Z",
            "priority": 5,
            "aps": {
                "alert": {"title": "t", "body": "b", "action-loc-key": "Watch"},
                "badge": 5,
            },
        },
    }
    given = copy.deepcopy(data)  # what to find at the gateway, even if `data` were changed
    canned_gateway.answer({"count": "3", "error": False})
    assert (
        await client.send_push(
            "devices", "push", query={"deviceType": {"$eq": "android"}}, data=data, debug=True
        )
        == 3
    )
    canned_gateway.answer({"count": 1, "error": False})
    assert await client.send_sms("users", "Текст SMS", query={"phone": {"$exists": True}}) == 1
    push, sms = (r.document for r in canned_gateway.requests)
    assert canned_gateway.requests[0].path == "/api/v1/sendpush"
    assert canned_gateway.requests[1].path == "/api/v1/sendsms"
    assert push == {
        "app": "app",
        "cli": "cli",
        "acc": "acc",
        "sess": "sess",
        "debug": True,
        "coll": "devices",
        "query": {"deviceType": {"$eq": "android"}},
        "msg": {
            "text": "push",
            "data": given,
        },
    }
    assert sms == {
        "app": "app",
        "cli": "cli",
        "acc": "acc",
        "sess": "sess",
        "coll": "users",
        "query": {"phone": {"$exists": True}},
        "msg": {"text": "Текст SMS"},
    }


@pytest.mark.parametrize(
    "answer", [{"count": -1, "error": False}, {"error": False}, {"count": "x"}]
)
async def test_scorocode_invalid_counts(
    canned_gateway: CannedGateway, http: aiohttp.ClientSession, answer: dict[str, object]
) -> None:
    client = ScorocodeClient(http, canned_gateway.url, app_id="a", client_key="c", access_key="k")
    canned_gateway.answer(answer)
    with pytest.raises(InvalidResponseError):
        await client.send_push("devices", "x")


class TestFields:
    """The lenient reader: what it accepts and what it refuses."""

    def test_not_an_object(self) -> None:
        with pytest.raises(InvalidResponseError, match=r"answer is not a JSON object"):
            Fields([], "answer")

    def test_text_and_numbers(self) -> None:
        fields = Fields({"a": "x", "n": 5, "f": 1.5, "b": True, "e": "", "l": [1]}, "t")
        assert fields.text("a") == "x"
        assert fields.text("n") == "5"
        assert fields.text("f") == "1.5"
        assert fields.optional_text("e") is None
        assert "a" in fields
        assert "missing" not in fields
        assert fields.raw("l") == [1]
        for key in ("b", "l"):
            with pytest.raises(InvalidResponseError, match=rf"t\.{key} is not text"):
                fields.text(key)

    def test_integers(self) -> None:
        fields = Fields({"s": " 42 ", "f": "1.5", "b": False, "big": "1e3", "inf": "Infinity"}, "t")
        assert fields.integer("s") == 42
        assert fields.integer("big") == 1000
        assert fields.optional_integer("missing") is None
        with pytest.raises(InvalidResponseError, match="whole"):
            fields.integer("f")
        with pytest.raises(InvalidResponseError, match="not a number"):
            fields.integer("b")
        with pytest.raises(InvalidResponseError, match="finite"):
            fields.decimal("inf")
        with pytest.raises(InvalidResponseError, match="missing"):
            fields.integer("missing")

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("TRUE", True), ("no", False), (1, True), (False, False), (None, False)],
    )
    def test_flags(self, value: object, expected: bool) -> None:
        assert Fields({"f": value}, "t").flag("f") is expected

    def test_bad_flag(self) -> None:
        with pytest.raises(InvalidResponseError):
            Fields({"f": "maybe"}, "t").flag("f")
        with pytest.raises(InvalidResponseError):
            Fields({"f": [1]}, "t").flag("f")

    def test_times_and_dates(self) -> None:
        fields = Fields(
            {
                "t": "2026-01-02 03:04",
                "bad": "2018-02-31 10:00:00",
                "d": "2018-02-31",
                "ok": "1984-08-21",
            },
            "x",
        )
        assert fields.local_time("t") == datetime(2026, 1, 2, 3, 4)
        with pytest.raises(InvalidResponseError, match=r"x\.bad is not a time"):
            fields.local_time("bad")
        assert fields.optional_date("d") is None  # the document's own impossible date
        assert fields.optional_date("ok") == date(1984, 8, 21)
        assert fields.optional_date("missing") is None

    def test_lists_and_objects(self) -> None:
        fields = Fields({"l": [{"a": 1}], "o": {"b": 2}, "s": "x"}, "t")
        assert [f.integer("a") for f in fields.objects("l")] == [1]
        assert fields.nested("o").integer("b") == 2
        assert fields.array("missing", required=False) == []
        with pytest.raises(InvalidResponseError, match=r"t\.s is not a list"):
            fields.array("s")
        with pytest.raises(InvalidResponseError, match=r"t\.missing is missing"):
            fields.array("missing")
        with pytest.raises(InvalidResponseError, match=r"t.l\[0\]"):
            Fields({"l": ["x"]}, "t").objects("l")
