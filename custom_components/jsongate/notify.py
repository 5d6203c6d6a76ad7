"""Notify entities, one per subentry, each on its own device: a device has one subentry."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.components.notify import NotifyEntity
from homeassistant.components.notify.const import NotifyEntityFeature
from homeassistant.config_entries import SIGNAL_CONFIG_ENTRY_CHANGED, ConfigEntryChange
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .api import Abonent, OutgoingMessage
from .clients import GatewayRuntimeData, JsonGateConfigEntry
from .const import (
    CHANNEL_SMS,
    CONF_CHANNEL,
    CONF_COLLECTION,
    CONF_PHONE_NUMBERS,
    CONF_QUERY,
    CONF_SENDER,
    CONF_TRANSLITERATE,
    DOMAIN,
)
from .entity import entry_device_info
from .errors import translated_errors
from .responses import async_sms_response

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry, ConfigSubentry
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

_LOGGER = logging.getLogger(__name__)

PARALLEL_UPDATES = 0  # sends are batched and bounded by the account's SmsSender


def sms_text(message: str, title: str | None) -> str:
    """The text of an SMS: `Title: message` (`Title! message` after punctuation), or the message."""
    if not (title := (title or "").strip()):
        return message
    return f"{title}{' ' if title[-1] in '.!?:;…' else ': '}{message}"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: JsonGateConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a notify entity for each subentry, and follow subentries added or changed."""
    entities: dict[str, JsonGateNotifyEntity] = {}

    @callback
    def sync_subentries() -> None:
        # Home Assistant removes a removed subentry's entity and device itself.
        for subentry_id in entities.keys() - entry.subentries.keys():
            del entities[subentry_id]
        for subentry_id, subentry in entry.subentries.items():
            if (entity := entities.get(subentry_id)) is not None:
                entity.update_subentry(subentry)
            else:
                entities[subentry_id] = entity = JsonGateNotifyEntity(hass, entry, subentry)
                async_add_entities([entity], config_subentry_id=subentry_id)

    @callback
    def entry_changed(change: ConfigEntryChange, changed: ConfigEntry) -> None:
        if change is ConfigEntryChange.UPDATED and changed.entry_id == entry.entry_id:
            sync_subentries()

    sync_subentries()
    # Not an update listener: one would rule out the options flow's automatic reload.
    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed)
    )


class JsonGateNotifyEntity(NotifyEntity):
    """A recipient's or an audience's notify entity, on a device named after its subentry."""

    _attr_has_entity_name = True
    _attr_name = None  # the device's main feature
    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(
        self, hass: HomeAssistant, entry: JsonGateConfigEntry, subentry: ConfigSubentry
    ) -> None:
        """Send to `subentry`'s recipients, read at each send."""
        self._entry = entry
        self._subentry = subentry
        self._attr_translation_key = subentry.subentry_type
        self._attr_unique_id = f"{entry.entry_id}_{subentry.subentry_id}"
        # A recipient is reached through the account: its service device's maker and model.
        self._attr_device_info = entry_device_info(entry) | dr.DeviceInfo(
            identifiers={(DOMAIN, self._attr_unique_id)},
            name=subentry.title,
            configuration_url=None,
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

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send an SMS to a recipient's numbers, or a push (titled) or SMS to an audience."""
        data, runtime = self._subentry.data, self._entry.runtime_data
        if isinstance(runtime, GatewayRuntimeData):
            await self._async_send_sms(runtime, sms_text(message, title))
            return
        collection, query = data[CONF_COLLECTION], dict(data.get(CONF_QUERY) or {})
        with translated_errors(self.hass, self._entry):
            if data[CONF_CHANNEL] == CHANNEL_SMS:
                await runtime.client.send_sms(collection, sms_text(message, title), query=query)
            else:
                await runtime.client.send_push(collection, message, title=title, query=query)

    async def _async_send_sms(self, runtime: GatewayRuntimeData, text: str) -> None:
        """Send through the account's send path; say which numbers the gateway refused."""
        data = self._subentry.data
        outgoing = OutgoingMessage(
            text=text,
            abonents=tuple(Abonent(phone=phone) for phone in data[CONF_PHONE_NUMBERS]),
            sender=data.get(CONF_SENDER) or None,
            transliterate=bool(data.get(CONF_TRANSLITERATE, False)),
        )
        with translated_errors(self.hass, self._entry):
            results = await runtime.sender.async_send(outgoing)
        response = await async_sms_response(self.hass, results, outgoing)
        if failed := [item for item in response["messages"] if item["error"]]:
            _LOGGER.warning(
                "%s: the gateway did not accept %d of %d numbers (%s)",
                self.entity_id,
                len(failed),
                len(response["messages"]),
                "; ".join(sorted({item["error"]["message"] for item in failed})),
            )
            _LOGGER.debug(  # phone numbers identify people: debug level only
                "%s: not sent to %s", self.entity_id, ", ".join(item["phone"] for item in failed)
            )
