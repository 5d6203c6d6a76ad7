"""The fault matrix's machinery: the faults, simulated time, what is observed, restarts.

Time. Every test runs under freezegun (`freezer`), so Home Assistant's timers, the
client's timeouts, the send path's retry delays and the simulator's own `hang` sleeps
only move when `SimTime` moves them. `SimTime` is a small discrete-event driver: it
lets loopback I/O finish (it knows how many requests are in flight), then jumps to the
next scheduled timer, fires it, and repeats. A 30-second client timeout or a one-minute
poll interval thus costs milliseconds, in the order real time would have run them.

Observation. `World` listens to one Home Assistant instance after another (a restart
attaches the new one): `jsongate_sms_received` and `jsongate_delivery_report` bus events,
the availability of the entry's entities, and (through `caplog`) every log record.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.jsongate.api import RequestTimeoutError
from custom_components.jsongate.api.transport import JsonTransport
from custom_components.jsongate.const import DOMAIN, EVENT_DELIVERY_REPORT, EVENT_SMS_RECEIVED
from simulator import Simulator
from simulator.demo import LOGIN
from simulator.faults import Fault, FaultKind

POLL = 60  # the entries' scan interval, seconds
INTEGRATION_LOGGER = "custom_components.jsongate"
COORDINATOR_LOGGER = "custom_components.jsongate.coordinator"
# Loggers that speak about the integration's entries: their warnings must be translated.
OWN_LOGGERS = (INTEGRATION_LOGGER, "homeassistant.config_entries")
# The simulator stands in for a remote gateway: what it logs is not Home Assistant's log.
REMOTE_LOGGERS = ("aiohttp.server", "aiohttp.access", "aiohttp.web", "simulator")
TRANSLATIONS = Path(__file__).parents[2] / "custom_components/jsongate/translations/en.json"


# --- faults ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaultCase:
    """One row of the matrix: a fault, and what the integration should make of it.

    `error` is the translation key the coordinator reports while the fault is on (None:
    polling keeps working); `action_error` the key an action raises. `retryable` says
    whether the send path may try again (the request may have reached the gateway);
    `processed` whether the gateway acts on a request despite the fault.
    """

    name: str
    kind: FaultKind | None = None
    account: str | None = None  # "wrong_password", "blocked", "clock_back"
    error: str | None = None
    action_error: str | None = None
    retryable: bool = False
    processed: bool = False

    @property
    def stops_entry(self) -> bool:
        """A fault after which the entry waits for the user (reauth, or a reload)."""
        return self.account in {"wrong_password", "blocked"}

    @property
    def is_request_fault(self) -> bool:
        """A fault of the requests (as opposed to one of the account or its clock)."""
        return self.kind is not None

    def inject(
        self, sim: Simulator, *, request_type: str | None = None, times: int | None = None
    ) -> None:
        """Turn the fault on: `times` requests (None: until cleared) of `request_type`."""
        if self.kind is not None:
            sim.add_fault(Fault(self.kind, times=times, request_type=request_type))
        elif self.account == "wrong_password":
            sim.account(LOGIN).password = NEW_PASSWORD
        elif self.account == "blocked":
            sim.account(LOGIN).blocked = True
        elif self.account == "clock_back":
            sim.clock.advance(-CLOCK_JUMP)

    def clear(self, sim: Simulator) -> None:
        """End the fault on the gateway's side (a changed password stays changed)."""
        if self.kind is not None:
            sim.clear_faults()
        elif self.account == "blocked":
            sim.account(LOGIN).blocked = False


NEW_PASSWORD = "changed-elsewhere"
CLOCK_JUMP = timedelta(hours=1)
DOWNTIME = timedelta(minutes=5)  # how long Home Assistant is down in a restart


def _transport(name: str, kind: FaultKind, error: str, *, processed: bool = False) -> FaultCase:
    return FaultCase(
        name,
        kind=kind,
        error=error,
        action_error=error,
        retryable=True,
        processed=processed,
    )


FAULTS: tuple[FaultCase, ...] = (
    _transport("timeout", FaultKind.HANG, "timeout"),
    _transport("reset before", FaultKind.RESET_BEFORE, "cannot_connect"),
    _transport("reset after", FaultKind.RESET_AFTER, "cannot_connect", processed=True),
    _transport("disconnect before", FaultKind.DISCONNECT_BEFORE, "cannot_connect"),
    _transport("disconnect after", FaultKind.DISCONNECT_AFTER, "cannot_connect", processed=True),
    _transport("http 500", FaultKind.HTTP_500, "cannot_connect"),
    _transport("http 502", FaultKind.HTTP_502, "cannot_connect"),
    _transport("html page", FaultKind.HTML, "invalid_response"),
    _transport("malformed json", FaultKind.MALFORMED_JSON, "invalid_response"),
    _transport("truncated json", FaultKind.TRUNCATED_JSON, "invalid_response", processed=True),
    _transport("wrong types", FaultKind.WRONG_TYPES, "invalid_response", processed=True),
    FaultCase(
        "error text",
        kind=FaultKind.ERROR_TEXT,
        error="request_refused",
        action_error="request_refused",
    ),
    FaultCase(
        "wrong password",
        account="wrong_password",
        error="invalid_auth",
        action_error="invalid_auth",
    ),
    FaultCase(
        "account blocked",
        account="blocked",
        error="account_blocked",
        action_error="account_blocked",
    ),
    FaultCase("clock back 1 h", account="clock_back"),
)


# --- simulated time ----------------------------------------------------------------------


class InFlight:
    """Real work under way: the client's requests, and the event loop's executor jobs."""

    def __init__(self) -> None:
        """Nothing in flight yet."""
        self.active = 0
        self.unanswered = 0  # timed out or cancelled
        self.jobs: set[asyncio.Future[Any]] = set()

    def install(self, monkeypatch: pytest.MonkeyPatch, loop: asyncio.AbstractEventLoop) -> None:
        """Count every request the integration's transport makes, and `loop`'s executor jobs."""
        run_in_executor = loop.run_in_executor

        def counted_job(executor: Any, func: Any, *args: Any) -> asyncio.Future[Any]:
            job = run_in_executor(executor, func, *args)
            self.jobs.add(job)
            job.add_done_callback(self.jobs.discard)
            return job

        monkeypatch.setattr(loop, "run_in_executor", counted_job)
        post = JsonTransport.post

        async def counted(transport: JsonTransport, *args: Any, **kwargs: Any) -> Any:
            self.active += 1
            try:
                return await post(transport, *args, **kwargs)
            except RequestTimeoutError, asyncio.CancelledError:
                self.unanswered += 1
                raise
            finally:
                self.active -= 1

        monkeypatch.setattr(JsonTransport, "post", counted)


class SimTime:
    """Moves frozen time from timer to timer, letting loopback I/O finish in between."""

    MAX_SPINS = 200_000
    MAX_STEPS = 2_000

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        sim: Simulator,
        inflight: InFlight,
    ) -> None:
        """Drive `hass` (replaced after a restart) and the simulator's clock."""
        self.hass = hass
        self._freezer = freezer
        self._sim = sim
        self._inflight = inflight

    def _parked(self) -> int:
        """Requests the simulator holds in a `hang` that the client still waits for.

        Every hang ends on the client's side by a timeout or a cancellation. (A request
        cancelled before it reached the simulator would make this count one short: the
        tests stop Home Assistant only once a hung request has arrived.)
        """
        hangs = sum(1 for record in self._sim.requests if record.fault == FaultKind.HANG)
        return hangs - self._inflight.unanswered

    async def settle(self) -> None:
        """Run the loop until nothing happens but waiting for time.

        That is: every request in flight is answered or parked in a hang, every executor
        job (file writes, imports, translations) is done, and the callbacks they woke
        have run. Only then may time move: a jump past a timeout while real work is
        still under way would fire that timeout early.
        """
        for _ in range(self.MAX_STEPS):
            for _ in range(self.MAX_SPINS):
                await asyncio.sleep(0)
                if self._inflight.active <= max(self._parked(), 0):
                    break
            else:
                raise AssertionError(f"{self._inflight.active} requests never settled")
            if self._inflight.jobs:
                # Executor jobs end in real time; waiting for them moves no timer.
                await asyncio.wait(set(self._inflight.jobs))
                continue
            # Callbacks and tasks woken by the last answers.
            for _ in range(50):
                await asyncio.sleep(0)
            if not self._inflight.jobs and self._inflight.active <= max(self._parked(), 0):
                return
        raise AssertionError("the loop never settled")

    def _next_timer(self) -> float | None:
        handles = [handle for handle in self.hass.loop._scheduled if not handle.cancelled()]
        return min((handle.when() for handle in handles), default=None)

    def _move_to(self, when: float) -> None:
        delta = when - self.hass.loop.time()
        if delta > 0:
            # freezegun keeps microseconds: round up so the timer is due, not just short.
            self._freezer.tick(timedelta(microseconds=math.ceil(delta * 1e6) + 1))
        async_fire_time_changed(self.hass)

    async def advance(self, seconds: float = POLL) -> None:
        """Let `seconds` pass: every timer due meanwhile fires, in order."""
        await self.settle()
        target = self.hass.loop.time() + seconds
        for _ in range(self.MAX_STEPS):
            when = self._next_timer()
            if when is None or when > target:
                break
            self._move_to(when)
            await self.settle()
        else:
            raise AssertionError("timers kept firing at the same instant")
        self._move_to(target)
        await self.settle()
        # Requests parked in a hang end when the client gives up: let that happen too.
        for _ in range(self.MAX_STEPS):
            if not self._inflight.active:
                return
            when = self._next_timer()
            assert when is not None, "a request waits, but no timer will end it"
            self._move_to(when)
            await self.settle()
        raise AssertionError("requests stayed in flight")

    async def start_next_request(self, *, reach_server: bool = False) -> None:
        """Move from timer to timer until one starts a request; return while it is in flight.

        With `reach_server`, return once the simulator holds it (a `hang`), not before.
        """
        await self.settle()
        limit = self.hass.loop.time() + 3 * POLL
        while (when := self._next_timer()) is not None and when <= limit:
            self._move_to(when)
            for _ in range(10):
                await asyncio.sleep(0)
                if self._inflight.active:
                    if reach_server:
                        await self.settle()
                    return
        raise AssertionError("no request started")

    async def run[T](self, awaitable: Awaitable[T]) -> T:
        """Await `awaitable`, moving time from timer to timer until it is done."""
        task: asyncio.Future[T] = asyncio.ensure_future(awaitable)
        for _ in range(self.MAX_STEPS):
            await self.settle()
            if task.done():
                return task.result()
            when = self._next_timer()
            if when is None:
                await asyncio.sleep(0)
                continue
            self._move_to(when)
        task.cancel()
        raise AssertionError("the awaited call never finished")


def result_or_error(task: asyncio.Future[Any]) -> tuple[Any, str | None]:
    """A finished call's result, or the translation key of the translated error it raised.

    Any other exception (untranslated, or not a Home Assistant error) fails the test.
    """
    assert task.done()
    error = task.exception()
    if error is None:
        return task.result(), None
    if not isinstance(error, HomeAssistantError):
        raise error
    assert error.translation_domain == DOMAIN, error
    assert error.translation_key is not None, error
    assert is_translated(str(error)), str(error)
    return None, error.translation_key


# --- observation -------------------------------------------------------------------------


def _translated_patterns() -> list[re.Pattern[str]]:
    messages = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))["exceptions"]
    patterns = []
    for item in messages.values():
        # Home Assistant drops the final period when it logs a translated message.
        parts = re.split(r"\{[a-z_]+\}", item["message"].rstrip("."))
        patterns.append(re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL))
    return patterns


TRANSLATED = _translated_patterns()


def is_translated(text: str) -> bool:
    """Whether `text` contains one of the integration's translated error messages."""
    return any(pattern.search(text) for pattern in TRANSLATED)


# Where Home Assistant logs about a config entry: its own logger, or the entry's.
ENTRY_LOGGERS = frozenset({"homeassistant.config_entries", "custom_components.jsongate"})


def _is_entry_error_line(record: logging.LogRecord) -> bool:
    """Home Assistant's line for an entry that can't be set up (a blocked account).

    Home Assistant logs every `ConfigEntryError` with its traceback, on the entry's
    logger (the integration's); the message quotes the integration's translated reason.
    """
    text = record.getMessage()
    return (
        record.name in ENTRY_LOGGERS
        and text.startswith("Error setting up entry")
        and is_translated(text)
    )


def _is_frozen_time_artifact(record: logging.LogRecord) -> bool:
    """asyncio's debug warning that a step "took" the simulated time moved inside it."""
    return record.name == "asyncio" and record.getMessage().startswith("Executing <")


@dataclass
class Outcome:
    """What one call ended with: message ids, or a translated error (its key)."""

    ids: list[str | None] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        """The call got a message id for every recipient."""
        return self.error is None and bool(self.ids) and all(self.ids)


class World:
    """One test's view of Home Assistant (across restarts), the simulator and the log."""

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        sim: Simulator,
        entry: MockConfigEntry,
        *,
        caplog: pytest.LogCaptureFixture,
        inflight: InFlight,
    ) -> None:
        """Watch `hass` and `entry`; time moves through `self.time`."""
        self.hass = hass
        self.sim = sim
        self.entry = entry
        self.caplog = caplog
        self.time = SimTime(hass, freezer, sim, inflight)
        self.freezer = freezer
        self.received: list[str] = []
        self.reports: list[tuple[str, str]] = []
        self.went_down: Counter[str] = Counter()
        self.came_back: Counter[str] = Counter()
        self.added_sms: list[str] = []
        self.notify_key = ""  # the recipient subentry's id, when a test adds one
        caplog.set_level(logging.INFO)
        self.watch(hass)

    # -- watching

    def watch(self, hass: HomeAssistant) -> None:
        """Record the bus events and availability changes of `hass`."""

        @callback
        def sms(event: Event[Any]) -> None:
            self.received.append(event.data["message_id"])

        @callback
        def report(event: Event[Any]) -> None:
            self.reports.append((event.data["message_id"], event.data["event_type"]))

        @callback
        def state_changed(event: Event[Any]) -> None:
            old, new = event.data["old_state"], event.data["new_state"]
            if old is None or new is None:
                return
            key = self._entity_key(hass, event.data["entity_id"])
            if key is None:
                return
            if old.state != STATE_UNAVAILABLE and new.state == STATE_UNAVAILABLE:
                self.went_down[key] += 1
            elif old.state == STATE_UNAVAILABLE and new.state != STATE_UNAVAILABLE:
                self.came_back[key] += 1

        hass.bus.async_listen(EVENT_SMS_RECEIVED, sms)
        hass.bus.async_listen(EVENT_DELIVERY_REPORT, report)
        hass.bus.async_listen(EVENT_STATE_CHANGED, state_changed)

    def _entity_key(self, hass: HomeAssistant, entity_id: str) -> str | None:
        """`balance`, `incoming_sms`, … for the entry's polled entities, else None."""
        registered = er.async_get(hass).async_get(entity_id)
        if registered is None or registered.config_entry_id != self.entry.entry_id:
            return None
        key = registered.unique_id.removeprefix(f"{self.entry.entry_id}_")
        if key in {"balance", "incoming_sms", "delivery_report"}:
            return key
        return None

    def entity_id(self, key: str, domain: str = "sensor") -> str:
        """The entity id of the entry's entity `key`."""
        found = er.async_get(self.hass).async_get_entity_id(
            domain, DOMAIN, f"{self.entry.entry_id}_{key}"
        )
        assert found is not None
        return found

    # -- acting

    async def setup(self) -> None:
        """Set the entry up and check it loaded."""
        assert await self.hass.config_entries.async_setup(self.entry.entry_id)
        await self.hass.async_block_till_done()
        assert self.entry.state is ConfigEntryState.LOADED

    def add_sms(self, text: str) -> str:
        """An incoming SMS arrives at the gateway (stamped with the gateway's clock)."""
        sms_id = self.sim.add_incoming(LOGIN, originator="79161234567", text=text)
        self.added_sms.append(sms_id)
        return sms_id

    def reauth_flows(self, hass: HomeAssistant | None = None) -> list[dict[str, Any]]:
        """The reauth flows in progress for the entry."""
        hass = hass or self.hass
        return [
            flow
            for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
            if flow["context"]["source"] == SOURCE_REAUTH
        ]

    async def finish_reauth(self) -> None:
        """The user types the new password into the one reauth flow; the entry reloads."""
        await self.time.settle()
        (flow,) = self.reauth_flows()
        result = await self.time.run(
            self.hass.config_entries.flow.async_configure(
                flow["flow_id"], {CONF_PASSWORD: NEW_PASSWORD}
            )
        )
        assert result["reason"] == "reauth_successful"
        await self.time.settle()
        assert self.entry.state is ConfigEntryState.LOADED

    async def end_fault(self, fault: FaultCase) -> None:
        """The fault ends: the gateway recovers, or the user completes the reauth."""
        fault.clear(self.sim)
        if fault.account == "wrong_password":
            await self.finish_reauth()
        elif fault.account == "blocked":
            # A blocked account stops the entry; the user reloads it once unblocked.
            await self.time.settle()
            await self.time.run(self.hass.config_entries.async_reload(self.entry.entry_id))
            await self.time.settle()
            assert self.entry.state is ConfigEntryState.LOADED

    async def call(self, awaitable: Awaitable[Any]) -> tuple[Any, str | None]:
        """Run an action; return its result, or the translation key of the error it raised.

        Only translated `HomeAssistantError`s of this integration count as errors; any
        other exception fails the test.
        """
        task = asyncio.ensure_future(awaitable)
        with contextlib.suppress(Exception):
            await self.time.run(task)
        return result_or_error(task)

    # -- restarting

    async def stop(self) -> None:
        """Stop Home Assistant (as a restart does), whatever is in flight."""
        await self.time.run(self.hass.async_stop())

    @asynccontextmanager
    async def restarted(self) -> AsyncIterator[HomeAssistant]:
        """Stop Home Assistant, start a new one on the same storage, with the same entry.

        Time keeps moving while Home Assistant is down (`DOWNTIME`). The new instance is
        watched like the first; the entry is added but not set up.
        """
        await self.stop()
        async with self.started_again() as hass:
            yield hass

    @asynccontextmanager
    async def started_again(self) -> AsyncIterator[HomeAssistant]:
        """After `stop`: a new Home Assistant on the same storage, with the same entry."""
        self.freezer.tick(DOWNTIME)
        old = self.entry
        async with async_test_home_assistant(config_dir=self.hass.config.config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            entry = MockConfigEntry(
                domain=DOMAIN,
                entry_id=old.entry_id,
                title=old.title,
                unique_id=old.unique_id,
                data=dict(old.data),
                options=dict(old.options),
                subentries_data=[
                    {
                        "data": dict(subentry.data),
                        "subentry_id": subentry.subentry_id,
                        "subentry_type": subentry.subentry_type,
                        "title": subentry.title,
                        "unique_id": subentry.unique_id,
                    }
                    for subentry in old.subentries.values()
                ],
            )
            entry.add_to_hass(hass)
            self.hass, self.entry, self.time.hass = hass, entry, hass
            self.watch(hass)
            try:
                yield hass
            finally:
                await self.time.run(hass.async_stop())

    async def setup_after_restart(self, fault: FaultCase) -> None:
        """Start the entry on the new instance, with the fault still on, then end the fault.

        A fault that breaks the first refresh leaves the entry retrying (or waiting for
        reauthentication); it must load once the fault is gone.
        """
        await self.time.run(self.hass.config_entries.async_setup(self.entry.entry_id))
        await self.time.settle()
        await self.end_fault(fault)
        for _ in range(10):
            if self.entry.state is ConfigEntryState.LOADED:
                break
            await self.time.advance()
        assert self.entry.state is ConfigEntryState.LOADED

    # -- the log

    def records(self, minimum: int = logging.DEBUG) -> list[logging.LogRecord]:
        """Home Assistant's log records (not the simulator's) at `minimum` or above."""
        return [
            record
            for record in self.caplog.records
            if record.levelno >= minimum and not record.name.startswith(REMOTE_LOGGERS)
        ]

    def log_violations(self) -> list[str]:
        """Records that are not the integration's own handled, translated errors.

        No traceback may reach the log; every error, and every warning about the
        integration or its entries, must carry one of the integration's translated
        messages (the coordinator's, or Home Assistant's own line about the entry, which
        quotes it). Warnings of the test environment itself (an untested custom
        integration, a missing zlib accelerator) are not about the integration. A
        shutdown stage that timed out is a violation too: something held the stop.
        """
        bad = []
        for record in self.records():
            text = record.getMessage()
            if _is_frozen_time_artifact(record):
                continue
            if record.name == "homeassistant.core" and "Timed out waiting" in text:
                # A shutdown stage gave up waiting: something held Home Assistant's stop.
                bad.append(f"{record.levelname} {record.name}: {text}")
            elif record.levelno >= logging.INFO and (record.exc_info or record.exc_text):
                if _is_entry_error_line(record):
                    continue

                bad.append(f"traceback: {record.name}: {text}")
            elif not is_translated(text) and (
                record.levelno >= logging.ERROR
                or (record.levelno >= logging.WARNING and record.name.startswith(OWN_LOGGERS))
            ):
                bad.append(f"{record.levelname} {record.name}: {text}")
        return bad

    def unavailable_lines(self) -> list[str]:
        """The coordinator's lines saying polling failed."""
        return [
            record.getMessage()
            for record in self.records(logging.WARNING)
            if record.name == COORDINATOR_LOGGER
        ]

    def recovered_lines(self) -> list[str]:
        """The coordinator's lines saying polling works again."""
        return [
            record.getMessage()
            for record in self.records(logging.INFO)
            if record.name == COORDINATOR_LOGGER
            and record.levelno == logging.INFO
            and "recovered" in record.getMessage()
        ]

    def setup_retry_lines(self) -> list[str]:
        """Home Assistant's lines saying the entry could not be set up (and why)."""
        return [
            record.getMessage()
            for record in self.records(logging.INFO)
            if record.name in ENTRY_LOGGERS
            and (
                "not ready yet" in record.getMessage()
                or "authenticate" in record.getMessage()
                or record.getMessage().startswith("Error setting up entry")
            )
        ]

    def assert_clean_log(self) -> None:
        """No exception reached the log except the integration's translated errors."""
        violations = self.log_violations()
        assert not violations, "\n".join(violations)

    def client_ids_processed_twice(self) -> dict[int, int]:
        """client_id_sms values the gateway acted on more than once (must be none)."""
        return {
            client_id: count
            for client_id, count in self.sim.processed_client_ids(LOGIN).items()
            if count > 1
        }
