"""Writing a `Store` soon after it changed, however often it keeps changing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import callback

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from homeassistant.helpers.storage import Store


class DelayedSave[T: Mapping[str, Any] | Sequence[Any]]:
    """Writes a `Store` at most `delay` seconds after the first change since its last write.

    `Store.async_delay_save` puts its write off at every call: steady changes (an SMS a
    second) would delay it for as long as they last. Here only the first change schedules
    the write, and the data is read when it runs.
    """

    def __init__(self, store: Store[T], data: Callable[[], T], delay: float) -> None:
        """Write what `data` returns to `store`, `delay` seconds after a change."""
        self._store = store
        self._data = data
        self._delay = delay
        self._due = False

    @callback
    def schedule(self) -> None:
        """Note a change: write within `delay` seconds (or when Home Assistant stops)."""
        if not self._due:
            self._due = True
            self._store.async_delay_save(self._data_when_written, self._delay)

    async def async_save(self, data: T) -> None:
        """Write `data` now, instead of the scheduled write."""
        self._due = False
        await self._store.async_save(data)

    def _data_when_written(self) -> T:
        self._due = False
        return self._data()
