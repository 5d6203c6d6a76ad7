"""Diagnostics: useful for support, and without a single secret."""

from __future__ import annotations

import json
from types import MappingProxyType

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from simulator import Simulator, demo


async def test_gateway_diagnostics_have_no_secret(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    hass.config_entries.async_update_entry(
        gateway_entry, data={**gateway_entry.data, "api_token": demo.TOKEN}
    )
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, gateway_entry)

    dump = json.dumps(diagnostics, ensure_ascii=False)
    for secret in (demo.PASSWORD, demo.TOKEN):
        assert secret not in dump
    assert diagnostics["entry"]["data"]["password"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["api_token"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["username"] == "**REDACTED**"
    coordinator = diagnostics["coordinator"]
    assert coordinator["last_update_success"] is True
    assert coordinator["balance"]["money"] == "150"
    assert coordinator["balance"]["areas"]["МТС"] == 100
    assert coordinator["gateway_utc_offset"] == "3:00:00"
    assert coordinator["incoming_cursor"]
    assert coordinator["delivery_reports_enabled"] is True
    assert coordinator["delivery_reports_pending"] == 0


async def test_scorocode_diagnostics_have_no_secret(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    scorocode_entry: MockConfigEntry,
) -> None:
    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, scorocode_entry)

    dump = json.dumps(diagnostics, ensure_ascii=False)
    for secret in (demo.CLIENT_KEY, demo.MESSAGE_KEY, demo.SESSION_ID):
        assert secret not in dump
    assert diagnostics["entry"]["data"]["app_id"] == demo.APP_ID
    assert "coordinator" not in diagnostics


async def test_an_audience_query_is_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    scorocode_entry: MockConfigEntry,
) -> None:
    """A query selects people (by phone, e-mail, user name): it is theirs, not a setting."""
    hass.config_entries.async_add_subentry(
        scorocode_entry,
        ConfigSubentry(
            data=MappingProxyType(
                {"channel": "sms", "collection": "users", "query": {"email": "anna@example.org"}}
            ),
            subentry_type="audience",
            title="Anna",
            unique_id=None,
        ),
    )
    assert await hass.config_entries.async_setup(scorocode_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, scorocode_entry)

    dump = json.dumps(diagnostics, ensure_ascii=False)
    assert "anna@example.org" not in dump
    (subentry,) = diagnostics["entry"]["subentries"]
    assert subentry["data"]["query"] == "**REDACTED**"
    assert subentry["data"]["collection"] == "users"
