"""Fixtures for the tests that run a real Home Assistant in a subprocess.

They start the simulator and Home Assistant with `scripts/ha_stack.py`, the same code
`scripts/demo` uses. `scripts/` is not a package and is kept off `sys.path` (its other
scripts are no modules to import), so that one file is loaded here as `ha_stack`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_ha_stack() -> None:
    if "ha_stack" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location("ha_stack", ROOT / "scripts" / "ha_stack.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: its dataclasses look their module up there.
    sys.modules["ha_stack"] = module
    spec.loader.exec_module(module)


_load_ha_stack()
