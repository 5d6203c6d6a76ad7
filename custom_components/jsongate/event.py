"""Event entities of a jsonGate account: incoming SMS and delivery reports, each shown once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription, EventExtraStoredData
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State

from .const import EVENT_DELIVERY_REPORT, EVENT_SMS_RECEIVED
from .coordinator import EVENT_TYPE_RECEIVED
from .delivery import EVENT_TYPES
from .entity import GatewayEntity, gateway_runtime

if TYPE_CHECKING:
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .clients import JsonGateConfigEntry

PARALLEL_UPDATES = 0  # read-only: the coordinator does all the fetching


EVENT_ENTITIES = (
    EventEntityDescription(
        key="incoming_sms", translation_key="incoming_sms", event_types=[EVENT_TYPE_RECEIVED]
    ),
    EventEntityDescription(
        key="delivery_report",
        translation_key="delivery_report",
        event_types=list(EVENT_TYPES.values()),
    ),
)
BUS_EVENTS = {"incoming_sms": EVENT_SMS_RECEIVED, "delivery_report": EVENT_DELIVERY_REPORT}


class GatewayEventStoredData(EventExtraStoredData):
    """An event entity's restore data, with the time of its last event (ISO 8601)."""

    last_event_at: str | None = None  # set after creation: a dataclass would cost import time

    @override
    def as_dict(self) -> dict[str, Any]:
        """The event entity's stored form, and `last_event_at`."""
        return {**super().as_dict(), "last_event_at": self.last_event_at}


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: JsonGateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the incoming SMS and delivery report entities."""
    coordinator = gateway_runtime(entry).coordinator
    async_add_entities(GatewayEventEntity(coordinator, entity) for entity in EVENT_ENTITIES)


class GatewayEventEntity(GatewayEntity, EventEntity):
    """Shows each event the coordinator found, in order, as one state change each."""

    @property
    @override
    def extra_restore_state_data(self) -> GatewayEventStoredData:
        """The last event, with its time: the state is lost while `unavailable`."""
        event = super().extra_restore_state_data
        stored = GatewayEventStoredData(event.last_event_type, event.last_event_attributes)
        stored.last_event_at = self.state
        return stored

    @override
    async def async_get_last_state(self) -> State | None:
        """The state to restore; an `unavailable` one gets its last event's time back."""
        state = await super().async_get_last_state()
        if state is None or state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return state
        extra = await self.async_get_last_extra_data()
        last_event_at = extra.as_dict().get("last_event_at") if extra is not None else None
        if not isinstance(last_event_at, str):
            return state
        return State.from_dict({**state.as_dict(), "state": last_event_at})

    async def async_added_to_hass(self) -> None:
        """Show what the refresh before this entity existed found (setup, restart)."""
        await super().async_added_to_hass()
        self._handle_coordinator_update()

    def _handle_coordinator_update(self) -> None:
        if self.available:
            for event in self.coordinator.take(BUS_EVENTS[self.entity_description.key]):
                self._trigger_event(event.event_type, event.attributes)
                self.async_write_ha_state()
        super()._handle_coordinator_update()
