"""The `Store`s a gateway entry keeps its state in across restarts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import callback
from homeassistant.helpers.storage import Store

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

STORAGE_VERSION = 1
SAVE_DELAY = 1  # seconds from a change to its write (Home Assistant's stop writes it sooner)


class StoreName:
    """The stores of an entry, by the last part of their key (not an enum: cheaper to import)."""

    CLIENT_IDS: Final = "client_ids"  # the greatest `client_id_sms` used
    INCOMING: Final = "incoming"  # the incoming SMS seen
    DELIVERY: Final = "delivery"  # the messages waiting for their delivery report
    SMS_SENT_TODAY: Final = "sms_sent_today"  # the spending guard's count
    ALL: Final = (CLIENT_IDS, INCOMING, DELIVERY, SMS_SENT_TODAY)


def storage_key(entry_id: str, name: str) -> str:
    """The key of an entry's store `name`."""
    return f"{DOMAIN}.{entry_id}.{name}"


async def async_remove_stores(hass: HomeAssistant, entry_id: str) -> None:
    """Forget what a deleted entry stored."""
    for name in StoreName.ALL:
        await Store[Any](hass, STORAGE_VERSION, storage_key(entry_id, name)).async_remove()


class EntryStore[T: Mapping[str, Any] | Sequence[Any]](Store[T]):
    """An entry's store, written `SAVE_DELAY` seconds after the first change, or when it unloads."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, name: str, data: Callable[[], T]
    ) -> None:
        """The store `name` of `entry`; a delayed write writes what `data` returns then."""
        super().__init__(hass, STORAGE_VERSION, storage_key(entry.entry_id, name))
        self._current = data
        self._save_due = False
        entry.async_on_unload(self.async_flush)

    @callback
    def async_schedule_save(self) -> None:
        """Note a change: write within `SAVE_DELAY` seconds (or when Home Assistant stops)."""
        # Once: each `async_delay_save` call puts the write off, and steady sends would for good.
        if not self._save_due:
            self._save_due = True
            self.async_delay_save(self._data_when_written, SAVE_DELAY)

    async def async_save(self, data: T) -> None:
        """Write `data` now, instead of the scheduled write."""
        self._save_due = False
        await super().async_save(data)

    async def async_flush(self) -> None:
        """Write now if a change waits."""
        if self._save_due:
            await self.async_save(self._current())

    def _data_when_written(self) -> T:
        self._save_due = False
        return self._current()
