"""Lenient, typed reading of the gateway's JSON answers, where any number may be text.

A needed value that is bad raises `InvalidResponseError` naming the field, never the value.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .errors import InvalidResponseError

if TYPE_CHECKING:
    from collections.abc import Mapping

GATEWAY_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
GATEWAY_DATE_FORMAT = "%Y-%m-%d"
_ISO_LENGTHS = frozenset({16, 19})  # `YYYY-MM-DD hh:mm`, `YYYY-MM-DD hh:mm:ss`
TRUE_FLAGS = frozenset({"true", "yes", "1", "y", "on"})
FALSE_FLAGS = frozenset({"false", "no", "0", "n", "off", ""})


def parse_gateway_datetime(text: str) -> datetime:
    """Parse a gateway time (`YYYY-MM-DD hh:mm[:ss]`) as a naive, gateway-local datetime."""
    text = text.strip()
    # The usual form is read in C, ten times faster than `strptime` (busy polls feel it);
    # `fromisoformat` would read `24:00` as the next midnight, which `strptime` refuses.
    if len(text) in _ISO_LENGTHS and text[4] == text[7] == "-" and text[10:13] < " 24":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:  # `hh:mm+03` has the length too, and is no gateway time
                return moment
    for fmt in GATEWAY_DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 - gateway-local by design
        except ValueError:
            continue
    raise ValueError(f"not a gateway time: {text!r}")


def format_gateway_datetime(value: datetime, *, seconds: bool = True) -> str:
    """Format a naive gateway-local time the way the gateway writes it."""
    return value.strftime(GATEWAY_DATETIME_FORMATS[0 if seconds else 1])


class Fields:
    """Typed access to one JSON object of an answer, named in errors by `where`."""

    __slots__ = ("_data", "_index", "_parent")

    def __init__(self, data: object, where: str, index: int | None = None) -> None:
        """Wrap `data`, which must be a JSON object: `where`, or item `index` of it."""
        self._parent = where
        self._index = index
        if not isinstance(data, dict):
            raise InvalidResponseError(f"{self.where} is not a JSON object")
        self._data: Mapping[str, Any] = data

    @property
    def where(self) -> str:
        """What this object is, for error messages (`balance.money`, `sms[3]`)."""
        # Built only when asked: answers of busy accounts have many items.
        return self._parent if self._index is None else f"{self._parent}[{self._index}]"

    def __contains__(self, key: str) -> bool:
        """Whether the object has `key` with a value other than null."""
        return self._data.get(key) is not None

    def _invalid(self, key: str, what: str) -> InvalidResponseError:
        return InvalidResponseError(f"{self.where}.{key} {what}")

    def _required(self, key: str) -> Any:  # noqa: ANN401 - raw JSON value
        value = self._data.get(key)
        if value is None:
            raise self._invalid(key, "is missing")
        return value

    def raw(self, key: str) -> Any:  # noqa: ANN401 - raw JSON value
        """The value as decoded from JSON, or None."""
        return self._data.get(key)

    def text(self, key: str) -> str:
        """A required text; numbers are accepted and written as text."""
        value = self._data.get(key)
        if isinstance(value, str):  # first, without a call: most values are text
            return value
        if value is None:
            raise self._invalid(key, "is missing")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format(value, "")
        raise self._invalid(key, "is not text")

    def optional_text(self, key: str) -> str | None:
        """A text, or None when absent, null or empty."""
        return None if self._data.get(key) in (None, "") else self.text(key)

    def integer(self, key: str) -> int:
        """A required whole number, given as a number or as digits."""
        value = self._required(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isascii() and value.isdigit():
            with contextlib.suppress(ValueError):  # too many digits for `int`: `Decimal` reads it
                return int(value)  # the usual form, read without a `Decimal`
        number = self.decimal(key)
        if number != number.to_integral_value():
            raise self._invalid(key, "is not a whole number")
        return int(number)

    def optional_integer(self, key: str) -> int | None:
        """A whole number, or None when absent, null or empty."""
        return None if self._data.get(key) in (None, "") else self.integer(key)

    def decimal(self, key: str) -> Decimal:
        """A required decimal number, given as a number or as text."""
        value = self._required(key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self._invalid(key, "is not a number")
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise self._invalid(key, "is not a number") from None
        if not number.is_finite():
            raise self._invalid(key, "is not a finite number")
        return number

    def flag(self, key: str, *, default: bool = False) -> bool:
        """A yes/no value: `TRUE`/`FALSE`, `yes`/`no`, `1`/`0` or a JSON boolean."""
        value = self._data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold() if isinstance(value, str | int) else None
        if text in TRUE_FLAGS:
            return True
        if text in FALSE_FLAGS:
            return False
        raise self._invalid(key, "is not a yes/no value")

    def local_time(self, key: str) -> datetime:
        """A required gateway-local time, as a naive datetime."""
        value = self.text(key)
        try:
            return parse_gateway_datetime(value)
        except ValueError:
            raise self._invalid(key, "is not a time") from None

    def optional_date(self, key: str) -> date | None:
        """A date (`YYYY-MM-DD`), or None when absent, empty or impossible (typed by people)."""
        value = self._data.get(key)
        if not isinstance(value, str) or not value.strip():
            return None
        try:
            return datetime.strptime(value.strip(), GATEWAY_DATE_FORMAT).date()  # noqa: DTZ007
        except ValueError:
            return None

    def array(self, key: str, *, required: bool = True) -> list[Any]:
        """A JSON array; absent or null is an empty list unless `required`."""
        value = self._data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self._invalid(key, "is not a list" if value is not None else "is missing")
        return value

    def objects(self, key: str, *, required: bool = True) -> list[Fields]:
        """A JSON array of objects, each wrapped as `Fields`."""
        where = f"{self.where}.{key}"
        items = self.array(key, required=required)
        return [Fields(item, where, index) for index, item in enumerate(items)]

    def nested(self, key: str) -> Fields:
        """A required nested JSON object."""
        return Fields(self._required(key), f"{self.where}.{key}")
