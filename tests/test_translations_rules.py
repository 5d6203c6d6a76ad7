"""strings.json and every translation file pass Home Assistant's own translation rules.

hassfest (core's `script/hassfest/translations.py`) is not shipped with Home Assistant,
so its rules are restated here: only the keys it allows, in the places it allows them;
every text without HTML, URLs, leading or trailing spaces or combined references;
placeholders that are identifiers (`{"deviceType": "android"}` is read as one and breaks
the frontend's message formatter) and not inside single quotes; no placeholder in entity
states; `data_description` only for fields the step has; `[%key:...%]` references that
resolve, one level deep.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.helpers import config_validation as cv

import custom_components.jsongate as integration

INTEGRATION = Path(integration.__file__).parent
FILES = [INTEGRATION / "strings.json", *sorted((INTEGRATION / "translations").glob("*.json"))]

REFERENCE = re.compile(r"^\[%key:(.+)%\]$")
COMBINED_REFERENCE = re.compile(r"(.+\[%)|(%\].+)")
QUOTED_PLACEHOLDER = re.compile(r"'\{\w+\}'")
URL = re.compile(
    r"(((ftp|ftps|scp|http|https|mqtt|mqtts|socket|socks5)://|www\.)"
    r"[a-z0-9]+([\-.][a-z0-9]+)*\.[a-z]{2,5}(:[0-9]{1,5})?(/.*)?)",
    re.IGNORECASE,
)
TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")


def _text(value: Any, *, placeholders: bool = True) -> str:
    """A translated text as hassfest accepts it."""
    text: str = cv.string_with_no_html(value)
    if QUOTED_PLACEHOLDER.search(text):
        raise vol.Invalid("placeholder inside single quotes")
    for _, field, _, _ in string.Formatter().parse(text):
        if not field:
            continue
        if not placeholders:
            raise vol.Invalid("placeholders are not allowed here")
        if not field.isidentifier():
            raise vol.Invalid(f"placeholder {{{field}}} is not an identifier")
    if COMBINED_REFERENCE.search(text):
        raise vol.Invalid("combined translations")
    if text != text.strip():
        raise vol.Invalid("leading or trailing spaces")
    if URL.search(text):
        raise vol.Invalid("a URL: use a description placeholder instead")
    return text


def _state_text(value: Any) -> str:
    return _text(value, placeholders=False)


def _key(value: Any) -> str:
    if not isinstance(value, str) or not TRANSLATION_KEY.match(value):
        raise vol.Invalid(f"invalid translation key {value!r}")
    return value


def _keyed(schema: Any, keys: Any = _key) -> dict[Any, Any]:
    return {keys: schema}


TEXTS = {str: _text}


def _data_entry(*, subentry: bool = False) -> vol.All:
    """A config, options or subentry flow's texts."""
    schema: dict[Any, Any] = {
        vol.Optional("flow_title"): _text,
        vol.Required("step"): {
            str: {
                vol.Optional("title"): _text,
                vol.Optional("description"): _text,
                vol.Optional("data"): TEXTS,
                vol.Optional("data_description"): TEXTS,
                vol.Optional("menu_options"): TEXTS,
                vol.Optional("menu_option_descriptions"): TEXTS,
                vol.Optional("submit"): _text,
                vol.Optional("sections"): {
                    str: {
                        vol.Optional("data"): TEXTS,
                        vol.Optional("data_description"): TEXTS,
                        vol.Optional("description"): _text,
                        vol.Optional("name"): _text,
                    }
                },
            }
        },
        vol.Optional("error"): TEXTS,
        vol.Optional("abort"): TEXTS,
        vol.Optional("progress"): TEXTS,
        vol.Optional("create_entry"): TEXTS,
    }
    if subentry:
        schema[vol.Required("entry_type")] = _text
        schema[vol.Required("initiate_flow")] = {vol.Required("user"): _text, str: _text}
    else:
        schema[vol.Optional("initiate_flow")] = {vol.Required("user"): _text}

    def described_fields_exist(value: dict[str, Any]) -> dict[str, Any]:
        for step_id, step in value["step"].items():
            for field in step.get("data_description", {}):
                if field not in step.get("data", {}):
                    raise vol.Invalid(f"step {step_id}: data_description {field} is not in data")
        return value

    return vol.All(vol.Schema(schema), described_fields_exist)


FIELDS = _keyed(
    {
        vol.Required("name"): str,
        vol.Required("description"): _text,
        vol.Optional("example"): _text,
    }
)
STRINGS_SCHEMA = vol.Schema(
    {
        vol.Optional("title"): _text,
        vol.Optional("config"): _data_entry(),
        vol.Optional("config_subentries"): _keyed(
            _data_entry(subentry=True), vol.Any("_", cv.slug)
        ),
        vol.Optional("options"): _data_entry(),
        vol.Optional("selector"): _keyed(
            {
                vol.Optional("choices"): _keyed(_text),
                vol.Optional("options"): _keyed(_text),
                vol.Optional("unit_of_measurement"): _keyed(_text),
                vol.Optional("fields"): _keyed(
                    {vol.Required("name"): str, vol.Required("description"): _text}
                ),
            },
            vol.Any("_", cv.slug),
        ),
        vol.Optional("issues"): {
            str: vol.All(
                cv.has_at_least_one_key("description", "fix_flow"),
                {
                    vol.Required("title"): _text,
                    vol.Exclusive("description", "fixable"): _text,
                    vol.Exclusive("fix_flow", "fixable"): _data_entry(),
                },
            )
        },
        vol.Optional("device"): _keyed({vol.Optional("name"): _text}),
        vol.Optional("entity"): _keyed(
            _keyed(
                {
                    vol.Optional("name"): _text,
                    vol.Optional("state"): _keyed(_state_text),
                    vol.Optional("state_attributes"): _keyed(
                        {
                            vol.Optional("name"): _state_text,
                            vol.Optional("state"): _keyed(_state_text),
                        }
                    ),
                    vol.Optional("unit_of_measurement"): _state_text,
                }
            ),
            cv.slug,
        ),
        vol.Optional("exceptions"): _keyed({vol.Optional("message"): _text}, cv.slug),
        vol.Optional("services"): _keyed(
            {
                vol.Required("name"): _text,
                vol.Required("description"): _text,
                vol.Optional("fields"): FIELDS,
                vol.Optional("sections"): _keyed(
                    {vol.Required("name"): str, vol.Optional("description"): _text}
                ),
            }
        ),
        vol.Optional("common"): {cv.slug: _text},
    }
)


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _references(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for key, value in tree.items():
        path = f"{prefix}::{key}" if prefix else key
        if isinstance(value, dict):
            found += _references(value, path)
        elif match := REFERENCE.match(value):
            found.append((path, match.group(1)))
    return found


def _resolve(reference: str, strings: dict[str, Any]) -> Any:
    """The text a `[%key:...%]` reference names: in this integration or in core's strings."""
    parts = reference.split("::")
    if parts[:2] == ["component", "jsongate"]:
        node: Any = strings
        parts = parts[2:]
    elif parts[0] == "common":
        core = Path(cv.__file__).parents[1] / "strings.json"
        node = _load(core)
    else:
        return None
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_file_passes_hassfest_rules(path: Path) -> None:
    try:
        STRINGS_SCHEMA(_load(path))
    except vol.MultipleInvalid as err:
        pytest.fail(f"{path.name}: " + "; ".join(str(error) for error in err.errors))


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_references_resolve_one_level_deep(path: Path) -> None:
    strings = _load(INTEGRATION / "strings.json")
    for source, reference in _references(_load(path)):
        target = _resolve(reference, strings)
        assert isinstance(target, str), f"{path.name} {source}: {reference} does not resolve"
        assert not REFERENCE.match(target), f"{path.name} {source}: a reference to a reference"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('such as {"deviceType": "android"}', "not an identifier"),
        ("for example https://sms.example.com", "URL"),
        ("Set '{name}' here", "single quotes"),
        ("<b>bold</b>", "HTML"),
        (" padded", "spaces"),
    ],
)
def test_rules_refuse_what_hassfest_refuses(text: str, reason: str) -> None:
    """The restated rules do refuse: each kind of text hassfest refuses fails here."""
    with pytest.raises(vol.Invalid, match=f"(?i){reason}"):
        _text(text)


def test_rules_accept_identifier_placeholders() -> None:
    text = "Placeholders such as {example_url} and {query_example} are fine"
    assert _text(text) == text


def test_every_translation_file_is_checked() -> None:
    assert {path.name for path in FILES} >= {"strings.json", "en.json", "ru.json"}
