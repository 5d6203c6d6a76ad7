"""Notify entities: one per recipient (gateway entry) or audience (Scorocode entry) subentry.

Subentries added, changed or removed are followed without a reload: a new subentry gets
its entity, a changed one updates its entity (which reads the subentry's data at each
send), and a removed one's entity is removed from the entity registry.

Every entity is on the entry's one service device. A device belongs to at most one
subentry in Home Assistant, so the entities are not registered under their subentry
(that would move the shared device); removal is therefore done here.

In an SMS, a title is joined to the message as `Title: message` (or `Title! message`
when the title already ends with punctuation), so it reads as one line; in a push, the
title is the notification's title.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.components.notify import NotifyEntity
from homeassistant.components.notify.const import DOMAIN as NOTIFY_DOMAIN
from homeassistant.components.notify.const import NotifyEntityFeature
from homeassistant.config_entries import SIGNAL_CONFIG_ENTRY_CHANGED, ConfigEntryChange
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .action_errors import translated_errors
from .api import Abonent, OutgoingMessage
from .api.sms_text import estimate_parts
from .const import (
    CHANNEL_SMS,
    CONF_CHANNEL,
    CONF_COLLECTION,
    CONF_PHONE_NUMBERS,
    CONF_QUERY,
    CONF_SENDER,
    CONF_TRANSLITERATE,
    DOMAIN,
    SUBENTRY_AUDIENCE,
    SUBENTRY_RECIPIENT,
)
from .data import GatewayRuntimeData, ScorocodeRuntimeData
from .entity import entry_device_info
from .responses import async_sms_response

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry, ConfigSubentry
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import JsonGateConfigEntry

_LOGGER = logging.getLogger(__name__)

# Sends are batched and bounded by the account's SmsSender, not per entity.
PARALLEL_UPDATES = 0

_TITLE_PUNCTUATION = frozenset(".!?:;…")


def sms_text(message: str, title: str | None) -> str:
    """The text of an SMS with a title: `Title: message`, or just the message."""
    title = (title or "").strip()
    if not title:
        return message
    separator = " " if title[-1] in _TITLE_PUNCTUATION else ": "
    return f"{title}{separator}{message}"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: JsonGateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a notify entity for each subentry, now and whenever one is added."""
    entities: dict[str, JsonGateNotifyEntity] = {}

    @callback
    def sync_subentries() -> None:
        for subentry_id in set(entities) - set(entry.subentries):
            del entities[subentry_id]
        _remove_orphans(hass, entry)
        for subentry_id, subentry in entry.subentries.items():
            if (entity := entities.get(subentry_id)) is not None:
                entity.update_subentry(subentry)
            elif (entity := _make_entity(entry, subentry)) is not None:
                entities[subentry_id] = entity
                async_add_entities([entity])

    @callback
    def entry_changed(change: ConfigEntryChange, changed: ConfigEntry) -> None:
        if change is ConfigEntryChange.UPDATED and changed.entry_id == entry.entry_id:
            sync_subentries()

    sync_subentries()
    # A dispatcher signal rather than an update listener: update listeners would rule
    # out the options flow's automatic reload.
    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed)
    )


@callback
def _remove_orphans(hass: HomeAssistant, entry: JsonGateConfigEntry) -> None:
    """Remove the notify entities of subentries that are gone (even while unloaded)."""
    registry = er.async_get(hass)
    prefix = f"{entry.entry_id}_"
    for registered in er.async_entries_for_config_entry(registry, entry.entry_id):
        if (
            registered.domain == NOTIFY_DOMAIN
            and registered.platform == DOMAIN
            and registered.unique_id.startswith(prefix)
            and registered.unique_id.removeprefix(prefix) not in entry.subentries
        ):
            # The entity, if it is running, removes itself with its registry entry.
            registry.async_remove(registered.entity_id)


def _make_entity(
    entry: JsonGateConfigEntry, subentry: ConfigSubentry
) -> JsonGateNotifyEntity | None:
    if subentry.subentry_type == SUBENTRY_RECIPIENT and isinstance(
        entry.runtime_data, GatewayRuntimeData
    ):
        return RecipientNotifyEntity(entry, subentry)
    if subentry.subentry_type == SUBENTRY_AUDIENCE and isinstance(
        entry.runtime_data, ScorocodeRuntimeData
    ):
        return AudienceNotifyEntity(entry, subentry)
    return None


class JsonGateNotifyEntity(NotifyEntity):
    """A notify entity for one subentry, on the entry's service device."""

    _attr_has_entity_name = True
    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(self, entry: JsonGateConfigEntry, subentry: ConfigSubentry) -> None:
        """Name the entity after the subentry; identify it by entry and subentry."""
        self._entry = entry
        self._subentry = subentry
        self._attr_unique_id = f"{entry.entry_id}_{subentry.subentry_id}"
        self._attr_device_info = entry_device_info(entry)
        self._attr_name = subentry.title

    @callback
    def update_subentry(self, subentry: ConfigSubentry) -> None:
        """Take a reconfigured subentry's title and data (read again at each send)."""
        self._subentry = subentry
        if subentry.title != self._attr_name:
            self._attr_name = subentry.title
            if self.hass is not None and self.entity_id:
                self.async_write_ha_state()


class RecipientNotifyEntity(JsonGateNotifyEntity):
    """Sends an SMS to a recipient's phone numbers through the account's send path."""

    _attr_translation_key = "recipient"

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send `message` (with `title` joined in front) to every number of the recipient.

        Raises when no number was accepted; numbers the gateway refused while others
        were accepted are logged.
        """
        runtime = self._entry.runtime_data
        assert isinstance(runtime, GatewayRuntimeData)  # noqa: S101 - by subentry type
        data = self._subentry.data
        text = sms_text(message, title)
        translit = bool(data.get(CONF_TRANSLITERATE, False))
        outgoing = OutgoingMessage(
            text=text,
            abonents=tuple(Abonent(phone=phone) for phone in data[CONF_PHONE_NUMBERS]),
            sender=data.get(CONF_SENDER) or None,
            transliterate=translit,
        )
        with translated_errors(self.hass, self._entry):
            results = await runtime.sender.async_send(outgoing)
        response = await async_sms_response(
            self.hass, results, estimate_parts(text, transliterate=translit)
        )
        if failed := [item for item in response["messages"] if item["error"]]:
            _LOGGER.warning(
                "%s: not sent to %s",
                self.entity_id,
                "; ".join(f"{item['phone']} ({item['error']['message']})" for item in failed),
            )


class AudienceNotifyEntity(JsonGateNotifyEntity):
    """Sends a push or an SMS to the users or devices an audience's query selects."""

    _attr_translation_key = "audience"

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send `message` to the audience; for a push, `title` is the notification title."""
        runtime = self._entry.runtime_data
        assert isinstance(runtime, ScorocodeRuntimeData)  # noqa: S101 - by subentry type
        data = self._subentry.data
        query = dict(data.get(CONF_QUERY) or {})
        with translated_errors(self.hass, self._entry):
            if data[CONF_CHANNEL] == CHANNEL_SMS:
                await runtime.client.send_sms(
                    data[CONF_COLLECTION], sms_text(message, title), query=query
                )
            else:
                await runtime.client.send_push(
                    data[CONF_COLLECTION], message, title=title, query=query
                )
