"""Every form fills every placeholder its texts use, in English and in Russian.

A placeholder the flow doesn't fill shows as "Translation error" in the frontend. The
browser test sees that in Chromium; this finds it in a second, form by form.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

import custom_components.jsongate as integration
from custom_components.jsongate.const import DOMAIN
from simulator import Simulator

INTEGRATION = Path(integration.__file__).parent
TRANSLATIONS = {
    name: json.loads(path.read_text(encoding="utf-8"))
    for name, path in (
        ("strings", INTEGRATION / "strings.json"),
        ("ru", INTEGRATION / "translations" / "ru.json"),
    )
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _texts(step: dict[str, Any]) -> list[str]:
    texts = [step.get("title", ""), step.get("description", "")]
    return texts + list(step.get("data_description", {}).values())


def _assert_filled(result: Any, section: list[str]) -> None:
    """Each placeholder of the form's step (in every language) has a value."""
    assert result["type"] == "form", result
    given = set(result.get("description_placeholders") or {})
    for language, translations in TRANSLATIONS.items():
        node = translations
        for key in section:
            node = node[key]
        for text in _texts(node["step"][result["step_id"]]):
            missing = set(PLACEHOLDER.findall(text)) - given
            assert not missing, (language, section, result["step_id"], missing)


async def _config_form(hass: HomeAssistant, next_step: str) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": next_step}
    )


@pytest.mark.parametrize("kind", ["gateway", "scorocode"])
async def test_setup_forms(hass: HomeAssistant, simulator: Simulator, kind: str) -> None:
    _assert_filled(await _config_form(hass, kind), ["config"])


async def test_reauth_and_reconfigure_forms(
    hass: HomeAssistant,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
    scorocode_entry: MockConfigEntry,
) -> None:
    for entry in (gateway_entry, scorocode_entry):
        _assert_filled(await entry.start_reauth_flow(hass), ["config"])
        _assert_filled(await entry.start_reconfigure_flow(hass), ["config"])


async def test_options_form(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(gateway_entry.entry_id)
    _assert_filled(result, ["options"])


async def _subentry_forms(
    hass: HomeAssistant, entry: MockConfigEntry, kind: str, data: dict[str, Any]
) -> None:
    """The add form, then the reconfigure form of the subentry it made."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    flows = hass.config_entries.subentries
    result = await flows.async_init((entry.entry_id, kind), context={"source": SOURCE_USER})
    _assert_filled(result, ["config_subentries", kind])

    await flows.async_configure(result["flow_id"], {"name": "Them", **data})
    (subentry_id,) = entry.subentries
    result = await flows.async_init(
        (entry.entry_id, kind),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry_id},
    )
    _assert_filled(result, ["config_subentries", kind])


async def test_recipient_forms(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await _subentry_forms(hass, gateway_entry, "recipient", {"phone_numbers": ["79161234567"]})


async def test_audience_forms(
    hass: HomeAssistant, simulator: Simulator, scorocode_entry: MockConfigEntry
) -> None:
    data = {"channel": "push", "collection": "devices"}
    await _subentry_forms(hass, scorocode_entry, "audience", data)
