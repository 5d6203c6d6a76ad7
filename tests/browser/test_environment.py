"""Home Assistant starts on config/ without installing anything: setup installed it all.

At start Home Assistant pip-installs what the integrations it sets up ask for. With
config/, those are its default integrations (whatever configuration.yaml says), the
integrations configuration.yaml names, this integration, and what finishing onboarding
adds; and each of those integrations' dependencies. requirements_dev.txt installs their
requirements (the frontend among them); this test notices when a new Home Assistant
asks for something else.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import homeassistant.components
from ha_stack import ONBOARDING_EXTRAS
from homeassistant import bootstrap
from homeassistant.util.yaml import load_yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
CORE_COMPONENTS = Path(homeassistant.components.__file__).parent


def manifest(domain: str) -> dict[str, Any]:
    """The manifest of a core integration, or of this one."""
    path = CORE_COMPONENTS / domain / "manifest.json"
    if not path.exists():
        path = ROOT / "custom_components" / domain / "manifest.json"
    return json.loads(path.read_text())


def domains_set_up_on_config() -> set[str]:
    """What Home Assistant sets up on config/, with every dependency."""
    configured = load_yaml(ROOT / "config" / "configuration.yaml")
    wanted = {
        *bootstrap.CORE_INTEGRATIONS,
        *bootstrap.DEFAULT_INTEGRATIONS,
        *(key.split(" ")[0] for key in configured),
        "jsongate",
        *ONBOARDING_EXTRAS,
    }
    found: set[str] = set()
    while wanted:
        domain = wanted.pop()
        if domain not in found:
            found.add(domain)
            wanted.update(manifest(domain).get("dependencies", []))
    return found


def test_every_requirement_is_installed() -> None:
    missing = []
    for domain in sorted(domains_set_up_on_config()):
        for line in manifest(domain).get("requirements", []):
            requirement = Requirement(line)
            try:
                installed = version(requirement.name)
            except PackageNotFoundError:
                installed = None
            if installed is None or installed not in requirement.specifier:
                missing.append(f"{line} ({domain}; installed: {installed})")
    assert not missing, "add these to requirements_dev.txt: " + ", ".join(missing)
