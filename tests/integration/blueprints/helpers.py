"""Helpers for the blueprints' tests: an automation or script made from a blueprint.

A blueprint is used the way a user uses it: `use_blueprint` in the configuration of
the `automation` or `script` component, loaded by Home Assistant's own setup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.automation import EVENT_AUTOMATION_TRIGGERED
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from custom_components.jsongate.const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import Event, HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry


def entity_id(hass: HomeAssistant, domain: str, unique_id: str) -> str:
    """The id of the jsonGate entity with `unique_id`."""
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert found is not None, unique_id
    return found


async def use_automation_blueprint(
    hass: HomeAssistant, path: str, inputs: dict[str, Any]
) -> list[Event[Mapping[str, Any]]]:
    """Make and turn on an automation from a blueprint; returns the list of its runs.

    A run is an `automation_triggered` event: the trigger fired and the conditions
    passed. Counting runs, not only SMS, catches a run whose notification was lost
    (for instance because the notify entity was reloading at that moment), and shows
    that an SMS the blueprint must ignore did not even start a run.
    """
    runs: list[Event[Mapping[str, Any]]] = []
    hass.bus.async_listen(EVENT_AUTOMATION_TRIGGERED, runs.append)
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": {"id": "under_test", "use_blueprint": {"path": path, "input": inputs}}},
    )
    await hass.async_block_till_done()
    automations = hass.states.async_entity_ids("automation")
    assert len(automations) == 1, automations
    state = hass.states.get(automations[0])
    assert state is not None
    assert state.state == "on", state
    return runs


async def use_script_blueprint(
    hass: HomeAssistant, name: str, path: str, inputs: dict[str, Any]
) -> str:
    """Make script `name` from a blueprint; returns its entity id."""
    assert await async_setup_component(
        hass,
        "script",
        {"script": {name: {"use_blueprint": {"path": path, "input": inputs}}}},
    )
    await hass.async_block_till_done()
    script = f"script.{name}"
    state = hass.states.get(script)
    assert state is not None, hass.states.async_entity_ids("script")
    assert state.state == "off", state
    return script


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Refresh the account now, and let whatever it fired run."""
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
