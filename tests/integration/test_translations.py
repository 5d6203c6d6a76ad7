"""Translations are complete: every key the code can produce has a string, in every file.

Like core's `check_translations` fixture, which pytest-homeassistant-custom-component
does not ship: the keys are read from the code itself (its syntax tree), so a new error,
abort reason or exception without a string fails here.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from custom_components.jsongate import api, config_flow
from custom_components.jsongate.api import GatewayError, InvalidInputError
from custom_components.jsongate.errors import ERROR_KEYS, INPUT_ERROR_KEYS, error_translation

INTEGRATION = Path(config_flow.__file__).parent
STRINGS = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
EN = json.loads((INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8"))
RU = json.loads((INTEGRATION / "translations" / "ru.json").read_text(encoding="utf-8"))
EXCEPTION_CALLS = re.compile(r"(Error|Failed|NotReady)$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
IMPLICIT_ABORTS = {
    "_abort_if_unique_id_configured": "already_configured",
    "_get_reauth_entry": "reauth_successful",
    "_get_reconfigure_entry": "reconfigure_successful",
}


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flat |= _flatten(value, path)
        else:
            flat[path] = value
    return flat


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _strings_assigned(function: ast.AST, name: str) -> set[str]:
    """Every literal a function assigns to `name`, also through `name, x = "a", y`."""
    found: set[str] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                found |= _literals(node.value)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for element, value in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(element, ast.Name) and element.id == name:
                        found |= _literals(value)
    return found


def _literals(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name) and isinstance(getattr(config_flow, node.id, None), str):
        return {getattr(config_flow, node.id)}
    if isinstance(node, ast.IfExp):
        return _literals(node.body) | _literals(node.orelse)
    return set()


def _functions(tree: ast.Module) -> list[ast.AST]:
    return [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _exception_keys() -> set[str]:
    """`translation_key`s of exceptions raised anywhere in the integration."""
    keys: set[str] = set()
    for path in INTEGRATION.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in _functions(tree):
            for node in ast.walk(function):
                if not isinstance(node, ast.Call) or not EXCEPTION_CALLS.search(_call_name(node)):
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "translation_key":
                        continue
                    if isinstance(keyword.value, ast.Name):
                        keys |= _strings_assigned(function, keyword.value.id)
                    else:
                        keys |= _literals(keyword.value)
    # Setup, the coordinator, the actions and the flows translate errors by one table.
    return keys | set(ERROR_KEYS.values()) | set(INPUT_ERROR_KEYS.values())
    return keys


def _config_flow_keys() -> tuple[set[str], set[str], set[str]]:
    """The main flow's step ids, form errors and abort reasons."""
    tree = ast.parse(Path(config_flow.__file__).read_text(encoding="utf-8"))
    steps: set[str] = set()
    errors: set[str] = set()
    aborts: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            _read_call(node, steps, aborts)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant | ast.Name) and _is_error_key(key):
                    errors |= _literals(value)
    # A failed check shows the key of the client's error (the one table).
    errors |= {error_translation(kind("x"))[0] for kind in _subclasses(GatewayError)}
    return steps, errors, aborts


def _read_call(node: ast.Call, steps: set[str], aborts: set[str]) -> None:
    name = _call_name(node)
    for keyword in node.keywords:
        if keyword.arg == "reason":
            aborts |= _literals(keyword.value)
        if keyword.arg == "step_id":
            steps |= _literals(keyword.value)
    if name == "_form" and node.args:
        steps |= _literals(node.args[0])
    if name in IMPLICIT_ABORTS:
        aborts.add(IMPLICIT_ABORTS[name])


def _is_error_key(key: ast.expr) -> bool:
    if isinstance(key, ast.Constant):
        return key.value == "base"
    return isinstance(key, ast.Name) and key.id == "CONF_URL"


@pytest.mark.parametrize("translations", [EN, RU], ids=["en", "ru"])
def test_files_have_the_same_keys(translations: dict[str, Any]) -> None:
    assert set(_flatten(translations)) == set(_flatten(STRINGS))


def test_en_is_strings() -> None:
    assert EN == STRINGS
    assert "[%key:" not in json.dumps(STRINGS)


def test_placeholders_match_in_russian() -> None:
    english = _flatten(STRINGS)
    russian = _flatten(RU)
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(russian[key])), key


def test_russian_is_translated() -> None:
    russian = _flatten(RU)
    cyrillic = sum(1 for text in russian.values() if re.search("[а-яА-Я]", text))
    # Names such as "Tele2" or "API URL" may stay Latin; nearly everything else may not.
    assert cyrillic >= 0.9 * len(russian)


@pytest.mark.parametrize("translations", [STRINGS, RU], ids=["strings", "ru"])
def test_every_exception_has_a_message(translations: dict[str, Any]) -> None:
    keys = _exception_keys()
    assert {"invalid_auth", "cannot_connect"} <= keys
    missing = keys - set(translations.get("exceptions", {}))
    assert not missing


@pytest.mark.parametrize("translations", [STRINGS, RU], ids=["strings", "ru"])
def test_every_flow_step_error_and_abort_has_a_string(translations: dict[str, Any]) -> None:
    steps, errors, aborts = _config_flow_keys()
    assert {
        "gateway",
        "scorocode",
        "reauth_gateway",
        "reauth_scorocode",
        "reconfigure_gateway",
        "reconfigure_scorocode",
        "init",
    } <= steps
    assert {"invalid_auth", "account_blocked", "cannot_connect", "unknown"} <= errors
    assert {
        "already_configured",
        "wrong_account",
        "reauth_successful",
        "reconfigure_successful",
    } <= aborts
    config = translations["config"]
    assert steps - {"init"} <= set(config["step"])
    assert "init" in translations["options"]["step"]
    assert errors <= set(config["error"])
    assert aborts <= set(config["abort"])


@pytest.mark.parametrize(
    ("schema", "steps"),
    [
        (config_flow.GATEWAY_SCHEMA, ["gateway", "reconfigure_gateway"]),
        (config_flow.SCOROCODE_SCHEMA, ["scorocode"]),
        (config_flow.SCOROCODE_RECONFIGURE_SCHEMA, ["reconfigure_scorocode"]),
        (config_flow.GATEWAY_REAUTH_SCHEMA, ["reauth_gateway"]),
        (config_flow.TOKEN_REAUTH_SCHEMA, ["reauth_gateway"]),
        (config_flow.SCOROCODE_REAUTH_SCHEMA, ["reauth_scorocode"]),
    ],
)
def test_every_field_has_a_label_and_a_description(schema: Any, steps: list[str]) -> None:
    for translations in (STRINGS, RU):
        for step in steps:
            texts = translations["config"]["step"][step]
            for field in schema.schema:
                assert str(field) in texts["data"], (step, field)
                assert str(field) in texts["data_description"], (step, field)


# --- the one error vocabulary ---------------------------------------------------------------


def _subclasses(kind: type[Exception]) -> list[type[Exception]]:
    found = [kind]
    for sub in kind.__subclasses__():
        found += _subclasses(sub)
    return found


def _input_reasons() -> set[str]:
    """Every `InvalidInputError.reason` the client can raise, read from its code."""
    reasons = {kind.reason for kind in _subclasses(InvalidInputError)}  # type: ignore[attr-defined]
    for path in Path(api.__file__).parent.glob("*.py"):
        module = getattr(api, path.stem, None)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "reason":
                if isinstance(node.value, ast.Constant):
                    reasons.add(node.value.value)
                elif isinstance(node.value, ast.Name):
                    reasons.add(getattr(module, node.value.id))
    return reasons


CLIENT_ERRORS = [
    *(kind for kind in _subclasses(GatewayError)),
    *(kind for kind in _subclasses(InvalidInputError)),
    *(kind for kind in ERROR_KEYS if not issubclass(kind, GatewayError | InvalidInputError)),
]


def _texts(error: Exception) -> list[tuple[str, str]]:
    """(file, text) of every translation a user can see for `error`, by where it shows."""
    key, _ = error_translation(error)
    texts = [(f"exceptions.{key}", "message")]
    if isinstance(error, GatewayError):
        texts.append(("config.error", key))
    if key in {"invalid_phone", "invalid_sender", "no_recipients"}:
        texts.append(("config_subentries.recipient.error", key))
    return texts


def _lookup(translations: dict[str, Any], path: str, key: str) -> str:
    node: Any = translations
    for part in path.split("."):
        node = node[part]
    return str(node[key])


@pytest.mark.parametrize("kind", CLIENT_ERRORS, ids=lambda kind: kind.__name__)
def test_every_error_type_has_its_texts(kind: type[Exception]) -> None:
    """Each error type has one key, the same whatever its English message says."""
    error, reworded = kind("One wording"), kind("Another wording entirely")
    assert error_translation(error)[0] == error_translation(reworded)[0]
    _, placeholders = error_translation(error, "Entry")
    for path, key in _texts(error):
        for translations in (STRINGS, RU):
            text = _lookup(translations, path, key)
            assert set(PLACEHOLDER.findall(text)) <= set(placeholders), (path, key)


@pytest.mark.parametrize("reason", sorted(_input_reasons()))
def test_every_input_reason_has_its_own_text(reason: str) -> None:
    """A refusal the client names by `reason` never falls back to the generic text."""
    key, _ = error_translation(InvalidInputError("Any wording", reason=reason))
    assert key == reason
    assert key in STRINGS["exceptions"]
    assert key in RU["exceptions"]
