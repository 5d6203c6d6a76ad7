"""Fixtures for the blueprints' tests: a config directory holding the blueprints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

BLUEPRINTS = Path(__file__).parents[3] / "blueprints"


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """A config directory of this test's own, with the repository's blueprints in it."""
    shutil.copytree(BLUEPRINTS, Path(hass_tmp_config_dir) / "blueprints", dirs_exist_ok=True)
    return hass_tmp_config_dir
