"""The service device of a config entry, and the base of its coordinator's entities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import CONF_URL
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from yarl import URL

from .clients import GatewayRuntimeData, JsonGateConfigEntry, is_scorocode, provider_name
from .const import DOMAIN
from .coordinator import GatewayCoordinator

if TYPE_CHECKING:
    from homeassistant.helpers.entity import EntityDescription


def entry_device_info(entry: JsonGateConfigEntry) -> DeviceInfo:
    """The service device of an entry (the jsonGate account or the Scorocode app)."""
    url = URL(entry.data.get(CONF_URL, ""))
    # A model is never translated, so it is a product name ("jsonGate by TargetSMS"), or none.
    if is_scorocode(entry.data):
        manufacturer, model = "Scorocode", None
    else:
        manufacturer, model = provider_name(str(url)) or url.host or "jsonGate", "jsonGate"
    return DeviceInfo(
        entry_type=DeviceEntryType.SERVICE,
        identifiers={(DOMAIN, entry.entry_id)},
        manufacturer=manufacturer,
        model=model,
        name=entry.title,
        # The endpoint itself answers POST only: only a web page makes a link.
        configuration_url=str(url.origin()) if url.scheme == "https" and url.host else None,
    )


def gateway_runtime(entry: JsonGateConfigEntry) -> GatewayRuntimeData:
    """What a loaded jsonGate account holds (for platforms of gateway entries only)."""
    if not isinstance(runtime := entry.runtime_data, GatewayRuntimeData):
        raise TypeError(f"{entry.title} is not a jsonGate account")
    return runtime


class GatewayEntity(CoordinatorEntity[GatewayCoordinator]):
    """An entity of a jsonGate account, on the entry's service device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: GatewayCoordinator, description: EntityDescription, key: str = ""
    ) -> None:
        """Identify the entity by its entry and `key` (by default its description's)."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.config_entry.entry_id}_{key or description.key}"
        self._attr_device_info = entry_device_info(coordinator.config_entry)
