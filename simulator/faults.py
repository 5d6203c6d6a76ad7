"""Faults on demand: what can go wrong between a client and a gateway.

A `Fault` applies to the next `times` requests that match it (all of them while
`times` is None), optionally only to one jsonGate request `type` (or `sendpush` /
`sendsms`) or one endpoint path. The first pending fault that matches a request is
the one applied, and each request gets at most one. The HTTP side of each kind lives
in `app.py`; this module only decides which fault applies and mangles answers.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


class FaultKind(StrEnum):
    """The kinds of fault, and whether the request is processed under each."""

    LATENCY = "latency"  # wait `seconds`, then answer normally (processed)
    HANG = "hang"  # wait `seconds`, then close without answering (not processed)
    HTTP_500 = "http_500"  # HTTP 500 with an HTML body (not processed)
    HTTP_502 = "http_502"  # HTTP 502 from a "proxy" (not processed)
    HTML = "html"  # HTTP 200 text/html page (not processed)
    MALFORMED_JSON = "malformed_json"  # HTTP 200, body is not JSON (not processed)
    TRUNCATED_JSON = "truncated_json"  # the real answer cut in the middle (processed)
    WRONG_TYPES = "wrong_types"  # the real answer, numbers -> list/object/null (processed)
    ERROR_TEXT = "error_text"  # a request-level error with `text` (not processed)
    RESET_BEFORE = "reset_before"  # TCP RST before processing
    RESET_AFTER = "reset_after"  # processed, then TCP RST instead of an answer
    DISCONNECT_BEFORE = "disconnect_before"  # clean close (FIN) before processing
    DISCONNECT_AFTER = "disconnect_after"  # processed, then clean close, no answer


# Kinds under which the request reaches the handler and may change state.
PROCESSED_KINDS = frozenset(
    {
        FaultKind.LATENCY,
        FaultKind.TRUNCATED_JSON,
        FaultKind.WRONG_TYPES,
        FaultKind.RESET_AFTER,
        FaultKind.DISCONNECT_AFTER,
    }
)
DEFAULT_SECONDS = {FaultKind.LATENCY: 1.0, FaultKind.HANG: 300.0}
DEFAULT_ERROR_TEXT = "Сервис временно недоступен"


@dataclass
class Fault:
    """A fault for the next `times` matching requests (None: until cleared)."""

    kind: FaultKind | str
    times: int | None = 1
    request_type: str | None = None  # jsonGate `type`, or "sendpush" / "sendsms"
    path: str | None = None  # e.g. "/sendsmsjson.php", "/api/v1/sendpush"
    seconds: float | None = None  # for latency and hang; defaults 1 s and 300 s
    text: str = DEFAULT_ERROR_TEXT  # for error_text
    applied: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        """Check the fault makes sense; accept the kind as a plain string."""
        self.kind = FaultKind(self.kind)
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1, or None for 'until cleared'")
        if self.seconds is None:
            self.seconds = DEFAULT_SECONDS.get(self.kind, 0.0)
        if self.seconds < 0:
            raise ValueError("seconds can't be negative")

    @property
    def processed(self) -> bool:
        """Whether a request hit by this fault still reaches the handler."""
        return self.kind in PROCESSED_KINDS

    def matches(self, path: str, request_type: str | None) -> bool:
        """Whether this fault applies to a request to `path` of `request_type`."""
        if self.path is not None and self.path != path:
            return False
        return self.request_type is None or self.request_type == request_type

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, for the HTTP control API."""
        return {
            "kind": str(self.kind),
            "times": self.times,
            "request_type": self.request_type,
            "path": self.path,
            "seconds": self.seconds,
            "text": self.text,
            "applied": self.applied,
        }


class FaultQueue:
    """Pending faults, consumed in the order they were added."""

    def __init__(self) -> None:
        """Start with no faults."""
        self.pending: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        """Queue a fault behind those already pending."""
        self.pending.append(fault)
        return fault

    def clear(self) -> None:
        """Drop every pending fault."""
        self.pending.clear()

    def take(self, path: str, request_type: str | None) -> Fault | None:
        """Return the fault for this request, if any, using up one of its `times`."""
        for fault in self.pending:
            if fault.matches(path, request_type):
                fault.applied += 1
                if fault.times is not None and fault.applied >= fault.times:
                    self.pending.remove(fault)
                return fault
        return None


HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Технические работы</title></head>\n"
    "<body><h1>Сервис временно недоступен</h1>"
    "<p>Ведутся технические работы. Попробуйте позже.</p></body></html>\n"
)
HTTP_500_PAGE = (
    "<html><head><title>500 Internal Server Error</title></head>\n"
    "<body><h1>Internal Server Error</h1></body></html>\n"
)
HTTP_502_PAGE = (
    "<html>\n<head><title>502 Bad Gateway</title></head>\n"
    "<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
# What a PHP backend prints when a warning leaks in front of its JSON.
MALFORMED_JSON = (
    "<br />\n<b>Warning</b>:  mysqli_connect(): (HY000/2002): Connection refused in "
    '<b>/var/www/sendsmsjson.php</b> on line <b>12</b><br />\n{"error":'
)


def truncate(text: str) -> str:
    """Cut a serialized answer in the middle (by characters, so it stays UTF-8)."""
    return text[: max(1, len(text) // 2)]


def scramble_types(payload: Any) -> Any:  # noqa: ANN401 - any JSON value
    """Turn every number (or numeric string) into a list, an object or null, in turn.

    Booleans and non-numeric strings stay, so the answer keeps its shape and keys
    and only the types of number fields are wrong.
    """
    wrong: Iterator[Callable[[Any], Any]] = itertools.cycle(
        (lambda value: [value], lambda value: {"value": value}, lambda _value: None)
    )

    def walk(value: Any) -> Any:  # noqa: ANN401
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) or (isinstance(value, str) and _numeric(value)):
            return next(wrong)(value)
        return value

    return walk(payload)


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _numeric(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None
