"""The aiohttp application: protocol endpoints, with faults applied around them.

Routes:
    POST|GET /sendsmsjson.php            jsonGate
    POST     /api/v1/sendpush            Scorocode push
    POST     /api/v1/sendsms             Scorocode SMS
    *        /__simulator__/...          control API (see `control.py`), never faulted

Handlers are synchronous functions of the simulator state, so each request is
processed atomically; only fault delays await.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from collections.abc import Callable
from typing import Any

from aiohttp import web

from . import control, jsongate, scorocode
from .faults import (
    HTML_PAGE,
    HTTP_500_PAGE,
    HTTP_502_PAGE,
    MALFORMED_JSON,
    Fault,
    FaultKind,
    scramble_types,
    truncate,
)
from .records import RequestRecord
from .simulator import Simulator

JSONGATE_PATH = "/sendsmsjson.php"
SCOROCODE_PREFIX = "/api/v1"

SIMULATOR = web.AppKey("simulator", Simulator)
STOPPING = web.AppKey("stopping", asyncio.Event)

type Process = Callable[[], dict[str, Any]]
type ErrorPayload = Callable[[str], dict[str, Any]]


def create_app(sim: Simulator) -> web.Application:
    """Build the aiohttp application serving `sim`."""
    app = web.Application()
    app[SIMULATOR] = sim
    app[STOPPING] = asyncio.Event()
    app.router.add_route("POST", JSONGATE_PATH, _serve_jsongate)
    # A GET carries no POST data, which the gateway reports as such.
    app.router.add_route("GET", JSONGATE_PATH, _serve_jsongate)
    app.router.add_post(SCOROCODE_PREFIX + "/{endpoint:sendpush|sendsms}", _serve_scorocode)
    control.add_routes(app, sim)
    app.on_shutdown.append(_wake_sleepers)
    return app


async def _wake_sleepers(app: web.Application) -> None:
    # Requests delayed by latency or hang faults give up at once, so stopping is quick.
    app[STOPPING].set()


async def _serve_jsongate(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIMULATOR]
    raw = await request.read()
    body = jsongate.decode(raw)
    record = _record(
        sim, request, api="jsongate", request_type=jsongate.request_type(body), body=body, raw=raw
    )
    # Counted from the request's arrival to its answer (latency faults included): a
    # real gateway loses requests when too many of one account are open at once.
    login = _login_of(sim, body, request.headers.get("Authorization"))
    sim.in_flight[login] += 1
    sim.max_in_flight[login] = max(sim.max_in_flight[login], sim.in_flight[login])
    try:
        return await _respond_jsongate(request, sim, record, raw)
    finally:
        sim.in_flight[login] -= 1


def _login_of(sim: Simulator, body: Any, authorization: str | None) -> str:  # noqa: ANN401
    """The login a jsonGate request speaks for ("" when it names none)."""
    security = body.get("security") if isinstance(body, dict) else None
    if isinstance(security, dict) and isinstance(security.get("login"), str):
        return str(security["login"])
    token = (authorization or "").removeprefix("Bearer ").strip()
    account = sim.account_by_token(token) if token else None
    return account.login if account is not None else ""


async def _respond_jsongate(
    request: web.Request, sim: Simulator, record: RequestRecord, raw: bytes
) -> web.StreamResponse:

    def process() -> dict[str, Any]:
        sim.catch_up()
        answer = jsongate.handle(sim, raw, request.headers.get("Authorization"))
        record.login, record.auth, record.error = answer.login, answer.auth, answer.error
        return answer.payload

    return await _respond(request, record, process, lambda text: {"error": text})


async def _serve_scorocode(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIMULATOR]
    endpoint = request.match_info["endpoint"]
    raw = await request.read()
    record = _record(
        sim, request, api="scorocode", request_type=endpoint, body=jsongate.decode(raw), raw=raw
    )

    def process() -> dict[str, Any]:
        answer = scorocode.handle(sim, endpoint, raw)
        record.login, record.auth, record.error = answer.app_id, answer.auth, answer.error
        return answer.payload

    return await _respond(
        request, record, process, lambda text: {"error": True, "errCode": 500, "errMsg": text}
    )


def _record(
    sim: Simulator,
    request: web.Request,
    *,
    api: str,
    request_type: str | None,
    body: Any,  # noqa: ANN401 - any JSON value
    raw: bytes,
) -> RequestRecord:
    record = RequestRecord(
        seq=next(sim.request_seq),
        at=sim.clock.now(),
        method=request.method,
        path=request.path,
        api=api,
        request_type=request_type,
        body=body,
        raw_body=raw.decode(errors="replace"),
    )
    sim.requests.append(record)
    return record


async def _respond(
    request: web.Request, record: RequestRecord, process: Process, error_payload: ErrorPayload
) -> web.StreamResponse:
    """Apply the pending fault (if any) around processing the request."""
    sim = request.app[SIMULATOR]
    fault = sim.faults.take(record.path, record.request_type)
    if fault is None:
        return _answer(record, process)
    record.fault = str(fault.kind)
    if fault.kind in {FaultKind.LATENCY, FaultKind.HANG}:
        stopping = await _sleep(request.app, fault.seconds or 0.0)
        if stopping or fault.kind == FaultKind.HANG:
            return _drop(request, record, reset=False)
        return _answer(record, process)
    substitute = _substitute(fault, record, error_payload)
    if substitute is not None:
        return substitute
    if not fault.processed:
        return _drop(request, record, reset=fault.kind == FaultKind.RESET_BEFORE)
    return _spoil(request, record, fault, _process(record, process))


def _spoil(
    request: web.Request, record: RequestRecord, fault: Fault, payload: dict[str, Any]
) -> web.StreamResponse:
    """Deliver a processed answer damaged the way `fault` says."""
    match fault.kind:
        case FaultKind.RESET_AFTER | FaultKind.DISCONNECT_AFTER:
            return _drop(request, record, reset=fault.kind == FaultKind.RESET_AFTER)
        case FaultKind.TRUNCATED_JSON:
            return _send(record, 200, truncate(_dumps(payload)))
        case _:  # FaultKind.WRONG_TYPES
            return _send(record, 200, _dumps(scramble_types(payload)))


def _substitute(
    fault: Fault, record: RequestRecord, error_payload: ErrorPayload
) -> web.Response | None:
    """The answer that replaces processing for faults that stop before the handler."""
    match fault.kind:
        case FaultKind.HTTP_500:
            return _send(record, 500, HTTP_500_PAGE, "text/html")
        case FaultKind.HTTP_502:
            return _send(record, 502, HTTP_502_PAGE, "text/html")
        case FaultKind.HTML:
            return _send(record, 200, HTML_PAGE, "text/html")
        case FaultKind.MALFORMED_JSON:
            return _send(record, 200, MALFORMED_JSON)
        case FaultKind.ERROR_TEXT:
            record.error = fault.text
            return _send(record, 200, _dumps(error_payload(fault.text)))
        case _:
            return None


def _process(record: RequestRecord, process: Process) -> dict[str, Any]:
    payload = process()
    record.processed = True
    record.response = payload
    return payload


def _answer(record: RequestRecord, process: Process) -> web.Response:
    return _send(record, 200, _dumps(_process(record, process)))


def _send(
    record: RequestRecord, status: int, text: str, content_type: str = "application/json"
) -> web.Response:
    record.status = status
    record.response_text = text
    return web.Response(status=status, text=text, content_type=content_type, charset="utf-8")


def _drop(request: web.Request, record: RequestRecord, *, reset: bool) -> web.Response:
    """Close the connection without an answer: a TCP RST when `reset`, else a plain FIN.

    An aiohttp client sees `ClientOSError` (errno ECONNRESET) after a reset and
    `ServerDisconnectedError` after a plain close.
    """
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if reset and sock is not None:
            # Linger on with a zero timeout: close() then sends RST instead of FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    record.status = None
    # aiohttp still wants a response; it goes nowhere, the connection is gone.
    return web.Response()


async def _sleep(app: web.Application, seconds: float) -> bool:
    """Wait `seconds`; True if the server began shutting down meanwhile."""
    try:
        async with asyncio.timeout(seconds):
            await app[STOPPING].wait()
    except TimeoutError:
        return False
    return True


def _dumps(payload: Any) -> str:  # noqa: ANN401 - any JSON value
    return json.dumps(payload, ensure_ascii=False)
