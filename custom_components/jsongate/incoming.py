"""Incoming SMS of a jsonGate account, each reported exactly once.

The gateway's `incoming` window is exclusive at both ends, in whole seconds of the account's
local time, and an SMS can show up a little after the second it is stamped with. So each poll
asks for everything after `cursor - LOOK_BACK` (no end: what arrived while Home Assistant or the
gateway was down comes in one answer) and skips, unread, the ids already reported. The cursor
only moves to stamps the gateway has shown: the host's clock never matters.

The gateway's clock can go back (the account's time zone changed, the clock corrected): new SMS
are then stamped before the cursor. The coordinator reads the clock at setup and on a slow
cadence. The window reaches back `OVERLAP` at the first poll after a reading that finds the
clock set back by more than `CLOCK_TOLERANCE` since the one before (whatever the cursor: the
jump may have come right after an SMS), while the gateway's "now" at this poll or the previous
one is behind the cursor (until the clock has caught up), and once after a start. The ids seen
over `OVERLAP` are remembered, so a jump back of up to two hours loses and repeats nothing: its
SMS are only late, until the next reading. A jump too small for the readings to see stays inside
`LOOK_BACK`. A bigger jump than `OVERLAP`, or a clock put back and forward again between two
readings, loses the SMS stamped more than `OVERLAP` before the cursor: no answer tells them
from SMS already reported whose ids were forgotten.

A poll is two-phase: `async_fetch` computes the next state (the cursor, the ids seen since
`cursor - OVERLAP`) and changes nothing; `async_commit` writes it to a `Store` (only when it
changed) and only then adopts it; the caller fires the events right after, without awaiting.
A failed or cancelled write thus fires nothing, and the next poll finds the same SMS again; the
only loss is a hard kill between the write and the synchronous firing. Firing first would repeat
every event whose write did not finish (any shutdown or reload landing mid-write), and a
repeated automation (a door opened twice) is worse than that theoretical loss.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api.record import Record
from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .api import GatewayTime, IncomingSms, JsonGateClient

STORAGE_VERSION = 1
# Looked at again by every poll: SMS that show up a little after their stamp, and those stamped
# with the newest one's second. Each answer repeats these minutes (skipped unread), so it stays
# small on a busy account.
LOOK_BACK = timedelta(minutes=3)
# The window once the gateway's clock went back (new SMS are stamped up to the jump before the
# cursor, and the gateway filters by stamp), and how long the ids seen are remembered (so the
# SMS it shows again are not repeated).
OVERLAP = timedelta(hours=2)
# A clock reading is only exact to the request's latency: a clock set back less than this is no
# jump (and stays inside `LOOK_BACK`).
CLOCK_TOLERANCE = timedelta(minutes=1)
# The window's end is exclusive: one second past "now" includes SMS stamped "now".
RESOLUTION = timedelta(seconds=1)


class _StoredIncoming(TypedDict):
    """The stored state: gateway-local naive ISO times."""

    cursor: str
    seen: dict[str, str]


def storage_key(entry_id: str) -> str:
    """The `Store` key of an entry's incoming SMS state."""
    return f"{DOMAIN}.{entry_id}.incoming"


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

    def __init__(self, hass: HomeAssistant, entry_id: str, client: JsonGateClient) -> None:
        """Keep state for `entry_id`; read the gateway through `client`."""
        self._client = client
        self._store = Store[_StoredIncoming](hass, STORAGE_VERSION, storage_key(entry_id))
        self._cursor: datetime | None = None
        # Id → stamp, kept as stored: a busy account remembers thousands, and ISO text of the
        # same naive form sorts by time, so none is parsed or formatted again.
        self._seen: dict[str, str] = {}
        # The last committed poll's `polled_at` and `clock`.
        self._polled_at: datetime | None = None
        self._clock: GatewayTime | None = None

    @property
    def cursor(self) -> datetime | None:
        """The newest receive time seen (gateway-local), None before the first start."""
        return self._cursor

    @property
    def seen_count(self) -> int:
        """How many ids are remembered for de-duplication."""
        return len(self._seen)

    async def async_load(self) -> None:
        """Read the stored state, if the entry has polled before."""
        if (stored := await self._store.async_load()) is not None:
            self._cursor = datetime.fromisoformat(stored["cursor"])
            self._seen = stored["seen"]

    async def async_start(self) -> None:
        """Give a new entry its starting point, the gateway's current time.

        What the gateway already shows then is history: remembered as seen, never reported.
        """
        if self._cursor is not None:
            return
        clock = self._client.gateway_time or await self._client.get_time()
        now = clock.local_time
        history = await self._client.get_incoming(now - OVERLAP, now + RESOLUTION)
        await self.async_commit(self._batch(now, now - OVERLAP, history, now, clock))

    async def async_fetch(self) -> IncomingBatch:
        """Ask the gateway for the SMS since the cursor; nothing changes until committed."""
        if self._cursor is None:
            raise RuntimeError("async_start must run before the first fetch")
        clock, last = self._client.gateway_time, self._clock
        # Unrounded: a clock put back by a few minutes keeps its rounded UTC offset.
        gateway_now = clock.clock_at(dt_util.utcnow()) if clock else None
        # The SMS not seen yet are stamped after the previous poll's "now": while that, or the
        # clock now, is behind the cursor, they can be stamped long before it. A clock set back
        # since the last reading may have gone back right after the newest SMS, the time since
        # hiding it. The first poll after a start doesn't know the previous one.
        set_back = (
            clock is not None
            and last is not None
            and clock.clock_offset < last.clock_offset - CLOCK_TOLERANCE
        )
        behind = any(
            now is None or now < self._cursor - CLOCK_TOLERANCE
            for now in (gateway_now, self._polled_at)
        )
        start = self._cursor - (OVERLAP if set_back or behind else LOOK_BACK)
        found = await self._client.get_incoming(start, known=self._seen)
        return self._batch(self._cursor, start, found, gateway_now, clock)

    async def async_commit(self, batch: IncomingBatch) -> None:
        """Write the batch's state (when it changed anything), then adopt it.

        Call before reporting `batch.new`: after a failed write the state is unchanged, and the
        next poll finds the same SMS again (in the same window: a poll's clock is adopted only
        with its state).
        """
        if batch.changed:
            await self._store.async_save({"cursor": batch.cursor.isoformat(), "seen": batch.seen})
            self._cursor, self._seen = batch.cursor, batch.seen
        self._polled_at, self._clock = batch.polled_at, batch.clock

    def _batch(
        self,
        cursor: datetime,
        start: datetime,
        found: tuple[IncomingSms, ...],
        polled_at: datetime | None,
        clock: GatewayTime | None,
    ) -> IncomingBatch:
        """The state after `found`, whose SMS not seen yet are new.

        `found` may leave out the ids seen (`get_incoming`'s `known`): each is stamped at or
        before the cursor, so none could move it.
        """
        new: dict[str, IncomingSms] = {}
        for sms in found:
            # One outside the window asked for would be forgotten below, and come back.
            if sms.received_at > start and sms.message_id not in self._seen:
                new.setdefault(sms.message_id, sms)
                cursor = max(cursor, sms.received_at)
        changed = bool(new) or cursor != self._cursor
        seen = self._seen
        if changed:
            seen = {**seen, **{key: sms.received_at.isoformat() for key, sms in new.items()}}
            # Ids at or before the widest window's start can't be answered again.
            horizon = (cursor - OVERLAP).isoformat()
            seen = {key: stamp for key, stamp in seen.items() if stamp > horizon}
        return IncomingBatch(tuple(new.values()), cursor, seen, changed, polled_at, clock)
