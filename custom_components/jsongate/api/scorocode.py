"""The Scorocode client: push notifications (`sendpush`) and SMS (`sendsms`) to app users.

Recipients are chosen by a MongoDB-style `query` on a collection (`devices`, `users`
or `roles`); the answer is how many messages went out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from .errors import (
    AuthenticationError,
    InvalidInputError,
    InvalidResponseError,
    RequestRefusedError,
)
from .fields import Fields
from .outgoing import EMPTY_MESSAGE
from .transport import DEFAULT_TIMEOUT, JsonTransport

if TYPE_CHECKING:
    from collections.abc import Mapping

    import aiohttp

DEFAULT_SCOROCODE_URL = "https://api.scorocode.ru/api/v1"
AUTH_ERROR_CODES = frozenset({401, 403})


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
        raise InvalidInputError("The collection is devices, users or roles", name) from None


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True, kw_only=True)
class GcmNotification:
    """The visible part of an Android notification (`gcm.notification`)."""

    body: str | None = None
    title: str | None = None
    icon: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object Scorocode expects."""
        return _without_none({"body": self.body, "title": self.title, "icon": self.icon})


@dataclass(frozen=True, slots=True, kw_only=True)
class GcmPayload:
    """What Android devices get (`msg.data.gcm`): a notification and app data."""

    protocol: Literal["http", "xmpp"] | None = None
    notification: GcmNotification | None = None
    data: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object Scorocode expects."""
        return _without_none(
            {
                "protocol": self.protocol,
                "notification": self.notification.to_json() if self.notification else None,
                "data": dict(self.data) if self.data is not None else None,
            }
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ApnsAlert:
    """The alert of an iOS notification (`aps.alert`)."""

    title: str | None = None
    body: str | None = None
    action_loc_key: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object Scorocode expects."""
        return _without_none(
            {"title": self.title, "body": self.body, "action-loc-key": self.action_loc_key}
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ApnsPayload:
    """What iOS devices get (`msg.data.apns`).

    `id`, `topic`, `collapse_id`, `expiration` and `priority` become the apns-*
    headers; `alert` and `badge` form `aps`; `custom` keys are passed through beside
    `aps` for the app to read.
    """

    id: str | None = None
    topic: str | None = None
    collapse_id: str | None = None
    expiration: str | None = None
    priority: int | None = None
    alert: ApnsAlert | None = None
    badge: int | None = None
    custom: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON object Scorocode expects."""
        aps = _without_none(
            {"alert": self.alert.to_json() if self.alert else None, "badge": self.badge}
        )
        document = dict(self.custom)
        document |= _without_none(
            {
                "id": self.id,
                "topic": self.topic,
                "collapseId": self.collapse_id,
                "expiration": self.expiration,
                "priority": self.priority,
                "aps": aps or None,
            }
        )
        return document


@dataclass(frozen=True, slots=True, kw_only=True)
class PushData:
    """Platform-specific parts of a push (`msg.data`)."""

    gcm: GcmPayload | None = None
    apns: ApnsPayload | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object Scorocode expects."""
        return _without_none(
            {
                "gcm": self.gcm.to_json() if self.gcm else None,
                "apns": self.apns.to_json() if self.apns else None,
            }
        )


class ScorocodeClient:
    """A client for one Scorocode application.

    `access_key` is the message key (then `session_id` is required by the server) or
    the master key.
    """

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
        """Talk to the Scorocode API at `url` (the part before `/sendpush`)."""
        self._base_url = url.strip().rstrip("/")
        self._session = session
        self._verify_ssl = verify_ssl
        self._timeout = timeout
        self.app_id = app_id
        self._client_key = client_key
        self._access_key = access_key
        self._session_id = session_id or ""

    def __repr__(self) -> str:
        """Name the URL and application, never the keys or session."""
        return f"ScorocodeClient({self._base_url!r}, app_id={self.app_id!r})"

    async def send_push(
        self,
        collection: Collection | str,
        text: str,
        *,
        query: Mapping[str, Any] | None = None,
        data: PushData | Mapping[str, Any] | None = None,
        debug: bool = False,
    ) -> int:
        """Push `text` to the devices `query` selects; returns how many were sent.

        `data` is a `PushData`, or the raw `msg.data` object (`gcm`/`apns`), passed
        through as given.
        """
        message: dict[str, Any] = {"text": self._checked_text(text)}
        if data is not None:
            message["data"] = data.to_json() if isinstance(data, PushData) else dict(data)
        return await self._send("sendpush", _collection(collection), query, message, debug=debug)

    async def send_sms(
        self, collection: Collection | str, text: str, *, query: Mapping[str, Any] | None = None
    ) -> int:
        """Send `text` by SMS to the users `query` selects; returns how many were sent."""
        coll = _collection(collection)
        if coll not in SMS_COLLECTIONS:
            raise InvalidInputError("SMS go to users or roles, not devices", coll.value)
        return await self._send(
            "sendsms", coll, query, {"text": self._checked_text(text)}, debug=None
        )

    @staticmethod
    def _checked_text(text: str) -> str:
        if not text.strip():
            raise InvalidInputError("The message text is empty", reason=EMPTY_MESSAGE)
        return text

    async def _send(
        self,
        endpoint: str,
        collection: Collection,
        query: Mapping[str, Any] | None,
        message: dict[str, Any],
        *,
        debug: bool | None,
    ) -> int:
        document: dict[str, Any] = {
            "app": self.app_id,
            "cli": self._client_key,
            "acc": self._access_key,
            "sess": self._session_id,
        }
        if debug is not None:
            document["debug"] = debug
        document |= {"coll": collection.value, "query": dict(query or {}), "msg": message}
        transport = JsonTransport(
            self._session,
            f"{self._base_url}/{endpoint}",
            verify_ssl=self._verify_ssl,
            timeout=self._timeout,
        )
        _status, answer = await transport.post(document, label=f"Scorocode {endpoint}")
        fields = Fields(answer, endpoint)
        if fields.flag("error"):
            code = fields.optional_integer("errCode")
            text = fields.optional_text("errMsg") or "unknown error"
            if code in AUTH_ERROR_CODES:
                raise AuthenticationError(
                    f"Scorocode refused the application keys or session ({code})"
                )
            raise RequestRefusedError(text, code)
        count = fields.integer("count")
        if count < 0:
            raise InvalidResponseError(f"{endpoint}.count is negative")
        return count
