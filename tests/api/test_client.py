"""The jsonGate and Scorocode clients against the simulator, over real HTTP on loopback.

Each of the 18 jsonGate request types and both Scorocode endpoints is exercised for
success and for its errors; faults show how transport failures are classified.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import aiohttp
import pytest

from custom_components.jsongate.api import (
    Abonent,
    AccountBlockedError,
    AuthenticationError,
    ChangeAction,
    ClientIdGenerator,
    Collection,
    CommunicationError,
    Contact,
    ContactListUpdate,
    DeliveryStatus,
    Gender,
    InvalidInputError,
    InvalidPhoneNumberError,
    InvalidResponseError,
    InvalidSenderError,
    JsonGateClient,
    MessageType,
    OutgoingMessage,
    RequestRefusedError,
    RequestTimeoutError,
    ScorocodeClient,
    SendErrorKind,
    SenderState,
    StatisticsQuery,
    TemplateUpdate,
    endpoint_url,
)
from simulator import Fault, Simulator, SimulatorServer, build_demo, demo


@pytest.fixture
def sim() -> Simulator:
    return build_demo()


@pytest.fixture
async def server(sim: Simulator) -> AsyncIterator[SimulatorServer]:
    async with SimulatorServer(sim, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
def client(server: SimulatorServer, http: aiohttp.ClientSession) -> JsonGateClient:
    return JsonGateClient(http, server.url, login=demo.LOGIN, password=demo.PASSWORD, timeout=5)


@pytest.fixture
def scorocode(server: SimulatorServer, http: aiohttp.ClientSession) -> ScorocodeClient:
    return ScorocodeClient(
        http,
        server.scorocode_url,
        app_id=demo.APP_ID,
        client_key=demo.CLIENT_KEY,
        access_key=demo.MESSAGE_KEY,
        session_id=demo.SESSION_ID,
    )


def sms(
    *phones: str, text: str = "Door opened", sender: str | None = "INFO", **kwargs: object
) -> OutgoingMessage:
    return OutgoingMessage(
        text=text,
        sender=sender,
        abonents=tuple(Abonent(phone=phone) for phone in phones),
        **kwargs,  # type: ignore[arg-type]
    )


# --- transport and authentication ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://sms.targetsms.ru",
        "https://sms.targetsms.ru/",
        "https://sms.targetsms.ru/sendsmsjson.php",
    ],
)
def test_endpoint_url_with_or_without_script(url: str) -> None:
    assert endpoint_url(url) == "https://sms.targetsms.ru/sendsmsjson.php"


async def test_bearer_token_authentication(
    server: SimulatorServer, http: aiohttp.ClientSession, sim: Simulator
) -> None:
    client = JsonGateClient(http, server.jsongate_url, token=demo.TOKEN)
    assert (await client.get_balance()).money == Decimal(150)
    record = sim.requests[-1]
    assert "security" not in record.body


async def test_wrong_password(server: SimulatorServer, http: aiohttp.ClientSession) -> None:
    client = JsonGateClient(http, server.url, login=demo.LOGIN, password="wrong")
    with pytest.raises(AuthenticationError):
        await client.get_balance()


async def test_wrong_token(server: SimulatorServer, http: aiohttp.ClientSession) -> None:
    client = JsonGateClient(http, server.url, token="not-a-token")
    with pytest.raises(AuthenticationError):
        await client.get_balance()


async def test_blocked_account(client: JsonGateClient, sim: Simulator) -> None:
    sim.account(demo.LOGIN).blocked = True
    with pytest.raises(AccountBlockedError):
        await client.get_balance()


async def test_secrets_stay_out_of_repr_errors_and_logs(
    server: SimulatorServer,
    http: aiohttp.ClientSession,
    sim: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.jsongate.api")
    client = JsonGateClient(http, server.url, login=demo.LOGIN, password=demo.PASSWORD, token="")
    token_client = JsonGateClient(http, server.url, token=demo.TOKEN)
    scorocode = ScorocodeClient(
        http,
        server.scorocode_url,
        app_id="a",
        client_key="CLI-SECRET",
        access_key="ACC-SECRET",
        session_id="SESS",
    )
    seen = [repr(client), repr(token_client), repr(scorocode)]
    sim.add_fault(Fault("http_500", times=2))
    for call in (client.get_balance, token_client.get_balance):
        with pytest.raises(CommunicationError) as caught:
            await call()
        seen.append(str(caught.value))
    with pytest.raises(AuthenticationError) as auth_caught:
        await scorocode.send_push(Collection.DEVICES, "x")
    seen.append(str(auth_caught.value))
    seen.append(caplog.text)
    everything = "\n".join(seen)
    assert caplog.text  # the requests were logged, without their documents
    for secret in (demo.PASSWORD, demo.TOKEN, "CLI-SECRET", "ACC-SECRET", "SESS"):
        assert secret not in everything


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("http_500", CommunicationError),
        ("http_502", CommunicationError),
        ("html", InvalidResponseError),
        ("malformed_json", InvalidResponseError),
        ("truncated_json", InvalidResponseError),
        ("wrong_types", InvalidResponseError),
        ("reset_before", CommunicationError),
        ("reset_after", CommunicationError),
        ("disconnect_before", CommunicationError),
        ("disconnect_after", CommunicationError),
    ],
)
async def test_faults_are_classified(
    client: JsonGateClient, sim: Simulator, kind: str, error: type[Exception]
) -> None:
    sim.add_fault(Fault(kind, request_type="balance"))
    with pytest.raises(error):
        await client.get_balance()
    # The fault was for one request only: the next one works.
    assert (await client.get_balance()).money == Decimal(150)


async def test_request_level_error_text_is_kept(client: JsonGateClient, sim: Simulator) -> None:
    sim.add_fault(Fault("error_text", text="Сервис временно недоступен"))
    with pytest.raises(RequestRefusedError) as caught:
        await client.get_balance()
    assert caught.value.gateway_text == "Сервис временно недоступен"


async def test_timeout(
    server: SimulatorServer, http: aiohttp.ClientSession, sim: Simulator
) -> None:
    client = JsonGateClient(http, server.url, login=demo.LOGIN, password=demo.PASSWORD, timeout=0.3)
    sim.add_fault(Fault("hang", seconds=2))
    with pytest.raises(RequestTimeoutError):
        await client.get_balance()


async def test_unreachable_gateway(http: aiohttp.ClientSession) -> None:
    client = JsonGateClient(http, "http://127.0.0.1:9", login="l", password="p", timeout=2)
    with pytest.raises(CommunicationError):
        await client.get_balance()


# --- sms --------------------------------------------------------------------------------


async def test_send_one_message_to_many(client: JsonGateClient, sim: Simulator) -> None:
    report = await client.send([sms("+7 (916) 123-45-67", "8 926 123 45 67")])
    assert [r.phone for r in report.results] == ["79161234567", "79261234567"]
    assert all(r.accepted and r.status == "send" and r.error is None for r in report.results)
    assert [r.parts for r in report.results] == [1, 1]
    assert len(sim.requests_of_type("sms")) == 1
    assert sim.account(demo.LOGIN).money == Decimal(150) - Decimal("1.50") - Decimal("1.60")


async def test_send_several_messages_in_one_document(
    client: JsonGateClient, sim: Simulator
) -> None:
    report = await client.send(
        [
            sms("79161234567", text="first"),
            sms("79261234567", "79031234567", text="second", sender="ALERT"),
        ]
    )
    assert [r.phone for r in report.results] == ["79161234567", "79261234567", "79031234567"]
    assert len(report.accepted) == 3
    document = sim.requests_of_type("sms")[0].body
    assert [m["text"] for m in document["message"]] == ["first", "second"]
    numbers = [a["number_sms"] for m in document["message"] for a in m["abonent"]]
    assert numbers == ["1", "2", "3"]  # unique across the document, to match answers


async def test_client_ids_are_numbers_and_unique(client: JsonGateClient, sim: Simulator) -> None:
    await client.send([sms("79161234567", "79261234567")])
    abonents = sim.requests_of_type("sms")[0].body["message"][0]["abonent"]
    ids = [a["client_id_sms"] for a in abonents]
    assert all(isinstance(i, int) for i in ids)
    assert len(set(ids)) == 2


async def test_resending_the_same_ids_sends_nothing_twice(
    client: JsonGateClient, sim: Simulator
) -> None:
    """The idempotency a retry relies on: same client ids → same message ids, one send."""
    messages = client.assign_client_ids([sms("79161234567", "79261234567")])
    sim.add_fault(Fault("reset_after", request_type="sms"))
    with pytest.raises(CommunicationError):
        await client.send(messages)
    report = await client.send(messages)
    again = await client.send(messages)
    assert [r.message_id for r in report.results] == [r.message_id for r in again.results]
    assert all(count == 1 for count in sim.processed_client_ids(demo.LOGIN).values())
    assert len(sim.processed_client_ids(demo.LOGIN)) == 2
    assert sim.account(demo.LOGIN).money == Decimal(150) - Decimal("1.50") - Decimal("1.60")


async def test_caller_may_pass_its_own_client_id(client: JsonGateClient, sim: Simulator) -> None:
    report = await client.send(
        [
            OutgoingMessage(
                text="t", sender="INFO", abonents=(Abonent(phone="79161234567", client_id_sms=42),)
            )
        ]
    )
    assert report.results[0].client_id_sms == 42
    assert sim.processed_client_ids(demo.LOGIN) == {42: 1}


def test_client_id_generator_is_monotonic_across_a_stalled_clock() -> None:
    generator = ClientIdGenerator(clock=lambda: 1_700_000_000_000)
    ids = [generator.next_id() for _ in range(5)]
    assert ids == sorted(set(ids))
    assert ids[0] == 1_700_000_000_000_000
    assert max(ids) < 2**53


async def test_per_recipient_errors_are_results(client: JsonGateClient, sim: Simulator) -> None:
    report = await client.send([sms("79161234567", demo.STOPPED_PHONE, "79991234567")])
    ok, stopped, closed = report.results
    assert ok.accepted
    assert not stopped.accepted
    assert stopped.error is SendErrorKind.STOP_LIST
    assert stopped.status == "Номер телефона присутствует в стоп-листе."
    assert closed.error is SendErrorKind.DIRECTION_CLOSED
    assert report.rejected == (stopped, closed)


@pytest.mark.parametrize(
    ("sender", "kind"),
    [("NOBODY", SendErrorKind.SENDER_UNKNOWN), ("PROMO", SendErrorKind.SENDER_NOT_APPROVED)],
)
async def test_sender_refusals(client: JsonGateClient, sender: str, kind: SendErrorKind) -> None:
    report = await client.send([sms("79161234567", sender=sender)])
    assert report.results[0].error is kind


async def test_no_money(client: JsonGateClient, sim: Simulator) -> None:
    sim.set_money(demo.LOGIN, "1")
    report = await client.send([sms("79161234567")])
    assert report.results[0].error is SendErrorKind.INSUFFICIENT_FUNDS
    assert report.results[0].message_id is None


async def test_cyrillic_parts_and_transliteration(client: JsonGateClient, sim: Simulator) -> None:
    report = await client.send(
        [sms("79161234567", text="Ж" * 71), sms("79161234567", text="Ж" * 71, transliterate=True)]
    )
    # Cyrillic is UCS-2 (70 a part); "Zh" * 71 is 142 GSM-7 characters, one part.
    assert [r.parts for r in report.results] == [2, 1]
    assert sim.requests_of_type("sms")[0].body["message"][1]["translite"] == "1"


async def test_wappush_and_flash(client: JsonGateClient, sim: Simulator) -> None:
    report = await client.send(
        [
            sms(
                "79161234567",
                text="Our site",
                message_type=MessageType.WAP_PUSH,
                url="https://example.com",
            ),
            sms("79161234567", message_type=MessageType.FLASH_SMS, campaign_name="Alarm"),
        ]
    )
    assert len(report.accepted) == 2
    first, second = sim.requests_of_type("sms")[0].body["message"]
    assert (first["type"], first["url"]) == ("wappush", "https://example.com")
    assert (second["type"], second["name_delivery"]) == ("flashsms", "Alarm")


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (sms("not a phone"), InvalidPhoneNumberError),
        (sms("79161234567", sender="TWELVE-CHARS"), InvalidSenderError),
        (sms("79161234567", text="  "), InvalidInputError),
        (sms("79161234567", message_type=MessageType.WAP_PUSH), InvalidInputError),
        (sms(), InvalidInputError),
    ],
)
async def test_bad_input_sends_nothing(
    client: JsonGateClient, sim: Simulator, message: OutgoingMessage, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await client.send([message])
    assert sim.requests == []


async def test_scheduled_send_and_cancel(client: JsonGateClient, sim: Simulator) -> None:
    gateway_time = await client.get_time()
    send_at = datetime.now(UTC) + timedelta(hours=2)
    report = await client.send(
        [
            OutgoingMessage(
                text="later",
                sender="INFO",
                abonents=(
                    Abonent(
                        phone="79161234567",
                        send_at=send_at,
                        valid_until=send_at + timedelta(hours=1),
                    ),
                ),
            )
        ]
    )
    abonent = sim.requests_of_type("sms")[0].body["message"][0]["abonent"][0]
    assert abonent["time_send"] == gateway_time.to_gateway(send_at).strftime("%Y-%m-%d %H:%M")
    message_id = report.results[0].message_id
    assert message_id
    scheduled = await client.get_scheduled()
    assert [m.message_id for m in scheduled.messages] == [message_id]
    assert scheduled.messages[0].send_at == gateway_time.to_gateway(send_at).replace(
        second=0, microsecond=0
    )
    assert await client.get_all_scheduled() == scheduled.messages
    changes = await client.cancel_scheduled([message_id, "999999"])
    assert [c.action for c in changes] == [ChangeAction.DELETED, ChangeAction.NOT_FOUND]
    assert (await client.get_scheduled()).messages == ()


async def test_aware_times_learn_the_offset_first(client: JsonGateClient, sim: Simulator) -> None:
    await client.send([sms("79161234567")])
    assert client.gateway_time is None
    when = datetime.now(UTC) + timedelta(days=1)
    await client.send(
        [
            OutgoingMessage(
                text="t", sender="INFO", abonents=(Abonent(phone="79161234567", send_at=when),)
            )
        ]
    )
    assert client.gateway_time is not None
    assert [r.request_type for r in sim.requests] == ["sms", "time", "sms"]


# --- state ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("final", "status"),
    [
        ("deliver", DeliveryStatus.DELIVERED),
        ("not_deliver", DeliveryStatus.NOT_DELIVERED),
        ("expired", DeliveryStatus.EXPIRED),
        ("partly_deliver", DeliveryStatus.PARTLY_DELIVERED),
    ],
)
async def test_delivery_states(
    client: JsonGateClient, sim: Simulator, final: str, status: DeliveryStatus
) -> None:
    sim.delivery_delay = None
    report = await client.send([sms("79161234567", "79261234567")])
    first, second = (r.message_id for r in report.results)
    assert first
    assert second
    sim.finish_delivery(first, final)
    states = {s.message_id: s for s in await client.get_delivery_states([first, second])}
    assert states[first].status is status
    assert states[first].status.is_final
    assert states[first].changed_at is not None
    assert states[first].price == Decimal("1.50")
    assert states[second].status is DeliveryStatus.PENDING
    assert states[second].changed_at is None
    assert not states[second].status.is_final


async def test_no_ids_no_request(client: JsonGateClient, sim: Simulator) -> None:
    assert await client.get_delivery_states([]) == ()
    assert await client.lookup_numbers([]) == ()
    assert await client.cancel_scheduled([]) == ()
    assert await client.update_stop_list() == ()
    assert await client.save_templates() == ()
    assert await client.save_contact_lists() == ()
    assert await client.save_contacts("1") == ()
    assert sim.requests == []


# --- balance, senders, time -------------------------------------------------------------


async def test_balance(client: JsonGateClient, sim: Simulator) -> None:
    balance = await client.get_balance()
    assert (balance.money, balance.currency, balance.iso_currency) == (Decimal(150), "RUR", "RUB")
    assert {a.area: a.sms_available for a in balance.areas} == {
        "МТС": 100,
        "Мегафон": 93,
        "Билайн": 88,
        "Tele2": 107,
    }
    sim.set_money(demo.LOGIN, "3")
    assert {a.area: a.sms_available for a in (await client.get_balance()).areas}["МТС"] == 2


async def test_senders(client: JsonGateClient, sim: Simulator) -> None:
    senders = await client.get_senders()
    assert not senders.any_sender_allowed
    assert senders.approved == ("INFO", "ALERT")
    assert {s.name: s.state for s in senders.senders}["SPAM"] is SenderState.REJECTED
    sim.account(demo.LOGIN).any_originator = True
    senders = await client.get_senders()
    assert senders.any_sender_allowed
    assert senders.senders == ()


async def test_gateway_time_and_offset(client: JsonGateClient, sim: Simulator) -> None:
    gateway_time = await client.get_time()
    assert gateway_time.utc_offset == timedelta(hours=3)
    expected = sim.clock.now().astimezone(UTC).replace(tzinfo=None) + timedelta(hours=3)
    assert abs(gateway_time.local_time - expected) < timedelta(seconds=5)
    assert gateway_time.localize(gateway_time.local_time).utcoffset() == timedelta(hours=3)


# --- incoming and def -------------------------------------------------------------------


async def test_incoming_window_is_exclusive_at_both_ends(
    client: JsonGateClient, sim: Simulator
) -> None:
    base = datetime(2026, 11, 22, 12, 0, 0)  # gateway-local
    ids = [
        sim.add_incoming(
            demo.LOGIN,
            originator="79161234567",
            text=f"#{n}",
            received_at=base + timedelta(seconds=n),
        )
        for n in range(4)
    ]
    window = await client.get_incoming(base, base + timedelta(seconds=3))
    assert [m.message_id for m in window] == ids[1:3]
    after = await client.get_incoming(base)
    assert [m.message_id for m in after][:3] == ids[1:]
    assert after[0].received_at == base + timedelta(seconds=1)
    assert after[0].text == "#1"


async def test_lookup_numbers(client: JsonGateClient) -> None:
    info = await client.lookup_numbers(["+7 916 123-45-67", "89031234567"])
    assert [(i.phone, i.operator) for i in info] == [
        ("79161234567", "МТС"),
        ("79031234567", "Билайн"),
    ]
    assert info[1].time_zone == 4


# --- contact lists and contacts ---------------------------------------------------------


async def test_contact_lists_and_contacts(client: JsonGateClient) -> None:
    (existing,) = await client.get_contact_lists()
    assert existing.name == "Клиенты"
    changes = await client.save_contact_lists(
        [
            ContactListUpdate(
                name="Семья", greeting_enabled=True, greeting_time="09:00", greeting_text="Ура!"
            )
        ]
    )
    (inserted,) = changes
    assert (inserted.action, inserted.number) == (ChangeAction.INSERTED, 1)
    family = {c.id: c for c in await client.get_contact_lists()}[inserted.key]
    assert (family.name, family.greeting_enabled, family.greeting_time) == ("Семья", True, "09:00")

    changes = await client.save_contacts(
        inserted.key,
        [
            Contact(
                phone="+7 916 765-43-21",
                name="Анна",
                gender=Gender.FEMALE,
                birth_date=date(1990, 5, 17),
            )
        ],
    )
    assert [(c.key, c.action) for c in changes] == [("79167654321", ChangeAction.INSERTED)]
    page = await client.get_contacts(inserted.key)
    (anna,) = page.contacts
    assert (anna.name, anna.gender, anna.birth_date) == ("Анна", Gender.FEMALE, date(1990, 5, 17))
    assert anna.updated_at is not None
    assert await client.get_all_contacts(inserted.key) == page.contacts

    changes = await client.save_contacts(inserted.key, delete_phones=["79167654321", "79160000001"])
    assert [c.action for c in changes] == [ChangeAction.DELETED, ChangeAction.NOT_FOUND]
    changes = await client.save_contact_lists(
        [ContactListUpdate(id=inserted.key, name="Родные")], delete_ids=[existing.id, "424242"]
    )
    assert [c.action for c in changes] == [
        ChangeAction.EDITED,
        ChangeAction.DELETED,
        ChangeAction.NOT_FOUND,
    ]


async def test_contacts_are_paged(
    server: SimulatorServer, http: aiohttp.ClientSession, sim: Simulator
) -> None:
    sim.page_size = 2
    client = JsonGateClient(http, server.url, login=demo.LOGIN, password=demo.PASSWORD)
    (contact_list,) = await client.get_contact_lists()
    await client.save_contacts(
        contact_list.id, [Contact(phone=f"7916000000{n}") for n in range(1, 4)]
    )
    first = await client.get_contacts(contact_list.id)
    assert (first.page, first.pages, len(first.contacts)) == (1, 3, 2)
    everyone = await client.get_all_contacts(contact_list.id)
    assert len(everyone) == 5
    assert len(sim.requests_of_type("list_phones")) == 1 + 3


async def test_unknown_contact_list(client: JsonGateClient) -> None:
    with pytest.raises(RequestRefusedError) as caught:
        await client.get_contacts("424242")
    assert caught.value.gateway_text == "Базы с таким номером не существует"


# --- stop list, statistics, templates ---------------------------------------------------


async def test_stop_list(client: JsonGateClient) -> None:
    assert await client.get_stop_list() == (demo.STOPPED_PHONE,)
    changes = await client.update_stop_list(
        add=["+7 916 111-11-11"], remove=[demo.STOPPED_PHONE, "79162222222"]
    )
    assert [(c.key, c.action) for c in changes] == [
        ("79161111111", ChangeAction.ADDED),
        (demo.STOPPED_PHONE, ChangeAction.DELETED),
        ("79162222222", ChangeAction.NOT_FOUND),
    ]
    assert await client.get_stop_list() == ("79161111111",)


async def test_statistics(client: JsonGateClient, sim: Simulator) -> None:
    sim.delivery_delay = None
    report = await client.send(
        [sms("79161234567", text="Ж" * 71), sms("79261234567", sender="ALERT")]
    )
    sim.finish_all_deliveries("deliver")
    today = (await client.get_time()).local_time.date()
    statistics = await client.get_statistics(StatisticsQuery(date_from=today, date_to=today))
    assert statistics.total == 2  # messages; the records are one per part
    assert len(statistics.records) == 3
    assert {r.message_id for r in statistics.records} == {r.message_id for r in report.results}
    assert {r.status for r in statistics.records} == {DeliveryStatus.DELIVERED}
    only_alert = await client.get_statistics(
        StatisticsQuery(date_from=today, sender="ALERT", from_time=time(0, 0), to_time=time(23, 59))
    )
    assert [r.phone for r in only_alert.records] == ["79261234567"]
    with pytest.raises(RequestRefusedError) as caught:
        await client.get_statistics(StatisticsQuery(operator="Nowhere Telecom"))
    assert caught.value.gateway_text == "Такой оператор не обнаружен"


async def test_templates(client: JsonGateClient) -> None:
    (reminder,) = await client.get_templates()
    changes = await client.save_templates(
        [
            TemplateUpdate(name="Код", text="Ваш код: {code}"),
            TemplateUpdate(id=reminder.id, name=reminder.name, text=reminder.text),
        ]
    )
    assert [c.action for c in changes] == [ChangeAction.INSERTED, ChangeAction.NOT_EDITED]
    changes = await client.save_templates(delete_ids=[reminder.id])
    assert [c.action for c in changes] == [ChangeAction.DELETED]
    assert [t.name for t in await client.get_templates()] == ["Код"]


# --- Scorocode --------------------------------------------------------------------------


async def test_send_push(scorocode: ScorocodeClient, sim: Simulator) -> None:
    data = {"gcm": {"protocol": "http", "notification": {"title": "Alarm", "body": "Door"}}}
    count = await scorocode.send_push(
        Collection.DEVICES, "Door opened", query={"deviceType": "android"}, data=data
    )
    assert count == 2
    (push,) = sim.pushes
    assert push.message["data"]["gcm"]["notification"] == {"title": "Alarm", "body": "Door"}


async def test_send_push_raw_data_and_no_match(scorocode: ScorocodeClient) -> None:
    assert (
        await scorocode.send_push(
            "users", "hi", query={"username": "alice"}, data={"apns": {"badge": 1}}
        )
        == 2
    )
    assert (
        await scorocode.send_push(Collection.DEVICES, "x", query={"deviceId": "none"}, debug=True)
        == 0
    )


async def test_send_app_sms(scorocode: ScorocodeClient, sim: Simulator) -> None:
    assert (
        await scorocode.send_sms(Collection.USERS, "Код 1234", query={"phone": {"$exists": True}})
        == 2
    )
    with pytest.raises(InvalidInputError):
        await scorocode.send_sms(Collection.DEVICES, "x")
    with pytest.raises(InvalidInputError):
        await scorocode.send_sms(Collection.USERS, " ")


async def test_scorocode_errors(
    server: SimulatorServer, http: aiohttp.ClientSession, sim: Simulator
) -> None:
    wrong_key = ScorocodeClient(
        http,
        server.scorocode_url,
        app_id=demo.APP_ID,
        client_key=demo.CLIENT_KEY,
        access_key="wrong",
        session_id="",
    )
    with pytest.raises(AuthenticationError):
        await wrong_key.send_push(Collection.DEVICES, "x")
    master = ScorocodeClient(
        http,
        server.scorocode_url,
        app_id=demo.APP_ID,
        client_key=demo.CLIENT_KEY,
        access_key=demo.MASTER_KEY,
    )
    with pytest.raises(InvalidInputError):
        await master.send_push("items", "x")
    with pytest.raises(RequestRefusedError) as caught:
        await master.send_push(Collection.DEVICES, "x", query={"deviceType": {"$bogus": 1}})
    assert caught.value.code == 400
    assert caught.value.gateway_text.startswith("Invalid query")
    sim.add_fault(Fault("http_502", request_type="sendpush"))
    with pytest.raises(CommunicationError):
        await master.send_push(Collection.DEVICES, "x")


def test_client_id_generator_starts_above_after() -> None:
    """A persisted greatest id keeps ids unique when the clock went back across a restart."""
    generator = ClientIdGenerator(clock=lambda: 1_000, after=5_000_000)
    assert generator.last == 5_000_000
    assert [generator.next_id(), generator.next_id()] == [5_000_001, 5_000_002]
