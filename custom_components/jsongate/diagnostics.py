"""Diagnostics: the entry, what its poller and its spending guard know; no secret."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME

from .const import (
    CONF_ACCESS_KEY,
    CONF_API_TOKEN,
    CONF_CLIENT_KEY,
    CONF_PHONE_NUMBERS,
    CONF_QUERY,
    CONF_SESSION_ID,
)
from .data import GatewayRuntimeData

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import JsonGateConfigEntry

# The login, phone numbers and an audience's query (it selects users by phone, e-mail,
# name...) are not secrets, but they identify people.
TO_REDACT = {
    CONF_PHONE_NUMBERS,
    CONF_QUERY,
    CONF_PASSWORD,
    CONF_API_TOKEN,
    CONF_CLIENT_KEY,
    CONF_ACCESS_KEY,
    CONF_SESSION_ID,
    CONF_USERNAME,
    "unique_id",
    "title",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: JsonGateConfigEntry,
) -> dict[str, Any]:
    """The entry (redacted) and, for a jsonGate account, the poller's state."""
    diagnostics: dict[str, Any] = {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
    }
    runtime = entry.runtime_data
    if isinstance(runtime, GatewayRuntimeData):
        coordinator = runtime.coordinator
        balance = coordinator.data
        gateway_time = runtime.client.gateway_time
        diagnostics["coordinator"] = {
            "last_update_success": coordinator.last_update_success,
            "update_interval": coordinator.update_interval.total_seconds()
            if coordinator.update_interval
            else None,
            "balance": {
                "money": str(balance.money),
                "currency": balance.currency,
                "areas": {area.area: area.sms_available for area in balance.areas},
            }
            if balance
            else None,
            "gateway_utc_offset": str(gateway_time.utc_offset) if gateway_time else None,
            "incoming_cursor": cursor.isoformat()
            if (cursor := coordinator.incoming.cursor)
            else None,
            "incoming_ids_remembered": coordinator.incoming.seen_count,
            "delivery_reports_enabled": coordinator.delivery.enabled,
            "delivery_reports_pending": len(coordinator.delivery.pending),
        }
        diagnostics["spending_guard"] = runtime.guard.as_diagnostics()
    return diagnostics
