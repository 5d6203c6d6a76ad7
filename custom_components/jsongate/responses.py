"""The JSON that actions return and events carry: the client's models by `as_json`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

from homeassistant.exceptions import HomeAssistantError

from .api import ChangeAction, Gender, SendErrorKind
from .api.record import Record, record_fields
from .const import DOMAIN
from .errors import async_send_error_texts
from .spending_guard import estimated_parts

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.util.json import JsonValueType

    from .api import GatewayTime, OutgoingMessage, SendResult

# Where the user's word is not the member's name (the gateway's two "added" are one; genders as
# `save_contacts` takes them). Keyed by type too: members of string enums equal their values.
_ENUM_NAMES: dict[tuple[type[Enum], Enum], str] = {
    (ChangeAction, ChangeAction.INSERTED): "added",
    (ChangeAction, ChangeAction.EDITED): "changed",
    (ChangeAction, ChangeAction.NOT_EDITED): "unchanged",
    **{(Gender, gender): gender.value for gender in Gender},
}

# Most fields are of these types, so checked first, by exact type (a string enum's member is a
# str). `as_json` gives `isinstance` tuples: `A | B` would build a union at each call.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def enum_name(member: Enum) -> str:
    """The word responses and events use for an enum member."""
    return _ENUM_NAMES.get((type(member), member)) or member.name.lower()


def as_json(value: object, gateway_time: GatewayTime | None = None) -> JsonValueType:
    """Models, a mapping or a plain value as JSON; naive times in `gateway_time`'s zone."""
    if type(value) in _PLAIN:
        return cast("JsonValueType", value)
    if isinstance(value, date):
        if isinstance(value, datetime) and gateway_time is not None and value.tzinfo is None:
            value = gateway_time.localize(value)
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (Record, dict)):
        return as_json_object(value, gateway_time)
    if isinstance(value, (tuple, list)):
        return [as_json(item, gateway_time) for item in value]
    return enum_name(value) if isinstance(value, Enum) else cast("JsonValueType", value)


def as_json_object(
    model: Record | dict[str, object], gateway_time: GatewayTime | None = None
) -> dict[str, JsonValueType]:
    """A model (each field under its own name) or a mapping as a JSON object (see `as_json`)."""
    if isinstance(model, dict):
        return {key: as_json(item, gateway_time) for key, item in model.items()}
    return {name: as_json(getattr(model, name), gateway_time) for name in record_fields(model)}


async def async_sms_response(
    hass: HomeAssistant, results: tuple[SendResult, ...], message: OutgoingMessage
) -> dict[str, Any]:
    """The `send_sms` response to sending `message`; raises when no recipient was accepted."""
    refused = [result for result in results if not result.accepted]
    # Translated texts only when something was refused: most sends need none.
    texts = await async_send_error_texts(hass) if refused else {}
    # For a gateway that leaves out the count: the spending guard's estimate, a walk of the text.
    uncounted = any(result.accepted and result.parts is None for result in results)
    local_parts = estimated_parts(message) if uncounted else None

    def error(result: SendResult) -> dict[str, Any]:
        kind = result.error or SendErrorKind.UNKNOWN
        return {"code": kind.value, "message": texts[kind], "gateway_message": result.status}

    if len(refused) == len(results):
        # No phone numbers: the message ends up in the log of a failed automation.
        reasons = (f"{e['message']} ({e['gateway_message']})" for e in map(error, refused))
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="send_rejected",
            translation_placeholders={"errors": "; ".join(dict.fromkeys(reasons))},
        )
    messages = [
        {
            "phone": result.phone,
            "message_id": result.message_id,
            "parts": (local_parts if result.parts is None else result.parts)
            if result.accepted
            else None,
            "status": "sent" if result.accepted else "failed",
            "error": None if result.accepted else error(result),
        }
        for result in results
    ]
    return {"messages": messages, "sent": len(results) - len(refused), "failed": len(refused)}
