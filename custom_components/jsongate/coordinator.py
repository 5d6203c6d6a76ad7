"""Polling one jsonGate account: balance, incoming SMS and delivery reports."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CoreState, callback
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import AccountBlockedError, Balance, GatewayError
from .api.record import Record
from .const import ATTR_CONFIG_ENTRY_ID, EVENT_DELIVERY_REPORT, EVENT_SMS_RECEIVED, UPDATE_INTERVAL
from .delivery import EVENT_TYPES, DeliveryBatch, DeliveryReportTracker
from .errors import entry_error
from .incoming import IncomingBatch, IncomingSmsTracker
from .issues import ISSUE_ACCOUNT_BLOCKED, EntryIssue
from .responses import as_json_object

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from .api import JsonGateClient, SendResult
    from .clients import JsonGateConfigEntry

_LOGGER = logging.getLogger(__name__)

EVENT_TYPE_RECEIVED = "received"

BALANCE_INTERVAL = timedelta(minutes=30)  # and after each burst of sends (or refusal for money)
CLOCK_CHECK_INTERVAL = timedelta(minutes=4)  # SMS stamped by a clock set back show up this late


class GatewayEvent(Record, kw_only=False):
    """One event for the bus (`bus_event`) and for an event entity: its type and attributes."""

    bus_event: str
    event_type: str
    attributes: dict[str, Any]


class GatewayCoordinator(DataUpdateCoordinator[Balance]):
    """Polls a jsonGate account; its data is the balance, its events go to the bus."""

    config_entry: JsonGateConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: JsonGateConfigEntry, client: JsonGateClient
    ) -> None:
        """Poll the account `client` talks to."""
        super().__init__(
            hass, _LOGGER, config_entry=entry, name=entry.title, update_interval=UPDATE_INTERVAL
        )
        self.client = client
        self.incoming = IncomingSmsTracker(hass, entry, client)
        self.delivery = DeliveryReportTracker(hass, entry, client)
        self._poll_lock = asyncio.Lock()  # two polls at once would both report a new SMS
        self._unfired: list[GatewayEvent] = []  # committed, not yet on the bus
        # Fired events wait for their entity (added after setup) until the next refresh.
        self._backlogs: defaultdict[str, list[GatewayEvent]] = defaultdict(list)
        # When the clock and the balance were last read, and the bursts of sends the balance saw.
        self._clock_read_at: datetime | None = None
        self._balance_read_at: datetime | None = None
        self._sends = 0
        self.balance_mark = 0  # the latest `async_balance_changed` mark the balance came after
        self._balance_read = False  # in this poll
        self._blocked = EntryIssue(hass, entry, ISSUE_ACCOUNT_BLOCKED)

    async def _async_setup(self) -> None:
        """Load the trackers' state and learn the gateway's clock (one `time` request)."""
        self.config_entry.async_on_unload(async_at_started(self.hass, self._async_started))
        await self.incoming.async_load()
        await self.delivery.async_load()
        try:
            await self.client.get_time()
            self._clock_read_at = dt_util.utcnow()
            await self.incoming.async_start()
        except GatewayError as err:
            raise self._failure(err) from err

    @callback
    def async_sent(self, results: Sequence[SendResult]) -> None:
        """Note SMS the gateway accepted: follow their delivery, read the balance again."""
        self.async_balance_changed()
        self.delivery.async_track(results)

    @callback
    def async_balance_changed(self) -> int:
        """Read the balance at the next poll; the mark `balance_mark` reaches once it is in."""
        self._sends += 1
        return self._sends

    async def async_refresh(self) -> None:
        """Poll now, the balance included: someone asked for it."""
        self._balance_read_at = None
        await super().async_refresh()

    async def async_request_refresh(self) -> None:
        """Poll soon, the balance included (`homeassistant.update_entity` asks this way)."""
        self._balance_read_at = None
        await super().async_request_refresh()

    async def _async_update_data(self) -> Balance:
        async with self._poll_lock:
            for backlog in self._backlogs.values():
                backlog.clear()
            self._balance_read = False
            now, sends, balance = dt_util.utcnow(), self._sends, self.data
            try:  # every request before any commit: a failure changes no tracker
                if self._clock_read_at is None or now - self._clock_read_at >= CLOCK_CHECK_INTERVAL:
                    await self.client.get_time()
                    self._clock_read_at = now
                if (
                    balance is None
                    or sends != self.balance_mark
                    or self._balance_read_at is None
                    or now - self._balance_read_at >= BALANCE_INTERVAL
                ):
                    balance = await self.client.get_balance()
                    self._balance_read_at, self.balance_mark = now, sends
                    self._balance_read = True
                sms = await self.incoming.async_fetch()
                reports = await self.delivery.async_fetch()
            except GatewayError as err:
                _LOGGER.debug("Polling %s failed: %s", self.name, err)
                raise self._failure(err) from err
            # An entry task: a reload cancels the refresh, not the write (saved means reported).
            commit = self.config_entry.async_create_task(
                self.hass, self._async_commit(sms, reports), "jsongate commit"
            )
            try:
                await asyncio.shield(commit)
            except asyncio.CancelledError:
                commit.add_done_callback(lambda _commit: self._fire())
                raise
        self._blocked.withdraw()
        return balance

    def _failure(self, err: GatewayError) -> Exception:
        # Reloaded, a running entry fails for good: nothing polls it until the user acts.
        if isinstance(err, AccountBlockedError):
            self._blocked.show()
            if self.config_entry.state is ConfigEntryState.LOADED:
                self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
        return entry_error(err, UpdateFailed)

    async def _async_commit(self, sms: IncomingBatch, reports: DeliveryBatch) -> None:
        # Events fire once their own tracker's state is written: firing first, a write a reload cuts
        # would repeat them (a door opened twice is worse than events a hard kill loses).
        clock = self.client.gateway_time
        await self.incoming.async_commit(sms)
        self._unfired.extend(
            GatewayEvent(EVENT_SMS_RECEIVED, EVENT_TYPE_RECEIVED, as_json_object(message, clock))
            for message in sms.new
        )
        await self.delivery.async_commit(reports)
        self._unfired.extend(
            GatewayEvent(
                EVENT_DELIVERY_REPORT, EVENT_TYPES[report.status], report.event_data(clock)
            )
            for report in reports.reports
        )

    def _async_refresh_finished(self) -> None:
        """Fire the committed events (also after a failed refresh); runs before listeners."""
        self._fire()
        # Writing every state would be most of what a quiet poll (no balance, no events) costs.
        self.always_update = self._balance_read or any(self._backlogs.values())

    def _fire(self) -> None:
        # Automations arm their triggers only as Home Assistant starts: events wait for that.
        if not self._unfired or self.hass.state is not CoreState.running:
            return
        events, self._unfired = self._unfired, []
        entry = {ATTR_CONFIG_ENTRY_ID: self.config_entry.entry_id}
        for event in events:
            data = {"event_type": event.event_type, **event.attributes, **entry}
            self.hass.bus.async_fire(event.bus_event, data)
            self._backlogs[event.bus_event].append(event)

    @callback
    def _async_started(self, _hass: HomeAssistant) -> None:
        self._fire()
        self.async_update_listeners()

    def take(self, bus_event: str) -> list[GatewayEvent]:
        """Hand over the events of `bus_event` not yet shown by its event entity."""
        taken, self._backlogs[bus_event] = self._backlogs[bus_event], []
        return taken
