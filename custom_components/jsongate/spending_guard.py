"""The spending guard of a jsonGate account: at most so many SMS parts a local day (0: no limit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.core import CoreState, HassJob, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_change
from homeassistant.util import dt as dt_util

from .api import MessageType
from .api.sms_text import estimate_parts
from .const import CONF_DAILY_SMS_LIMIT, DEFAULT_DAILY_SMS_LIMIT, DOMAIN
from .issues import ISSUE_DAILY_SMS_LIMIT, EntryIssue
from .store import EntryStore, StoreName

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from .api import OutgoingMessage, SendResult


def estimated_parts(message: OutgoingMessage) -> int:
    """The SMS parts one recipient of `message` costs (its text as sent: transliterated or not)."""
    if message.message_type is MessageType.WAP_PUSH:
        return 1  # one binary SMS, whatever its description
    return estimate_parts(message.text, transliterate=message.transliterate)


@dataclass(slots=True)
class Reservation:
    """The parts one call set aside in `guard`, settled share by share as its requests end."""

    guard: SpendingGuard
    per_recipient: int

    def settle(self, results: Sequence[SendResult]) -> None:
        """Count the parts the gateway answered for these recipients of the call."""
        answered = sum(
            self.per_recipient if result.parts is None else result.parts
            for result in results
            if result.accepted
        )
        self.guard.end_reservation(self.per_recipient * len(results), answered)

    def settle_unanswered(self, recipients: int, *, maybe_sent: bool) -> None:
        """Count the estimate for recipients the gateway may have sent to, else give it back."""
        parts = self.per_recipient * recipients
        self.guard.end_reservation(parts, parts if maybe_sent else 0)


class SpendingGuard:
    """Counts one account's SMS parts per day and refuses calls over its daily limit."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Guard the account of `entry`."""
        self._hass = hass
        self._entry = entry
        self.limit = int(entry.options.get(CONF_DAILY_SMS_LIMIT, DEFAULT_DAILY_SMS_LIMIT))
        self._store = EntryStore(hass, entry, StoreName.SMS_SENT_TODAY, self._stored)
        self._day = dt_util.now().date()
        self.sent_today = 0
        self._reserved = 0
        # The limit that refused a send today, if one did: the issue stays while it is no higher.
        self._refused_limit: int | None = None
        self._issue = EntryIssue(hass, entry, ISSUE_DAILY_SMS_LIMIT)
        self._listeners: list[Callable[[], None]] = []

    @property
    def day_started(self) -> datetime:
        """When the day being counted began: local midnight."""
        return dt_util.start_of_local_day(self._day)

    async def async_load(self) -> None:
        """Read today's count and start counting anew at each local midnight."""
        stored = await self._store.async_load()
        if stored is not None and stored["day"] == self._day.isoformat():
            self.sent_today = stored["sent"]
            self._refused_limit = stored["refused_limit"]
        stop_midnight = async_track_time_change(
            self._hass, self._start_new_day_if_due, hour=0, minute=0, second=0
        )
        self._entry.async_on_unload(stop_midnight)
        # Home Assistant stops without unloading the entries; the timer must end with it.
        self._entry.async_on_unload(self._hass.async_add_shutdown_job(HassJob(stop_midnight)))
        self._update_issue()

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
        """Set aside the parts of `message` at once (calls can't overshoot together), or refuse."""
        self._start_new_day_if_due()
        per_recipient = estimated_parts(message)
        parts = per_recipient * len(message.abonents)
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
        return Reservation(self, per_recipient)

    @callback
    def end_reservation(self, reserved: int, sent: int) -> None:
        """Drop `reserved` parts from those in flight and count `sent` parts as sent."""
        self._start_new_day_if_due()
        self._reserved = max(0, self._reserved - reserved)
        if sent:
            self.sent_today += sent
            self._changed()

    @callback
    def _start_new_day_if_due(self, _now: datetime | None = None) -> None:
        # At every use too: a timer can't fire while Home Assistant is down.
        today = dt_util.now().date()
        if today != self._day:
            self._day = today
            self.sent_today = 0
            self._refused_limit = None
            self._changed()

    def _changed(self) -> None:
        if self._hass.state in (CoreState.final_write, CoreState.not_running):
            # Counted after the stop wrote the pending saves: write this one now.
            self._hass.async_create_task(
                self._store.async_save(self._stored()), "jsongate save sms_sent_today"
            )
        else:
            self._store.async_schedule_save()
        self._update_issue()
        for listener in list(self._listeners):
            listener()

    def _stored(self) -> dict[str, Any]:
        return {
            "day": self._day.isoformat(),
            "sent": self.sent_today,
            "refused_limit": self._refused_limit,
        }

    def _update_issue(self) -> None:
        refused = self._refused_limit is not None and self.limit <= self._refused_limit
        if self.limit and (refused or self.sent_today >= self.limit):
            self._issue.show(limit=str(self.limit), count=str(self.sent_today))
        else:
            self._issue.withdraw()
