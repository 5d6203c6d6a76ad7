"""POSTing a JSON document and reading its JSON answer; no error or log line shows credentials."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import json
import logging
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import aiohttp
import orjson

from .errors import (
    AuthenticationError,
    CommunicationError,
    InvalidResponseError,
    RequestTimeoutError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
AUTH_STATUSES = frozenset({HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN})
MAX_IN_FLIGHT = 3  # per account (polls, reads, sends): beyond it, a gateway loses requests
PRIORITY_SEND = 0
PRIORITY_OTHER = 1


class RequestBudget:
    """At most `limit` requests in flight; the waiting ones go by priority, then by age."""

    __slots__ = ("_limit", "_order", "_waiting", "in_flight")

    def __init__(self, limit: int = MAX_IN_FLIGHT) -> None:
        """Allow `limit` requests at once."""
        self._limit = limit
        self.in_flight = 0  # requests holding a slot now
        self._order = itertools.count()
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []

    async def acquire(self, priority: int = PRIORITY_OTHER) -> None:
        """Wait for a slot; call `release` once the request is over."""
        if self.in_flight < self._limit and not self._waiting:
            self.in_flight += 1
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            # The slot may have been handed over just before the cancellation arrived.
            if future.done() and not future.cancelled():
                self.release()
            raise

    def release(self) -> None:
        """Hand the slot to the first waiting request, or free it."""
        while self._waiting:
            future = heapq.heappop(self._waiting)[2]
            if not future.done():  # a cancelled waiter is skipped
                future.set_result(None)
                return
        self.in_flight -= 1


class JsonTransport:
    """Posts JSON documents to one URL on the caller's session, within one `RequestBudget`."""

    __slots__ = ("_budget", "_session", "_ssl", "_timeout", "url")

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        *,
        verify_ssl: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Post to `url`, verifying TLS with the session's defaults unless `verify_ssl` is False."""
        self._session = session
        self.url = url
        self._ssl = verify_ssl
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._budget = RequestBudget()

    def __repr__(self) -> str:
        """Name the URL only."""
        return f"JsonTransport({self.url!r})"

    async def post(
        self,
        document: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        label: str = "Gateway",
        priority: int = PRIORITY_OTHER,
        on_leave: Callable[[], None] | None = None,
    ) -> tuple[int, Any]:
        """The HTTP status and decoded JSON answer, also of a 4xx (Scorocode's refusals)."""
        body = encode_json(document)
        request_headers = JSON_HEADERS | dict(headers or {})
        await self._budget.acquire(priority)
        started = time.monotonic()
        try:
            if on_leave is not None:
                on_leave()  # it has a slot and goes out now: until here, nothing was sent
            async with self._session.post(
                self.url, data=body, headers=request_headers, ssl=self._ssl, timeout=self._timeout
            ) as response:
                status = response.status
                raw = await response.read()
        except TimeoutError:
            raise RequestTimeoutError(f"No answer within {self._timeout.total:g} s") from None
        except (aiohttp.ClientError, OSError, asyncio.IncompleteReadError) as err:
            raise CommunicationError(f"Connection failed: {type(err).__name__}") from None
        finally:
            self._budget.release()
        milliseconds = (time.monotonic() - started) * 1000
        _LOGGER.debug("%s: HTTP %s, %d bytes in %.0f ms", label, status, len(raw), milliseconds)
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise CommunicationError(f"The gateway answered HTTP {status}")
        try:
            answer = decode_json(raw)
        except InvalidResponseError:
            if status in AUTH_STATUSES:
                raise AuthenticationError(f"The gateway answered HTTP {status}") from None
            if status >= HTTPStatus.BAD_REQUEST:
                raise CommunicationError(f"The gateway answered HTTP {status}") from None
            raise
        return status, answer


def encode_json(document: Mapping[str, Any]) -> bytes:
    """A request document as compact UTF-8 JSON."""
    # orjson is faster, but refuses what `json` takes (integers beyond 64 bits, non-text keys).
    with contextlib.suppress(TypeError):  # orjson.JSONEncodeError is a TypeError
        return orjson.dumps(document)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def decode_json(raw: bytes) -> Any:  # noqa: ANN401 - any JSON value
    """Decode a UTF-8 JSON answer, with or without the BOM PHP often sends."""
    # Not orjson: it reads integers beyond 64 bits as floats, and an id must never lose digits.
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidResponseError("The answer is not UTF-8 text") from None
    if text.lstrip().startswith("<"):
        raise InvalidResponseError("The answer is an HTML page, not JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidResponseError(f"The answer is not JSON ({err.msg} at {err.pos})") from None
    except RecursionError:
        raise InvalidResponseError("The answer is nested too deeply") from None
