"""Sensors of a jsonGate account: money left, SMS it buys per area, SMS parts sent today.

An unlisted area's sensor is unavailable; it goes after `AREA_GONE_AFTER` or at the next setup.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .entity import GatewayEntity, entry_device_info, gateway_runtime

if TYPE_CHECKING:
    from decimal import Decimal

    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .clients import JsonGateConfigEntry
    from .coordinator import GatewayCoordinator
    from .spending_guard import SpendingGuard

PARALLEL_UPDATES = 0  # read-only: the coordinator does all the fetching

AREA_GONE_AFTER: Final = timedelta(days=1)

BALANCE = SensorEntityDescription(
    key="balance",
    translation_key="balance",
    device_class=SensorDeviceClass.MONETARY,
    state_class=SensorStateClass.TOTAL,
    suggested_display_precision=2,
)
SMS_AVAILABLE = SensorEntityDescription(
    key="sms_available", translation_key="sms_available", state_class=SensorStateClass.MEASUREMENT
)
# TOTAL with `last_reset` at local midnight: statistics know each day's cycle exactly.
SMS_SENT_TODAY = SensorEntityDescription(
    key="sms_sent_today", translation_key="sms_sent_today", state_class=SensorStateClass.TOTAL
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: JsonGateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the balance and sent-today sensors, and one per area, also when one appears."""
    runtime = gateway_runtime(entry)
    coordinator = runtime.coordinator
    async_add_entities(
        [BalanceSensor(coordinator, BALANCE), SmsSentTodaySensor(entry, runtime.guard)]
    )
    registry = er.async_get(hass)
    area_prefix = f"{entry.entry_id}_{SMS_AVAILABLE.key}_"
    # Area -> since when the answer no longer lists it (None: listed).
    known_areas: dict[str, datetime | None] = {}

    @callback
    def follow_areas() -> None:
        listed = {area.area for area in coordinator.data.areas}
        if new := listed - known_areas.keys():
            async_add_entities(SmsAvailableSensor(coordinator, area) for area in new)
        now = dt_util.utcnow()
        for area in known_areas.keys() - listed:
            known_areas[area] = since = known_areas[area] or now
            if since <= now - AREA_GONE_AFTER:
                del known_areas[area]
                unique_id = area_prefix + area
                if entity_id := registry.async_get_entity_id(Platform.SENSOR, DOMAIN, unique_id):
                    # A running entity removes itself with its registry entry.
                    registry.async_remove(entity_id)
        known_areas.update(dict.fromkeys(listed))

    # Sensors of areas gone since the last setup go now.
    listed = {area.area for area in coordinator.data.areas}
    for registered in er.async_entries_for_config_entry(registry, entry.entry_id):
        area = registered.unique_id.removeprefix(area_prefix)
        if registered.unique_id.startswith(area_prefix) and area not in listed:
            registry.async_remove(registered.entity_id)
    follow_areas()
    entry.async_on_unload(coordinator.async_add_listener(follow_areas))


class BalanceSensor(GatewayEntity, SensorEntity):
    """The money left on the account, in its currency's ISO code."""

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

    def __init__(self, coordinator: GatewayCoordinator, area: str) -> None:
        """Follow the area named `area` in the balance answer."""
        super().__init__(coordinator, SMS_AVAILABLE, f"{SMS_AVAILABLE.key}_{area}")
        self._area = area
        self._attr_translation_placeholders = {"area": area}

    @property
    def available(self) -> bool:
        """Unavailable while the gateway no longer lists the area."""
        return super().available and self.native_value is not None

    @property
    def native_value(self) -> int | None:
        """The SMS available in the area."""
        areas = self.coordinator.data.areas
        return next((area.sms_available for area in areas if area.area == self._area), None)


class SmsSentTodaySensor(SensorEntity):
    """The SMS parts sent today, as counted locally: available while the gateway is not."""

    entity_description = SMS_SENT_TODAY
    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: JsonGateConfigEntry, guard: SpendingGuard) -> None:
        """Show the count of `guard`, on the entry's device."""
        self._guard = guard
        self._attr_unique_id = f"{entry.entry_id}_{SMS_SENT_TODAY.key}"
        self._attr_device_info = entry_device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Follow the count as sends are answered and as days begin."""
        self.async_on_remove(self._guard.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> int:
        """The parts sent since local midnight."""
        return self._guard.sent_today

    @property
    def last_reset(self) -> datetime:
        """The local midnight the count started at."""
        return self._guard.day_started
