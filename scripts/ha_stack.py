"""A throw-away Home Assistant next to the simulator, and a client for Home Assistant's APIs.

Shared by `scripts/demo.py` and the browser test (`tests/browser/`). Both processes run
on free ports on 127.0.0.1. Home Assistant runs on a copy of `config/` in a temporary
directory, so the repository's `config/` is never written to, and with `--skip-pip`, so
it never installs anything at run time (`scripts/setup` installed what it needs).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import aiohttp

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
CONFIG_TEMPLATE = ROOT / "config"

# The Home Assistant user made by onboarding (and typed into the login form).
HA_NAME = "Demo"
HA_USERNAME = "demo"
HA_PASSWORD = "demo-password"  # noqa: S105 - a throw-away instance's published password

# Onboarding's core_config step starts config flows of these integrations; none of them
# is wanted in a demo of this integration (radio_browser would even try the internet).
ONBOARDING_EXTRAS = ("google_translate", "met", "radio_browser", "shopping_list")

START_TIMEOUT = 120.0  # a cold start on a busy two-core machine
STOP_TIMEOUT = 30.0
EXTRAS_TIMEOUT = 15.0  # for onboarding's background flows to make their entries
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)


class StackError(Exception):
    """Starting or driving Home Assistant or the simulator failed; the message says how."""


# --- processes -------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:`port` right now."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def write_http_store(config_dir: Path, port: int) -> None:
    """Make Home Assistant listen on 127.0.0.1:`port` only, from its first start.

    Since Home Assistant 2026.10 the http integration is configured in the UI and kept
    in `.storage/http`. An `http:` block in configuration.yaml would be imported once,
    as a trial to confirm in the UI within five minutes, or else reverted (to port 8123
    on every interface) with a restart. So the address is stored instead, in the
    store's first format, which Home Assistant migrates and completes itself.
    """
    store = config_dir / ".storage" / "http"
    store.parent.mkdir(parents=True, exist_ok=True)
    data = {"server_host": ["127.0.0.1"], "server_port": port}
    store.write_text(json.dumps({"version": 1, "key": "http", "data": data}, indent=2) + "\n")


def stored_http_port(config_dir: Path) -> int | None:
    """The port in `.storage/http` (a pending trial first), or None without one."""
    try:
        store = json.loads((config_dir / ".storage" / "http").read_text())
    except FileNotFoundError:
        return None
    data = store["data"]
    if store["version"] == 1:
        return int(data["server_port"])
    slot = data["pending"] if data.get("pending") and not data["pending"].get("error") else None
    return int((slot or data["stable"])["server_port"])


def copy_config(dest: Path) -> Path:
    """Copy the committed files of `config/` (its YAML) into `dest`; return `dest`.

    Only the YAML files: whatever a `scripts/develop` run left in `config/` (the
    `.storage` of another instance, logs) must not leak into a fresh instance.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for source in CONFIG_TEMPLATE.glob("*.yaml"):
        shutil.copy2(source, dest / source.name)
    return dest


@dataclass
class Process:
    """A child process whose output goes to a log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, name: str, args: list[str], log: Path, env: dict[str, str]) -> Self:
        """Start `args` in its own session (Ctrl-C reaches only this script, which stops it)."""
        with log.open("wb") as out:
            popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                args,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(name, popen, log)

    def check_running(self) -> None:
        """Raise `StackError`, with the end of the log, if the process has ended."""
        if (code := self.popen.poll()) is not None:
            raise StackError(f"{self.name} exited with code {code}:\n{self.tail()}")

    def tail(self, lines: int = 20) -> str:
        """The last lines of the process's output."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    async def stop(self) -> None:
        """SIGTERM (both programs then stop cleanly), SIGKILL if that takes too long."""
        if self.popen.poll() is not None:
            return
        self._signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(self.popen.wait, STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            await asyncio.to_thread(self.popen.wait)

    def _signal(self, signum: int) -> None:
        # The whole process group: Home Assistant may have started helpers of its own.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)


async def wait_until[T](
    what: str,
    check: Callable[[], Awaitable[T | None]],
    *,
    timeout: float,  # noqa: ASYNC109 - a deadline for the polling is the point here
    interval: float = 0.25,
    process: Process | None = None,
) -> T:
    """Call the async `check` until it returns something other than None, and return that.

    `check` may raise `aiohttp.ClientError` or `OSError` while a server is still
    starting. Fails with `StackError` after `timeout` seconds, or as soon as `process`
    has exited.
    """
    last_error = ""
    try:
        async with asyncio.timeout(timeout):
            while True:
                if process is not None:
                    process.check_running()
                try:
                    result = await check()
                except (aiohttp.ClientError, OSError, json.JSONDecodeError) as err:
                    last_error = f" (last error: {err!r})"
                else:
                    if result is not None:
                        return result
                await asyncio.sleep(interval)
    except TimeoutError:
        raise StackError(
            f"timed out after {timeout:.0f} s waiting for {what}{last_error}"
        ) from None


def _python_env() -> dict[str, str]:
    env = dict(os.environ)
    # The repository's custom_components/ is found by Home Assistant's loader as the
    # `custom_components` namespace package: no link or copy in the config directory.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


async def start_simulator(workdir: Path, port: int = 0) -> tuple[Process, str]:
    """Start `python -m simulator` (demo data) on `port` (0: any); return it and its URL.

    A port taken in the meantime is not worth a failure: any free one is taken then.
    """
    try:
        return await _start_simulator(workdir, port)
    except StackError:
        if port == 0:
            raise
        return await _start_simulator(workdir, 0)


async def _start_simulator(workdir: Path, port: int) -> tuple[Process, str]:
    process = Process.start(
        "the simulator",
        [sys.executable, "-m", "simulator", "--port", str(port)],
        workdir / "simulator.log",
        _python_env(),
    )
    prefix = "jsonGate & Scorocode simulator on "

    async def banner() -> str | None:
        for line in process.log.read_text(errors="replace").splitlines():
            if line.startswith(prefix):
                return line.removeprefix(prefix).strip()
        return None

    try:
        url: str = await wait_until(
            "the simulator to start", banner, timeout=30, interval=0.1, process=process
        )
    except StackError:
        await process.stop()
        raise
    return process, url


async def start_home_assistant(
    session: aiohttp.ClientSession, config_dir: Path, workdir: Path
) -> tuple[Process, str]:
    """Start `hass -c config_dir` on a free port; return it and its URL once it answers."""
    port = free_port()
    write_http_store(config_dir, port)
    process = Process.start(
        "Home Assistant",
        [sys.executable, "-m", "homeassistant", "-c", str(config_dir), "--skip-pip"],
        workdir / "home-assistant.out",
        _python_env(),
    )
    url = f"http://127.0.0.1:{port}"

    async def answers() -> bool | None:
        async with session.get(f"{url}/manifest.json") as response:
            return True if response.status == HTTPStatus.OK else None

    await wait_until(
        "Home Assistant to answer", answers, timeout=START_TIMEOUT, interval=0.5, process=process
    )
    return process, url


@dataclass
class Stack:
    """The simulator and Home Assistant, running; see `running_stack`."""

    workdir: Path
    config_dir: Path
    session: aiohttp.ClientSession
    simulator: Process
    simulator_url: str
    home_assistant: Process
    ha_url: str

    def home_assistant_log(self, lines: int = 30) -> str:
        """The end of Home Assistant's log file, for a failure message."""
        log = self.config_dir / "home-assistant.log"
        try:
            text = log.read_text(errors="replace")
        except OSError:
            return self.home_assistant.tail(lines)
        return "\n".join(text.splitlines()[-lines:])


@contextlib.asynccontextmanager
async def running_stack(workdir: Path, simulator_port: int = 0) -> AsyncIterator[Stack]:
    """Run the simulator and a fresh Home Assistant under `workdir`; stop both on exit.

    The simulator listens on `simulator_port`, or on any free port when it is 0.
    """
    config_dir = copy_config(workdir / "config")
    started: list[Process] = []
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        try:
            simulator, simulator_url = await start_simulator(workdir, simulator_port)
            started.append(simulator)
            home_assistant, ha_url = await start_home_assistant(session, config_dir, workdir)
            started.append(home_assistant)
            yield Stack(
                workdir, config_dir, session, simulator, simulator_url, home_assistant, ha_url
            )
        finally:
            await asyncio.gather(*(process.stop() for process in reversed(started)))


# --- Home Assistant's REST and websocket APIs ------------------------------------------


@dataclass
class HomeAssistantClient:
    """Calls to Home Assistant's HTTP API, with the access token once there is one."""

    session: aiohttp.ClientSession
    url: str
    access_token: str | None = None
    refresh_token: str | None = None
    client_id: str = field(init=False)

    def __post_init__(self) -> None:
        """The frontend's client id: the instance's own URL (IndieAuth)."""
        self.client_id = f"{self.url}/"

    async def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        form: dict[str, str] | None = None,
        expect: tuple[int, ...] = (HTTPStatus.OK,),
    ) -> Any:
        """Send a request; return the decoded JSON answer (or text); fail on other statuses."""
        headers = {}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        async with self.session.request(
            method, f"{self.url}{path}", json=payload, data=form, headers=headers
        ) as response:
            text = await response.text()
            if response.status not in expect:
                raise StackError(f"{method} {path} answered HTTP {response.status}: {text[:500]}")
            if response.content_type == "application/json":
                return json.loads(text)
            return text

    async def get(self, path: str) -> Any:
        """GET `path`."""
        return await self.request("GET", path)

    async def post(self, path: str, payload: Any = None) -> Any:
        """POST `payload` as JSON to `path`."""
        return await self.request("POST", path, payload)

    async def states(self) -> dict[str, dict[str, Any]]:
        """Every entity's state, by entity id."""
        return {state["entity_id"]: state for state in await self.get("/api/states")}

    async def render(self, template: str) -> str:
        """Render a template on the server (`POST /api/template`)."""
        return str(await self.post("/api/template", {"template": template}))

    @contextlib.asynccontextmanager
    async def websocket(self) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
        """A websocket API connection, authenticated with the access token."""
        ws_url = self.url.replace("http://", "ws://", 1) + "/api/websocket"
        async with self.session.ws_connect(ws_url) as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.access_token})
            if (answer := await ws.receive_json()).get("type") != "auth_ok":
                raise StackError(f"the websocket API refused the token: {answer}")
            yield ws

    async def ws(self, command: str, **payload: Any) -> Any:
        """Send one websocket API `command`; return its result, or fail with its error."""
        async with self.websocket() as ws:
            await ws.send_json({"id": 1, "type": command, **payload})
            answer = await ws.receive_json()
        if not answer.get("success"):
            raise StackError(f"{command} failed: {answer.get('error')}")
        return answer["result"]

    @contextlib.asynccontextmanager
    async def events(self, *event_types: str) -> AsyncIterator[list[dict[str, Any]]]:
        """Collect bus events of `event_types` into the yielded list (websocket API)."""
        received: list[dict[str, Any]] = []
        async with self.websocket() as ws:
            for number, event_type in enumerate(event_types, start=1):
                await ws.send_json(
                    {"id": number, "type": "subscribe_events", "event_type": event_type}
                )
                if not (answer := await ws.receive_json()).get("success"):
                    raise StackError(f"subscribing to {event_type} failed: {answer}")

            async def collect() -> None:
                async for message in ws:
                    data = json.loads(message.data)
                    if data.get("type") == "event":
                        received.append(data["event"])

            reader = asyncio.create_task(collect())
            try:
                yield received
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader


# --- onboarding ------------------------------------------------------------------------


async def onboard(client: HomeAssistantClient) -> None:
    """Make the owner account and finish every onboarding step, as the wizard would.

    Afterwards `client` holds the owner's tokens, and the config entries that the
    core_config step creates for other integrations are removed again.
    """
    auth_code = await create_owner(client)
    await fetch_tokens(client, auth_code)
    await client.post("/api/onboarding/core_config")
    await client.post("/api/onboarding/analytics")
    await client.post(
        "/api/onboarding/integration",
        {"client_id": client.client_id, "redirect_uri": f"{client.url}/?auth_callback=1"},
    )
    await asyncio.gather(wait_for_running(client), remove_onboarding_extras(client))


async def create_owner(client: HomeAssistantClient) -> str:
    """The onboarding user step: create the owner; return the authorization code."""
    answer = await client.post(
        "/api/onboarding/users",
        {
            "client_id": client.client_id,
            "name": HA_NAME,
            "username": HA_USERNAME,
            "password": HA_PASSWORD,
            "language": "en",
        },
    )
    return str(answer["auth_code"])


async def fetch_tokens(client: HomeAssistantClient, auth_code: str) -> None:
    """Trade the authorization code for an access and a refresh token."""
    answer = await client.request(
        "POST",
        "/auth/token",
        form={"grant_type": "authorization_code", "code": auth_code, "client_id": client.client_id},
    )
    client.access_token = answer["access_token"]
    client.refresh_token = answer["refresh_token"]


async def wait_for_running(client: HomeAssistantClient) -> None:
    """Wait until Home Assistant has finished starting (`/api/config` says RUNNING)."""

    async def running() -> bool | None:
        return True if (await client.get("/api/config")).get("state") == "RUNNING" else None

    await wait_until("Home Assistant to finish starting", running, timeout=START_TIMEOUT)


async def remove_onboarding_extras(client: HomeAssistantClient) -> None:
    """Remove the entries onboarding made for other integrations, once they are there.

    The core_config step starts their flows in the background, so they are waited for
    (met makes none without a home location; the wait ends early when all others are in).
    """
    expected = set(ONBOARDING_EXTRAS) - {"met"}

    async def entries() -> list[dict[str, Any]] | None:
        found = [
            entry
            for entry in await client.get("/api/config/config_entries/entry")
            if entry["domain"] in ONBOARDING_EXTRAS
        ]
        return found if {entry["domain"] for entry in found} >= expected else None

    try:
        found = await wait_until("onboarding's entries", entries, timeout=EXTRAS_TIMEOUT)
    except StackError:
        found = [
            entry
            for entry in await client.get("/api/config/config_entries/entry")
            if entry["domain"] in ONBOARDING_EXTRAS
        ]
    # At once: removing one whose setup is still trying the network waits for that try.
    await asyncio.gather(
        *(
            client.request("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
            for entry in found
        )
    )


# --- for scripts/develop ---------------------------------------------------------------


def main(argv: list[str]) -> int:
    """`ha_stack.py http-port CONFIG_DIR PORT`: seed `.storage/http` if absent; print the port.

    scripts/develop keeps its Home Assistant in config/: the first start gets
    127.0.0.1:PORT; later ones keep what is stored (changed in the UI, perhaps).
    """
    if len(argv) != 3 or argv[0] != "http-port":  # noqa: PLR2004 - the command and its two arguments
        print(main.__doc__, file=sys.stderr)
        return 2
    config_dir, port = Path(argv[1]), int(argv[2])
    if (stored := stored_http_port(config_dir)) is None:
        write_http_store(config_dir, port)
        stored = port
    print(stored)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
