"""The send path of one jsonGate account: calls batched into requests, retried, never sent twice."""

from __future__ import annotations

import asyncio
import logging
from copy import replace
from dataclasses import dataclass
from functools import partial
from itertools import batched
from typing import TYPE_CHECKING, Final, NamedTuple

from .api import ClientIdGenerator, CommunicationError, InvalidResponseError, checked_message
from .store import EntryStore, StoreName

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from homeassistant.core import Event, HomeAssistant

    from .api import JsonGateClient, OutgoingMessage, SenderList, SendResult
    from .clients import JsonGateConfigEntry
    from .spending_guard import Reservation, SpendingGuard

_LOGGER = logging.getLogger(__name__)

MAX_IN_FLIGHT: Final = 2
MAX_ABONENTS_PER_REQUEST: Final = 1000  # a bigger call is split
RETRY_DELAYS: Final = (1.0, 3.0)  # seconds before the second and the third (last) try
RETRYABLE_ERRORS: Final = (CommunicationError, InvalidResponseError)  # it may have been sent
STOP_WAIT: Final = 10.0


class SenderClosedError(Exception):
    """The sender was shut down (its config entry is unloading): nothing was sent."""


class SendOutcomeUnknownError(Exception):
    """Home Assistant stopped before the gateway answered a request: it may send the SMS."""


async def async_load_client_ids(
    hass: HomeAssistant, entry: JsonGateConfigEntry
) -> tuple[ClientIdGenerator, Callable[[], None]]:
    """The entry's `client_id_sms` generator, above every id stored, and the way to store it."""
    store = EntryStore(hass, entry, StoreName.CLIENT_IDS, lambda: {"last": generator.last})
    stored = await store.async_load()
    generator = ClientIdGenerator(after=stored["last"] if stored else 0)
    return generator, store.async_schedule_save


class _Chunk(NamedTuple):
    """A call's abonents that travel in one request, and the future that gets their results."""

    message: OutgoingMessage
    future: asyncio.Future[tuple[SendResult, ...]]
    reservation: Reservation | None


@dataclass(slots=True)
class _Request:
    """The chunks one request carries; `left` once it is on its way to the gateway (`leave`)."""

    chunks: list[_Chunk]
    left: bool = False

    def leave(self) -> None:
        self.left = True

    def answer(self, results: tuple[SendResult, ...]) -> list[Callable[[], None]]:
        """Hand each caller its abonents' results; returns the steps that count their parts."""
        settle: list[Callable[[], None]] = []
        offset = 0
        for message, future, reservation in self.chunks:
            own = results[offset : offset + len(message.abonents)]
            offset += len(own)
            if not future.done():  # unless the caller gave up
                future.set_result(own)
            if reservation is not None:
                settle.append(partial(reservation.settle, own))
        return settle

    def fail(self, error: BaseException, *, maybe_sent: bool) -> None:
        """Fail the callers; count the parts if they may have been sent, else give them back."""
        for message, future, reservation in self.chunks:
            if reservation is not None:
                reservation.settle_unanswered(len(message.abonents), maybe_sent=maybe_sent)
            if not future.done():
                future.set_exception(error)


class SmsSender:
    """Sends the SMS of one gateway account."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: JsonGateConfigEntry,
        client: JsonGateClient,
        on_accepted: Callable[[Sequence[SendResult]], None],
        *,
        on_ids_assigned: Callable[[], None] | None = None,
        on_results: Callable[[Sequence[SendResult]], None] | None = None,
        guard: SpendingGuard | None = None,
    ) -> None:
        """Send through `client`; `on_accepted` gets the accepted results, `on_results` all."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._on_accepted = on_accepted
        self._on_ids_assigned = on_ids_assigned
        self._on_results = on_results
        self._guard = guard
        self._queue: list[_Chunk] = []
        self._in_flight: set[asyncio.Task[None]] = set()
        self._dispatch_scheduled = False
        self._closed = False
        self._entering = 0
        self._default_sender_task: asyncio.Task[SenderList] | None = None
        self.requests_sent = 0

    async def async_send(
        self, message: OutgoingMessage, *, checked: bool = False
    ) -> tuple[SendResult, ...]:
        """Send `message` (`checked`: by `checked_message`); a result per abonent, in order."""
        if self._closed:
            raise SenderClosedError
        if not checked:  # checked whole first: a bad call must not spoil a shared request
            message = checked_message(message)
        reservation = self._guard.reserve(message) if self._guard is not None else None
        if message.sender is None:
            self._entering += 1  # shutdown waits for these calls as for queued ones
            try:
                message = replace(message, sender=await self._async_default_sender())
            except BaseException:
                if reservation is not None:  # nothing was sent
                    reservation.settle_unanswered(len(message.abonents), maybe_sent=False)
                raise
            finally:
                self._entering -= 1
        message = self._client.assign_client_ids([message])[0]
        if self._on_ids_assigned is not None:
            self._on_ids_assigned()
        messages = [message]
        if len(message.abonents) > MAX_ABONENTS_PER_REQUEST:
            parts = batched(message.abonents, MAX_ABONENTS_PER_REQUEST, strict=False)
            messages = [replace(message, abonents=part) for part in parts]
        chunks = [_Chunk(part, self._hass.loop.create_future(), reservation) for part in messages]
        self._queue.extend(chunks)
        self._schedule_dispatch()
        # A caller that gives up cancels only its own futures: the shared requests go on.
        if len(chunks) == 1:
            return await chunks[0].future
        answers = await asyncio.gather(*(chunk.future for chunk in chunks))
        return tuple(result for answer in answers for result in answer)

    async def _async_default_sender(self) -> str | None:
        """The account's first approved sender (the gateway refuses a message without one)."""
        if self._default_sender_task is None:
            # One request however many calls wait; later calls find the answer at once.
            self._default_sender_task = self._hass.loop.create_task(self._client.get_senders())
        task = self._default_sender_task
        try:
            senders = await asyncio.shield(task)
        except Exception:
            if self._default_sender_task is task:  # the next call asks again
                self._default_sender_task = None
            raise
        return next(iter(senders.approved), None)

    async def async_shutdown(self) -> None:
        """Refuse new calls, send what is queued and wait for every request to end."""
        self._closed = True
        while self._entering or self._queue or self._in_flight or self._dispatch_scheduled:
            if self._in_flight:
                await asyncio.wait(set(self._in_flight))
            else:
                # A dispatch is due on the next tick, or calls are reading the sender.
                await asyncio.sleep(0 if self._dispatch_scheduled else 0.01)

    async def async_stop(self, _event: Event | None = None) -> None:
        """Let the sends in flight end before Home Assistant's last stop stage cancels them."""
        try:
            async with asyncio.timeout(STOP_WAIT):
                await self.async_shutdown()
        except TimeoutError:  # what is still queued was not sent
            queued, self._queue = self._queue, []
            _Request(queued).fail(SenderClosedError(), maybe_sent=False)

    def _schedule_dispatch(self) -> None:
        # One tick later, so that calls made in the same tick share the request.
        if not self._dispatch_scheduled:
            self._dispatch_scheduled = True
            self._hass.loop.call_soon(self._dispatch)

    def _dispatch(self) -> None:
        self._dispatch_scheduled = False
        while self._queue and len(self._in_flight) < MAX_IN_FLIGHT:
            # Not a background task: Home Assistant cancels those as soon as it stops.
            task = self._entry.async_create_task(
                self._hass, self._run(self._take_request()), f"jsongate send {self._entry.entry_id}"
            )
            self._in_flight.add(task)
            task.add_done_callback(self._request_done)

    def _take_request(self) -> _Request:
        chunks: list[_Chunk] = []
        abonents = 0
        while self._queue:
            size = len(self._queue[0].message.abonents)
            if chunks and abonents + size > MAX_ABONENTS_PER_REQUEST:
                break
            chunks.append(self._queue.pop(0))
            abonents += size
        return _Request(chunks)

    def _request_done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if self._queue:
            self._schedule_dispatch()

    async def _run(self, request: _Request) -> None:
        try:
            results = await self._send_with_retries(request)
        except Exception as error:  # noqa: BLE001 - a failure belongs to the callers
            request.fail(error, maybe_sent=isinstance(error, RETRYABLE_ERRORS))
            return
        except BaseException:
            # Cancelled: only a request that never left is surely not sent.
            stopped = SendOutcomeUnknownError() if request.left else SenderClosedError()
            request.fail(stopped, maybe_sent=request.left)
            raise
        # Callers are answered first; each step runs even if one fails (reservations must settle).
        steps = request.answer(results)
        if self._on_results is not None:
            steps.append(partial(self._on_results, results))
        if accepted := [result for result in results if result.accepted]:
            steps.append(partial(self._on_accepted, accepted))
        for step in steps:
            try:
                step()
            except Exception:  # logged: the SMS went out, and the callers have their answers
                _LOGGER.exception("Could not record the outcome of the messages just sent")

    async def _send_with_retries(self, request: _Request) -> tuple[SendResult, ...]:
        messages = [chunk.message for chunk in request.chunks]
        delays = iter(RETRY_DELAYS)
        while True:
            self.requests_sent += 1
            try:
                report = await self._client.send(messages, checked=True, on_leave=request.leave)
            except RETRYABLE_ERRORS as error:
                if (delay := next(delays, None)) is None:
                    raise
                # Not a warning: the ids given before sending make the retry send nothing twice.
                _LOGGER.debug("Send request failed (%s); trying again", error)
                await asyncio.sleep(delay)
            else:
                return report.results
