"""The `Store`s a gateway entry keeps its state in across restarts."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from homeassistant.core import callback
from homeassistant.helpers.storage import Store

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from homeassistant.core import HomeAssistant

STORAGE_VERSION = 1
# Seconds from a change to its write; Home Assistant's stop writes what is pending.
SAVE_DELAY = 1


class StoreName(StrEnum):
    """The stores of an entry, by the last part of their key."""

    CLIENT_IDS = "client_ids"  # the greatest `client_id_sms` used
    INCOMING = "incoming"  # the incoming SMS seen
    DELIVERY = "delivery"  # the messages waiting for their delivery report
    SMS_SENT_TODAY = "sms_sent_today"  # the spending guard's count


def storage_key(entry_id: str, name: str) -> str:
    """The key of an entry's store `name`."""
    return f"{DOMAIN}.{entry_id}.{name}"


def entry_store(hass: HomeAssistant, entry_id: str, name: str) -> Store[Any]:
    """An entry's store `name`."""
    return Store(hass, STORAGE_VERSION, storage_key(entry_id, name))


async def async_remove_stores(hass: HomeAssistant, entry_id: str) -> None:
    """Forget what a deleted entry stored."""
    for name in StoreName:
        await entry_store(hass, entry_id, name).async_remove()


class DelayedSave[T: Mapping[str, Any] | Sequence[Any]]:
    """Writes a `Store` at most `SAVE_DELAY` seconds after the first change since its last write.

    `Store.async_delay_save` puts its write off at every call: an SMS a second would delay it
    for as long as they last. Here only the first change schedules it; the data is read then.
    """

    def __init__(self, store: Store[T], data: Callable[[], T]) -> None:
        """Write what `data` returns to `store`."""
        self._store = store
        self._data = data
        self._due = False

    @callback
    def schedule(self) -> None:
        """Note a change: write within `SAVE_DELAY` seconds (or when Home Assistant stops)."""
        if not self._due:
            self._due = True
            self._store.async_delay_save(self._data_when_written, SAVE_DELAY)

    async def async_save(self, data: T) -> None:
        """Write `data` now, instead of the scheduled write."""
        self._due = False
        await self._store.async_save(data)

    async def async_flush(self) -> None:
        """Write now if a change waits (the entry is unloading: a delayed write would be lost)."""
        if self._due:
            await self.async_save(self._data())

    def _data_when_written(self) -> T:
        self._due = False
        return self._data()
