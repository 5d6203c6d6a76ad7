"""The service device of a config entry, and the base of the entities fed by its coordinator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import CONF_URL
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from yarl import URL

from .clients import is_scorocode, provider_name
from .const import DOMAIN, JSONGATE, SCOROCODE
from .coordinator import GatewayCoordinator
from .data import GatewayRuntimeData, JsonGateConfigEntry

if TYPE_CHECKING:
    from homeassistant.helpers.entity import EntityDescription


def entry_device_info(entry: JsonGateConfigEntry) -> DeviceInfo:
    """The service device of an entry (the jsonGate account or the Scorocode app)."""
    url = URL(entry.data.get(CONF_URL, ""))
    # Home Assistant translates a device's name, never its model: so the model is a
    # product name, the same in every language ("jsonGate by TargetSMS"), or none.
    if is_scorocode(entry.data):
        manufacturer, model = SCOROCODE, None
    else:
        manufacturer, model = provider_name(str(url)) or url.host or JSONGATE, JSONGATE
    return DeviceInfo(
        entry_type=DeviceEntryType.SERVICE,
        identifiers={(DOMAIN, entry.entry_id)},
        manufacturer=manufacturer,
        model=model,
        name=entry.title,
        # Only web pages make sense as a link; the endpoint itself answers POST only.
        configuration_url=str(url.origin()) if url.scheme == "https" and url.host else None,
    )


def gateway_runtime(entry: JsonGateConfigEntry) -> GatewayRuntimeData:
    """What a loaded gateway entry holds (platforms of gateway entries only)."""
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
