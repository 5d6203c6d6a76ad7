"""Account-wide reads: `balance`, `originator`, `time`, `def`, `incoming`."""

from __future__ import annotations

from typing import Any

from simulator.formats import format_decimal

from .context import Context, as_list, as_object, as_text


def handle_balance(ctx: Context, _body: dict[str, Any]) -> dict[str, Any]:
    """Money left, and how many one-part SMS it buys in each area (not additive)."""
    account = ctx.account
    return {
        "money": {"currency": account.currency, "value": format_decimal(account.money)},
        "sms": [
            {
                "area": area.name,
                "number": str(int(account.money // area.price) if area.price > 0 else 0),
            }
            for area in account.areas
        ],
    }


def handle_originator(ctx: Context, _body: dict[str, Any]) -> dict[str, Any]:
    """Senders and their moderation state; with any_originator, no list at all."""
    if ctx.account.any_originator:
        return {"any_originator": "TRUE"}
    return {
        "any_originator": "FALSE",
        "list_originator": [
            {"state": state, "originator": name} for name, state in ctx.account.senders.items()
        ],
    }


def handle_time(ctx: Context, _body: dict[str, Any]) -> dict[str, Any]:
    """The gateway's clock in the account's local time."""
    return {"time": ctx.local(ctx.now)}


def handle_def(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Operator, region and time zone of numbers, from the account's areas.

    Numbers no area serves come back with empty operator and region and zone 0.
    """
    rows: list[dict[str, str]] = []
    for value in as_list(body, "phones"):
        phone = as_text(value).strip()
        area = ctx.account.area_for(phone)
        rows.append(
            {
                "phone": phone,
                "operator": area.name if area else "",
                "region": area.region if area else "",
                "time_zone": str(area.time_zone if area else 0),
            }
        )
    return {"phones": rows}


def handle_incoming(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Incoming SMS strictly after `time.start` and, if given, strictly before `time.end`."""
    window = as_object(body.get("time"))
    start = ctx.parse_time(window.get("start"))
    end = None if window.get("end") in (None, "") else ctx.parse_time(window["end"])
    received = [
        sms
        for sms in ctx.account.incoming
        if start < sms.received_at and (end is None or sms.received_at < end)
    ]
    received.sort(key=lambda sms: (sms.received_at, sms.id_sms))
    return {
        "sms": [
            {
                "id_sms": str(sms.id_sms),
                "date_receive": ctx.local(sms.received_at),
                "originator": sms.originator,
                "prefix": sms.prefix,
                "phone": sms.phone,
                "text_sms": sms.text,
            }
            for sms in received
        ]
    }
