"""What hassfest and the HACS action would check, and what the README promises.

Neither tool runs here (hassfest lives in Home Assistant's repository, the HACS action in
GitHub's CI), so their rules for a custom integration are restated: the manifest's keys,
their order and values; `hacs.json`'s keys; strings and icons for every action; brand
images. What the README states of the code is checked here; the READMEs' links, examples
and the sameness of both languages in test_docs.py.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
import yaml
from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.const import __version__ as HA_VERSION  # noqa: N812
from homeassistant.loader import Manifest
from homeassistant.util.yaml import load_yaml_dict
from PIL import Image

from custom_components.jsongate import incoming, services

ROOT = Path(__file__).parents[1]
INTEGRATION = ROOT / "custom_components" / "jsongate"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


MANIFEST: dict[str, Any] = _json(INTEGRATION / "manifest.json")
HACS: dict[str, Any] = _json(ROOT / "hacs.json")
SERVICES: dict[str, Any] = _yaml(INTEGRATION / "services.yaml")
ICONS: dict[str, Any] = _json(INTEGRATION / "icons.json")
TRANSLATIONS = {
    "strings.json": _json(INTEGRATION / "strings.json"),
    "en.json": _json(INTEGRATION / "translations" / "en.json"),
    "ru.json": _json(INTEGRATION / "translations" / "ru.json"),
}
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Keys HA reads from a manifest file (`loader.Manifest`), less the two it computes itself.
MANIFEST_KEYS = set(get_type_hints(Manifest)) - {"is_built_in", "overwrites_built_in"}
INTEGRATION_TYPES = set(get_args(get_type_hints(Manifest)["integration_type"]))
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
# What the HACS action validates hacs.json against (its manifest schema).
HACS_KEYS = {
    "content_in_root",
    "country",
    "filename",
    "hacs",
    "hide_default_branch",
    "homeassistant",
    "name",
    "persistent_directory",
    "render_readme",
    "zip_release",
}
VERSION_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]
GITHUB_REPO = re.compile(r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)$")


# --- manifest.json ---------------------------------------------------------------------


def test_manifest_key_order() -> None:
    """hassfest: `domain`, `name`, then the rest in alphabetical order."""
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_is_formatted_as_hassfest_writes_it() -> None:
    text = (INTEGRATION / "manifest.json").read_text(encoding="utf-8")
    assert text == json.dumps(MANIFEST, indent=2, ensure_ascii=False) + "\n"


def test_manifest_keys_are_known_and_complete() -> None:
    assert set(MANIFEST) <= MANIFEST_KEYS
    required = {
        "domain",
        "name",
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "loggers",
        "version",
    }
    assert required <= set(MANIFEST)


def test_manifest_values() -> None:
    assert MANIFEST["domain"] == INTEGRATION.name == services.DOMAIN
    assert MANIFEST["name"] == "jsonGate SMS & Push"
    assert MANIFEST["config_flow"] is True
    assert (INTEGRATION / "config_flow.py").is_file()
    assert MANIFEST["integration_type"] in INTEGRATION_TYPES
    assert MANIFEST["integration_type"] == "service"
    assert MANIFEST["iot_class"] in IOT_CLASSES
    assert MANIFEST["iot_class"] == "cloud_polling"
    for key in ("codeowners", "dependencies", "loggers", "requirements"):
        assert isinstance(MANIFEST.get(key, []), list), key
        assert all(isinstance(item, str) and item for item in MANIFEST.get(key, [])), key
    # The protocol client is bundled, so nothing is installed from a package index.
    assert MANIFEST["requirements"] == []
    assert all(logger.startswith("custom_components.jsongate") for logger in MANIFEST["loggers"])


def test_manifest_version() -> None:
    """A version hassfest accepts, the same as the project's."""
    version = MANIFEST["version"]
    assert isinstance(version, str)
    assert version
    assert AwesomeVersion(version, ensure_strategy=VERSION_STRATEGIES).valid
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert version == project["project"]["version"]


def test_manifest_links_and_owners_agree() -> None:
    documentation = GITHUB_REPO.match(MANIFEST["documentation"])
    assert documentation, MANIFEST["documentation"]
    assert MANIFEST["issue_tracker"] == f"{MANIFEST['documentation']}/issues"
    owners = MANIFEST["codeowners"]
    assert owners, "codeowners must name the integration's owner"
    assert all(re.fullmatch(r"@[\w-]+(/[\w-]+)?", owner) for owner in owners), owners
    assert f"@{documentation['owner']}" in owners


def test_quality_scale_owner_rule_follows_codeowners() -> None:
    rules = _yaml(INTEGRATION / "quality_scale.yaml")["rules"]
    owner = rules["integration-owner"]
    status = owner if isinstance(owner, str) else owner["status"]
    assert status == ("done" if MANIFEST["codeowners"] else "todo")


# --- hacs.json -------------------------------------------------------------------------


def test_hacs_keys() -> None:
    assert set(HACS) <= HACS_KEYS
    assert set(HACS) == {"name", "homeassistant", "country", "render_readme"}
    assert HACS["name"] == MANIFEST["name"]
    assert HACS["country"] == "RU"
    assert HACS["render_readme"] is True


def test_hacs_minimum_home_assistant() -> None:
    """The oldest release supported is one the tests run on: same year.month, not newer."""
    minimum = AwesomeVersion(HACS["homeassistant"])
    installed = AwesomeVersion(HA_VERSION)
    assert minimum.valid
    assert minimum <= installed
    assert (minimum.major, minimum.minor) == (installed.major, installed.minor)


def test_blueprints_need_the_same_home_assistant() -> None:
    blueprints = sorted((ROOT / "blueprints").glob("*/jsongate/*.yaml"))
    assert [path.relative_to(ROOT / "blueprints").as_posix() for path in blueprints] == [
        "automation/jsongate/assist_over_sms.yaml",
        "automation/jsongate/forward_incoming_sms.yaml",
        "automation/jsongate/low_balance.yaml",
        "script/jsongate/escalating_alert.yaml",
    ]
    for path in blueprints:
        # Home Assistant's loader knows the `!input` tag.
        blueprint = load_yaml_dict(path)["blueprint"]
        assert blueprint["domain"] == path.parents[1].name
        assert blueprint["homeassistant"]["min_version"] == HACS["homeassistant"]
        relative = path.relative_to(ROOT).as_posix()
        assert blueprint["source_url"] == f"{MANIFEST['documentation']}/blob/main/{relative}"
        # Every input explains itself in the blueprint's form.
        for key, spec in blueprint["input"].items():
            assert spec["name"].strip(), (relative, key)
            assert spec["description"].strip(), (relative, key)
            assert "selector" in spec, (relative, key)


def test_info_md() -> None:
    info = (ROOT / "info.md").read_text(encoding="utf-8")
    assert info.startswith(f"# {MANIFEST['name']}\n")
    assert len(info.splitlines()) < 60


# --- actions: strings, icons -----------------------------------------------------------


def test_services_yaml_lists_every_registered_action() -> None:
    registered = [name for name, *_ in services._ACTIONS]
    assert len(registered) == 22
    assert list(SERVICES) == registered


@pytest.mark.parametrize("file", list(TRANSLATIONS))
@pytest.mark.parametrize("action", list(SERVICES))
def test_action_has_strings(file: str, action: str) -> None:
    strings = TRANSLATIONS[file]["services"][action]
    assert strings["name"].strip()
    assert strings["description"].strip()
    fields = SERVICES[action].get("fields", {})
    assert set(strings.get("fields", {})) == set(fields)
    for field in fields:
        assert strings["fields"][field]["name"].strip(), field
        assert strings["fields"][field]["description"].strip(), field


@pytest.mark.parametrize("file", list(TRANSLATIONS))
def test_no_strings_for_unknown_actions(file: str) -> None:
    assert set(TRANSLATIONS[file]["services"]) == set(SERVICES)


@pytest.mark.parametrize("file", list(TRANSLATIONS))
def test_action_selectors_have_option_strings(file: str) -> None:
    for action, spec in SERVICES.items():
        for field, field_spec in spec.get("fields", {}).items():
            select = (field_spec.get("selector") or {}).get("select")
            if not select or "translation_key" not in select:
                continue
            options = TRANSLATIONS[file]["selector"][select["translation_key"]]["options"]
            assert set(select["options"]) <= set(options), (action, field)


def test_every_action_has_an_icon() -> None:
    assert set(ICONS["services"]) == set(SERVICES)
    for action in SERVICES:
        assert ICONS["services"][action]["service"].startswith("mdi:"), action


def test_strings_json_is_english() -> None:
    assert TRANSLATIONS["strings.json"] == TRANSLATIONS["en.json"]


# --- brand images ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "size"), [("icon.png", 256), ("icon@2x.png", 512)])
def test_brand_image(name: str, size: int) -> None:
    with Image.open(INTEGRATION / "brand" / name) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)


# --- README ----------------------------------------------------------------------------


def test_readme_states_the_incoming_look_back() -> None:
    """The known limitation quotes the overlap each incoming poll really uses."""
    stated = re.search(r"Each poll looks back (\d+) (minutes|hours) before the newest", README)
    assert stated, "README must say how far each poll looks back"
    amount, unit = int(stated[1]), stated[2]
    assert timedelta(**{unit: amount}) == incoming.LOOK_BACK


def test_readme_ru_states_the_incoming_look_back() -> None:
    """The Russian guide quotes the same look-back."""
    readme = (ROOT / "README.ru.md").read_text(encoding="utf-8")
    stated = re.search(r"Каждый опрос смотрит на (\d+) (минут|час)\w* назад", readme)
    assert stated, "README.ru.md must say how far each poll looks back"
    unit = {"минут": "minutes", "час": "hours"}[stated[2]]
    assert timedelta(**{unit: int(stated[1])}) == incoming.LOOK_BACK


def test_readme_keeps_the_development_commands() -> None:
    for line in (
        "scripts/setup   # Python 3.14 + .venv with Home Assistant and the test tools (idempotent)",
        "scripts/test    # the whole test suite with coverage; extra arguments go to pytest",
        "scripts/lint    # ruff format --check, ruff check, mypy --strict",
    ):
        assert line in README
    assert "scripts/develop" in README
    assert "scripts/demo" in README
    assert "## Performance" in README
