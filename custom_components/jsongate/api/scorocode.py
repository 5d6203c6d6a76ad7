"""The Scorocode client: pushes and SMS to the app users a MongoDB-style `query` selects."""

from __future__ import annotations

import contextlib
import copy
import functools
import json
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .errors import (
    AuthenticationError,
    InvalidInputError,
    InvalidResponseError,
    RequestRefusedError,
)
from .fields import Fields
from .outgoing import checked_text
from .transport import AUTH_STATUSES, DEFAULT_TIMEOUT, JsonTransport

if TYPE_CHECKING:
    from collections.abc import Mapping

    import aiohttp

DEFAULT_SCOROCODE_URL = "https://api.scorocode.ru/api/v1"


class Collection(StrEnum):
    """The collections recipients are chosen from."""

    DEVICES = "devices"
    USERS = "users"
    ROLES = "roles"


SMS_COLLECTIONS = frozenset({Collection.USERS, Collection.ROLES})


def _collection(name: Collection | str) -> Collection:
    try:
        return Collection(name)
    except ValueError:
        message = "The collection is devices, users or roles"
        raise InvalidInputError(message, name, reason="invalid_collection") from None


def parse_json_object(value: object) -> dict[str, Any] | None:
    """A query or push data as a mapping or JSON text: `{}` for nothing, None for neither."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # text that isn't JSON stays text: not an object
            value = json.loads(value)
    return value if isinstance(value, dict) else None


def _push_data(text: str, title: str | None, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """`msg.data`: `data`, plus title and body for Android and iOS unless `data` sets them."""
    result = copy.deepcopy(dict(data)) if data else {}
    if title:
        notification = result.setdefault("gcm", {}).setdefault("notification", {})
        alert = result.setdefault("apns", {}).setdefault("aps", {}).setdefault("alert", {})
        for shown in (notification, alert):
            if isinstance(shown, dict):
                shown.setdefault("title", title)
                shown.setdefault("body", text)
    return result


class ScorocodeClient:
    """A client for one Scorocode application; `access_key` is the master key or a message key."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str = DEFAULT_SCOROCODE_URL,
        *,
        app_id: str,
        client_key: str,
        access_key: str,
        session_id: str | None = None,
        verify_ssl: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Talk to the API at `url` (before `/sendpush`); a message key also needs `session_id`."""
        self._base_url = url.strip().rstrip("/")
        self._transport = functools.partial(
            JsonTransport, session, verify_ssl=verify_ssl, timeout=timeout
        )
        self.app_id = app_id
        self._credentials: dict[str, Any] = {
            "app": app_id,
            "cli": client_key,
            "acc": access_key,
            "sess": session_id or "",
        }

    def __repr__(self) -> str:
        """Name the URL and application, never the keys or session."""
        return f"ScorocodeClient({self._base_url!r}, app_id={self.app_id!r})"

    async def send_push(
        self,
        collection: Collection | str,
        text: str,
        *,
        title: str | None = None,
        query: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        debug: bool = False,
    ) -> int:
        """Push `text` to the devices `query` selects; how many went out. `data`: raw `msg.data`."""
        message: dict[str, Any] = {"text": checked_text(text)}
        if msg_data := _push_data(text, title, data):
            message["data"] = msg_data
        return await self._send("sendpush", _collection(collection), query, message, debug=debug)

    async def send_sms(
        self, collection: Collection | str, text: str, *, query: Mapping[str, Any] | None = None
    ) -> int:
        """Send `text` by SMS to the users `query` selects; returns how many were sent."""
        coll = _collection(collection)
        if coll not in SMS_COLLECTIONS:
            message = "SMS go to users or roles, not devices"
            raise InvalidInputError(message, coll.value, reason="sms_collection")
        return await self._send("sendsms", coll, query, {"text": checked_text(text)})

    async def _send(
        self,
        endpoint: str,
        collection: Collection,
        query: Mapping[str, Any] | None,
        message: dict[str, Any],
        **options: bool,
    ) -> int:
        recipients = {"coll": collection.value, "query": dict(query or {})}
        document = self._credentials | options | recipients | {"msg": message}
        transport = self._transport(f"{self._base_url}/{endpoint}")
        _status, answer = await transport.post(document, label=f"Scorocode {endpoint}")
        fields = Fields(answer, endpoint)
        if fields.flag("error"):
            code = fields.optional_integer("errCode")
            text = fields.optional_text("errMsg") or "unknown error"
            if code in AUTH_STATUSES:
                raise AuthenticationError(f"Scorocode refused the keys or session ({code})")
            raise RequestRefusedError(text, code)
        if (count := fields.integer("count")) < 0:
            raise InvalidResponseError(f"{endpoint}.count is negative")
        return count
