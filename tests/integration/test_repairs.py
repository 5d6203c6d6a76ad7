"""Repair issues: a blocked account and a gateway refusing SMS for lack of money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from custom_components.jsongate.data import GatewayRuntimeData
from simulator.demo import LOGIN
from simulator.simulator import Simulator


def _issue(hass: HomeAssistant, kind: str, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{entry.entry_id}")


async def _poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    runtime = entry.runtime_data
    assert isinstance(runtime, GatewayRuntimeData)
    await runtime.coordinator.async_refresh()
    await hass.async_block_till_done()


async def _send(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": entry.entry_id, "recipients": ["79161234567"], "message": "Hi"},
        blocking=True,
        return_response=True,
    )


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_issues_are_translated(hass: HomeAssistant, language: str) -> None:
    texts = await async_get_translations(hass, language, "issues", [DOMAIN])
    for kind in ("account_blocked", "out_of_money"):
        for part in ("title", "description"):
            text = texts[f"component.{DOMAIN}.issues.{kind}.{part}"]
            assert "{entry_title}" in text


async def test_blocked_at_setup_stops_the_entry_until_it_works_again(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    simulator.account(LOGIN).blocked = True

    assert not await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()

    # Not SETUP_RETRY: nothing polls a blocked account.
    assert gateway_entry.state is ConfigEntryState.SETUP_ERROR
    assert gateway_entry.reason is not None
    assert "blocked" in gateway_entry.reason
    issue = _issue(hass, "account_blocked", gateway_entry)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_key == "account_blocked"
    assert issue.translation_placeholders == {"entry_title": gateway_entry.title}

    simulator.account(LOGIN).blocked = False
    assert await hass.config_entries.async_reload(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    assert _issue(hass, "account_blocked", gateway_entry) is None


async def test_blocked_while_polling_stops_the_entry(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    simulator.account(LOGIN).blocked = True

    await _poll(hass, gateway_entry)

    assert _issue(hass, "account_blocked", gateway_entry) is not None
    assert gateway_entry.state is ConfigEntryState.SETUP_ERROR
    requests = len(simulator.requests)
    simulator.account(LOGIN).blocked = False
    await hass.async_block_till_done()
    assert len(simulator.requests) == requests  # it does not come back by itself

    assert await hass.config_entries.async_reload(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    assert _issue(hass, "account_blocked", gateway_entry) is None


async def test_no_money_raises_an_issue_until_the_balance_is_back(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    account = simulator.account(LOGIN)
    account.money = Decimal("0.5")
    await _poll(hass, gateway_entry)

    with pytest.raises(HomeAssistantError):
        await _send(hass, gateway_entry)

    issue = _issue(hass, "out_of_money", gateway_entry)
    assert issue is not None
    assert issue.translation_key == "out_of_money"
    await _poll(hass, gateway_entry)  # the same balance: still there
    assert _issue(hass, "out_of_money", gateway_entry) is not None

    account.money = Decimal(100)  # topped up
    await _poll(hass, gateway_entry)
    assert _issue(hass, "out_of_money", gateway_entry) is None


async def test_an_accepted_sms_withdraws_the_no_money_issue(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    account = simulator.account(LOGIN)
    account.money = Decimal(0)
    with pytest.raises(HomeAssistantError):
        await _send(hass, gateway_entry)
    assert _issue(hass, "out_of_money", gateway_entry) is not None

    account.money = Decimal(100)  # topped up, before any poll saw it
    await _send(hass, gateway_entry)
    assert _issue(hass, "out_of_money", gateway_entry) is None


async def test_removing_the_entry_removes_its_issues(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    simulator.account(LOGIN).blocked = True
    await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert _issue(hass, "account_blocked", gateway_entry) is not None
    await hass.config_entries.async_remove(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert _issue(hass, "account_blocked", gateway_entry) is None
