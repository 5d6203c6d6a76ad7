"""Delivery reports: following each message the gateway accepted until its status is final."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .api import DeliveryStatus
from .api.record import Record
from .const import CONF_DELIVERY_REPORTS, DELIVERY_REPORT_MAX_AGE
from .responses import as_json, as_json_object, enum_name
from .store import EntryStore, StoreName

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from decimal import Decimal

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .api import GatewayTime, JsonGateClient, SendResult

EVENT_TYPES = {status: enum_name(status) for status in DeliveryStatus if status.is_final}


class DeliveryReport(Record):
    """The final status of one sent message; `changed_at` is gateway-local."""

    message_id: str
    phone: str
    status: DeliveryStatus
    parts: int | None
    price_per_part: Decimal | None  # the gateway's `price`: of one part
    changed_at: datetime | None

    def event_data(self, gateway_time: GatewayTime | None) -> dict[str, Any]:
        """The event's attributes: the report but its status (the event type), and its cost."""
        data = as_json_object(self, gateway_time)
        del data["status"]
        price, parts = self.price_per_part, self.parts
        data["cost"] = None if price is None or parts is None else as_json(price * parts)
        return data


class DeliveryBatch(Record, kw_only=False):
    """What one poll found: the final reports, and every id to stop following."""

    reports: tuple[DeliveryReport, ...]
    done: frozenset[str]


class DeliveryReportTracker:
    """Follows accepted messages of one account until their final status."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: JsonGateClient) -> None:
        """Keep state for `entry`; read the gateway through `client`."""
        self._client = client
        self.enabled = entry.options.get(CONF_DELIVERY_REPORTS, True)  # else follow nothing new
        # By id, as stored: a poll reporting some of thousands writes the rest as they are.
        self.pending: dict[str, dict[str, str]] = {}  # "phone", "sent_at"
        self._store = EntryStore(hass, entry, StoreName.DELIVERY, self._data_to_save)

    async def async_load(self) -> None:
        """Read the stored pending ids."""
        if (stored := await self._store.async_load()) is not None:
            self.pending = stored["pending"]

    @callback
    def async_track(self, results: Sequence[SendResult]) -> None:
        """Follow the accepted messages among `results` (called by the send path)."""
        if not self.enabled:
            return
        sent_at = dt_util.utcnow().isoformat()
        for result in results:
            if result.message_id is not None:
                self.pending[result.message_id] = {"phone": result.phone, "sent_at": sent_at}
        self._store.async_schedule_save()

    async def async_fetch(self) -> DeliveryBatch:
        """Ask for the state of every pending id, in one request (none if nothing waits)."""
        if not self.enabled or not self.pending:
            return DeliveryBatch((), frozenset())
        # Too old: dropped unreported. UTC ISO 8601 text sorts by time.
        oldest = (dt_util.utcnow() - DELIVERY_REPORT_MAX_AGE).isoformat()
        expired = {key for key, message in self.pending.items() if message["sent_at"] < oldest}
        waiting = self.pending
        if expired:
            waiting = {key: value for key, value in waiting.items() if key not in expired}
        states = await self._client.get_delivery_states(waiting, final_only=True) if waiting else ()
        reports = tuple(
            DeliveryReport(
                message_id=state.message_id,
                phone=waiting[state.message_id]["phone"],
                status=state.status,
                parts=state.parts,
                price_per_part=state.price,
                changed_at=state.changed_at,
            )
            for state in states
            if state.status in EVENT_TYPES and state.message_id in waiting
        )
        return DeliveryBatch(reports, frozenset(expired | {r.message_id for r in reports}))

    async def async_commit(self, batch: DeliveryBatch) -> None:
        """Write the ids still pending, then stop following the batch's ids."""
        if batch.done:
            # Replaces the delayed write, and writes what it would.
            await self._store.async_save(self._data_to_save(without=batch.done))
            for message_id in batch.done:
                self.pending.pop(message_id, None)

    def _data_to_save(self, without: frozenset[str] = frozenset()) -> dict[str, Any]:
        pending = {key: message for key, message in self.pending.items() if key not in without}
        return {"pending": pending}
