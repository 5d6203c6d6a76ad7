"""The send path's batching, bounds and retries, with a scripted client (no HTTP).

The simulator tests in `test_services.py` show the same over real HTTP; here every
interleaving is under the test's control.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate import sender as sender_module
from custom_components.jsongate.api import (
    Abonent,
    AuthenticationError,
    ClientIdGenerator,
    CommunicationError,
    InvalidInputError,
    InvalidPhoneNumberError,
    InvalidResponseError,
    InvalidSenderError,
    MessageType,
    OutgoingMessage,
    RequestTimeoutError,
    Sender,
    SenderList,
    SendErrorKind,
    SenderState,
    SendReport,
    SendResult,
)
from custom_components.jsongate.api.jsongate import JsonGateClient
from custom_components.jsongate.const import DOMAIN
from custom_components.jsongate.sender import (
    MAX_ABONENTS_PER_REQUEST,
    SenderClosedError,
    SendOutcomeUnknownError,
    SmsSender,
    checked_message,
)
from custom_components.jsongate.spending_guard import SpendingGuard

from .conftest import until

STOPPED = "79160000000"


@dataclass
class ScriptedClient:
    """Answers `send` like the gateway (one id per client_id_sms), under test control.

    `gate`, when set, holds every request until the test opens it; `failures` are raised
    by the next requests, one each, after the gateway "processed" them or before.
    """

    requests: list[tuple[OutgoingMessage, ...]] = field(default_factory=list)
    gate: asyncio.Event | None = None
    failures: list[Exception] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    sender_requests: int = 0
    senders_failure: Exception | None = None
    sent: dict[int, str] = field(default_factory=dict)  # client_id_sms -> id_sms
    sends_per_client_id: dict[int, int] = field(default_factory=dict)
    _ids: ClientIdGenerator = field(default_factory=ClientIdGenerator)

    def assign_client_ids(self, messages: Any) -> tuple[OutgoingMessage, ...]:
        return JsonGateClient.assign_client_ids(self, messages)  # type: ignore[arg-type]

    @property
    def _client_ids(self) -> ClientIdGenerator:
        return self._ids

    async def get_senders(self) -> SenderList:
        self.sender_requests += 1
        await asyncio.sleep(0)
        if self.senders_failure is not None:
            raise self.senders_failure
        return SenderList(
            any_sender_allowed=False,
            senders=(Sender("PROMO", SenderState.ORDERED), Sender("INFO", SenderState.APPROVED)),
        )

    async def send(
        self,
        messages: Any,
        *,
        checked: bool = False,  # noqa: ARG002
        on_leave: Callable[[], None] | None = None,
    ) -> SendReport:
        if on_leave is not None:
            on_leave()
        self.requests.append(tuple(messages))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.gate is not None:
                await self.gate.wait()
            else:
                await asyncio.sleep(0)
            results = []
            for message in messages:
                for abonent in message.abonents:
                    client_id = abonent.client_id_sms
                    assert client_id is not None
                    if abonent.phone == STOPPED:
                        results.append(
                            SendResult(
                                phone=abonent.phone,
                                client_id_sms=client_id,
                                message_id=None,
                                parts=None,
                                status="Абонент в стоп-листе",
                                error=SendErrorKind.STOP_LIST,
                            )
                        )
                        continue
                    if client_id not in self.sent:
                        self.sent[client_id] = str(1000 + len(self.sent))
                        self.sends_per_client_id[client_id] = 1
                    results.append(
                        SendResult(
                            phone=abonent.phone,
                            client_id_sms=client_id,
                            message_id=self.sent[client_id],
                            parts=1,
                            status="send",
                            error=None,
                        )
                    )
            if self.failures:
                raise self.failures.pop(0)  # processed, then the answer was lost
            return SendReport(tuple(results))
        finally:
            self.in_flight -= 1


def sms(*phones: str, text: str = "Hello", sender: str | None = None) -> OutgoingMessage:
    return OutgoingMessage(
        text=text, abonents=tuple(Abonent(phone=phone) for phone in phones), sender=sender
    )


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender_module, "RETRY_DELAYS", (0.0, 0.0))


@pytest.fixture
def client() -> ScriptedClient:
    return ScriptedClient()


@pytest.fixture
def accepted() -> list[SendResult]:
    return []


@pytest.fixture
def sender(hass: HomeAssistant, client: ScriptedClient, accepted: list[SendResult]) -> SmsSender:
    entry = MockConfigEntry(domain=DOMAIN, data={})
    entry.add_to_hass(hass)
    return SmsSender(hass, entry, client, accepted.extend)  # type: ignore[arg-type]


async def test_one_call_is_one_request_with_every_recipient(
    sender: SmsSender, client: ScriptedClient, accepted: list[SendResult]
) -> None:
    phones = [f"7999{n:07d}" for n in range(100)]
    results = await sender.async_send(sms(*phones))
    assert len(client.requests) == 1
    assert [result.phone for result in results] == phones
    assert len({result.message_id for result in results}) == 100
    assert accepted == list(results)


async def test_calls_in_one_tick_share_one_request_and_get_their_own_results(
    sender: SmsSender, client: ScriptedClient
) -> None:
    calls = [sender.async_send(sms(f"7999{n:07d}")) for n in range(50)]
    results = await asyncio.gather(*calls)
    assert len(client.requests) == 1
    assert len(client.requests[0]) == 50  # one message[] per call
    assert [r[0].phone for r in results] == [f"7999{n:07d}" for n in range(50)]
    assert len({r[0].message_id for r in results}) == 50


async def _until(condition: Callable[[], bool]) -> None:
    """conftest's `until`, looking often: these tests wait for single steps of the sender."""
    await until(condition, 0.001)


async def test_calls_while_requests_are_in_flight_wait_and_go_together(
    sender: SmsSender, client: ScriptedClient
) -> None:
    client.gate = asyncio.Event()
    first = asyncio.create_task(sender.async_send(sms("79990000001")))
    await _until(lambda: client.in_flight == 1)
    second = asyncio.create_task(sender.async_send(sms("79990000002")))
    await _until(lambda: client.in_flight == 2)
    # Two requests in flight: everything else waits for a free slot.
    later = [asyncio.create_task(sender.async_send(sms(f"7998{n:07d}"))) for n in range(20)]
    await _until(lambda: len(sender._queue) == 20)
    assert len(client.requests) == 2
    client.gate.set()
    await asyncio.gather(first, second, *later)
    assert len(client.requests) == 3
    assert len(client.requests[2]) == 20
    assert client.max_in_flight == 2


async def test_more_than_a_thousand_abonents_are_split(
    sender: SmsSender, client: ScriptedClient
) -> None:
    phones = [f"7999{n:07d}" for n in range(2 * MAX_ABONENTS_PER_REQUEST + 1)]
    results = await sender.async_send(sms(*phones))
    sizes = sorted(sum(len(m.abonents) for m in request) for request in client.requests)
    assert sizes == [1, MAX_ABONENTS_PER_REQUEST, MAX_ABONENTS_PER_REQUEST]
    assert [result.phone for result in results] == phones


async def test_small_calls_fill_a_request_up_to_the_limit(
    sender: SmsSender, client: ScriptedClient
) -> None:
    big = [f"7999{n:07d}" for n in range(MAX_ABONENTS_PER_REQUEST - 1)]
    await asyncio.gather(
        sender.async_send(sms(*big)),
        sender.async_send(sms("79980000001")),
        sender.async_send(sms("79980000002")),
    )
    sizes = [sum(len(m.abonents) for m in request) for request in client.requests]
    assert sizes == [MAX_ABONENTS_PER_REQUEST, 1]


@pytest.mark.parametrize(
    "failure",
    [CommunicationError("reset"), RequestTimeoutError("slow"), InvalidResponseError("cut")],
)
async def test_a_lost_answer_is_retried_with_the_same_ids(
    sender: SmsSender, client: ScriptedClient, failure: Exception
) -> None:
    client.failures = [failure]
    results = await sender.async_send(sms("79990000001", "79990000002"))
    assert len(client.requests) == 2
    first, retry = client.requests
    assert first == retry  # the very same client_id_sms values
    assert [r.message_id for r in results] == [client.sent[r.client_id_sms] for r in results]
    assert set(client.sends_per_client_id.values()) == {1}


async def test_gives_up_after_three_tries(sender: SmsSender, client: ScriptedClient) -> None:
    client.failures = [CommunicationError("down")] * 3
    with pytest.raises(CommunicationError):
        await sender.async_send(sms("79990000001"))
    assert len(client.requests) == 3
    assert sender.requests_sent == 3


async def test_refusals_are_not_retried(sender: SmsSender, client: ScriptedClient) -> None:
    client.failures = [AuthenticationError("no")]
    with pytest.raises(AuthenticationError):
        await sender.async_send(sms("79990000001"))
    assert len(client.requests) == 1


async def test_one_bad_call_spoils_nothing_shared(
    sender: SmsSender, client: ScriptedClient
) -> None:
    good = asyncio.create_task(sender.async_send(sms("79990000001")))
    with pytest.raises(InvalidPhoneNumberError):
        await sender.async_send(sms("not a phone"))
    assert (await good)[0].accepted
    assert all("not a phone" not in str(request) for request in client.requests)


async def test_rejected_recipients_come_back_and_are_not_tracked(
    sender: SmsSender, accepted: list[SendResult]
) -> None:
    results = await sender.async_send(sms("79990000001", STOPPED))
    assert [r.accepted for r in results] == [True, False]
    assert results[1].error is SendErrorKind.STOP_LIST
    assert [r.phone for r in accepted] == ["79990000001"]


async def test_a_failing_tracker_does_not_fail_the_send(
    hass: HomeAssistant, client: ScriptedClient, caplog: pytest.LogCaptureFixture
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={})
    entry.add_to_hass(hass)

    def broken(_: Any) -> None:
        raise RuntimeError("tracker down")

    sender = SmsSender(hass, entry, client, broken)  # type: ignore[arg-type]
    results = await sender.async_send(sms("79990000001"))
    assert results[0].accepted
    assert "Could not record the outcome" in caplog.text


@pytest.mark.parametrize("broken", ["on_results", "count_listener"])
async def test_a_failing_step_after_the_answer_still_answers_and_settles(
    hass: HomeAssistant, client: ScriptedClient, caplog: pytest.LogCaptureFixture, broken: str
) -> None:
    """The repair issues (`on_results`) or a sensor showing the count fail to update."""
    entry = MockConfigEntry(domain=DOMAIN, data={})
    entry.add_to_hass(hass)
    guard = SpendingGuard(hass, entry)

    def fail(*_: Any) -> None:
        raise RuntimeError("broken")

    if broken == "count_listener":
        guard.async_add_listener(fail)
    tracked: list[SendResult] = []
    sender = SmsSender(
        hass,
        entry,
        client,  # type: ignore[arg-type]
        tracked.extend,
        on_results=fail if broken == "on_results" else None,
        guard=guard,
    )
    async with asyncio.timeout(5):
        results = await sender.async_send(sms("79990000001", "79990000002"))
    assert all(result.accepted for result in results)
    assert guard.sent_today == 2
    assert guard.as_diagnostics()["reserved_in_flight"] == 0
    assert len(tracked) == 2
    assert "Could not record the outcome" in caplog.text


async def test_shutdown_finishes_what_is_in_flight_and_refuses_new_calls(
    sender: SmsSender, client: ScriptedClient
) -> None:
    client.gate = asyncio.Event()
    call = asyncio.create_task(sender.async_send(sms("79990000001")))
    await _until(lambda: client.in_flight == 1)
    shutdown = asyncio.create_task(sender.async_shutdown())
    await asyncio.sleep(0.01)
    assert not shutdown.done()
    with pytest.raises(SenderClosedError):
        await sender.async_send(sms("79990000002"))
    client.gate.set()
    await shutdown
    assert (await call)[0].accepted


async def test_shutdown_sends_what_is_queued(sender: SmsSender, client: ScriptedClient) -> None:
    call = asyncio.create_task(sender.async_send(sms("79990000001", sender="INFO")))
    await asyncio.sleep(0)  # queued, dispatch not yet run
    await sender.async_shutdown()
    assert (await call)[0].accepted
    assert len(client.requests) == 1


async def test_shutdown_waits_for_calls_reading_the_default_sender(
    sender: SmsSender, client: ScriptedClient
) -> None:
    call = asyncio.create_task(sender.async_send(sms("79990000001")))
    await asyncio.sleep(0)  # waiting for the senders' answer
    assert sender._entering == 1
    assert client.requests == []
    await sender.async_shutdown()
    assert call.done()
    assert (await call)[0].accepted


async def test_a_caller_that_gives_up_does_not_cancel_the_others(
    sender: SmsSender, client: ScriptedClient
) -> None:
    client.gate = asyncio.Event()
    impatient = asyncio.create_task(sender.async_send(sms("79990000001")))
    patient = asyncio.create_task(sender.async_send(sms("79990000002")))
    await _until(lambda: client.in_flight == 1)
    impatient.cancel()
    client.gate.set()
    assert (await patient)[0].accepted
    assert len(client.sent) == 2  # the request itself went out whole


async def test_a_caller_that_gave_up_leaves_no_unretrieved_failure(
    sender: SmsSender, client: ScriptedClient
) -> None:
    """The request fails after its only caller was cancelled (e.g. by Home Assistant's stop)."""
    reported: list[str] = []
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context["message"]))
    try:
        client.gate = asyncio.Event()
        client.failures = [AuthenticationError("refused")]
        gave_up = asyncio.create_task(sender.async_send(sms("79990000001", sender="INFO")))
        await _until(lambda: client.in_flight == 1)
        gave_up.cancel()
        client.gate.set()
        await _until(lambda: not sender._in_flight)
        with pytest.raises(asyncio.CancelledError):
            await gave_up
        del gave_up
        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(previous)
    assert reported == []


async def test_cancelled_request_fails_its_callers(
    hass: HomeAssistant, client: ScriptedClient
) -> None:
    """A request stopped while at the gateway: its outcome is unknown, not "nothing sent"."""
    entry = MockConfigEntry(domain=DOMAIN, data={})
    entry.add_to_hass(hass)
    sender = SmsSender(hass, entry, client, lambda _: None)  # type: ignore[arg-type]
    client.gate = asyncio.Event()
    call = asyncio.create_task(sender.async_send(sms("79990000001")))
    await _until(lambda: client.in_flight == 1)
    for task in list(sender._in_flight):
        task.cancel()
    with pytest.raises(SendOutcomeUnknownError):
        await call


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (sms("79990000001", text="  "), InvalidInputError),
        (sms("12"), InvalidPhoneNumberError),
        (sms("79990000001", sender="A" * 12), InvalidSenderError),
        (OutgoingMessage(text="x", abonents=()), InvalidInputError),
        (
            OutgoingMessage(
                text="x",
                abonents=(Abonent(phone="79990000001"),),
                message_type=MessageType.WAP_PUSH,
            ),
            InvalidInputError,
        ),
    ],
)
def test_checked_message_refuses_what_the_gateway_cannot_take(
    message: OutgoingMessage, error: type[Exception]
) -> None:
    with pytest.raises(error):
        checked_message(message)


def test_checked_message_normalises() -> None:
    checked = checked_message(sms("+7 (999) 123-45-67", "8 999 123 45 68", sender=" INFO "))
    assert [a.phone for a in checked.abonents] == ["79991234567", "79991234568"]
    assert checked.sender == "INFO"


async def test_a_message_without_sender_gets_the_first_approved_one_read_once(
    sender: SmsSender, client: ScriptedClient
) -> None:
    await asyncio.gather(*(sender.async_send(sms(f"7999{n:07d}")) for n in range(10)))
    await sender.async_send(sms("79990000001", sender="ALERT"))
    await sender.async_send(sms("79990000002"))
    assert client.sender_requests == 1
    senders = [m.sender for request in client.requests for m in request]
    assert senders == ["INFO"] * 10 + ["ALERT", "INFO"]
    assert len(client.requests) == 3  # the ten waiting calls still shared a request


async def test_a_failed_sender_lookup_fails_the_call_and_is_asked_again(
    sender: SmsSender, client: ScriptedClient
) -> None:
    client.senders_failure = CommunicationError("down")
    with pytest.raises(CommunicationError):
        await sender.async_send(sms("79990000001"))
    assert client.requests == []
    client.senders_failure = None
    assert (await sender.async_send(sms("79990000001")))[0].accepted
    assert client.sender_requests == 2
