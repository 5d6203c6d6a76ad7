"""What a jsonGate handler works with, and lenient readers for request fields.

The gateway is PHP: numbers may come as JSON numbers or numeric strings, and every
value goes back as a string. Anything a handler can't read is the gateway's one
format error, `Неправильный формат JSON документа`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.formats import format_local, parse_local

from .errors import BAD_FORMAT, GateError

if TYPE_CHECKING:
    from datetime import datetime

    from simulator.accounts import Account
    from simulator.simulator import Simulator

_DIGITS = re.compile(r"[0-9]+")


@dataclass
class Context:
    """The simulator, the authenticated account and the time of the request."""

    sim: Simulator
    account: Account
    now: datetime  # aware UTC

    def local(self, moment: datetime | None) -> str:
        """Format a time in the account's local time; None becomes ""."""
        return "" if moment is None else format_local(moment, self.account.utc_offset)

    def parse_time(self, value: Any) -> datetime:  # noqa: ANN401 - a JSON value
        """Read an account-local time (with or without seconds) as aware UTC."""
        if not isinstance(value, str):
            raise GateError(BAD_FORMAT)
        try:
            return parse_local(value, self.account.utc_offset)
        except ValueError:
            raise GateError(BAD_FORMAT) from None

    def page(self, items: list[Any], page_value: Any) -> tuple[int, int, list[Any]]:  # noqa: ANN401
        """Cut one page (numbered from 1) out of `items`: page, num_pages, the page."""
        page = 1 if page_value in (None, "") else as_int(page_value)
        if page < 1:
            raise GateError(BAD_FORMAT)
        size = self.sim.page_size
        num_pages = max(1, math.ceil(len(items) / size))
        return page, num_pages, items[(page - 1) * size : page * size]


def as_int(value: Any) -> int:  # noqa: ANN401 - a JSON value
    """Read an integer given as a JSON number or a numeric string."""
    if isinstance(value, bool):
        raise GateError(BAD_FORMAT)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    raise GateError(BAD_FORMAT)


def as_text(value: Any) -> str:  # noqa: ANN401 - a JSON value
    """Read a scalar as text: strings as they are, numbers as digits, null as ""."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise GateError(BAD_FORMAT)
    return str(value)


def as_list(body: dict[str, Any], key: str, *, required: bool = True) -> list[Any]:
    """Read an array field; a missing optional one is empty."""
    value = body.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise GateError(BAD_FORMAT)
    return value


def as_object(value: Any) -> dict[str, Any]:  # noqa: ANN401 - a JSON value
    """Read a JSON object."""
    if not isinstance(value, dict):
        raise GateError(BAD_FORMAT)
    return value
