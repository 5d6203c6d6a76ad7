"""Fixtures for the integration's tests inside a real Home Assistant.

Every test talks real HTTP on 127.0.0.1 to the project's simulator (`simulator/`),
which starts with the demo data (`simulator.demo`): the `demo` jsonGate account and the
`demo-app` Scorocode application.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.jsongate import sender as sender_module
from custom_components.jsongate.const import (
    CONF_ACCESS_KEY,
    CONF_API_TOKEN,
    CONF_APP_ID,
    CONF_CLIENT_KEY,
    CONF_DELIVERY_REPORTS,
    CONF_ENTRY_TYPE,
    CONF_SESSION_ID,
    DOMAIN,
    ENTRY_TYPE_GATEWAY,
    ENTRY_TYPE_SCOROCODE,
)
from simulator import Simulator, SimulatorServer, build_demo, demo


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots as core writes them: in `snapshots/`, without registry ids or contexts.

    The plugin's own `snapshot` fixture loses to syrupy's plain one, so it is named here.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def short_stop_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Home Assistant's stop waits 0.2 s for sends in flight, less than the latencies tests add."""
    monkeypatch.setattr(sender_module, "STOP_WAIT", 0.2)


@pytest.fixture
def simulator() -> Simulator:
    """The simulator's state: the demo account and app, on the simulator's own clock."""
    return build_demo()


@pytest.fixture
async def simulator_server(simulator: Simulator) -> AsyncIterator[SimulatorServer]:
    """The simulator serving on 127.0.0.1 at a free port."""
    async with SimulatorServer(simulator, host="127.0.0.1", port=0) as server:
        yield server


def make_gateway_entry(url: str, **overrides: Any) -> MockConfigEntry:
    """A config entry for the demo jsonGate account served at `url`, not yet added to hass.

    `overrides` replace or add MockConfigEntry's arguments (entry_id, title, subentries_data...).
    """
    arguments: dict[str, Any] = {
        "domain": DOMAIN,
        "title": f"{url} ({demo.LOGIN})",
        "unique_id": f"127.0.0.1_{demo.LOGIN}",
        "data": {
            CONF_ENTRY_TYPE: ENTRY_TYPE_GATEWAY,
            CONF_URL: url,
            CONF_USERNAME: demo.LOGIN,
            CONF_PASSWORD: demo.PASSWORD,
            CONF_API_TOKEN: "",
            CONF_VERIFY_SSL: True,
        },
        "options": {CONF_DELIVERY_REPORTS: True},
    }
    return MockConfigEntry(**(arguments | overrides))


def make_scorocode_entry(url: str, **overrides: Any) -> MockConfigEntry:
    """A config entry for the demo Scorocode application served at `url`, not yet added.

    `overrides` replace or add MockConfigEntry's arguments (entry_id, title, subentries_data...).
    """
    arguments: dict[str, Any] = {
        "domain": DOMAIN,
        "title": demo.APP_ID,
        "unique_id": demo.APP_ID,
        "data": {
            CONF_ENTRY_TYPE: ENTRY_TYPE_SCOROCODE,
            CONF_URL: url,
            CONF_APP_ID: demo.APP_ID,
            CONF_CLIENT_KEY: demo.CLIENT_KEY,
            CONF_ACCESS_KEY: demo.MESSAGE_KEY,
            CONF_SESSION_ID: demo.SESSION_ID,
        },
    }
    return MockConfigEntry(**(arguments | overrides))


@pytest.fixture
def gateway_entry(hass: HomeAssistant, simulator_server: SimulatorServer) -> MockConfigEntry:
    """A config entry for the demo jsonGate account, added to hass but not set up."""
    entry = make_gateway_entry(simulator_server.url, version=1, minor_version=2)
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def scorocode_entry(hass: HomeAssistant, simulator_server: SimulatorServer) -> MockConfigEntry:
    """A config entry for the demo Scorocode application, added to hass but not set up."""
    entry = make_scorocode_entry(simulator_server.scorocode_url)
    entry.add_to_hass(hass)
    return entry


async def setup_entry(hass: HomeAssistant, *entries: MockConfigEntry) -> None:
    """Set up the integration: the first entry, and with it every entry added so far."""
    assert await hass.config_entries.async_setup(entries[0].entry_id)
    await hass.async_block_till_done()
    assert all(entry.state is ConfigEntryState.LOADED for entry in entries)


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int = 60) -> None:
    """Move the frozen clock on by `seconds` and let every timer and task it starts finish."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def until(condition: Callable[[], object], step: float = 0.01) -> None:
    """Let the event loop run until `condition` holds; a loaded machine may take a while."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - polls state owned by the code under test or the simulator
            await asyncio.sleep(step)


async def send_sms(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    recipients: list[str],
    message: str = "Hi",
    **fields: Any,
) -> dict[str, Any]:
    """Call the `send_sms` action for `entry` as a user would; `fields` are its other fields."""
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": entry.entry_id, "recipients": recipients, "message": message, **fields},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return response


def same_entry(entry: MockConfigEntry) -> MockConfigEntry:
    """The same config entry, for another Home Assistant started on the same storage."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=entry.entry_id,
        title=entry.title,
        unique_id=entry.unique_id,
        data=dict(entry.data),
        options=dict(entry.options),
    )


@asynccontextmanager
async def restarted(
    hass: HomeAssistant, entry: MockConfigEntry
) -> AsyncIterator[tuple[HomeAssistant, MockConfigEntry]]:
    """A second Home Assistant on `hass`'s storage, as after a restart, with `entry` added.

    Yields that Home Assistant and its copy of `entry` (not set up); stops it when the
    block ends. The first one is expected to be stopped already.
    """
    async with async_test_home_assistant(config_dir=hass.config.config_dir) as second:
        second.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        copy = same_entry(entry)
        copy.add_to_hass(second)
        yield second, copy
        await second.async_stop()
