"""Fixtures for the integration's tests inside a real Home Assistant.

Every test talks real HTTP on 127.0.0.1 to the project's simulator (`simulator/`),
which starts with the demo data (`simulator.demo`): the `demo` jsonGate account and the
`demo-app` Scorocode application.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

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
def simulator() -> Simulator:
    """The simulator's state: the demo account and app, on the simulator's own clock."""
    return build_demo()


@pytest.fixture
async def simulator_server(simulator: Simulator) -> AsyncIterator[SimulatorServer]:
    """The simulator serving on 127.0.0.1 at a free port."""
    async with SimulatorServer(simulator, host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def gateway_entry(hass: HomeAssistant, simulator_server: SimulatorServer) -> MockConfigEntry:
    """A config entry for the demo jsonGate account, added to hass but not set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"{simulator_server.url} ({demo.LOGIN})",
        unique_id=f"127.0.0.1_{demo.LOGIN}",
        data={
            CONF_ENTRY_TYPE: ENTRY_TYPE_GATEWAY,
            CONF_URL: simulator_server.url,
            CONF_USERNAME: demo.LOGIN,
            CONF_PASSWORD: demo.PASSWORD,
            CONF_API_TOKEN: "",
            CONF_VERIFY_SSL: True,
        },
        options={CONF_DELIVERY_REPORTS: True},
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def scorocode_entry(hass: HomeAssistant, simulator_server: SimulatorServer) -> MockConfigEntry:
    """A config entry for the demo Scorocode application, added to hass but not set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=demo.APP_ID,
        unique_id=demo.APP_ID,
        data={
            CONF_ENTRY_TYPE: ENTRY_TYPE_SCOROCODE,
            CONF_URL: simulator_server.scorocode_url,
            CONF_APP_ID: demo.APP_ID,
            CONF_CLIENT_KEY: demo.CLIENT_KEY,
            CONF_ACCESS_KEY: demo.MESSAGE_KEY,
            CONF_SESSION_ID: demo.SESSION_ID,
        },
    )
    entry.add_to_hass(hass)
    return entry
