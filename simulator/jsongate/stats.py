"""`list_stats`: one row per SMS part sent in a period of the last three months."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from simulator.formats import DATE_FORMAT, format_decimal, to_local

from .context import Context, as_object, as_text
from .errors import BAD_DATE, NO_SUCH_OPERATOR, GateError

if TYPE_CHECKING:
    from simulator.accounts import Message

STATUS_TRANSLATIONS = {
    "send": "Отправлено",
    "deliver": "Доставлено",
    "not_deliver": "Не доставлено",
    "expired": "Просрочено",
    "partly_deliver": "Частично доставлено",
}
HISTORY_MONTHS = 3  # older SMS are archived and can only be had through a manager


def handle_list_stats(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Statistics for a period; `num_stats` counts SMS, `stats` has a row per part."""
    stats = as_object(body.get("stats") or {})
    offset = ctx.account.utc_offset
    local_now = to_local(ctx.now, offset)
    start = datetime.combine(
        _date(stats.get("date_start"), local_now.date()),
        _time_of_day(stats.get("from_hour"), stats.get("from_minute"), time(0, 0)),
    )
    stop = datetime.combine(
        _date(stats.get("date_stop"), local_now.date()),
        _time_of_day(stats.get("to_hour"), stats.get("to_minute"), time(23, 59)),
    ) + timedelta(seconds=59)  # "not later than" a minute includes its seconds
    start = max(start, _months_before(local_now, HISTORY_MONTHS))
    wanted = _filters(ctx, stats)
    messages = sorted(
        (
            message
            for message in ctx.account.messages.values()
            if message.sent_at is not None
            and start <= to_local(message.sent_at, offset) <= stop
            and all(getattr(message, name) in values for name, values in wanted.items())
        ),
        key=lambda message: (message.sent_at, message.id_sms),
    )
    return {
        "num_stats": str(len(messages)),
        "stats": [
            _row(ctx, message, part) for message in messages for part in range(message.parts)
        ],
    }


def _filters(ctx: Context, stats: dict[str, Any]) -> dict[str, set[str]]:
    """Message attribute -> allowed values, for each filter the request sets."""
    wanted: dict[str, set[str]] = {}
    for key, attribute in (("state", "state"), ("originator", "sender"), ("phone", "phone")):
        value = as_text(stats.get(key)).strip()
        if value:
            wanted[attribute] = {value}
    operator = as_text(stats.get("operator")).strip()
    if operator:
        areas = {area.name for area in ctx.account.areas if area.answers_to(operator)}
        if not areas:
            raise GateError(NO_SUCH_OPERATOR)
        wanted["area"] = areas
    return wanted


def _date(value: Any, default: date) -> date:  # noqa: ANN401 - a JSON value
    if value in (None, ""):
        return default
    try:
        return datetime.strptime(as_text(value).strip(), DATE_FORMAT).date()  # noqa: DTZ007
    except ValueError:
        raise GateError(BAD_DATE) from None


def _time_of_day(hour: Any, minute: Any, default: time) -> time:  # noqa: ANN401 - JSON values
    def number(value: Any, fallback: int, limit: int) -> int:  # noqa: ANN401
        if value in (None, ""):
            return fallback
        text = as_text(value).strip()
        if not (text.isascii() and text.isdigit() and int(text) <= limit):
            raise GateError(BAD_DATE)
        return int(text)

    return time(number(hour, default.hour, 23), number(minute, default.minute, 59))


def _months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _row(ctx: Context, message: Message, part: int) -> dict[str, str]:
    return {
        "id_sms": str(message.id_sms),
        "id_state": str(message.part_ids[part]),
        "operator": message.area,
        "name_delivery": message.name_delivery,
        "phone": message.phone,
        "originator": message.sender,
        "time_change_state": ctx.local(message.changed_at or message.sent_at),
        "time": ctx.local(message.sent_at),
        "status": message.state,
        "status_translate": STATUS_TRANSLATIONS[message.state],
        "text": message.text,
        "price": format_decimal(message.price),
        "num_parts": str(message.parts),
        "part_no": str(part + 1),
    }
