"""Serve a `Simulator` over HTTP on a host and port (port 0: any free one)."""

from __future__ import annotations

from typing import Self

from aiohttp import web
from aiohttp.log import access_logger

from .app import JSONGATE_PATH, SCOROCODE_PREFIX, create_app
from .control import PREFIX as CONTROL_PREFIX
from .simulator import Simulator


class SimulatorServer:
    """An HTTP server for one simulator; an async context manager.

    ```python
    async with SimulatorServer(sim) as server:
        server.jsongate_url  # "http://127.0.0.1:PORT/sendsmsjson.php"
    ```
    """

    def __init__(
        self,
        sim: Simulator | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        shutdown_timeout: float = 1.0,
        access_log: bool = False,
    ) -> None:
        """Prepare to serve `sim` (a new empty one if None) on `host`:`port`."""
        self.sim = sim or Simulator()
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._runner = web.AppRunner(
            create_app(self.sim),
            shutdown_timeout=shutdown_timeout,
            access_log=access_logger if access_log else None,
        )

    async def start(self) -> None:
        """Bind and start serving."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._requested_port)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop serving; requests held by latency or hang faults are let go at once."""
        await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(self, *_exc_info: object) -> None:
        """Stop the server."""
        await self.stop()

    @property
    def port(self) -> int:
        """The port actually bound."""
        if self._port is None:
            raise RuntimeError("the server is not started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:8765`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def jsongate_url(self) -> str:
        """The jsonGate endpoint."""
        return self.url + JSONGATE_PATH

    @property
    def scorocode_url(self) -> str:
        """The Scorocode API base (append `/sendpush` or `/sendsms`)."""
        return self.url + SCOROCODE_PREFIX

    @property
    def control_url(self) -> str:
        """The control API base."""
        return self.url + CONTROL_PREFIX
