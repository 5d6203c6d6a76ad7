"""The spending guard of a jsonGate account: at most so many SMS parts a day.

A runaway automation can empty an account in minutes, so every send of an account
(`jsongate.send_sms`, notify entities, blueprints: all go through its `SmsSender`) passes
here first:

- A call *reserves* the parts it is estimated to take (parts of its text × recipients)
  before any request is made. If today's count, plus the parts of the calls still in
  flight, plus this call would go over the limit, the call is refused whole with a
  translated `HomeAssistantError`, and nothing is sent. Reserving is synchronous, so
  calls made together (even 50 in one tick) can't overshoot the limit together.
- When the gateway answers, the reservation is *settled*: today's count grows by the
  parts the gateway answered for the recipients it accepted. A request refused by the
  gateway, or one that never left, counts nothing; a request whose outcome is unknown
  (it left, but the answer was lost, or Home Assistant stopped before it came) counts
  its estimate, since it may have been sent.
- The day is local midnight to midnight in Home Assistant's time zone. The count and the
  day are kept in a `Store`, so they survive restarts and reloads.
- When the limit is reached, or a send is refused by it, a repair issue tells the user;
  it goes away at midnight, or when a raised limit (the entry reloads) lets sends through.

A limit of 0 turns the guard off: calls are still counted, never refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypedDict

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CoreState, Event, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import MessageType
from .api.sms_text import estimate_parts
from .const import CONF_DAILY_SMS_LIMIT, DEFAULT_DAILY_SMS_LIMIT, DOMAIN
from .delayed_save import DelayedSave
from .issues import ISSUE_DAILY_SMS_LIMIT, async_clear_issue, async_raise_issue

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date, datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from .api import OutgoingMessage, SendResult

STORAGE_VERSION: Final = 1
# Seconds before a changed count is written; Home Assistant writes pending saves when it
# stops, and an unload writes at once.
SAVE_DELAY: Final = 1


class _StoredCount(TypedDict):
    day: str
    sent: int
    # The limit in force when a send was refused by it today, if one was.
    refused_limit: int | None


def storage_key(entry_id: str) -> str:
    """The `Store` key of an entry's count of SMS parts sent today."""
    return f"{DOMAIN}.{entry_id}.sms_sent_today"


async def async_remove_count(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the count of a deleted entry."""
    await Store[_StoredCount](hass, STORAGE_VERSION, storage_key(entry_id)).async_remove()


def daily_limit(entry: ConfigEntry) -> int:
    """The entry's daily SMS limit in parts (0: no limit); options older than it get 100."""
    return int(entry.options.get(CONF_DAILY_SMS_LIMIT, DEFAULT_DAILY_SMS_LIMIT))


def estimated_parts(message: OutgoingMessage) -> int:
    """The SMS parts one recipient of `message` is expected to cost.

    The text is counted as the gateway will send it (transliterated when asked); a WAP
    push is one binary SMS whatever its description.
    """
    if message.message_type is MessageType.WAP_PUSH:
        return 1
    return estimate_parts(message.text, transliterate=message.transliterate)


def _today() -> date:
    """Today in Home Assistant's time zone."""
    return dt_util.now().date()


class Reservation:
    """The parts one call set aside: `per_recipient` for each of its `recipients`.

    Settled part by part as the call's requests end (a big call travels in several).
    """

    __slots__ = ("guard", "per_recipient", "recipients")

    def __init__(self, guard: SpendingGuard, per_recipient: int, recipients: int) -> None:
        """Set aside `per_recipient` parts for each of `recipients`, counted in `guard`."""
        self.guard = guard
        self.per_recipient = per_recipient
        self.recipients = recipients

    def settle(self, results: Sequence[SendResult]) -> None:
        """Count the parts the gateway answered for these recipients of the call."""
        answered = sum(
            self.per_recipient if result.parts is None else result.parts
            for result in results
            if result.accepted
        )
        self._end(len(results), answered)

    def settle_unknown(self, recipients: int) -> None:
        """Count the estimate of recipients whose request may or may not have been sent."""
        self._end(recipients, self.per_recipient * recipients)

    def release(self, recipients: int) -> None:
        """Give back the parts of recipients to whom nothing was sent."""
        self._end(recipients, 0)

    def _end(self, recipients: int, sent: int) -> None:
        recipients = min(recipients, self.recipients)
        self.recipients -= recipients
        self.guard.end_reservation(self.per_recipient * recipients, sent)


class SpendingGuard:
    """Counts one account's SMS parts per day and refuses calls over its daily limit."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Guard the account of `entry`, with the limit of its options."""
        self._hass = hass
        self._entry = entry
        self.limit = daily_limit(entry)
        self._store = Store[_StoredCount](hass, STORAGE_VERSION, storage_key(entry.entry_id))
        self._save = DelayedSave(self._store, self._stored, SAVE_DELAY)
        self._day = _today()
        self.sent_today = 0
        self._reserved = 0
        # The limit that refused a send today, if one did (the repair issue stays while
        # the limit is no higher).
        self._refused_limit: int | None = None
        # Whether the limit's repair issue may be shown; unknown at first (a reload keeps
        # it), so the first look withdraws it if it is no longer due.
        self._issue_shown = True
        self._listeners: list[Callable[[], None]] = []
        self._unsub_midnight: CALLBACK_TYPE | None = None
        self._unsub_stop: CALLBACK_TYPE | None = None

    @property
    def day_started(self) -> datetime:
        """When the day being counted began: local midnight."""
        return dt_util.start_of_local_day(self._day)

    async def async_load(self) -> None:
        """Read today's count; start counting at each local midnight; show the issue."""
        stored = await self._store.async_load()
        if stored is not None and stored["day"] == self._day.isoformat():
            self.sent_today = stored["sent"]
            self._refused_limit = stored["refused_limit"]
        self._unsub_midnight = async_track_time_change(
            self._hass, self._midnight, hour=0, minute=0, second=0
        )
        # Home Assistant stops without unloading the entries; the timer must end with it.
        self._unsub_stop = self._hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._stop_midnight_timer
        )
        self._update_issue()

    async def async_unload(self) -> None:
        """Stop the midnight timer and write the count now (a reload reads it at once)."""
        self._stop_midnight_timer()
        await self._save.async_save(self._stored())

    @callback
    def _stop_midnight_timer(self, event: Event | None = None) -> None:
        if self._unsub_stop is not None:
            if event is None:  # not called by the stop listener, which is then gone
                self._unsub_stop()
            self._unsub_stop = None
        if self._unsub_midnight is not None:
            self._unsub_midnight()
            self._unsub_midnight = None

    def as_diagnostics(self) -> dict[str, Any]:
        """The guard's state, for the entry's diagnostics."""
        return {
            "daily_limit": self.limit,
            "day": self._day.isoformat(),
            "sent_today": self.sent_today,
            "reserved_in_flight": self._reserved,
            "refused_at_limit": self._refused_limit,
        }

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` whenever today's count changes; returns the way to stop."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def reserve(self, message: OutgoingMessage) -> Reservation:
        """Set aside the parts of `message`, or refuse it when they would cross the limit.

        Raises a translated `HomeAssistantError` naming the limit and today's count.
        """
        self._start_new_day_if_due()
        per_recipient = estimated_parts(message)
        recipients = len(message.abonents)
        parts = per_recipient * recipients
        if self.limit and self.sent_today + self._reserved + parts > self.limit:
            if self._refused_limit != self.limit:  # a runaway caller changes nothing more
                self._refused_limit = self.limit
                self._changed()
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="daily_sms_limit",
                translation_placeholders={
                    "entry_title": self._entry.title,
                    "limit": str(self.limit),
                    "count": str(self.sent_today),
                    "parts": str(parts),
                },
            )
        self._reserved += parts
        return Reservation(self, per_recipient, recipients)

    @callback
    def end_reservation(self, reserved: int, sent: int) -> None:
        """Drop `reserved` parts from those in flight and count `sent` parts as sent."""
        self._start_new_day_if_due()
        self._reserved = max(0, self._reserved - reserved)
        if sent:
            self.sent_today += sent
            self._changed()

    @callback
    def _midnight(self, _now: datetime) -> None:
        self._start_new_day_if_due()

    def _start_new_day_if_due(self) -> None:
        # Checked at every use too: a timer can't fire while Home Assistant is down.
        today = _today()
        if today != self._day:
            self._day = today
            self.sent_today = 0
            self._refused_limit = None
            self._changed()

    def _changed(self) -> None:
        if self._hass.state in (CoreState.final_write, CoreState.not_running):
            # A send cut off in Home Assistant's last stop stages is counted after the
            # pending saves were written: write this one now.
            self._hass.async_create_task(
                self._save.async_save(self._stored()), "jsongate save sms_sent_today"
            )
        else:
            self._save.schedule()
        self._update_issue()
        for listener in list(self._listeners):
            listener()

    def _stored(self) -> _StoredCount:
        return {
            "day": self._day.isoformat(),
            "sent": self.sent_today,
            "refused_limit": self._refused_limit,
        }

    def _update_issue(self) -> None:
        refused = self._refused_limit is not None and self.limit <= self._refused_limit
        if self.limit and (refused or self.sent_today >= self.limit):
            async_raise_issue(
                self._hass,
                self._entry,
                ISSUE_DAILY_SMS_LIMIT,
                severity=ir.IssueSeverity.WARNING,
                placeholders={"limit": str(self.limit), "count": str(self.sent_today)},
            )
            self._issue_shown = True
        elif self._issue_shown:
            # Only when it may be shown: most sends change the count far below the limit,
            # and need no look at the issue registry.
            async_clear_issue(self._hass, self._entry, ISSUE_DAILY_SMS_LIMIT)
            self._issue_shown = False
