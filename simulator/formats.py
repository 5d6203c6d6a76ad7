"""Text formats of the simulated gateways: account-local times and money.

jsonGate sends and accepts naive times in the account's own time zone
(`YYYY-MM-DD hh:mm:ss`, or `YYYY-MM-DD hh:mm` for `time_send` / `validity_period`),
and every number as a string. The simulator keeps aware UTC datetimes and
`Decimal`s internally and converts only at its edges, here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

SECONDS_FORMAT = "%Y-%m-%d %H:%M:%S"
MINUTES_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"


def to_local(moment: datetime, utc_offset: timedelta) -> datetime:
    """Return the account-local naive datetime for an aware `moment`."""
    return (moment.astimezone(UTC) + utc_offset).replace(tzinfo=None)


def from_local(local: datetime, utc_offset: timedelta) -> datetime:
    """Return the aware UTC datetime for an account-local naive `local`."""
    return (local - utc_offset).replace(tzinfo=UTC)


def format_local(moment: datetime, utc_offset: timedelta) -> str:
    """Format an aware datetime as account-local `YYYY-MM-DD hh:mm:ss`."""
    return to_local(moment, utc_offset).strftime(SECONDS_FORMAT)


def format_local_minutes(moment: datetime, utc_offset: timedelta) -> str:
    """Format an aware datetime as account-local `YYYY-MM-DD hh:mm`."""
    return to_local(moment, utc_offset).strftime(MINUTES_FORMAT)


def parse_local(text: str, utc_offset: timedelta) -> datetime:
    """Parse account-local `YYYY-MM-DD hh:mm:ss` or `YYYY-MM-DD hh:mm` to aware UTC.

    Raises:
        ValueError: the text is neither form, or names an impossible date.

    """
    text = text.strip()
    for fmt in (SECONDS_FORMAT, MINUTES_FORMAT):
        try:
            local = datetime.strptime(text, fmt)  # noqa: DTZ007 - naive by protocol
        except ValueError:
            continue
        return from_local(local, utc_offset)
    raise ValueError(f"not a gateway time: {text!r}")


def format_decimal(value: Decimal) -> str:
    """Format money the way the gateway does: `150`, `356.1`, `1.15`."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text
