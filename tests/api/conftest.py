"""Fixtures for the protocol client's tests.

`canned_gateway` is a loopback HTTP server that answers each request with exactly the
bytes a test queued: for sample answers and malformed shapes. Behaviour is tested
against the simulator (`gateway`), which keeps state like a real jsonGate server.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web


@dataclass
class RecordedRequest:
    """A request the canned gateway received."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def document(self) -> Any:
        return json.loads(self.body)


@dataclass
class CannedGateway:
    """Answers requests from a queue of (status, content type, body)."""

    url: str = ""
    answers: deque[tuple[int, str, bytes]] = field(default_factory=deque)
    requests: list[RecordedRequest] = field(default_factory=list)

    def answer(
        self, body: object, *, status: int = 200, content_type: str = "application/json"
    ) -> None:
        """Queue one answer: bytes and text as they are, anything else as JSON."""
        if isinstance(body, str):
            raw = body.encode()
        elif isinstance(body, bytes):
            raw = body
        else:
            raw = json.dumps(body, ensure_ascii=False).encode()
        self.answers.append((status, content_type, raw))

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(
            RecordedRequest(request.path, dict(request.headers), await request.read())
        )
        status, content_type, raw = self.answers.popleft()
        return web.Response(status=status, body=raw, headers={"Content-Type": content_type})


@pytest.fixture
async def canned_gateway() -> AsyncIterator[CannedGateway]:
    gateway = CannedGateway()
    app = web.Application()
    app.router.add_post("/{tail:.*}", gateway.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    gateway.url = f"http://127.0.0.1:{port}"
    yield gateway
    await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
