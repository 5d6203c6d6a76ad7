"""The jsonGate SMS & Push integration: an entry is a jsonGate account or a Scorocode app."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.const import CONF_SCAN_INTERVAL, EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr

from . import clients
from .api import GatewayError
from .const import CONFIG_ENTRY_VERSION, DOMAIN
from .coordinator import GatewayCoordinator
from .entity import entry_device_info
from .errors import entry_error
from .issues import OutOfMoneyIssue, async_clear_all_issues
from .sender import SmsSender, async_load_client_ids
from .services import async_setup_services
from .spending_guard import SpendingGuard
from .store import async_remove_stores

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

    from .clients import JsonGateConfigEntry

_LOGGER = logging.getLogger(__name__)

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

GATEWAY_PLATFORMS = [Platform.EVENT, Platform.NOTIFY, Platform.SENSOR]
SCOROCODE_PLATFORMS = [Platform.NOTIFY]


def _platforms(entry: JsonGateConfigEntry) -> list[Platform]:
    return SCOROCODE_PLATFORMS if clients.is_scorocode(entry.data) else GATEWAY_PLATFORMS


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:  # noqa: ARG001 - HA signature
    """Register the actions; they work on whichever entries are loaded."""
    async_setup_services(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: JsonGateConfigEntry) -> bool:
    """Bring an entry of an earlier version up to date; its ids, and all they key, stay."""
    if entry.version > CONFIG_ENTRY_VERSION:
        return False  # made by a newer version: left for it
    if entry.version == 1 and entry.minor_version < 2:  # noqa: PLR2004 - 1.2: no `scan_interval`
        options = {key: value for key, value in entry.options.items() if key != CONF_SCAN_INTERVAL}
        hass.config_entries.async_update_entry(entry, options=options, version=1, minor_version=2)
        _LOGGER.debug("Migrated entry %s to version 1.2", entry.entry_id)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: JsonGateConfigEntry) -> bool:
    """Set up a jsonGate account or a Scorocode application, on its service device."""
    if clients.is_scorocode(entry.data):
        client = clients.scorocode_client(hass, entry.data)
        try:
            await clients.async_check_scorocode(client)
        except GatewayError as err:
            raise entry_error(err, ConfigEntryNotReady) from err
        entry.runtime_data = clients.ScorocodeRuntimeData(client)
    else:
        client_ids, save_client_ids = await async_load_client_ids(hass, entry)
        gateway = clients.gateway_client(hass, entry.data, client_ids)
        coordinator = GatewayCoordinator(hass, entry, gateway)
        await coordinator.async_config_entry_first_refresh()
        # Polling goes on with every entity disabled: the bus events need it.
        entry.async_on_unload(coordinator.async_add_listener(lambda: None))
        guard = SpendingGuard(hass, entry)
        await guard.async_load()
        out_of_money = OutOfMoneyIssue(coordinator)
        entry.async_on_unload(coordinator.async_add_listener(out_of_money.async_check_balance))
        sender = SmsSender(
            hass,
            entry,
            gateway,
            coordinator.async_sent,
            on_ids_assigned=save_client_ids,
            guard=guard,
            on_results=out_of_money.async_check_send,
        )
        entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, sender.async_stop))
        entry.runtime_data = clients.GatewayRuntimeData(gateway, coordinator, sender, guard)
    device_registry = dr.async_get(hass)
    device_registry.async_get_or_create(config_entry_id=entry.entry_id, **entry_device_info(entry))
    await hass.config_entries.async_forward_entry_setups(entry, _platforms(entry))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: JsonGateConfigEntry) -> bool:
    """Unload an entry; a gateway's send path finishes what it has in flight first."""
    if isinstance(runtime := entry.runtime_data, clients.GatewayRuntimeData):
        # The entry's stores are written once it has unloaded: after these answers.
        await runtime.sender.async_shutdown()
    if entry.disabled_by is not None:
        # Nothing would withdraw them while disabled; a reload's setup takes them over.
        async_clear_all_issues(hass, entry)
    return await hass.config_entries.async_unload_platforms(entry, _platforms(entry))


async def async_remove_entry(hass: HomeAssistant, entry: JsonGateConfigEntry) -> None:
    """Forget the stored polling state and the repair issues of a deleted entry."""
    async_clear_all_issues(hass, entry)
    await async_remove_stores(hass, entry.entry_id)
