"""The stop list: `list_stop`, `stop`."""

from __future__ import annotations

from typing import Any

from .context import Context, as_list, as_text
from .errors import BAD_FORMAT, GateError


def handle_list_stop(ctx: Context, _body: dict[str, Any]) -> dict[str, Any]:
    """Every number in the stop list, sorted."""
    return {"phones": sorted(ctx.account.stop_list)}


def handle_stop(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Add numbers to the stop list (`add_stop`), then remove some (`delete_stop`)."""
    if "add_stop" not in body and "delete_stop" not in body:
        raise GateError(BAD_FORMAT)
    stop_list = ctx.account.stop_list
    rows: list[dict[str, str]] = []
    for value in as_list(body, "add_stop", required=False):
        phone = as_text(value).strip()
        stop_list.add(phone)
        rows.append({"phone": phone, "action": "add"})
    for value in as_list(body, "delete_stop", required=False):
        phone = as_text(value).strip()
        found = phone in stop_list
        stop_list.discard(phone)
        rows.append({"phone": phone, "action": "delete" if found else "not_found"})
    return {"phones": rows}
