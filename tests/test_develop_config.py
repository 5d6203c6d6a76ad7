"""The Home Assistant of scripts/develop (config/configuration.yaml)."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

import homeassistant.components
import pytest
from homeassistant.util.yaml import load_yaml

ROOT = Path(__file__).parent.parent
CONFIG = ROOT / "config" / "configuration.yaml"
COMPONENTS = Path(homeassistant.components.__path__[0])


def _config() -> dict[str, Any]:
    return load_yaml(CONFIG)


@pytest.mark.parametrize(("variable", "language"), [(None, "en"), ("ru", "ru")])
def test_the_server_language_can_be_switched(
    monkeypatch: pytest.MonkeyPatch, variable: str | None, language: str
) -> None:
    if variable is None:
        monkeypatch.delenv("JSONGATE_HA_LANGUAGE", raising=False)
    else:
        monkeypatch.setenv("JSONGATE_HA_LANGUAGE", variable)
    assert _config()["homeassistant"]["language"] == language
    assert "JSONGATE_HA_LANGUAGE" in (ROOT / "scripts" / "develop").read_text(encoding="utf-8")


def test_history_and_activity_are_there() -> None:
    """Activity (logbook) and History answered 404 without them."""
    config = _config()
    assert {"history", "logbook", "energy"} <= set(config)


def _requirements_met(domain: str, seen: set[str]) -> list[str]:
    if domain in seen:
        return []
    seen.add(domain)
    manifest = json.loads((COMPONENTS / domain / "manifest.json").read_text(encoding="utf-8"))
    missing = []
    for requirement in manifest.get("requirements", []):
        name, _, version = requirement.partition("==")
        try:
            installed = importlib.metadata.version(name.split("[")[0])
        except importlib.metadata.PackageNotFoundError:
            missing.append(requirement)
            continue
        if version and installed != version:
            missing.append(f"{requirement} (have {installed})")
    for dependency in manifest.get("dependencies", []):
        missing += _requirements_met(dependency, seen)
    return missing


def test_every_configured_integration_starts_without_pip() -> None:
    """Home Assistant would pip-install missing requirements into .venv at start."""
    domains = [
        key
        for key in _config()
        if key not in {"homeassistant", "logger"} and (COMPONENTS / key).is_dir()
    ]
    assert "history" in domains
    seen: set[str] = set()
    missing = [item for domain in domains for item in _requirements_met(domain, seen)]
    assert missing == []
