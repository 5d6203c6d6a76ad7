"""The send path of one jsonGate account: batched, bounded, retried without double sends.

Every SMS of an account, from notify entities and from `jsongate.send_sms`, goes through
one `SmsSender`:

- A call is checked first (`checked_message`: phones, sender, text, WAP push link; the
  only check of a send), so that one bad call can never spoil a request shared with
  others, and every abonent gets its `client_id_sms` once, before anything is sent. A
  message without a sender gets the account's first approved sender (the gateway
  refuses a message with none), read once.
- Calls are queued. The queue is sent one event-loop tick after the first call arrives,
  so calls made together share one request; calls made while requests are in flight
  wait for a free slot and then go out together. At most `MAX_IN_FLIGHT` requests per
  account are in flight; a request carries at most `MAX_ABONENTS_PER_REQUEST` abonents
  (a bigger call is split).
- A request that may or may not have reached the gateway (connection lost, timeout,
  unreadable answer) is sent again, unchanged: the gateway sends each `client_id_sms`
  once and answers a repeat with the earlier message id, so a retry can't send twice.
- Each call gets back the results of its own abonents, in order; accepted results are
  also handed to `on_accepted` (the delivery-report tracker).
- With a `SpendingGuard`, a call reserves its estimated parts before anything is sent
  (or is refused whole over the daily limit), and each of its requests settles them:
  with the parts the gateway answered, with the estimate when the outcome is unknown,
  with nothing when nothing was sent.
"""

from __future__ import annotations

import asyncio
import logging
from copy import replace
from functools import partial
from typing import TYPE_CHECKING, Final

from .api import CommunicationError, InvalidResponseError, checked_message

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from homeassistant.core import Event, HomeAssistant

    from .api import JsonGateClient, OutgoingMessage, SendResult
    from .data import JsonGateConfigEntry
    from .spending_guard import Reservation, SpendingGuard

_LOGGER = logging.getLogger(__name__)

MAX_IN_FLIGHT: Final = 2
MAX_ABONENTS_PER_REQUEST: Final = 1000
MAX_TRIES: Final = 3
# Seconds to wait before the second and the third try.
RETRY_DELAYS: Final = (1.0, 3.0)
# Errors after which the gateway may have processed the request: only these are retried.
RETRYABLE_ERRORS: Final = (CommunicationError, InvalidResponseError)
# How long Home Assistant's stop may wait for the sends in flight to get their answers.
STOP_WAIT: Final = 10.0


class SenderClosedError(Exception):
    """The sender was shut down (its config entry is unloading): nothing was sent."""


class SendOutcomeUnknownError(Exception):
    """Home Assistant stopped while the gateway had the request: it may send the SMS.

    The request left (and may have reached the gateway, which then sends the SMS), but
    no answer came before the send path was stopped.
    """


class _Call:
    """One caller's message (split into chunks that fit a request) and its results."""

    __slots__ = ("chunks", "future", "reservation", "results")

    def __init__(
        self,
        chunks: list[OutgoingMessage],
        future: asyncio.Future[tuple[SendResult, ...]],
        reservation: Reservation | None,
    ) -> None:
        self.chunks = chunks
        self.future = future
        self.reservation = reservation
        self.results: dict[int, tuple[SendResult, ...]] = {}

    def chunk_done(self, index: int, results: tuple[SendResult, ...]) -> None:
        self.results[index] = results
        if len(self.results) == len(self.chunks) and not self.future.done():
            self.future.set_result(
                tuple(result for i in range(len(self.chunks)) for result in self.results[i])
            )

    def fail(self, error: BaseException) -> None:
        if not self.future.done():
            self.future.set_exception(error)


class _Chunk:
    """A part of a call that travels in one request: `call.chunks[index]`."""

    __slots__ = ("call", "index")

    def __init__(self, call: _Call, index: int) -> None:
        self.call = call
        self.index = index

    @property
    def message(self) -> OutgoingMessage:
        return self.call.chunks[self.index]

    def count_results(self, results: Sequence[SendResult]) -> None:
        """Count the parts the gateway answered for this chunk's abonents."""
        if self.call.reservation is not None:
            self.call.reservation.settle(results)

    def count_failure(self, *, maybe_sent: bool) -> None:
        """Count this chunk's estimate if it may have been sent, else give it back."""
        if (reservation := self.call.reservation) is not None:
            size = len(self.message.abonents)
            if maybe_sent:
                reservation.settle_unknown(size)
            else:
                reservation.release(size)


class _Request:
    """One request of the send path; `left` once it is on its way to the gateway."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = False

    def leave(self) -> None:
        """The transport has a slot for it and sends it now (it may wait for one)."""
        self.left = True


class SmsSender:
    """Sends the SMS of one gateway account (see the module docstring for how)."""

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
        """Send through `client`; hand every accepted result to `on_accepted`.

        `on_ids_assigned` is told each time abonents were given their `client_id_sms`
        (to keep the greatest id used across restarts); `on_results` gets every
        request's results, accepted or refused (for the repair issues); `guard`
        counts and limits the parts sent.
        """
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
        self._default_sender_task: asyncio.Task[str | None] | None = None
        self._task_name = f"jsongate send {entry.entry_id}"
        self.requests_sent = 0

    async def async_send(
        self, message: OutgoingMessage, *, checked: bool = False
    ) -> tuple[SendResult, ...]:
        """Send `message` to its abonents; one result per abonent, in order.

        Raises `InvalidInputError` before anything is sent when the message can't be
        sent (`checked`: it came from `checked_message` already), the guard's
        `HomeAssistantError` before anything is sent when it would go over the daily limit,
        the client's `GatewayError` when the request failed for good, and
        `SenderClosedError` when the sender is shut down.
        """
        if self._closed:
            raise SenderClosedError
        if not checked:
            message = checked_message(message)
        reservation = self._guard.reserve(message) if self._guard is not None else None
        if message.sender is None:
            # Shutdown waits for calls in here, as for those already queued.
            self._entering += 1
            try:
                message = replace(message, sender=await self._async_default_sender())
            except BaseException:
                # Nothing was sent: the parts go back (re-raised).
                if reservation is not None:
                    reservation.release(len(message.abonents))
                raise
            finally:
                self._entering -= 1
        message = self._client.assign_client_ids([message])[0]
        if self._on_ids_assigned is not None:
            self._on_ids_assigned()
        abonents = message.abonents
        chunks = (
            [message]
            if len(abonents) <= MAX_ABONENTS_PER_REQUEST
            else [
                replace(message, abonents=abonents[start : start + MAX_ABONENTS_PER_REQUEST])
                for start in range(0, len(abonents), MAX_ABONENTS_PER_REQUEST)
            ]
        )
        call = _Call(chunks, self._hass.loop.create_future(), reservation)
        self._queue.extend(_Chunk(call, index) for index in range(len(chunks)))
        self._schedule_dispatch()
        # The future is this call's alone: a caller that gives up cancels it, and the
        # request (shared with others) goes on; its results and failure then skip this
        # call, so nothing surfaces later as an exception never retrieved.
        return await call.future

    async def _async_default_sender(self) -> str | None:
        """The account's first approved sender, or None when it has none to offer."""
        if self._default_sender_task is None:
            # One request, however many calls wait for it; they all resume in one tick,
            # and later calls find the answer without waiting at all.
            self._default_sender_task = self._hass.loop.create_task(self._fetch_default_sender())
        task = self._default_sender_task
        try:
            return await asyncio.shield(task)
        except Exception:
            # Whatever failed goes to the caller (re-raised); the next call asks again.
            if self._default_sender_task is task:
                self._default_sender_task = None  # ask again on the next call
            raise

    async def _fetch_default_sender(self) -> str | None:
        return next(iter((await self._client.get_senders()).approved), None)

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
        """Finish the sends in flight while Home Assistant stops, for `STOP_WAIT` at most.

        Home Assistant cancels what is still running in its last stop stage; a send
        cancelled there leaves its caller (a notify entity, an automation) with no
        answer although the gateway may have sent the SMS. Listening to the first stop
        stage lets them end first, without holding the stop up for long. When the wait
        is over, what is still queued is dropped (its callers learn that nothing was
        sent); a request still in flight then ends with `SendOutcomeUnknownError`.
        """
        try:
            async with asyncio.timeout(STOP_WAIT):
                await self.async_shutdown()
        except TimeoutError:
            queued, self._queue = self._queue, []
            for chunk in queued:
                chunk.count_failure(maybe_sent=False)
                chunk.call.fail(SenderClosedError())

    def _schedule_dispatch(self) -> None:
        # One tick later, so that calls made in the same tick share the request.
        if not self._dispatch_scheduled:
            self._dispatch_scheduled = True
            self._hass.loop.call_soon(self._dispatch)

    def _dispatch(self) -> None:
        self._dispatch_scheduled = False
        while self._queue and len(self._in_flight) < MAX_IN_FLIGHT:
            batch = self._take_batch()
            # An entry task, not a background one: the config entries cancel their
            # background tasks as soon as Home Assistant stops, and `async_stop` lets
            # these finish first.
            task = self._entry.async_create_task(self._hass, self._run(batch), self._task_name)
            self._in_flight.add(task)
            task.add_done_callback(self._request_done)

    def _take_batch(self) -> list[_Chunk]:
        batch: list[_Chunk] = []
        abonents = 0
        while self._queue:
            size = len(self._queue[0].message.abonents)
            if batch and abonents + size > MAX_ABONENTS_PER_REQUEST:
                break
            batch.append(self._queue.pop(0))
            abonents += size
        return batch

    def _request_done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if self._queue:
            self._schedule_dispatch()

    async def _run(self, batch: list[_Chunk]) -> None:
        request = _Request()
        try:
            results = await self._send_with_retries([chunk.message for chunk in batch], request)
        except Exception as error:  # noqa: BLE001 - a failure belongs to the callers
            # Failed after the retries: it may have been sent.
            maybe_sent = isinstance(error, RETRYABLE_ERRORS)
            for chunk in batch:
                chunk.count_failure(maybe_sent=maybe_sent)
                chunk.call.fail(error)
            return
        except BaseException:
            # Stopped (cancelled): only a request that never left is surely not sent.
            stopped = SendOutcomeUnknownError() if request.left else SenderClosedError()
            for chunk in batch:
                chunk.count_failure(maybe_sent=request.left)
                chunk.call.fail(stopped)
            raise
        answered = []
        offset = 0
        for chunk in batch:
            size = len(chunk.message.abonents)
            answered.append((chunk, results[offset : offset + size]))
            chunk.call.chunk_done(chunk.index, results[offset : offset + size])
            offset += size
        # The callers have their answers first: what follows (the count of parts, the
        # repair issues, following delivery) touches stores, registries and entity
        # states, and a failure there must neither leave a caller waiting for ever nor
        # stop the other steps (a reservation never settled would hold its parts).
        accepted = [result for result in results if result.accepted]
        steps: list[Callable[[], None]] = [
            partial(chunk.count_results, chunk_results) for chunk, chunk_results in answered
        ]
        if self._on_results is not None:
            steps.append(partial(self._on_results, results))
        if accepted:
            steps.append(partial(self._on_accepted, accepted))
        for step in steps:
            try:
                step()
            except Exception:
                # Logged, not raised: the SMS went out and the callers have their answers.
                _LOGGER.exception("Could not record the outcome of the messages just sent")

    async def _send_with_retries(
        self, messages: list[OutgoingMessage], request: _Request
    ) -> tuple[SendResult, ...]:
        attempt = 1
        while True:
            self.requests_sent += 1
            try:
                report = await self._client.send(messages, checked=True, on_leave=request.leave)
            except RETRYABLE_ERRORS as error:
                if attempt >= MAX_TRIES:
                    raise
                # Not a warning: the retry is expected to succeed, and it can't send
                # anything twice since every abonent keeps its client_id_sms.
                _LOGGER.debug("Send request failed (%s); trying again", error)
                await asyncio.sleep(RETRY_DELAYS[attempt - 1])
                attempt += 1
            else:
                return report.results
