"""Fixtures: the demo simulator on a frozen clock, served on loopback, and plain clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from simulator import SimClock, Simulator, SimulatorServer, build_demo
from simulator import demo as demo_data

# 12:00:00 in the demo account's local time (UTC+3).
START = datetime(2026, 3, 10, 9, 0, 0, tzinfo=UTC)


class Gate:
    """Posts jsonGate documents over HTTP, the way any client would."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.url = url

    async def call(
        self,
        request_type: str,
        *,
        login: str = demo_data.LOGIN,
        password: str = demo_data.PASSWORD,
        **fields: Any,
    ) -> Any:
        """Send a document of `request_type` with the demo credentials."""
        body = {"security": {"login": login, "password": password}, "type": request_type, **fields}
        return await self.post(body)

    async def post(
        self,
        body: Any = None,
        *,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Post a JSON body (or raw `data`) and return the decoded answer."""
        kwargs: dict[str, Any] = {"headers": headers}
        if data is not None:
            kwargs["data"] = data
        else:
            kwargs["json"] = body
        async with self.http.post(self.url, **kwargs) as response:
            assert response.status == 200
            assert response.content_type == "application/json"
            return await response.json()

    async def send(
        self, *abonents: dict[str, Any], sender: str = "INFO", text: str = "Тест", **message: Any
    ) -> list[dict[str, str]]:
        """Send one message to `abonents`; returns the per-abonent answers."""
        answer = await self.call(
            "sms",
            message=[
                {
                    "type": "sms",
                    "sender": sender,
                    "text": text,
                    "abonent": list(abonents),
                    **message,
                }
            ],
        )
        return answer["sms"]


class Scorocode:
    """Posts Scorocode requests with the demo app's credentials unless overridden."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str) -> None:
        self.http = http
        self.base_url = base_url

    async def call(self, endpoint: str, **fields: Any) -> Any:
        body = {
            "app": demo_data.APP_ID,
            "cli": demo_data.CLIENT_KEY,
            "acc": demo_data.MESSAGE_KEY,
            "sess": demo_data.SESSION_ID,
            "coll": "devices",
            "query": {},
            "msg": {"text": "Привет"},
            **fields,
        }
        for key in [key for key, value in body.items() if value is Ellipsis]:
            del body[key]
        async with self.http.post(f"{self.base_url}/{endpoint}", json=body) as response:
            assert response.status == 200
            return await response.json()


@pytest.fixture
def sim() -> Simulator:
    """The demo data on a frozen clock; deliveries only when a test finishes them."""
    simulator = build_demo(SimClock(START, frozen=True))
    simulator.delivery_delay = None
    return simulator


@pytest.fixture
async def server(sim: Simulator) -> AsyncIterator[SimulatorServer]:
    async with SimulatorServer(sim, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def gate(server: SimulatorServer, http: aiohttp.ClientSession) -> Gate:
    return Gate(http, server.jsongate_url)


@pytest.fixture
def scorocode(server: SimulatorServer, http: aiohttp.ClientSession) -> Scorocode:
    return Scorocode(http, server.scorocode_url)
