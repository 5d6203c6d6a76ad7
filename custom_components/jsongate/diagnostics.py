"""Diagnostics: the entry, what its poller and its spending guard know; no secret."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_USERNAME

from .clients import GatewayRuntimeData, JsonGateConfigEntry
from .const import CONF_PHONE_NUMBERS, CONF_QUERY, GATEWAY_SECRETS, SCOROCODE_SECRETS

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

# Not secret, but they identify people (an audience's query selects users by phone, name...).
_PERSONAL = (CONF_USERNAME, CONF_PHONE_NUMBERS, CONF_QUERY, "unique_id", "title")
TO_REDACT = {*GATEWAY_SECRETS, *SCOROCODE_SECRETS, *_PERSONAL}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: JsonGateConfigEntry,
) -> dict[str, Any]:
    """The entry (redacted) and, for a jsonGate account, the poller's state."""
    diagnostics: dict[str, Any] = {"entry": async_redact_data(entry.as_dict(), TO_REDACT)}
    if not isinstance(runtime := entry.runtime_data, GatewayRuntimeData):
        return diagnostics
    coordinator, balance = runtime.coordinator, runtime.coordinator.data
    gateway_time, cursor = runtime.client.gateway_time, coordinator.incoming.cursor
    interval = coordinator.update_interval
    diagnostics["coordinator"] = {
        "last_update_success": coordinator.last_update_success,
        "update_interval": interval.total_seconds() if interval else None,
        "balance": {
            "money": str(balance.money),
            "currency": balance.currency,
            "areas": {area.area: area.sms_available for area in balance.areas},
        }
        if balance
        else None,
        "gateway_utc_offset": str(gateway_time.utc_offset) if gateway_time else None,
        "incoming_cursor": cursor.isoformat() if cursor else None,
        "incoming_ids_remembered": len(coordinator.incoming.seen),
        "delivery_reports_enabled": coordinator.delivery.enabled,
        "delivery_reports_pending": len(coordinator.delivery.pending),
    }
    diagnostics["spending_guard"] = runtime.guard.as_diagnostics()
    return diagnostics
