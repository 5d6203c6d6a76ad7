"""Sent and scheduled messages: `state`, `list_scheduled`, `scheduled`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.accounts import FINAL_STATES, SCHEDULED, SENT, Message
from simulator.formats import format_decimal, format_local_minutes
from simulator.lifecycle import cancel

from .context import Context, as_list, as_text

if TYPE_CHECKING:
    from simulator.accounts import Account


def handle_state(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Report delivery states; ids the account doesn't have are left out of the answer.

    A scheduled message, not sent yet, is reported as `send` like one that waits
    for its delivery report: neither is final.
    """
    rows: list[dict[str, str]] = []
    for value in as_list(body, "get_state"):
        message = _find(ctx.account, value)
        if message is None:
            continue
        final = message.state in FINAL_STATES
        rows.append(
            {
                "id_sms": str(message.id_sms),
                "time": ctx.local(message.changed_at) if final else "",
                "state": message.state if final else SENT,
                "num_parts": str(message.parts),
                "price": format_decimal(message.price),
            }
        )
    return {"state": rows}


def handle_list_scheduled(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """List messages waiting for their `time_send`, one page at a time."""
    page, num_pages, messages = ctx.page(ctx.account.scheduled(), body.get("page"))
    return {
        "page": str(page),
        "num_pages": str(num_pages),
        "scheduled": [_scheduled_row(ctx, message) for message in messages],
    }


def handle_scheduled(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Cancel scheduled messages (the money they took is given back)."""
    rows: list[dict[str, str]] = []
    for item in as_list(body, "delete_schedule"):
        value = item.get("id_sms") if isinstance(item, dict) else item
        message = _find(ctx.account, value)
        if message is not None and message.state == SCHEDULED:
            cancel(ctx.account, message)
            action = "delete"
        else:
            action = "not_found"
        rows.append({"id_sms": as_text(value), "action": action})
    return {"scheduled": rows}


def _find(account: Account, value: Any) -> Message | None:  # noqa: ANN401 - a JSON value
    text = str(value).strip() if isinstance(value, str | int) else ""
    return account.messages.get(int(text)) if text.isascii() and text.isdigit() else None


def _scheduled_row(ctx: Context, message: Message) -> dict[str, str]:
    assert message.send_at is not None  # noqa: S101 - only scheduled messages are listed
    return {
        "id_sms": str(message.id_sms),
        "time_put_turn": ctx.local(message.queued_at),
        "originator": message.sender,
        "phone": message.phone,
        "type_sms": message.kind,
        "text_sms": message.text,
        "count_sms": str(message.parts),
        "name_delivery": message.name_delivery,
        "time_send": format_local_minutes(message.send_at, ctx.account.utc_offset),
        "validity_period": ctx.local(message.valid_until),
    }
