"""Repair issues: a blocked account and a gateway refusing SMS for lack of money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.clients import GatewayRuntimeData
from custom_components.jsongate.const import CONF_DAILY_SMS_LIMIT, DOMAIN, UPDATE_INTERVAL
from simulator.demo import LOGIN
from simulator.simulator import Simulator

from .conftest import advance, send_sms, setup_entry

PHONE = "79161234567"


def _issue(hass: HomeAssistant, kind: str, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{entry.entry_id}")


async def _poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    runtime = entry.runtime_data
    assert isinstance(runtime, GatewayRuntimeData)
    await runtime.coordinator.async_refresh()
    await hass.async_block_till_done()


async def _reload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload `entry` and wait for what the reload starts."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def _works_again(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload `entry`, as a user does once the account is unblocked: it loads, issue gone."""
    await _reload(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert _issue(hass, "account_blocked", entry) is None


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
    await _works_again(hass, gateway_entry)


async def test_blocked_while_polling_stops_the_entry(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)
    simulator.account(LOGIN).blocked = True

    await _poll(hass, gateway_entry)

    assert _issue(hass, "account_blocked", gateway_entry) is not None
    assert gateway_entry.state is ConfigEntryState.SETUP_ERROR
    requests = len(simulator.requests)
    simulator.account(LOGIN).blocked = False
    await hass.async_block_till_done()
    assert len(simulator.requests) == requests  # it does not come back by itself

    await _works_again(hass, gateway_entry)


async def test_no_money_raises_an_issue_until_the_balance_is_back(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)
    account = simulator.account(LOGIN)
    account.money = Decimal("0.5")
    await _poll(hass, gateway_entry)

    with pytest.raises(HomeAssistantError):
        await send_sms(hass, gateway_entry, [PHONE])

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
    await setup_entry(hass, gateway_entry)
    account = simulator.account(LOGIN)
    account.money = Decimal(0)
    with pytest.raises(HomeAssistantError):
        await send_sms(hass, gateway_entry, [PHONE])
    assert _issue(hass, "out_of_money", gateway_entry) is not None

    account.money = Decimal(100)  # topped up, before any poll saw it
    await send_sms(hass, gateway_entry, [PHONE])
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


async def _refused_for_money(
    hass: HomeAssistant, simulator: Simulator, entry: MockConfigEntry
) -> None:
    simulator.account(LOGIN).money = Decimal(0)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, entry, [PHONE])
    assert _issue(hass, "out_of_money", entry) is not None, caught.value.translation_key


async def test_no_money_issue_outlives_a_reload_until_an_sms_is_accepted(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)
    await _refused_for_money(hass, simulator, gateway_entry)

    await _reload(hass, gateway_entry)  # e.g. the options were changed
    assert _issue(hass, "out_of_money", gateway_entry) is not None
    await _poll(hass, gateway_entry)  # the same balance: still there
    assert _issue(hass, "out_of_money", gateway_entry) is not None

    simulator.account(LOGIN).money = Decimal(1000)
    await send_sms(hass, gateway_entry, [PHONE])
    assert _issue(hass, "out_of_money", gateway_entry) is None


async def test_no_money_issue_after_a_reload_goes_when_the_balance_grows(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)
    await _refused_for_money(hass, simulator, gateway_entry)
    await _reload(hass, gateway_entry)

    simulator.account(LOGIN).money = Decimal(10)
    await _poll(hass, gateway_entry)
    assert _issue(hass, "out_of_money", gateway_entry) is None


async def test_no_money_issue_compares_with_the_balance_after_the_refusal(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """The balance known at the refusal is the setup's; the next poll reads what is left."""
    await setup_entry(hass, gateway_entry)
    account = simulator.account(LOGIN)
    before = account.money
    await _refused_for_money(hass, simulator, gateway_entry)

    readings = len(simulator.requests_of_type("balance"))
    await advance(hass, freezer, int(UPDATE_INTERVAL.total_seconds()))
    assert len(simulator.requests_of_type("balance")) == readings + 1  # the next poll
    assert _issue(hass, "out_of_money", gateway_entry) is not None

    account.money = before / 2  # topped up, to less than the balance read at setup
    await _poll(hass, gateway_entry)
    assert _issue(hass, "out_of_money", gateway_entry) is None


async def test_disabling_the_entry_withdraws_its_issues(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, gateway_entry)
    await send_sms(hass, gateway_entry, [PHONE])  # one part today
    await _refused_for_money(hass, simulator, gateway_entry)
    hass.config_entries.async_update_entry(
        gateway_entry, options={**gateway_entry.options, CONF_DAILY_SMS_LIMIT: 1}
    )
    await _reload(hass, gateway_entry)
    assert _issue(hass, "daily_sms_limit_reached", gateway_entry) is not None
    assert _issue(hass, "out_of_money", gateway_entry) is not None

    await hass.config_entries.async_set_disabled_by(
        gateway_entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    assert _issue(hass, "out_of_money", gateway_entry) is None
    assert _issue(hass, "daily_sms_limit_reached", gateway_entry) is None
