"""Incoming SMS, each reported once: the cursor follows the gateway's stamps, not the host clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api.record import Record
from .store import STORAGE_VERSION, StoreName, storage_key

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .api import GatewayTime, IncomingSms, JsonGateClient

# Asked again by every poll: SMS stamped in the newest one's second (the window's start is
# exclusive), and SMS that show up after their stamp. Each answer repeats these (skipped unread).
LOOK_BACK = timedelta(minutes=3)
OVERLAP = timedelta(hours=2)  # the window after the gateway's clock went back; ids kept as long
CLOCK_TOLERANCE = timedelta(minutes=1)  # a reading's latency: a smaller jump stays in `LOOK_BACK`
RESOLUTION = timedelta(seconds=1)  # the window's end is exclusive: "now" + 1 s includes "now"


class IncomingBatch(Record, kw_only=False):
    """What one poll found: the SMS not reported before, and the state recording them."""

    new: tuple[IncomingSms, ...]
    cursor: datetime
    seen: dict[str, str]
    changed: bool
    # The gateway's clock when the poll asked (None: unknown), and the reading it was told by.
    polled_at: datetime | None
    clock: GatewayTime | None


class IncomingSmsTracker:
    """Finds the SMS an account received since the last poll, each exactly once."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: JsonGateClient) -> None:
        """Keep state for `entry`; read the gateway through `client`."""
        self._client = client
        key = storage_key(entry.entry_id, StoreName.INCOMING)
        self._store = Store[dict[str, Any]](hass, STORAGE_VERSION, key)
        self.cursor: datetime | None = None  # the newest stamp seen (gateway-local)
        self.seen: dict[str, str] = {}  # ids since `cursor - OVERLAP`, ISO stamps (text sorts)
        self._polled_at: datetime | None = None  # this and `_clock`: of the last poll committed
        self._clock: GatewayTime | None = None

    async def async_load(self) -> None:
        """Read the stored state, if the entry has polled before."""
        if (stored := await self._store.async_load()) is not None:
            self.cursor = datetime.fromisoformat(stored["cursor"])
            self.seen = stored["seen"]

    async def async_start(self) -> None:
        """Start a new entry at the gateway's time now: what it shows then is never reported."""
        if self.cursor is not None:
            return
        clock = self._client.gateway_time or await self._client.get_time()
        now = clock.local_time
        history = await self._client.get_incoming(now - OVERLAP, now + RESOLUTION)
        await self.async_commit(self._batch(now, now - OVERLAP, history, now, clock))

    async def async_fetch(self) -> IncomingBatch:
        """Ask the gateway for the SMS since the cursor; nothing changes until committed."""
        if self.cursor is None:
            raise RuntimeError("async_start must run before the first fetch")
        # A clock set back stamps new SMS before the cursor: reach back `OVERLAP` after a reading
        # shows it, while "now" at this poll or the last is behind the cursor (the jump may follow
        # the newest SMS), and once after a start. A bigger jump loses SMS stamped before that.
        clock, last = self._client.gateway_time, self._clock
        # Unrounded: a clock put back by a few minutes keeps its rounded UTC offset.
        gateway_now = clock.clock_at(dt_util.utcnow()) if clock else None
        set_back = bool(clock and last and clock.clock_offset < last.clock_offset - CLOCK_TOLERANCE)
        behind = any(
            now is None or now < self.cursor - CLOCK_TOLERANCE
            for now in (gateway_now, self._polled_at)
        )
        start = self.cursor - (OVERLAP if set_back or behind else LOOK_BACK)
        found = await self._client.get_incoming(start, known=self.seen)
        return self._batch(self.cursor, start, found, gateway_now, clock)

    async def async_commit(self, batch: IncomingBatch) -> None:
        """Write the batch's state (if it changed), then adopt it; its events are fired next."""
        if batch.changed:
            await self._store.async_save({"cursor": batch.cursor.isoformat(), "seen": batch.seen})
            self.cursor, self.seen = batch.cursor, batch.seen
        self._polled_at, self._clock = batch.polled_at, batch.clock

    def _batch(
        self,
        cursor: datetime,
        start: datetime,
        found: tuple[IncomingSms, ...],
        polled_at: datetime | None,
        clock: GatewayTime | None,
    ) -> IncomingBatch:
        """The state after `found`, whose SMS not seen yet are new."""
        new = {
            sms.message_id: sms
            for sms in found
            # One outside the window asked for would be forgotten below, and come back.
            if sms.received_at > start and sms.message_id not in self.seen
        }
        # The ids seen, which `found` may leave out (`known`), can't move the cursor.
        cursor = max([cursor, *(sms.received_at for sms in new.values())])
        changed = bool(new) or cursor != self.cursor
        seen = self.seen
        if changed:
            seen = {**seen, **{key: sms.received_at.isoformat() for key, sms in new.items()}}
            # Ids at or before the widest window's start can't be answered again.
            horizon = (cursor - OVERLAP).isoformat()
            seen = {key: stamp for key, stamp in seen.items() if stamp > horizon}
        return IncomingBatch(tuple(new.values()), cursor, seen, changed, polled_at, clock)
