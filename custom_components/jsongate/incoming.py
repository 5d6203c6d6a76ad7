"""Incoming SMS of a jsonGate account, each reported exactly once.

The gateway answers `incoming` for a window that is exclusive at both ends and has
one-second resolution, in the account's local time. An SMS can also become visible a
little after the second it is stamped with. So each poll asks for everything after
`cursor - LOOK_BACK` (no end: whatever arrived while Home Assistant or the gateway was
down comes back in one answer, oldest first), and the ids already reported are
remembered and skipped unread. The cursor only moves to timestamps the gateway has
shown, so the host's clock never matters.

The gateway's clock can go back (the account's time zone changed, the provider's clock
corrected): new SMS are then stamped before the cursor, outside the narrow window. The
coordinator reads the gateway's clock on a slow cadence (and at every setup). The
window reaches back `OVERLAP` (two hours) at the first poll after a reading that finds
the clock set back since the one before by more than `CLOCK_TOLERANCE` (whatever the
cursor: the jump may have come right after an SMS), and while the gateway's "now", at
this poll or the previous one, is behind the cursor (until the clock has caught up).
The first poll after a start, not knowing the previous one, reaches back as far. The
ids seen over those two hours are always remembered, so the SMS the wide window shows
again are not repeated, and a jump back of up to two hours loses nothing; its SMS are
only late, until the next clock reading. A jump back the readings can't see (up to
`CLOCK_TOLERANCE`) stays inside `LOOK_BACK`. A bigger jump back than `OVERLAP` loses
the SMS stamped more than `OVERLAP` before the cursor (until the gateway's clock has
caught up with it): no answer can tell them from SMS already reported whose ids were
forgotten; so does a clock put back and forward again between two readings.

State (the cursor and the ids seen since `cursor - OVERLAP`) lives in a `Store`,
written only when a poll changed it. A poll is two-phase: `async_fetch` reads and
computes the next state without changing anything; `async_commit` writes that state to
disk and only then adopts it. The caller fires the events after the commit, without
yielding to the event loop in between:

- persist, then fire: a failed or cancelled write fires nothing and changes nothing,
  so the next poll finds the same SMS again (nothing lost, nothing repeated). The only
  loss is a hard kill in the instant between the write and the (synchronous) firing;
- fire, then persist (the alternative) repeats every event whose write did not finish,
  which includes any ordinary shutdown or reload that lands during the write.

A repeated automation (a door opened twice, an SMS answered twice) is worse than the
theoretical loss, and no graceful stop can fall between a finished write and code that
runs without awaiting, so this module persists first.
"""

from __future__ import annotations

from copy import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api.record import Record
from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

    from .api import GatewayTime, IncomingSms, JsonGateClient

STORAGE_VERSION = 1
# How far before the cursor each poll looks again: for SMS that show up a little after
# their stamp, and for those stamped with the same second as the newest one seen. Each
# poll's answer carries these minutes of SMS again (skipped unread), so it stays small
# on a busy account.
LOOK_BACK = timedelta(minutes=3)
# How far before the cursor a poll looks once the gateway's clock has gone back, and
# how long the ids seen are remembered. After a jump back, new SMS are stamped up to the
# jump's size *before* the cursor; a window starting later than them would never show
# them (the gateway filters by stamp). With two hours, jumps back of up to two hours
# lose nothing, and since the ids seen over the same two hours are remembered, the SMS
# stamped before the jump that the window shows again are not repeated.
OVERLAP = timedelta(hours=2)
# How far the gateway's clock may seem set back (against the previous reading, or the
# cursor) before it counts as a jump back: a reading is only exact to the request's
# latency. Smaller jumps stay inside `LOOK_BACK` anyway.
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


async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
    """Forget an entry's incoming SMS state (the entry was deleted)."""
    await Store[_StoredIncoming](hass, STORAGE_VERSION, storage_key(entry_id)).async_remove()


class IncomingBatch(Record, kw_only=False):
    """What one poll found: the SMS not reported before, and the state recording them."""

    new: tuple[IncomingSms, ...]
    cursor: datetime
    seen: Mapping[str, datetime]
    changed: bool = True
    # The gateway's clock when the poll asked (None: unknown), and the reading it was
    # told by.
    polled_at: datetime | None = None
    clock: GatewayTime | None = None


class IncomingSmsTracker:
    """Finds the SMS an account received since the last poll, each exactly once."""

    def __init__(self, hass: HomeAssistant, entry_id: str, client: JsonGateClient) -> None:
        """Keep state for `entry_id`; read the gateway through `client`."""
        self._client = client
        self._store: Store[_StoredIncoming] = Store(hass, STORAGE_VERSION, storage_key(entry_id))
        self._cursor: datetime | None = None
        self._seen: dict[str, datetime] = {}
        self._seen_text: dict[str, str] = {}  # the same, as stored
        # The last committed poll's gateway clock, and the reading it was told by.
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
        stored = await self._store.async_load()
        if stored is None:
            return
        self._cursor = datetime.fromisoformat(stored["cursor"])
        self._seen = {
            message_id: datetime.fromisoformat(received_at)
            for message_id, received_at in stored["seen"].items()
        }
        self._seen_text = dict(stored["seen"])

    async def async_start(self) -> None:
        """Give a new entry its starting point: the gateway's current time.

        What the gateway already shows at that moment is history: remembered as seen,
        never reported. Does nothing for an entry that has polled before.
        """
        if self._cursor is not None:
            return
        clock = self._client.gateway_time or await self._client.get_time()
        now = clock.local_time
        history = await self._client.get_incoming(now - OVERLAP, now + RESOLUTION)
        batch = self._batch(now, now - OVERLAP, history)
        await self.async_commit(replace(batch, polled_at=now, clock=clock))

    def _set_back(self, clock: GatewayTime | None) -> bool:
        """Whether the reading `clock` finds the gateway's clock set back since the last."""
        last = self._clock
        return (
            clock is not None
            and last is not None
            and clock.clock_offset < last.clock_offset - CLOCK_TOLERANCE
        )

    def _behind_cursor(self, gateway_now: datetime | None) -> bool:
        """Whether the gateway's clock read `gateway_now` behind the newest SMS seen."""
        cursor = self._cursor
        return gateway_now is None or cursor is None or gateway_now < cursor - CLOCK_TOLERANCE

    async def async_fetch(self) -> IncomingBatch:
        """Ask the gateway for SMS since the cursor; nothing changes until committed."""
        if self._cursor is None:
            raise RuntimeError("async_start must run before the first fetch")
        clock = self._client.gateway_time
        # Unrounded: a clock put back by a few minutes keeps its rounded UTC offset.
        gateway_now = clock.clock_at(dt_util.utcnow()) if clock else None
        # The SMS not seen yet are stamped after the previous poll's "now": while that,
        # or the clock now, is behind the cursor, the clock went back and has not caught
        # up, and they can be stamped long before the cursor. A clock found set back
        # since the last reading may have gone back right after the newest SMS, with
        # the time since then hiding it: its SMS are stamped up to the jump before the
        # cursor. The first poll after a start doesn't know the previous one, and looks
        # wide once.
        wide = (
            self._set_back(clock)
            or self._behind_cursor(gateway_now)
            or self._behind_cursor(self._polled_at)
        )
        start = self._cursor - (OVERLAP if wide else LOOK_BACK)
        found = await self._client.get_incoming(start, known=self._seen)
        batch = self._batch(self._cursor, start, found)
        return replace(batch, polled_at=gateway_now, clock=clock)

    async def async_commit(self, batch: IncomingBatch) -> None:
        """Write the batch's state to disk (when it changed anything), then adopt it.

        Call before reporting `batch.new`: if the write fails, the state is unchanged
        and the next poll finds the same SMS again (with the same window: the clock of
        a poll is adopted only with its state).
        """
        if not batch.changed:
            self._polled_at, self._clock = batch.polled_at, batch.clock
            return
        # The ids seen before keep the text they were written with: a busy account
        # remembers thousands, and only the new ones need formatting.
        written = self._seen_text
        seen_text = {
            key: written.get(key) or value.isoformat() for key, value in batch.seen.items()
        }
        await self._store.async_save({"cursor": batch.cursor.isoformat(), "seen": seen_text})
        self._cursor = batch.cursor
        self._seen = dict(batch.seen)
        self._seen_text = seen_text
        self._polled_at, self._clock = batch.polled_at, batch.clock

    def _batch(
        self, cursor: datetime, start: datetime, found: tuple[IncomingSms, ...]
    ) -> IncomingBatch:
        """The state after `found`: its SMS not seen yet are new.

        `found` may leave out SMS already seen (`get_incoming`'s `known`): every id
        seen is stamped at or before the cursor, so they can't move it.
        """
        seen: dict[str, datetime] | None = None
        new: list[IncomingSms] = []
        for sms in found:
            # Outside the window asked for: it would be forgotten below and come back.
            if sms.received_at <= start or sms.message_id in (seen or self._seen):
                continue
            if seen is None:
                seen = dict(self._seen)
            seen[sms.message_id] = sms.received_at
            new.append(sms)
            cursor = max(cursor, sms.received_at)
        if seen is None and cursor == self._cursor:
            return IncomingBatch((), cursor, self._seen, changed=False)
        horizon = cursor - OVERLAP
        # Ids at or before the widest window's start can't be answered again.
        seen = {key: value for key, value in (seen or self._seen).items() if value > horizon}
        return IncomingBatch(tuple(new), cursor, seen)
