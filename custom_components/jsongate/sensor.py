"""Sensors of a jsonGate account: the money left, and the SMS it buys in each area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import callback

from .entity import GatewayEntity, gateway_coordinator

if TYPE_CHECKING:
    from decimal import Decimal

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import GatewayCoordinator
    from .data import JsonGateConfigEntry

# Read-only: the coordinator does all the fetching.
PARALLEL_UPDATES = 0

BALANCE = SensorEntityDescription(
    key="balance",
    translation_key="balance",
    device_class=SensorDeviceClass.MONETARY,
    state_class=SensorStateClass.TOTAL,
    suggested_display_precision=2,
)
SMS_AVAILABLE = SensorEntityDescription(
    key="sms_available",
    translation_key="sms_available",
    state_class=SensorStateClass.MEASUREMENT,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: JsonGateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the balance sensor, and a sensor for each area, now and when one appears."""
    coordinator = gateway_coordinator(entry)
    async_add_entities([BalanceSensor(coordinator)])
    known_areas: set[str] = set()

    @callback
    def add_new_areas() -> None:
        areas = [area.area for area in coordinator.data.areas if area.area not in known_areas]
        if areas:
            known_areas.update(areas)
            async_add_entities(SmsAvailableSensor(coordinator, area) for area in areas)

    add_new_areas()
    entry.async_on_unload(coordinator.async_add_listener(add_new_areas))


class BalanceSensor(GatewayEntity, SensorEntity):
    """The money left on the account, in its currency's ISO code."""

    entity_description = BALANCE

    def __init__(self, coordinator: GatewayCoordinator) -> None:
        """Show the coordinator's balance."""
        super().__init__(coordinator, BALANCE.key)

    @property
    def native_value(self) -> Decimal:
        """The money left."""
        return self.coordinator.data.money

    @property
    def native_unit_of_measurement(self) -> str:
        """The ISO 4217 code (`RUR` is answered for `RUB`)."""
        return self.coordinator.data.iso_currency


class SmsAvailableSensor(GatewayEntity, SensorEntity):
    """How many SMS the balance buys in one area; areas are not additive."""

    entity_description = SMS_AVAILABLE

    def __init__(self, coordinator: GatewayCoordinator, area: str) -> None:
        """Follow the area named `area` in the balance answer."""
        super().__init__(coordinator, f"{SMS_AVAILABLE.key}_{area}")
        self._area = area
        self._attr_translation_placeholders = {"area": area}

    @property
    def available(self) -> bool:
        """Unavailable while the gateway no longer lists the area."""
        return super().available and self._count is not None

    @property
    def native_value(self) -> int | None:
        """The SMS available in the area."""
        return self._count

    @property
    def _count(self) -> int | None:
        return next(
            (area.sms_available for area in self.coordinator.data.areas if area.area == self._area),
            None,
        )
