"""Benchmark the integration against a naive sender, through Home Assistant's service layer.

Run it with `scripts/bench` (which uses the project's venv). What it does:

- starts the simulator (`python -m simulator`) as a separate process on 127.0.0.1, so
  that its work is neither counted as Home Assistant's CPU time nor competes with it
  inside one event loop; a `latency` fault on every jsonGate request (until cleared)
  gives each round trip the chosen delay;
- starts a real Home Assistant in this process (`async_test_home_assistant`, as
  pytest-homeassistant-custom-component does, on a temporary config directory) and sets
  up the demo gateway entry;
- registers a naive sender next to it, `jsongate_bench.naive_send_sms`: one request per
  recipient, one after another, through the same protocol client — the way other SMS
  integrations send;
- measures, counting requests in the simulator's request log: requests and wall time for
  1, 10 and 100 recipients; 50 concurrent single-recipient calls; Home Assistant-side CPU
  time per message (no latency; `time.process_time` around each call, so every thread of
  this process counts and the simulator's work does not); the time to set up a config
  entry; requests per poll interval over a simulated day without sends (the
  integration's clock moved poll by poll); bytes and CPU per poll of a busy account
  (0, 100, 1,000 and 2,000 SMS in the last two hours, the SMS of one poll interval new
  in each poll); CPU per poll with 1,000 and 10,000 pending delivery reports; the most
  requests in flight to the account (the simulator's count) while reads, sends and
  polls flood it; the import of the integration with its platforms beside core's
  `template` (fresh interpreters, in turn, `.pyc` files present).

It prints a table (with the ratio to the naive sender) and writes the same as JSON
(`--output`, default `bench-results.json`). A missed target is listed, not an error.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import gc
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Self
from unittest.mock import patch

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Imported after the path is set: the integration and the simulator live in the repository.
from homeassistant import loader  # noqa: E402
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL  # noqa: E402
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse  # noqa: E402
from homeassistant.helpers.aiohttp_client import async_get_clientsession  # noqa: E402
from homeassistant.util import dt as dt_util  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # noqa: E402
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.jsongate import coordinator as coordinator_module  # noqa: E402
from custom_components.jsongate import incoming as incoming_module  # noqa: E402
from custom_components.jsongate.api import Abonent, JsonGateClient, OutgoingMessage  # noqa: E402
from custom_components.jsongate.clients import GatewayRuntimeData  # noqa: E402
from custom_components.jsongate.const import (  # noqa: E402
    CONF_API_TOKEN,
    CONF_DAILY_SMS_LIMIT,
    CONF_DELIVERY_REPORTS,
    CONF_ENTRY_TYPE,
    DOMAIN,
    ENTRY_TYPE_GATEWAY,
)
from custom_components.jsongate.const import UPDATE_INTERVAL as POLL_INTERVAL  # noqa: E402
from simulator import demo  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

NAIVE_DOMAIN = "jsongate_bench"
SENDER = "INFO"
SIZES = (1, 10, 100)
CONCURRENT = 50
CPU_SAMPLES = 500
CPU_WARMUP = 30
SETUP_SAMPLES = 7
POLLS = 3
REPEATS = 3
# The issues' targets.
TARGET_SETUP_MS = 100
TARGET_CPU_MS = 0.4
TARGET_CPU_RATIO = 1.3  # lone send CPU over the naive sender's
TARGET_BULK_REQUESTS = 1
TARGET_CONCURRENT = 3  # requests, and round trips of wall time
TARGET_POLL = 1.1  # requests per poll interval over a day without sends
TARGET_BUSY_BYTES = 20_000
TARGET_BUSY_CPU_MS = 3.0
TARGET_PENDING_CPU_MS = 12.0
TARGET_IN_FLIGHT = 3
TARGET_IMPORT_RATIO = 0.5
DAY = timedelta(days=1)
BUSY_LEVELS = (0, 100, 1000, 2000)  # SMS in the last two hours
BUSY_POLLS = 5
PENDING_LEVELS = (1000, 10_000)
PENDING_POLLS = 5
FLOOD = 20  # of each: reads, sends, polls
IMPORT_PAIRS = 9
# Both sides import these first: a running Home Assistant has them loaded before it
# loads an integration's modules.
IMPORT_COMMON = (
    "homeassistant.bootstrap",
    "homeassistant.components.sensor",
    "homeassistant.components.event",
    "homeassistant.components.notify",
    "homeassistant.helpers.update_coordinator",
    "homeassistant.helpers.storage",
)
IMPORT_SIDES = {
    "integration": tuple(
        f"custom_components.jsongate{module}"
        for module in ("", ".config_flow", ".sensor", ".event", ".notify")
    ),
    "template": tuple(
        f"homeassistant.components.template{module}"
        for module in ("", ".config_flow", ".sensor", ".event")
    ),
}


# --- the simulator, in its own process ---------------------------------------------------


class SimulatorProcess:
    """`python -m simulator --port 0`, its URLs, and its control API."""

    def __init__(self) -> None:
        """Not started yet."""
        self._process: asyncio.subprocess.Process | None = None
        self.url = ""
        self.jsongate_url = ""
        self._session: aiohttp.ClientSession | None = None
        self._seq = 0

    async def __aenter__(self) -> Self:
        """Start the simulator and read the URLs it prints."""
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "simulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        stdout = self._process.stdout
        for _ in range(20):
            line = (await stdout.readline()).decode() if stdout else ""
            if line.startswith("jsonGate & Scorocode simulator on "):
                self.url = line.rsplit(" ", 1)[1].strip()
            elif line.strip().startswith("jsonGate "):
                self.jsongate_url = line.split()[1]
                break
        if not self.url or not self.jsongate_url:
            raise RuntimeError("the simulator did not start")
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        """Stop the simulator (SIGTERM, as it expects)."""
        if self._session is not None:
            await self._session.close()
        if self._process is not None:
            self._process.terminate()
            await asyncio.wait_for(self._process.wait(), 10)

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the simulator's control API (`/__simulator__/...`)."""
        if self._session is None:
            raise RuntimeError("the simulator is not running")
        async with self._session.request(
            method, f"{self.url}/__simulator__{path}", json=body
        ) as response:
            response.raise_for_status()
            return await response.json()

    async def set_latency(self, seconds: float) -> None:
        """Every jsonGate request answers `seconds` late (0: no fault at all)."""
        await self.control("DELETE", "/faults")
        if seconds > 0:
            await self.control(
                "POST",
                "/faults",
                {"kind": "latency", "times": None, "seconds": seconds, "path": "/sendsmsjson.php"},
            )

    async def new_requests(self) -> list[dict[str, Any]]:
        """The protocol requests made since the last call."""
        records: list[dict[str, Any]] = await self.control("GET", f"/requests?since={self._seq}")
        if records:
            self._seq = max(record["seq"] for record in records)
        return records

    async def requests_by_type(self) -> dict[str, int]:
        """How many requests of each type were made since the last count."""
        return dict(Counter(record["request_type"] for record in await self.new_requests()))

    async def count(self, request_type: str | None = None) -> int:
        """How many requests (of `request_type`) were made since the last count."""
        records = await self.new_requests()
        return sum(1 for r in records if request_type in (None, r["request_type"]))


class IntegrationClock:
    """The integration's idea of now, moved ahead on demand (a day of polls in seconds).

    Only the integration's modules see it: Home Assistant's timers and the simulator keep
    real time.
    """

    MODULES = (coordinator_module, incoming_module)

    def __init__(self) -> None:
        """Start at real now."""
        self.ahead = timedelta()
        self._view = SimpleNamespace(utcnow=lambda: dt_util.utcnow() + self.ahead)

    def advance(self, delta: timedelta) -> None:
        """Move the integration's now ahead by `delta`."""
        self.ahead += delta

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """The integration's modules read this clock inside the block."""
        with contextlib.ExitStack() as stack:
            for module in self.MODULES:
                stack.enter_context(patch.object(module, "dt_util", self._view))
            yield


# --- Home Assistant ------------------------------------------------------------------------


def entry_for(url: str) -> MockConfigEntry:
    """A gateway entry for the simulator's demo account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Bench ({demo.LOGIN})",
        data={
            CONF_ENTRY_TYPE: ENTRY_TYPE_GATEWAY,
            CONF_URL: url,
            CONF_USERNAME: demo.LOGIN,
            CONF_PASSWORD: demo.PASSWORD,
            CONF_API_TOKEN: "",
            CONF_VERIFY_SSL: True,
        },
        # The spending guard's daily limit is off: the bench sends thousands of SMS.
        options={CONF_DELIVERY_REPORTS: True, CONF_DAILY_SMS_LIMIT: 0},
        version=1,
        minor_version=2,
    )


def register_naive_sender(hass: HomeAssistant, url: str) -> None:
    """`jsongate_bench.naive_send_sms`: one `sms` request per recipient, sequentially."""
    client = JsonGateClient(
        async_get_clientsession(hass), url, login=demo.LOGIN, password=demo.PASSWORD
    )

    async def naive_send(call: ServiceCall) -> ServiceResponse:
        ids = []
        for phone in call.data["recipients"]:
            report = await client.send(
                [
                    OutgoingMessage(
                        text=call.data["message"],
                        sender=call.data.get("sender"),
                        abonents=(Abonent(phone=phone),),
                    )
                ]
            )
            ids.extend(result.message_id for result in report.results)
        return {"message_ids": ids}

    hass.services.async_register(
        NAIVE_DOMAIN, "naive_send_sms", naive_send, supports_response=SupportsResponse.OPTIONAL
    )


@contextlib.asynccontextmanager
async def home_assistant(config_dir: str) -> AsyncIterator[HomeAssistant]:
    """A running Home Assistant that loads custom integrations from this repository.

    Its HTTP sessions resolve names with aiohttp's own resolver: the zeroconf-aware one
    Home Assistant prefers needs the network integration, which this bench doesn't load.
    """
    resolver = aiohttp.ThreadedResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined] # Home Assistant's name
    with patch("homeassistant.helpers.aiohttp_client._async_make_resolver", return_value=resolver):
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            try:
                yield hass
            finally:
                await hass.async_stop(force=True)


# --- measurements --------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table (and one object of the JSON)."""

    metric: str
    integration: float
    naive: float | None
    unit: str
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        """The naive sender's figure over the integration's (how many times better)."""
        if self.naive is None or not self.integration:
            return None
        return self.naive / self.integration


class Bench:
    """The measurements, in order, on one Home Assistant and one simulator."""

    def __init__(self, hass: HomeAssistant, sim: SimulatorProcess, latency: float) -> None:
        """Measure `hass` against `sim` with `latency` seconds per round trip."""
        self.hass = hass
        self.sim = sim
        self.latency = latency
        self.rows: list[Row] = []
        self.entry: MockConfigEntry | None = None
        self._text = 0

    def _message(self) -> str:
        self._text += 1
        return f"bench {self._text}"

    def send_sms(self, phones: list[str]) -> Awaitable[ServiceResponse]:
        """The integration's action."""
        if self.entry is None:
            raise RuntimeError("no entry set up")
        return self.hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "config_entry_id": self.entry.entry_id,
                "recipients": phones,
                "message": self._message(),
                "sender": SENDER,
            },
            blocking=True,
            return_response=True,
        )

    def naive_send_sms(self, phones: list[str]) -> Awaitable[ServiceResponse]:
        """The naive sender's action."""
        return self.hass.services.async_call(
            NAIVE_DOMAIN,
            "naive_send_sms",
            {"recipients": phones, "message": self._message(), "sender": SENDER},
            blocking=True,
            return_response=True,
        )

    async def _timed(self, make: Callable[[], Awaitable[Any]]) -> tuple[float, int]:
        """Median wall time of `REPEATS` calls, and the `sms` requests of one."""
        await self.sim.count()
        walls = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            await make()
            walls.append(time.perf_counter() - started)
        return statistics.median(walls), await self.sim.count("sms") // REPEATS

    # -- entry setup

    async def entry_setup(self) -> None:
        """Set up fresh entries (no stored state), unloading each but the last one."""
        await self.sim.set_latency(0)
        times = []
        requests = 0
        for sample in range(SETUP_SAMPLES):
            entry = entry_for(self.sim.jsongate_url)
            entry.add_to_hass(self.hass)
            await self.sim.count()
            started = time.perf_counter()
            if not await self.hass.config_entries.async_setup(entry.entry_id):
                raise RuntimeError("the entry did not set up")
            await self.hass.async_block_till_done()
            times.append(time.perf_counter() - started)
            requests = await self.sim.count()
            if sample < SETUP_SAMPLES - 1:
                await self.hass.config_entries.async_remove(entry.entry_id)
            else:
                self.entry = entry
        warm = statistics.median(times[1:])
        self.rows += [
            Row("entry setup, first in the process (ms)", times[0] * 1000, None, "ms"),
            Row(
                "entry setup (ms, median of later ones)",
                warm * 1000,
                None,
                "ms",
                f"< {TARGET_SETUP_MS} ms",
                warm * 1000 < TARGET_SETUP_MS,
            ),
            Row("requests to set up an entry", requests, None, "requests"),
        ]

    # -- polling

    async def _poll(self) -> None:
        """Let the coordinator's next scheduled poll run, and wait for it."""
        async_fire_time_changed(self.hass, dt_util.utcnow() + POLL_INTERVAL * 3)
        await self.hass.async_block_till_done(wait_background_tasks=True)

    async def _poll_requests(self) -> float:
        await self.sim.count()
        for _ in range(POLLS):
            await self._poll()
        return await self.sim.count() / POLLS

    async def polling(self) -> None:
        """Requests per poll interval over a simulated day without sends."""
        await self.sim.control("POST", "/deliveries", {})
        await self._poll()
        polls = int(DAY / POLL_INTERVAL)
        clock = IntegrationClock()
        await self.sim.count()
        with clock.installed():
            for _ in range(polls):
                clock.advance(POLL_INTERVAL)
                await self._poll()
        requests = await self.sim.requests_by_type()
        per_poll = sum(requests.values()) / polls
        self.rows += [
            Row(
                "requests per poll interval, a day without sends",
                per_poll,
                None,
                "requests",
                f"≤ {TARGET_POLL}",
                per_poll <= TARGET_POLL,
            ),
            Row(
                "  of which: " + ", ".join(f"{kind} {n}" for kind, n in sorted(requests.items())),
                polls,
                None,
                "polls",
            ),
        ]

    async def busy_incoming(self) -> None:
        """Bytes and CPU per poll with `BUSY_LEVELS` SMS in the last two hours."""
        await self.sim.set_latency(0)
        in_window = 0
        for level in BUSY_LEVELS:
            await self._add_old_sms(level - in_window)
            in_window = level
            await self._poll()  # the poll that finds them (most are older than it looks)
            new_per_poll = round(level / 7200 * POLL_INTERVAL.total_seconds())
            cpu, sizes = [], []
            for _ in range(BUSY_POLLS):
                for _ in range(new_per_poll):
                    await self._add_sms(None)
                await self.sim.new_requests()
                gc.collect()
                started = time.process_time()
                await self._poll()
                cpu.append(time.process_time() - started)
                sizes += [
                    len((record["response_text"] or "").encode())
                    for record in await self.sim.new_requests()
                    if record["request_type"] == "incoming"
                ]
            size, ms = statistics.median(sizes), statistics.median(cpu) * 1000
            self.rows += [
                Row(
                    f"busy account, {level} SMS in 2 h ({new_per_poll} new a poll): bytes a poll",
                    size,
                    None,
                    "bytes",
                    f"≤ {TARGET_BUSY_BYTES}",
                    size <= TARGET_BUSY_BYTES,
                ),
                Row(
                    f"busy account, {level} SMS in 2 h: CPU a poll (ms)",
                    ms,
                    None,
                    "ms",
                    f"≤ {TARGET_BUSY_CPU_MS:g} ms",
                    ms <= TARGET_BUSY_CPU_MS,
                ),
            ]

    async def _add_old_sms(self, count: int) -> None:
        """`count` SMS stamped evenly over the last two hours."""
        now = dt_util.utcnow()
        for number in range(count):
            await self._add_sms(now - timedelta(seconds=7200 * (number + 0.5) / count))

    async def _add_sms(self, received_at: datetime | None) -> None:
        self._text += 1
        await self.sim.control(
            "POST",
            "/incoming",
            {
                "login": demo.LOGIN,
                "originator": "79161234567",
                "phone": "79000000000",
                "text": f"Incoming message number {self._text}, of a typical length for an SMS",
                "received_at": None if received_at is None else received_at.isoformat(),
            },
        )

    async def pending_reports(self) -> None:
        """CPU per poll while `PENDING_LEVELS` sent messages wait for their reports."""
        await self.sim.set_latency(0)
        await self.sim.control("POST", "/deliveries", {})
        await self._poll()
        await self.sim.control("POST", "/delivery-delay", {"seconds": None})
        sent = 0
        for level in PENDING_LEVELS:
            while sent < level:
                size = min(1000, level - sent)
                await self.send_sms([f"7917{sent + n:07d}" for n in range(size)])
                sent += size
            await self._poll()  # reads the balance after the sends
            cpu = []
            for _ in range(PENDING_POLLS):
                gc.collect()
                started = time.process_time()
                await self._poll()
                cpu.append(time.process_time() - started)
            ms = statistics.median(cpu) * 1000
            self.rows.append(
                Row(
                    f"{level} delivery reports pending: CPU a poll (ms)",
                    ms,
                    None,
                    "ms",
                    f"≤ {TARGET_PENDING_CPU_MS:g} ms" if level == max(PENDING_LEVELS) else "",
                    ms <= TARGET_PENDING_CPU_MS if level == max(PENDING_LEVELS) else None,
                )
            )
        await self.sim.control("POST", "/deliveries", {})
        await self._poll()

    async def flood(self) -> None:
        """Reads, sends and polls of one account all at once: the most in flight."""
        if self.entry is None:
            raise RuntimeError("no entry set up")
        await self.sim.set_latency(self.latency)
        await self.sim.control("DELETE", "/in-flight")
        coordinator = self.entry.runtime_data.coordinator
        read = {"config_entry_id": self.entry.entry_id}
        calls: list[Awaitable[Any]] = []
        for number in range(FLOOD):
            calls += [
                self.hass.services.async_call(
                    DOMAIN, "get_senders", read, blocking=True, return_response=True
                ),
                self.send_sms([f"79266{number:06d}"]),
                coordinator.async_refresh(),
            ]
        await asyncio.gather(*calls)
        counts = await self.sim.control("GET", "/in-flight")
        most = counts["max_in_flight"].get(demo.LOGIN, 0)
        self.rows.append(
            Row(
                f"requests in flight to one account, {FLOOD} reads + sends + polls at once",
                most,
                None,
                "requests",
                f"≤ {TARGET_IN_FLIGHT}",
                most <= TARGET_IN_FLIGHT,
            )
        )

    # -- sending

    async def sizes(self) -> None:
        """1, 10 and 100 recipients in one call, against the naive sender."""
        await self.sim.set_latency(self.latency)
        for size in SIZES:
            phones = [f"79161{number:06d}" for number in range(size)]
            wall, requests = await self._timed(lambda phones=phones: self.send_sms(phones))
            naive_wall, naive_requests = await self._timed(
                lambda phones=phones: self.naive_send_sms(phones)
            )
            target = str(TARGET_BULK_REQUESTS) if size == max(SIZES) else ""
            self.rows += [
                Row(
                    f"{size} recipient{'s' if size > 1 else ''}: requests",
                    requests,
                    naive_requests,
                    "requests",
                    target,
                    requests == TARGET_BULK_REQUESTS if target else None,
                ),
                Row(
                    f"{size} recipient{'s' if size > 1 else ''}: wall time (ms)",
                    wall * 1000,
                    naive_wall * 1000,
                    "ms",
                ),
            ]

    async def concurrent(self) -> None:
        """`CONCURRENT` single-recipient calls at once."""
        await self.sim.set_latency(self.latency)
        results = {}
        for name, send in (("integration", self.send_sms), ("naive", self.naive_send_sms)):
            await self.sim.count()
            started = time.perf_counter()
            await asyncio.gather(*(send([f"79262{n:06d}"]) for n in range(CONCURRENT)))
            results[name] = (time.perf_counter() - started, await self.sim.count("sms"))
        (wall, requests), (naive_wall, naive_requests) = results["integration"], results["naive"]
        trips = wall / self.latency if self.latency else 0
        naive_trips = naive_wall / self.latency if self.latency else 0
        self.rows += [
            Row(
                f"{CONCURRENT} concurrent calls: requests",
                requests,
                naive_requests,
                "requests",
                f"≤ {TARGET_CONCURRENT}",
                requests <= TARGET_CONCURRENT,
            ),
            Row(
                f"{CONCURRENT} concurrent calls: wall time (ms)",
                wall * 1000,
                naive_wall * 1000,
                "ms",
            ),
            Row(
                f"{CONCURRENT} concurrent calls: wall time (round trips)",
                trips,
                naive_trips,
                "round trips",
                f"≤ {TARGET_CONCURRENT}",
                trips <= TARGET_CONCURRENT,
            ),
        ]

    async def cpu(self) -> None:
        """Process CPU time per message: single calls, layer by layer, then batched."""
        await self.sim.set_latency(0)
        # Every message sent so far gets its final state, and a poll stops following them:
        # the tracker's file stays as small as it would be on a live account.
        await self.sim.control("POST", "/deliveries", {})
        await self._poll_requests()
        gc.collect()
        # Where a call's time goes: the same message through each layer alone.
        runtime = self.entry.runtime_data if self.entry else None
        if not isinstance(runtime, GatewayRuntimeData):
            raise TypeError("no gateway entry set up")

        def message(phones: list[str]) -> OutgoingMessage:
            return OutgoingMessage(
                text=self._message(), sender=SENDER, abonents=(Abonent(phone=phones[0]),)
            )

        async def send_path(phones: list[str]) -> object:
            return await runtime.sender.async_send(message(phones))

        async def client_alone(phones: list[str]) -> object:
            return await runtime.client.send([message(phones)])

        layers: dict[str, Callable[[list[str]], Awaitable[Any]]] = {
            "integration": self.send_sms,
            "naive": self.naive_send_sms,
            "send path": send_path,
            "client": client_alone,
        }
        samples: dict[str, list[float]] = {name: [] for name in layers}
        # Alternating, so that all see the same conditions.
        for number in range(CPU_WARMUP + CPU_SAMPLES):
            for name, send in layers.items():
                started = time.process_time()
                await send([f"79263{number:06d}"])
                if number >= CPU_WARMUP:
                    samples[name].append(time.process_time() - started)
        bulk, together = await self._cpu_batched()

        def ms(values: list[float], quantile: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000

        median, p95 = ms(samples["integration"], 0.5), ms(samples["integration"], 0.95)
        over_naive = median / ms(samples["naive"], 0.5)
        self.rows += [
            Row(
                "CPU per message, 1-recipient calls, median (ms)",
                median,
                ms(samples["naive"], 0.5),
                "ms",
                f"≤ {TARGET_CPU_MS} ms",
                median <= TARGET_CPU_MS,
            ),
            Row(
                "  lone send CPU ÷ the naive sender's",
                over_naive,
                None,
                "×",
                f"≤ {TARGET_CPU_RATIO}×",
                over_naive <= TARGET_CPU_RATIO,
            ),
            Row(
                "CPU per message, 1-recipient calls, p95 (ms)",
                p95,
                ms(samples["naive"], 0.95),
                "ms",
            ),
            Row(
                "  of which: the send path without the action, median (ms)",
                ms(samples["send path"], 0.5),
                None,
                "ms",
            ),
            Row(
                "  of which: the protocol client alone (1 request), median (ms)",
                ms(samples["client"], 0.5),
                None,
                "ms",
            ),
            Row(
                f"CPU per message, {CONCURRENT} concurrent 1-recipient calls, median (ms)",
                statistics.median(together["integration"]) * 1000,
                statistics.median(together["naive"]) * 1000,
                "ms",
            ),
            Row(
                "CPU per message, 100-recipient calls, median (ms)",
                statistics.median(bulk) * 1000,
                None,
                "ms",
            ),
        ]

    async def _cpu_batched(self) -> tuple[list[float], dict[str, list[float]]]:
        """CPU per message of 100-recipient calls, and of 50 concurrent 1-recipient calls."""
        bulk: list[float] = []
        together: dict[str, list[float]] = {"integration": [], "naive": []}
        for _ in range(10):
            started = time.process_time()
            await self.send_sms([f"79264{n:06d}" for n in range(100)])
            bulk.append((time.process_time() - started) / 100)
            for name, send in (("integration", self.send_sms), ("naive", self.naive_send_sms)):
                started = time.process_time()
                await asyncio.gather(*(send([f"79265{n:06d}"]) for n in range(CONCURRENT)))
                together[name].append((time.process_time() - started) / CONCURRENT)

        return bulk, together


# --- output --------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"  # noqa: PLR2004


def render(rows: list[Row]) -> list[str]:
    """The table as text lines."""
    table = [["metric", "integration", "naive", "naive ÷ integration", "target", "met"]]
    for row in rows:
        ratio = row.ratio
        table.append(
            [
                row.metric,
                _number(row.integration),
                _number(row.naive),
                f"{ratio:.1f}×" if ratio is not None else "—",
                row.target or "—",
                {True: "yes", False: "NO", None: ""}[row.met],
            ]
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = []
    for number, line in enumerate(table):
        lines.append(
            " | ".join(
                text.ljust(width) if i == 0 else text.rjust(width)
                for i, (text, width) in enumerate(zip(line, widths, strict=True))
            )
        )
        if number == 0:
            lines.append("-+-".join("-" * width for width in widths))
    return lines


async def run(latency: float) -> tuple[list[Row], float]:
    """Run every measurement; the rows and the seconds it all took."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jsongate-bench-") as config_dir:
        async with SimulatorProcess() as sim, home_assistant(config_dir) as hass:
            await sim.control("POST", "/money", {"login": demo.LOGIN, "value": "10000000"})
            register_naive_sender(hass, sim.jsongate_url)
            bench = Bench(hass, sim, latency)
            await bench.entry_setup()
            await bench.polling()
            await bench.busy_incoming()
            await bench.pending_reports()
            await bench.flood()
            await bench.sizes()
            await bench.concurrent()
            await bench.cpu()
    bench.rows += import_rows()
    return bench.rows, time.perf_counter() - started


# --- import time ---------------------------------------------------------------------------

IMPORT_PROGRAM = """
import importlib, sys, time
sys.path.insert(0, sys.argv[1])
for module in sys.argv[2].split(","):
    importlib.import_module(module)
started = time.perf_counter()
for module in sys.argv[3].split(","):
    importlib.import_module(module)
print(time.perf_counter() - started)
"""


def _import_seconds(modules: tuple[str, ...]) -> float:
    """Seconds a fresh interpreter takes to import `modules` after `IMPORT_COMMON`."""
    output = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "-c",
            IMPORT_PROGRAM,
            str(ROOT),
            ",".join(IMPORT_COMMON),
            ",".join(modules),
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    ).stdout
    return float(output.split()[-1])


def import_rows() -> list[Row]:
    """The integration's import time beside `template`'s, paired run by run."""
    compileall.compile_dir(ROOT / "custom_components", quiet=1)
    # The first pair only warms the file cache.
    pairs = [
        (_import_seconds(IMPORT_SIDES["integration"]), _import_seconds(IMPORT_SIDES["template"]))
        for _ in range(IMPORT_PAIRS + 1)
    ][1:]
    ratio = statistics.median(ours / theirs for ours, theirs in pairs)
    return [
        Row(
            "import with platforms (ms, median)",
            statistics.median(ours for ours, _ in pairs) * 1000,
            None,
            "ms",
        ),
        Row(
            "  core template's, same run (ms, median)",
            statistics.median(theirs for _, theirs in pairs) * 1000,
            None,
            "ms",
        ),
        Row(
            "  import ÷ template's (median of pairs)",
            ratio,
            None,
            "×",
            f"≤ {TARGET_IMPORT_RATIO}×",
            ratio <= TARGET_IMPORT_RATIO,
        ),
    ]


def report(rows: list[Row], seconds: float, latency: float, output: Path) -> None:
    """Print the table and write the same as JSON to `output`."""
    print(
        f"jsonGate bench: round-trip latency {latency * 1000:g} ms, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {seconds:.1f} s"
    )
    for line in render(rows):
        print(line)
    missed = [row.metric for row in rows if row.met is False]
    print("targets missed: " + ("; ".join(missed) if missed else "none"))
    document = {
        "latency_ms": latency * 1000,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "seconds": round(seconds, 1),
        "rows": [{**asdict(row), "ratio": row.ratio} for row in rows],
        "targets_missed": missed,
    }
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {output}")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the bench."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--latency",
        type=float,
        default=50.0,
        help="round-trip latency added by the simulator, in ms (default 50)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("bench-results.json"),
        help="where to write the JSON results (default bench-results.json)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    latency = args.latency / 1000
    rows, seconds = asyncio.run(run(latency))
    report(rows, seconds, latency, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
