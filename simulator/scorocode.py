"""Scorocode `sendpush` and `sendsms`: check keys and session, select recipients, record.

Errors are answered with HTTP 200 and `{"error": true, "errCode": ..., "errMsg": ...}`
(the Scorocode SDKs treat any other HTTP status as a transport failure).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import query as mongo
from .records import AppSmsRecord, PushRecord

if TYPE_CHECKING:
    from .apps import ScorocodeApp
    from .simulator import Simulator

ENDPOINTS = frozenset({"sendpush", "sendsms"})
COLLECTIONS = {"sendpush": ("users", "roles", "devices"), "sendsms": ("users", "roles")}


class ScorocodeError(Exception):
    """A refusal, answered as `{"error": true, "errCode": code, "errMsg": message}`."""

    def __init__(self, code: int, message: str) -> None:
        """Keep the Scorocode error code and message."""
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ScorocodeAnswer:
    """The JSON answer plus what the request log needs to know about it."""

    payload: dict[str, Any]
    app_id: str | None = None
    auth: str | None = None  # "message_key" or "master_key"
    error: str | None = None


def handle(sim: Simulator, endpoint: str, raw: bytes) -> ScorocodeAnswer:
    """Serve one `sendpush` / `sendsms` request body."""
    answer = ScorocodeAnswer(payload={})
    try:
        body = _decode(raw)
        app = _authorize(sim, body, answer)
        collection = _collection(endpoint, body)
        try:
            query = mongo.check(body.get("query") or {})
        except mongo.QueryError as err:
            raise ScorocodeError(400, f"Invalid query: {err}") from err
        message, text = _message(body)
        if endpoint == "sendpush":
            count = _send_push(sim, app, collection, query, message, debug=bool(body.get("debug")))
        else:
            count = _send_sms(sim, app, collection, query, text)
    except ScorocodeError as err:
        answer.payload = {"error": True, "errCode": err.code, "errMsg": err.message}
        answer.error = err.message
    else:
        answer.payload = {"count": count, "error": False}
    return answer


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError) as err:
        raise ScorocodeError(400, "Invalid JSON body") from err
    if not isinstance(body, dict):
        raise ScorocodeError(400, "Invalid JSON body")
    return body


def _authorize(sim: Simulator, body: dict[str, Any], answer: ScorocodeAnswer) -> ScorocodeApp:
    app = sim.apps.get(str(body.get("app") or ""))
    if app is None:
        raise ScorocodeError(401, "Invalid application id")
    answer.app_id = app.app_id
    if not body.get("cli") or body["cli"] not in app.client_keys.values():
        raise ScorocodeError(401, "Invalid client key")
    access_key = body.get("acc")
    if access_key and access_key == app.master_key:
        answer.auth = "master_key"
        return app
    if not access_key or access_key != app.message_key:
        raise ScorocodeError(403, "Invalid access key")
    answer.auth = "message_key"
    session = body.get("sess")
    if not session:
        raise ScorocodeError(401, "Session id is required")
    state = app.session_state(str(session))
    if state == "unknown":
        raise ScorocodeError(401, "Invalid session id")
    if state == "expired":
        raise ScorocodeError(401, "Session expired")
    return app


def _collection(endpoint: str, body: dict[str, Any]) -> str:
    collection = body.get("coll")
    if collection not in COLLECTIONS[endpoint]:
        name = collection if isinstance(collection, str) else json.dumps(collection)
        raise ScorocodeError(404, f"Invalid collection: '{name}'")
    return str(collection)


def _message(body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    message = body.get("msg")
    text = message.get("text") if isinstance(message, dict) else None
    if not isinstance(message, dict) or not isinstance(text, str) or not text.strip():
        raise ScorocodeError(400, "Message text is required")
    return message, text


def _users(app: ScorocodeApp, collection: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    if collection == "users":
        return [user for user in app.users if mongo.matches(user, query)]
    return app.users_in_roles(role for role in app.roles if mongo.matches(role, query))


def _send_push(
    sim: Simulator,
    app: ScorocodeApp,
    collection: str,
    query: dict[str, Any],
    message: dict[str, Any],
    *,
    debug: bool,
) -> int:
    if collection == "devices":
        devices = [device for device in app.devices if mongo.matches(device, query)]
    else:
        devices = app.devices_of(_users(app, collection, query))
    sim.pushes.append(
        PushRecord(
            app_id=app.app_id,
            at=sim.clock.now(),
            collection=collection,
            query=query,
            devices=[dict(device) for device in devices],
            message=json.loads(json.dumps(message)),  # a deep copy, exactly as received
            debug=debug,
        )
    )
    return len(devices)


def _send_sms(
    sim: Simulator, app: ScorocodeApp, collection: str, query: dict[str, Any], text: str
) -> int:
    users = [user for user in _users(app, collection, query) if user.get("phone")]
    sim.app_sms.append(
        AppSmsRecord(
            app_id=app.app_id,
            at=sim.clock.now(),
            collection=collection,
            query=query,
            users=[dict(user) for user in users],
            phones=[str(user["phone"]) for user in users],
            text=text,
        )
    )
    return len(users)
