"""The config flow: every path of adding, re-authenticating, reconfiguring and options."""

from __future__ import annotations

import hashlib
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.api import JsonGateClient
from custom_components.jsongate.config_flow import JsonGateConfigFlow
from custom_components.jsongate.const import DOMAIN, SUBENTRY_AUDIENCE, SUBENTRY_RECIPIENT
from custom_components.jsongate.subentry_flow import (
    AudienceSubentryFlowHandler,
    RecipientSubentryFlowHandler,
)
from simulator import Simulator, SimulatorServer, demo
from simulator.faults import Fault, FaultKind


async def _start(hass: HomeAssistant, kind: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["gateway", "scorocode"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": kind}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == kind
    return result


def _gateway_input(server: SimulatorServer, **changes: Any) -> dict[str, Any]:
    return {
        "url": server.url,
        "username": demo.LOGIN,
        "password": demo.PASSWORD,
        "verify_ssl": True,
    } | changes


def _scorocode_input(server: SimulatorServer, **changes: Any) -> dict[str, Any]:
    return {
        "url": server.scorocode_url,
        "app_id": demo.APP_ID,
        "client_key": demo.CLIENT_KEY,
        "access_key": demo.MESSAGE_KEY,
        "session_id": demo.SESSION_ID,
    } | changes


async def test_gateway_with_login(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    result = await _start(hass, "gateway")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _gateway_input(simulator_server, url=f" {simulator_server.url}/ ")
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    host = "127.0.0.1"
    assert result["title"] == f"{host} ({demo.LOGIN})"
    assert result["data"] == {
        "entry_type": "gateway",
        "url": simulator_server.url,
        "username": demo.LOGIN,
        "password": demo.PASSWORD,
        "verify_ssl": True,
    }
    assert result["options"] == {"delivery_reports": True}
    entry = result["result"]
    assert entry.unique_id == f"{host}_{demo.LOGIN}"
    assert entry.state is ConfigEntryState.LOADED
    assert simulator.requests_of_type("balance")[0].auth == "password"


async def test_gateway_with_token_only(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    result = await _start(hass, "gateway")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"url": simulator_server.url, "api_token": demo.TOKEN, "verify_ssl": True},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert demo.TOKEN not in entry.unique_id
    assert demo.TOKEN not in entry.title
    assert entry.unique_id.endswith(hashlib.sha256(demo.TOKEN.encode()).hexdigest())
    assert entry.data["api_token"] == demo.TOKEN
    assert simulator.requests_of_type("balance")[0].auth == "token"


async def test_known_provider_title() -> None:
    from custom_components.jsongate.clients import entry_title  # noqa: PLC0415

    assert entry_title({"url": "https://sms.targetsms.ru/", "username": "me"}) == ("TargetSMS (me)")
    assert entry_title({"url": "https://clk.prontosms.ru", "api_token": "x"}) == "ProntoSMS"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"password": "wrong"}, {"base": "invalid_auth"}),
        ({"url": "ftp://example.com"}, {"url": "invalid_url"}),
        ({"url": "not a url"}, {"url": "invalid_url"}),
        ({"password": ""}, {"base": "missing_credentials"}),
    ],
)
async def test_gateway_errors_then_success(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    changes: dict[str, Any],
    error: dict[str, str],
) -> None:
    result = await _start(hass, "gateway")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _gateway_input(simulator_server, **changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == error

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _gateway_input(simulator_server)
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_gateway_blocked_account(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    simulator.account(demo.LOGIN).blocked = True
    result = await _start(hass, "gateway")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _gateway_input(simulator_server)
    )
    assert result["errors"] == {"base": "account_blocked"}


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(FaultKind.HTTP_502), "cannot_connect"),
        (Fault(FaultKind.HTML), "invalid_response"),
        (Fault(FaultKind.ERROR_TEXT, text="Сервис временно недоступен"), "request_refused"),
    ],
)
async def test_gateway_server_trouble(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    fault: Fault,
    error: str,
) -> None:
    simulator.add_fault(fault)
    result = await _start(hass, "gateway")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _gateway_input(simulator_server)
    )
    assert result["errors"] == {"base": error}
    if error == "request_refused":
        assert result["description_placeholders"]["gateway_text"] == "Сервис временно недоступен"


async def test_gateway_unreachable(hass: HomeAssistant, simulator_server: SimulatorServer) -> None:
    result = await _start(hass, "gateway")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _gateway_input(simulator_server, url="http://127.0.0.1:9")
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_gateway_unexpected_error(
    hass: HomeAssistant, simulator_server: SimulatorServer
) -> None:
    result = await _start(hass, "gateway")
    with patch.object(JsonGateClient, "get_balance", side_effect=RuntimeError("bug")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _gateway_input(simulator_server)
        )
    assert result["errors"] == {"base": "unknown"}


async def test_gateway_already_configured(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    for login, expected in (
        (demo.LOGIN, FlowResultType.CREATE_ENTRY),
        (" DEMO ", FlowResultType.ABORT),
    ):
        result = await _start(hass, "gateway")
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _gateway_input(simulator_server, username=login)
        )
        await hass.async_block_till_done()
        assert result["type"] is expected
    assert result["reason"] == "already_configured"


async def test_scorocode(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    result = await _start(hass, "scorocode")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _scorocode_input(simulator_server)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"Scorocode ({demo.APP_ID})"
    assert result["data"] == {"entry_type": "scorocode", **_scorocode_input(simulator_server)}
    assert result["result"].unique_id == demo.APP_ID
    # The check and the setup each pushed to a device that does not exist.
    assert [len(push.devices) for push in simulator.pushes] == [0, 0]
    assert all(push.collection == "devices" for push in simulator.pushes)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"access_key": "wrong"}, {"base": "invalid_auth"}),
        ({"session_id": "expired-or-unknown"}, {"base": "invalid_auth"}),
        ({"url": "mailto:x"}, {"url": "invalid_url"}),
    ],
)
async def test_scorocode_errors_then_success(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    changes: dict[str, Any],
    error: dict[str, str],
) -> None:
    result = await _start(hass, "scorocode")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _scorocode_input(simulator_server, **changes)
    )
    assert result["errors"] == error
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _scorocode_input(simulator_server)
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_scorocode_server_trouble(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    simulator.add_fault(Fault(FaultKind.HTTP_500))
    result = await _start(hass, "scorocode")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _scorocode_input(simulator_server)
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_scorocode_refusal(
    hass: HomeAssistant, simulator: Simulator, simulator_server: SimulatorServer
) -> None:
    result = await _start(hass, "scorocode")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _scorocode_input(simulator_server, url=f"{simulator_server.url}/nope")
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_scorocode_already_configured(
    hass: HomeAssistant, scorocode_entry: MockConfigEntry, simulator_server: SimulatorServer
) -> None:
    result = await _start(hass, "scorocode")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _scorocode_input(simulator_server)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_gateway_reauth_with_password(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    simulator.account(demo.LOGIN).password = "new password"
    assert not await hass.config_entries.async_setup(gateway_entry.entry_id)
    assert gateway_entry.state is ConfigEntryState.SETUP_ERROR
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["step_id"] == "reauth_gateway"

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"password": "still wrong"}
    )
    assert _fields(result) == ["password", "api_token"]  # no Scorocode key on this form
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    assert result["errors"] == {"base": "missing_credentials"}
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"password": "new password"}
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert "translation_domain" not in result  # the integration's own text is shown
    assert gateway_entry.data["password"] == "new password"
    assert gateway_entry.state is ConfigEntryState.LOADED


async def test_gateway_reauth_with_token(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    result = await gateway_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_gateway"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_token": demo.TOKEN}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert gateway_entry.data["api_token"] == demo.TOKEN
    assert gateway_entry.data["password"] == demo.PASSWORD


def _fields(result: Any) -> list[str]:
    """The fields of the form a flow shows."""
    return [str(field) for field in result["data_schema"].schema]


async def test_scorocode_reauth_after_the_session_expired(
    hass: HomeAssistant, simulator: Simulator, scorocode_entry: MockConfigEntry
) -> None:
    """The message key's session ran out: a new session alone signs in again."""
    simulator.apps[demo.APP_ID].sessions.clear()
    assert not await hass.config_entries.async_setup(scorocode_entry.entry_id)
    assert scorocode_entry.state is ConfigEntryState.SETUP_ERROR
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["step_id"] == "reauth_scorocode"
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    assert _fields(result) == ["access_key", "session_id", "client_key"]  # no password
    assert result["description_placeholders"]["account"] == scorocode_entry.title

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"session_id": "an old session"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    simulator.apps[demo.APP_ID].add_session("new-session")
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"access_key": "", "session_id": " new-session ", "client_key": ""}
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert "translation_domain" not in result  # the integration's own text is shown
    assert scorocode_entry.data == {
        "entry_type": "scorocode",
        "url": scorocode_entry.data["url"],
        "app_id": demo.APP_ID,
        "client_key": demo.CLIENT_KEY,  # blank: kept
        "access_key": demo.MESSAGE_KEY,  # blank: kept
        "session_id": "new-session",
    }
    assert scorocode_entry.state is ConfigEntryState.LOADED


async def test_scorocode_reauth_with_new_keys(
    hass: HomeAssistant, simulator: Simulator, scorocode_entry: MockConfigEntry
) -> None:
    """Keys changed in the application: the new ones are checked, then stored."""
    app = simulator.apps[demo.APP_ID]
    app.master_key = "new-master-key"
    app.client_keys = {"android": "new-client-key"}
    result = await scorocode_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_scorocode"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"access_key": "new-master-key"}
    )
    assert result["errors"] == {"base": "invalid_auth"}  # the old client key is refused
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"access_key": "new-master-key", "client_key": "new-client-key"}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert scorocode_entry.data["access_key"] == "new-master-key"
    assert scorocode_entry.data["client_key"] == "new-client-key"
    assert scorocode_entry.unique_id == demo.APP_ID


async def test_gateway_reconfigure_keeps_secrets(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    result = await gateway_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_gateway"
    assert result["description_placeholders"]["example_url"].startswith("https://")
    new_url = f"{gateway_entry.data['url']}/sendsmsjson.php"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"url": new_url, "username": demo.LOGIN, "password": "", "verify_ssl": False},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert "translation_domain" not in result  # the integration's own text is shown
    assert gateway_entry.data["url"] == new_url
    assert gateway_entry.data["verify_ssl"] is False
    assert gateway_entry.data["password"] == demo.PASSWORD


async def test_gateway_reconfigure_error(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    result = await gateway_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"url": gateway_entry.data["url"], "username": demo.LOGIN, "password": "wrong"},
    )
    assert result["errors"] == {"base": "invalid_auth"}


async def test_gateway_reconfigure_to_another_account(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    simulator.add_account("other", "other-password")
    result = await gateway_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"url": gateway_entry.data["url"], "username": "other", "password": "other-password"},
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert gateway_entry.data["username"] == demo.LOGIN


async def test_scorocode_reconfigure(
    hass: HomeAssistant,
    simulator: Simulator,
    simulator_server: SimulatorServer,
    scorocode_entry: MockConfigEntry,
) -> None:
    result = await scorocode_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_scorocode"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"url": simulator_server.scorocode_url, "app_id": demo.APP_ID, "session_id": ""},
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert scorocode_entry.data["access_key"] == demo.MESSAGE_KEY

    result = await scorocode_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"url": simulator_server.scorocode_url, "app_id": "another-app"}
    )
    assert result["reason"] == "wrong_account"


async def test_options(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_init(gateway_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    # Polling is the integration's choice (`appropriate-polling`), not an option.
    assert [str(field) for field in result["data_schema"].schema] == [
        "delivery_reports",
        "daily_sms_limit",
    ]

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"delivery_reports": False}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert gateway_entry.options == {
        "delivery_reports": False,
        "daily_sms_limit": 100,  # the default, shown in the form
    }
    coordinator = gateway_entry.runtime_data.coordinator  # a new one: the entry reloaded
    assert not coordinator.delivery.enabled


@pytest.mark.parametrize("limit", [100_001, -1, 2.5])
async def test_options_refuse_a_limit_out_of_bounds_with_a_translated_error(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry, limit: float
) -> None:
    """Not the selector's untranslated "Value … is too large": the integration's own error."""
    result = await hass.config_entries.options.async_init(gateway_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"delivery_reports": False, "daily_sms_limit": limit}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"daily_sms_limit": "invalid_daily_sms_limit"}
    assert result["description_placeholders"] == {"max_limit": "100000"}
    suggested = {
        str(field): field.description["suggested_value"]
        for field in result["data_schema"].schema
        if field.description
    }
    assert suggested == {"delivery_reports": False, "daily_sms_limit": limit}  # kept
    assert gateway_entry.options == {"delivery_reports": True}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"delivery_reports": True, "daily_sms_limit": 0}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert gateway_entry.options == {"delivery_reports": True, "daily_sms_limit": 0}


async def test_options_refuse_a_polling_interval(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(gateway_entry.entry_id)
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"scan_interval": 120, "delivery_reports": True}
        )
    assert gateway_entry.options == {"delivery_reports": True}


def test_subentry_types_and_options_per_kind(
    gateway_entry: MockConfigEntry, scorocode_entry: MockConfigEntry
) -> None:
    assert JsonGateConfigFlow.async_get_supported_subentry_types(gateway_entry) == {
        SUBENTRY_RECIPIENT: RecipientSubentryFlowHandler
    }
    assert JsonGateConfigFlow.async_get_supported_subentry_types(scorocode_entry) == {
        SUBENTRY_AUDIENCE: AudienceSubentryFlowHandler
    }
    assert JsonGateConfigFlow.async_supports_options_flow(gateway_entry)
    assert not JsonGateConfigFlow.async_supports_options_flow(scorocode_entry)
