"""Notify entities: one per recipient (gateway entry) or audience (Scorocode entry) subentry.

Each entity is registered with its subentry (`config_subentry_id`), on a service device
of its own (a device belongs to one subentry) linked to the account's device
(`via_device`): the entry's page lists every recipient or audience with its entity, and
Home Assistant removes both with the subentry. Subentries added or changed are followed
without a reload: a new subentry gets its entity, a changed one updates its entity
(which reads the subentry's data at each send) and its device's name.

In an SMS, a title is joined to the message as `Title: message` (or `Title! message`
when the title already ends with punctuation), so it reads as one line; in a push, the
title is the notification's title.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.components.notify import NotifyEntity
from homeassistant.components.notify.const import NotifyEntityFeature
from homeassistant.config_entries import SIGNAL_CONFIG_ENTRY_CHANGED, ConfigEntryChange
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect

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
from .entity import entry_device_info, gateway_runtime
from .errors import translated_errors
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
        # Home Assistant removes a removed subentry's entity and device itself.
        for subentry_id in set(entities) - set(entry.subentries):
            del entities[subentry_id]
        for subentry_id, subentry in entry.subentries.items():
            if (entity := entities.get(subentry_id)) is not None:
                entity.update_subentry(subentry)
            elif (entity := _make_entity(hass, entry, subentry)) is not None:
                entities[subentry_id] = entity
                async_add_entities([entity], config_subentry_id=subentry_id)

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


def _make_entity(
    hass: HomeAssistant, entry: JsonGateConfigEntry, subentry: ConfigSubentry
) -> JsonGateNotifyEntity | None:
    if subentry.subentry_type == SUBENTRY_RECIPIENT and isinstance(
        entry.runtime_data, GatewayRuntimeData
    ):
        return RecipientNotifyEntity(hass, entry, subentry)
    if subentry.subentry_type == SUBENTRY_AUDIENCE and isinstance(
        entry.runtime_data, ScorocodeRuntimeData
    ):
        return AudienceNotifyEntity(hass, entry, subentry)
    return None


class JsonGateNotifyEntity(NotifyEntity):
    """The notify entity of one subentry, on that subentry's own device."""

    _attr_has_entity_name = True
    # The device is named after the subentry; the entity is its main feature.
    _attr_name = None
    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(
        self, hass: HomeAssistant, entry: JsonGateConfigEntry, subentry: ConfigSubentry
    ) -> None:
        """Identify the entity by entry and subentry; its device is named after the subentry."""
        self._entry = entry
        self._subentry = subentry
        self._attr_unique_id = f"{entry.entry_id}_{subentry.subentry_id}"
        account = entry_device_info(entry)
        self._attr_device_info = DeviceInfo(
            entry_type=DeviceEntryType.SERVICE,
            identifiers={(DOMAIN, self._attr_unique_id)},
            # The account's maker and model: a recipient is reached through the account.
            manufacturer=account.get("manufacturer"),
            model=account.get("model"),
            name=subentry.title,
            via_device_id=dr.async_get_device_id_by_identifier(
                hass, (DOMAIN, entry.entry_id), config_entry_id=entry.entry_id
            ),
        )

    @callback
    def update_subentry(self, subentry: ConfigSubentry) -> None:
        """Take a reconfigured subentry's title (its device's name) and data."""
        self._subentry = subentry
        device = self.device_entry
        if self.hass is not None and device is not None and device.name != subentry.title:
            dr.async_get(self.hass).async_update_device(device.id, name=subentry.title)


class RecipientNotifyEntity(JsonGateNotifyEntity):
    """Sends an SMS to a recipient's phone numbers through the account's send path."""

    _attr_translation_key = "recipient"

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send `message` (with `title` joined in front) to every number of the recipient.

        Raises when no number was accepted; when the gateway refused some numbers and
        accepted others, a warning says how many and why (the numbers only at debug
        level).
        """
        runtime = gateway_runtime(self._entry)
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
            # Phone numbers identify people: only at debug level.
            _LOGGER.warning(
                "%s: the gateway did not accept %d of %d numbers (%s)",
                self.entity_id,
                len(failed),
                len(response["messages"]),
                "; ".join(sorted({item["error"]["message"] for item in failed})),
            )
            _LOGGER.debug(
                "%s: not sent to %s", self.entity_id, ", ".join(item["phone"] for item in failed)
            )


class AudienceNotifyEntity(JsonGateNotifyEntity):
    """Sends a push or an SMS to the users or devices an audience's query selects."""

    _attr_translation_key = "audience"

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send `message` to the audience; for a push, `title` is the notification title."""
        runtime = self._entry.runtime_data
        if not isinstance(runtime, ScorocodeRuntimeData):  # made for Scorocode entries only
            raise TypeError(f"{self._entry.title} is not a Scorocode application")
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
