"""A config entry's clients, identity and title, and what a loaded entry holds."""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from yarl import URL

from .api import ClientIdGenerator, Collection, JsonGateClient, ScorocodeClient
from .api.record import Record
from .const import (
    CONF_ACCESS_KEY,
    CONF_API_TOKEN,
    CONF_APP_ID,
    CONF_CLIENT_KEY,
    CONF_ENTRY_TYPE,
    CONF_SESSION_ID,
    ENTRY_TYPE_SCOROCODE,
    KNOWN_PROVIDERS,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

    from .coordinator import GatewayCoordinator
    from .sender import SmsSender
    from .spending_guard import SpendingGuard


class GatewayRuntimeData(Record, kw_only=False):
    """What a loaded jsonGate account holds (`entry.runtime_data`)."""

    client: JsonGateClient
    coordinator: GatewayCoordinator
    sender: SmsSender
    guard: SpendingGuard


class ScorocodeRuntimeData(Record, kw_only=False):
    """What a loaded Scorocode application holds (`entry.runtime_data`)."""

    client: ScorocodeClient


type JsonGateConfigEntry = ConfigEntry[GatewayRuntimeData | ScorocodeRuntimeData]


def is_scorocode(data: Mapping[str, Any]) -> bool:
    """Whether the data is a Scorocode application's (else a jsonGate account's)."""
    return data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_SCOROCODE


def gateway_client(
    hass: HomeAssistant, data: Mapping[str, Any], client_ids: ClientIdGenerator | None = None
) -> JsonGateClient:
    """A jsonGate client for a gateway entry's data."""
    return JsonGateClient(
        async_get_clientsession(hass, data.get(CONF_VERIFY_SSL, True)),
        data[CONF_URL],
        login=data.get(CONF_USERNAME) or "",
        password=data.get(CONF_PASSWORD) or "",
        token=data.get(CONF_API_TOKEN) or None,
        verify_ssl=data.get(CONF_VERIFY_SSL, True),
        client_ids=client_ids,
    )


def scorocode_client(hass: HomeAssistant, data: Mapping[str, Any]) -> ScorocodeClient:
    """A Scorocode client for a scorocode entry's data."""
    return ScorocodeClient(
        async_get_clientsession(hass, data.get(CONF_VERIFY_SSL, True)),
        data[CONF_URL],
        app_id=data[CONF_APP_ID],
        client_key=data[CONF_CLIENT_KEY],
        access_key=data[CONF_ACCESS_KEY],
        session_id=data.get(CONF_SESSION_ID) or None,
        verify_ssl=data.get(CONF_VERIFY_SSL, True),
    )


async def async_check_scorocode(client: ScorocodeClient) -> None:
    """Prove the keys work with a push whose query matches no device: it delivers nothing."""
    query = {"deviceId": f"home-assistant-check-{uuid.uuid4()}"}
    await client.send_push(Collection.DEVICES, "Home Assistant connection check", query=query)


def provider_name(url: str) -> str | None:
    """The name of a known jsonGate provider serving `url`, if it is one."""
    base = URL(url.strip())
    return KNOWN_PROVIDERS.get(f"{base.scheme}://{base.host}") if base.host else None


def _host(url: str) -> str:
    return (URL(url).host or "").lower()


def entry_identity(data: Mapping[str, Any]) -> str | None:
    """What names the entry's account and never changes: the app id or the login ("" if none)."""
    if is_scorocode(data):
        return data.get(CONF_APP_ID)
    return (data.get(CONF_USERNAME) or "").strip().lower()


def entry_unique_id(data: Mapping[str, Any]) -> str:
    """The app id, or the host and login, else a hash of the token (unique ids are not secret)."""
    if is_scorocode(data):
        return str(data[CONF_APP_ID])
    if login := entry_identity(data):
        return f"{_host(data[CONF_URL])}_{login}"
    digest = hashlib.sha256((data.get(CONF_API_TOKEN) or "").encode()).hexdigest()
    return f"{_host(data[CONF_URL])}_token_{digest}"


def entry_title(data: Mapping[str, Any]) -> str:
    """Scorocode and the app id, or the provider's name (or host) and the login; no secret."""
    if is_scorocode(data):
        return f"Scorocode ({data[CONF_APP_ID]})"
    provider = provider_name(data[CONF_URL]) or _host(data[CONF_URL])
    login = (data.get(CONF_USERNAME) or "").strip()
    return f"{provider} ({login})" if login else provider
