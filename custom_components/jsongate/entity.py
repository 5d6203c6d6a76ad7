"""The service device of a config entry, and the base of the entities fed by its coordinator."""

from __future__ import annotations

from homeassistant.const import CONF_URL
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from yarl import URL

from .clients import provider_name
from .const import CONF_ENTRY_TYPE, DOMAIN, ENTRY_TYPE_SCOROCODE, JSONGATE, SCOROCODE
from .coordinator import GatewayCoordinator
from .data import GatewayRuntimeData, JsonGateConfigEntry


def entry_device_info(entry: JsonGateConfigEntry) -> DeviceInfo:
    """The one service device of an entry: the jsonGate account or the Scorocode app.

    Every entity of the entry, notify entities included, belongs to it.
    """
    url = entry.data.get(CONF_URL, "")
    origin = URL(url)
    # Home Assistant translates a device's name, never its model: so the model is a
    # product name, the same in every language ("jsonGate by TargetSMS"), or none.
    manufacturer: str
    model: str | None
    if entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE:
        manufacturer, model = SCOROCODE, None
    else:
        manufacturer = provider_name(url) or origin.host or JSONGATE
        model = JSONGATE
    # Only web pages make sense as a link; the endpoint itself answers POST only.
    configuration_url = str(origin.origin()) if origin.scheme == "https" and origin.host else None
    return DeviceInfo(
        entry_type=DeviceEntryType.SERVICE,
        identifiers={(DOMAIN, entry.entry_id)},
        manufacturer=manufacturer,
        model=model,
        name=entry.title,
        configuration_url=configuration_url,
    )


def gateway_runtime(entry: JsonGateConfigEntry) -> GatewayRuntimeData:
    """What a loaded gateway entry holds (platforms of gateway entries only)."""
    runtime = entry.runtime_data
    if not isinstance(runtime, GatewayRuntimeData):
        raise TypeError(f"{entry.title} is not a jsonGate account")
    return runtime


def gateway_coordinator(entry: JsonGateConfigEntry) -> GatewayCoordinator:
    """The coordinator of a gateway entry (platforms of gateway entries only)."""
    return gateway_runtime(entry).coordinator


class GatewayEntity(CoordinatorEntity[GatewayCoordinator]):
    """An entity of a jsonGate account, on the entry's service device."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: GatewayCoordinator, key: str) -> None:
        """Identify the entity by its entry and `key`."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = entry_device_info(entry)
