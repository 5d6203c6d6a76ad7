"""One jsonGate account is one entry, however its password and token are given.

The login names an account (with the provider's host). The gateway has no account id,
so a token names the account of the entry that uses it; a token-only entry keeps the id
it was added with when its token is rotated. Reauth and reconfigure never move an entry
to another account (`wrong_account`); reconfigure changes the address, password, token
and TLS check of the same one.
"""

from __future__ import annotations

from typing import Any

import pytest
import pytest_socket
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from simulator import Simulator, SimulatorServer, demo

NEW_TOKEN = "rotated-token"
# The simulator under another host name: its IPv4-mapped IPv6 address, still loopback.
OTHER_HOST = "::ffff:127.0.0.1"


@pytest.fixture
def another_host(socket_enabled: None) -> None:
    """Let the test reach the simulator at `OTHER_HOST` too (loopback only)."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", OTHER_HOST])


def _at_other_host(server: SimulatorServer) -> str:
    return server.url.replace("127.0.0.1", f"[{OTHER_HOST}]")


async def _add(hass: HomeAssistant, user_input: dict[str, Any]) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "gateway"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"verify_ssl": True, **user_input}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    return dict(result)


async def _add_token_only(hass: HomeAssistant, server: SimulatorServer) -> ConfigEntry:
    result = await _add(hass, {"url": server.url, "api_token": demo.TOKEN})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: ConfigEntry = result["result"]
    return entry


async def _start(hass: HomeAssistant, entry: ConfigEntry, source: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": source, "entry_id": entry.entry_id}
    )
    return dict(result)


async def _submit(
    hass: HomeAssistant, result: dict[str, Any], user_input: dict[str, Any]
) -> dict[str, Any]:
    """Submit `user_input` to the flow's open step and wait for what it starts."""
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    await hass.async_block_till_done(wait_background_tasks=True)
    return dict(result)


async def _reconfigure(
    hass: HomeAssistant, entry: ConfigEntry, user_input: dict[str, Any]
) -> dict[str, Any]:
    result = await _start(hass, entry, SOURCE_RECONFIGURE)
    assert result["step_id"] == "reconfigure_gateway"
    return await _submit(hass, result, user_input)


async def _reauth(
    hass: HomeAssistant, entry: ConfigEntry, user_input: dict[str, Any]
) -> dict[str, Any]:
    result = await _start(hass, entry, SOURCE_REAUTH)
    assert result["step_id"] == "reauth_gateway"
    assert "username" not in {str(field) for field in result["data_schema"].schema}
    return await _submit(hass, result, user_input)


def _entity_ids(hass: HomeAssistant, entry: ConfigEntry) -> set[str]:
    return {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }


async def test_same_account_by_login_and_password_then_with_its_token(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    first = await _add(
        hass, {"url": simulator_server.url, "username": demo.LOGIN, "password": demo.PASSWORD}
    )
    assert first["type"] is FlowResultType.CREATE_ENTRY

    # The login names the account, whatever else comes with it.
    for credentials in (
        {"username": demo.LOGIN.upper(), "api_token": demo.TOKEN},
        {"username": demo.LOGIN, "password": demo.PASSWORD, "api_token": demo.TOKEN},
    ):
        result = await _add(hass, {"url": f"{simulator_server.url}/", **credentials})
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_token_only_account_added_twice(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    await _add_token_only(hass, simulator_server)
    result = await _add(hass, {"url": simulator_server.url, "api_token": demo.TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_token_of_a_login_entry_added_again_alone_or_with_the_login(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    """A login entry that also holds a token: the token alone names the same account."""
    first = await _add(
        hass,
        {
            "url": simulator_server.url,
            "username": demo.LOGIN,
            "password": demo.PASSWORD,
            "api_token": demo.TOKEN,
        },
    )
    assert first["type"] is FlowResultType.CREATE_ENTRY
    result = await _add(hass, {"url": simulator_server.url, "api_token": demo.TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    # A token-only entry first, then the same account by its login with that token.
    assert await hass.config_entries.async_remove(first["result"].entry_id)
    await _add_token_only(hass, simulator_server)
    result = await _add(
        hass, {"url": simulator_server.url, "username": demo.LOGIN, "api_token": demo.TOKEN}
    )
    assert result["reason"] == "already_configured"


async def test_token_rotated_through_reauth_keeps_the_entry(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    entry = await _add_token_only(hass, simulator_server)
    entities = _entity_ids(hass, entry)
    assert entities
    unique_id = entry.unique_id

    simulator.account(demo.LOGIN).token = NEW_TOKEN
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    # No login, so no password that could go with it: the form asks for the token.
    assert [str(field) for field in result["data_schema"].schema] == ["api_token"]
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"api_token": NEW_TOKEN}
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert result["reason"] == "reauth_successful"
    assert entry.state is ConfigEntryState.LOADED
    assert entry.unique_id == unique_id
    assert entry.data["api_token"] == NEW_TOKEN
    assert _entity_ids(hass, entry) == entities
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    # The rotated token still names this account: it can't be added a second time.
    result = await _add(hass, {"url": simulator_server.url, "api_token": NEW_TOKEN})
    assert result["reason"] == "already_configured"


async def test_reauth_with_another_entrys_token_is_wrong_account(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    gateway_entry: MockConfigEntry,
) -> None:
    simulator.add_account("other", "other-password", token="other-token")
    other = await _add(hass, {"url": simulator_server.url, "api_token": "other-token"})
    assert other["type"] is FlowResultType.CREATE_ENTRY

    result = await _reauth(hass, gateway_entry, {"api_token": "other-token"})

    assert result["reason"] == "wrong_account"
    assert gateway_entry.data["api_token"] == ""
    assert gateway_entry.data["username"] == demo.LOGIN


async def test_reauth_keeps_the_login(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    """A token given at reauth is used with the entry's login kept: the account's name."""
    result = await _reauth(hass, gateway_entry, {"api_token": demo.TOKEN})

    assert result["reason"] == "reauth_successful"
    assert gateway_entry.data["username"] == demo.LOGIN
    assert gateway_entry.unique_id == f"127.0.0.1_{demo.LOGIN}"


@pytest.mark.usefixtures("another_host")
async def test_reconfigure_changes_address_password_token_and_tls_of_the_same_account(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    gateway_entry: MockConfigEntry,
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    entities = _entity_ids(hass, gateway_entry)
    simulator.account(demo.LOGIN).password = "new password"
    new_url = _at_other_host(simulator_server)

    result = await _reconfigure(
        hass,
        gateway_entry,
        {
            "url": new_url,
            "username": "",  # blank: the stored login is kept
            "password": "new password",
            "api_token": demo.TOKEN,
            "verify_ssl": False,
        },
    )

    assert result["reason"] == "reconfigure_successful"
    assert gateway_entry.data["url"] == new_url
    assert gateway_entry.data["username"] == demo.LOGIN
    assert gateway_entry.data["password"] == "new password"
    assert gateway_entry.data["api_token"] == demo.TOKEN
    assert gateway_entry.data["verify_ssl"] is False
    assert gateway_entry.unique_id == f"{OTHER_HOST}_{demo.LOGIN}"
    assert gateway_entry.state is ConfigEntryState.LOADED
    assert _entity_ids(hass, gateway_entry) == entities


@pytest.mark.usefixtures("another_host")
async def test_reconfigure_to_an_address_another_entry_has_for_this_login(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    gateway_entry: MockConfigEntry,
) -> None:
    other = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"{OTHER_HOST}_{demo.LOGIN}",
        data={**gateway_entry.data, "url": _at_other_host(simulator_server)},
        version=1,
        minor_version=2,
    )
    other.add_to_hass(hass)
    new_url = _at_other_host(simulator_server)

    result = await _reconfigure(hass, gateway_entry, {"url": new_url, "username": demo.LOGIN})

    assert result["reason"] == "already_configured"
    assert gateway_entry.data["url"] == simulator_server.url


async def test_reconfigure_with_another_entrys_token_is_wrong_account(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    gateway_entry: MockConfigEntry,
) -> None:
    simulator.add_account("other", "other-password", token="other-token")
    await _add(hass, {"url": simulator_server.url, "api_token": "other-token"})

    result = await _reconfigure(
        hass, gateway_entry, {"url": simulator_server.url, "api_token": "other-token"}
    )

    assert result["reason"] == "wrong_account"
    assert gateway_entry.data["api_token"] == ""


async def test_reconfigure_token_only_entry(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    entry = await _add_token_only(hass, simulator_server)
    unique_id = entry.unique_id
    simulator.account(demo.LOGIN).token = NEW_TOKEN

    # A login can't be given to a token-only entry: nothing ties the token to it.
    result = await _reconfigure(
        hass,
        entry,
        {"url": simulator_server.url, "username": demo.LOGIN, "password": demo.PASSWORD},
    )
    assert result["reason"] == "wrong_account"
    assert "username" not in entry.data

    result = await _reconfigure(hass, entry, {"url": simulator_server.url, "api_token": NEW_TOKEN})
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["api_token"] == NEW_TOKEN
    assert entry.unique_id == unique_id
    assert entry.state is ConfigEntryState.LOADED
