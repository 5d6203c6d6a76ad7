"""Event entities of a jsonGate account: incoming SMS and delivery reports.

Each SMS and each final delivery status is one event, fired once (see `incoming.py`).
The coordinator fires the bus events; these entities show the same events, taking
them from the coordinator's backlog when it refreshes and when they are added.

The last event survives reloads, reauthentication and restarts. Home Assistant's event
entity restores the time of its last event from the state it last wrote; when that was
`unavailable` (the gateway refused the login, then the entry was reloaded) the time is
lost and the entity shows "unknown" next to the old event's attributes. So the time is
also kept in the entity's own restore data, and the restored state falls back to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.components.event import (
    EventEntity,
    EventEntityDescription,
    EventExtraStoredData,
)
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import State

from .coordinator import EVENT_TYPE_RECEIVED, GatewayCoordinator, GatewayEvent
from .delivery import EVENT_TYPES
from .entity import GatewayEntity, gateway_coordinator

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import JsonGateConfigEntry

# Read-only: the coordinator does all the fetching.
PARALLEL_UPDATES = 0


# Each entity's description, and how it takes its events from the coordinator.
EVENT_ENTITIES: tuple[
    tuple[EventEntityDescription, Callable[[GatewayCoordinator], list[GatewayEvent]]], ...
] = (
    (
        EventEntityDescription(
            key="incoming_sms", translation_key="incoming_sms", event_types=[EVENT_TYPE_RECEIVED]
        ),
        GatewayCoordinator.take_received,
    ),
    (
        EventEntityDescription(
            key="delivery_report",
            translation_key="delivery_report",
            event_types=list(EVENT_TYPES.values()),
        ),
        GatewayCoordinator.take_reports,
    ),
)


class GatewayEventStoredData(EventExtraStoredData):
    """The event entity's restore data, plus the time of its last event (ISO 8601)."""

    def __init__(
        self,
        last_event_type: str | None,
        last_event_attributes: dict[str, Any] | None,
        last_event_at: str | None,
    ) -> None:
        """The event entity's data, and when its last event was (ISO 8601)."""
        super().__init__(last_event_type, last_event_attributes)
        self.last_event_at = last_event_at

    @override
    def as_dict(self) -> dict[str, Any]:
        """The stored form: the event entity's, and `last_event_at`."""
        return {**super().as_dict(), "last_event_at": self.last_event_at}


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: JsonGateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the incoming SMS and delivery report entities."""
    coordinator = gateway_coordinator(entry)
    async_add_entities(
        GatewayEventEntity(coordinator, description, take) for description, take in EVENT_ENTITIES
    )


class GatewayEventEntity(GatewayEntity, EventEntity):
    """Shows each event the coordinator found, in order, as one state change each."""

    def __init__(
        self,
        coordinator: GatewayCoordinator,
        description: EventEntityDescription,
        take: Callable[[GatewayCoordinator], list[GatewayEvent]],
    ) -> None:
        """Show the events that `take` takes from `coordinator`."""
        super().__init__(coordinator, description.key)
        self.entity_description = description
        self._take = take

    @property
    @override
    def extra_restore_state_data(self) -> GatewayEventStoredData:
        """The last event, with its time (the state, even while unavailable)."""
        stored = super().extra_restore_state_data
        return GatewayEventStoredData(
            stored.last_event_type, stored.last_event_attributes, self.state
        )

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
        return State(
            state.entity_id,
            last_event_at,
            state.attributes,
            last_changed=state.last_changed,
            last_reported=state.last_reported,
            last_updated=state.last_updated,
        )

    async def async_added_to_hass(self) -> None:
        """Show what the refresh before this entity existed found (setup, restart)."""
        await super().async_added_to_hass()
        self._show_events()

    def _handle_coordinator_update(self) -> None:
        self._show_events()
        super()._handle_coordinator_update()

    def _show_events(self) -> None:
        if not self.available:
            return
        for event in self._take(self.coordinator):
            self._trigger_event(event.event_type, event.attributes)
            self.async_write_ha_state()
