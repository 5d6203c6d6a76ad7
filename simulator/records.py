"""What the simulator remembers of the traffic it served, for tests to assert on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime


@dataclass
class RequestRecord:
    """One protocol request (control requests are not recorded).

    `response` is the answer the handler produced, before any fault mangled it;
    `response_text` is what actually went on the wire (None: nothing was sent).
    """

    seq: int
    at: datetime  # simulator clock, aware UTC
    method: str
    path: str
    api: str  # "jsongate" or "scorocode"
    request_type: str | None  # jsonGate `type`, or "sendpush" / "sendsms"
    body: Any  # parsed JSON body; None when empty or not JSON
    raw_body: str
    login: str | None = None  # authenticated jsonGate login, or the Scorocode app id
    auth: str | None = None  # "password", "token", "message_key", "master_key"
    fault: str | None = None  # kind of the fault applied
    processed: bool = False  # the handler ran (state may have changed)
    status: int | None = None  # HTTP status sent; None when the connection was dropped
    response: Any = None
    response_text: str | None = None
    error: str | None = None  # request-level error text (jsonGate) or errMsg (Scorocode)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, for the HTTP control API."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "method": self.method,
            "path": self.path,
            "api": self.api,
            "request_type": self.request_type,
            "body": self.body,
            "raw_body": self.raw_body,
            "login": self.login,
            "auth": self.auth,
            "fault": self.fault,
            "processed": self.processed,
            "status": self.status,
            "response": self.response,
            "response_text": self.response_text,
            "error": self.error,
        }


@dataclass
class PushRecord:
    """One accepted Scorocode `sendpush` request and the devices it reached."""

    app_id: str
    at: datetime
    collection: str
    query: dict[str, Any]
    devices: list[dict[str, Any]]
    message: dict[str, Any]  # `msg` as sent: text plus data.gcm / data.apns untouched
    debug: bool

    @property
    def text(self) -> str:
        """The push text."""
        return str(self.message.get("text", ""))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, for the HTTP control API."""
        return {
            "app_id": self.app_id,
            "at": self.at.isoformat(),
            "collection": self.collection,
            "query": self.query,
            "devices": self.devices,
            "message": self.message,
            "debug": self.debug,
        }


@dataclass
class AppSmsRecord:
    """One accepted Scorocode `sendsms` request and the users it reached."""

    app_id: str
    at: datetime
    collection: str
    query: dict[str, Any]
    users: list[dict[str, Any]]
    text: str
    phones: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, for the HTTP control API."""
        return {
            "app_id": self.app_id,
            "at": self.at.isoformat(),
            "collection": self.collection,
            "query": self.query,
            "users": self.users,
            "phones": self.phones,
            "text": self.text,
        }
