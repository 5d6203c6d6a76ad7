"""What a loaded config entry holds (`entry.runtime_data`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .api.record import Record

if TYPE_CHECKING:
    from .api import JsonGateClient, ScorocodeClient
    from .coordinator import GatewayCoordinator
    from .sender import SmsSender
    from .spending_guard import SpendingGuard


class GatewayRuntimeData(Record, kw_only=False):
    """A jsonGate account: its client, polling coordinator, send path and spending guard."""

    client: JsonGateClient
    coordinator: GatewayCoordinator
    sender: SmsSender
    guard: SpendingGuard


class ScorocodeRuntimeData(Record, kw_only=False):
    """A Scorocode application: its client."""

    client: ScorocodeClient


type JsonGateConfigEntry = ConfigEntry[GatewayRuntimeData | ScorocodeRuntimeData]
