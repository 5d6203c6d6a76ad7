"""The greatest `client_id_sms` an account has used, kept across restarts.

Ids come from the host's clock (`api.client_ids`); one that comes back earlier after a restart
(a Raspberry Pi restoring a saved time before NTP answers) would remake used ids, which the
gateway answers with the earlier messages' ids, sending nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from homeassistant.core import callback
from homeassistant.helpers.storage import Store

from .api import ClientIdGenerator
from .const import DOMAIN
from .delayed_save import DelayedSave

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

STORAGE_VERSION = 1
# Pending saves are written at Home Assistant's stop: only a crash this soon after a send,
# *and* a clock going back, could reuse an id.
SAVE_DELAY = 1


class _StoredIds(TypedDict):
    last: int


def storage_key(entry_id: str) -> str:
    """The `Store` key of an entry's greatest client id."""
    return f"{DOMAIN}.{entry_id}.client_ids"


class ClientIdStore:
    """Loads the greatest id used into a `ClientIdGenerator`, and saves it after sends."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Keep the ids of the entry `entry_id`."""
        self._store = Store[_StoredIds](hass, STORAGE_VERSION, storage_key(entry_id))
        self._save = DelayedSave(self._store, lambda: {"last": self.generator.last}, SAVE_DELAY)
        self.generator = ClientIdGenerator()

    async def async_load(self) -> ClientIdGenerator:
        """A generator whose ids are all above the greatest one stored."""
        stored = await self._store.async_load()
        self.generator = ClientIdGenerator(after=stored["last"] if stored else 0)
        return self.generator

    @callback
    def async_schedule_save(self) -> None:
        """Save the greatest id made so far, soon (ids were just given out)."""
        self._save.schedule()

    async def async_remove(self) -> None:
        """Forget the stored id (the entry was deleted)."""
        await self._store.async_remove()
