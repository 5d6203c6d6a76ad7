"""The actions reference's examples, run in Home Assistant against the simulator.

Each documented example runs as a script step (templates and `response_variable`
included), in the order of the reference, as a user might run them one after the other,
in Moscow's time zone, with SMS delivered at once. Each response must have the keys the
reference shows under the action; values differ from run to run (times).
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.script import Script, async_validate_actions_config
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.jsongate.const import DOMAIN
from simulator import Simulator
from tests import reference

# The titles the examples' entity IDs come from.
GATEWAY_TITLE = "TargetSMS (home)"
SCOROCODE_TITLE = "Scorocode (my shop)"
AUDIENCE_TITLE = "Android phones"
# Set to a file name to write the real responses there, as JSON, when a response changes:
# `JSONGATE_DOCS_DUMP=/tmp/responses.json pytest tests/integration/test_docs.py`, then
# copy the changed response into both references.
DUMP = os.environ.get("JSONGATE_DOCS_DUMP")


def _same_keys(documented: Any, real: Any, path: str) -> list[str]:
    """Where `real` has other keys than `documented`; `null` stands for any value."""
    if documented is None or real is None:
        return []
    if isinstance(documented, dict) and isinstance(real, dict):
        if set(documented) != set(real):
            return [f"{path}: documented {sorted(documented)}, real {sorted(real)}"]
        return [
            problem
            for key in documented
            for problem in _same_keys(documented[key], real[key], f"{path}.{key}")
        ]
    if isinstance(documented, list) and isinstance(real, list):
        return _same_items(documented, real, path)
    if isinstance(documented, dict | list) or isinstance(real, dict | list):
        return [f"{path}: documented {documented!r}, real {real!r}"]
    return []


def _same_items(documented: list[Any], real: list[Any], path: str) -> list[str]:
    """Items differ (a sent and a failed number): each must look like one of the other's."""
    if not documented or not real:
        return [] if documented == real else [f"{path}: one list is empty"]
    problems = [
        f"{path}[{index}]: {min(found, key=len)}"
        for index, item in enumerate(documented)
        if all(found := [_same_keys(item, other, path) for other in real])
    ]
    problems += [
        f"{path}[real {index}]: {min(found, key=len)}"
        for index, item in enumerate(real)
        if all(found := [_same_keys(other, item, path) for other in documented])
    ]
    return problems


@pytest.fixture
async def entries(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    scorocode_entry: MockConfigEntry,
) -> None:
    """The account and the application the examples name, set up."""
    await hass.config.async_set_time_zone("Europe/Moscow")
    simulator.delivery_delay = timedelta(0)
    hass.config_entries.async_update_entry(gateway_entry, title=GATEWAY_TITLE)
    hass.config_entries.async_update_entry(scorocode_entry, title=SCOROCODE_TITLE)
    hass.config_entries.async_add_subentry(
        scorocode_entry,
        ConfigSubentry(
            data=MappingProxyType(
                {"channel": "push", "collection": "devices", "query": {"deviceType": "android"}}
            ),
            subentry_type="audience",
            title=AUDIENCE_TITLE,
            unique_id=None,
        ),
    )
    # Setting up the integration sets up both entries.
    assert await hass.config_entries.async_setup(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert gateway_entry.state is ConfigEntryState.LOADED
    assert scorocode_entry.state is ConfigEntryState.LOADED
    registry = er.async_get(hass)
    assert registry.async_get("sensor.targetsms_home_balance")
    assert registry.async_get("notify.android_phones")


@pytest.mark.usefixtures("entries")
async def test_examples_run_and_answer_as_documented(hass: HomeAssistant) -> None:
    sections = reference.action_sections("en")
    real: dict[str, Any] = {}
    for action, section in sections.items():
        for call in reference.examples(section, "en"):
            sequence = await async_validate_actions_config(hass, cv.SCRIPT_SCHEMA([call]))
            script = Script(hass, sequence, f"docs {action}", DOMAIN)
            result = await script.async_run(context=Context())
            assert result is not None
            if "response_variable" in call and action not in real:
                real[action] = result.variables[call["response_variable"]]
    if DUMP:
        text = json.dumps(real, ensure_ascii=False, indent=2, default=str)
        await hass.async_add_executor_job(Path(DUMP).write_text, text, "utf-8")
    assert set(real) == set(sections)
    for action in sections:
        for language in reference.REFERENCES:
            documented = reference.response(reference.action_sections(language)[action], language)
            assert not _same_keys(documented, real[action], action), (language, real[action])
