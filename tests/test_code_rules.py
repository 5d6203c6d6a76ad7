"""Rules of the integration's code that no linter setting holds on its own.

- No `assert` for control flow: `python -O` strips asserts, so a check the code relies on
  must raise by itself.
- Every `except Exception` (or `BaseException`) says why it catches everything, in a
  comment on its line or on the first line of its body.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "jsongate"
SOURCES = sorted(INTEGRATION.rglob("*.py"))
BROAD = {"Exception", "BaseException"}


def _relative(path: Path) -> str:
    return str(path.relative_to(INTEGRATION.parent.parent))


@pytest.mark.parametrize("path", SOURCES, ids=_relative)
def test_no_assert(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    asserts = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    assert asserts == [], f"{_relative(path)}: assert on lines {asserts}"


def _is_broad(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return kind is None or any(isinstance(name, ast.Name) and name.id in BROAD for name in names)


@pytest.mark.parametrize("path", SOURCES, ids=_relative)
def test_every_broad_except_says_why(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    silent = [
        handler.lineno
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler)
        and _is_broad(handler)
        and "#" not in lines[handler.lineno - 1]
        and not lines[handler.body[0].lineno - 2].strip().startswith("#")
        and "#" not in lines[handler.body[0].lineno - 1]
    ]
    assert silent == [], f"{_relative(path)}: except without a reason on lines {silent}"


def test_the_rules_see_what_they_forbid(tmp_path: Path) -> None:
    """The checks find an assert and a silent broad except (they are not vacuous)."""
    bad = tmp_path / "bad.py"
    bad.write_text("try:\n    assert x\nexcept Exception:\n    pass\n", encoding="utf-8")
    tree = ast.parse(bad.read_text(encoding="utf-8"))
    assert any(isinstance(node, ast.Assert) for node in ast.walk(tree))
    handlers = [node for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)]
    assert [_is_broad(handler) for handler in handlers] == [True]


def test_quality_scale_exemptions_hold() -> None:
    """No triggers or conditions to document: the integration provides none."""
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8"))
    for rule, platform in (("docs-triggers", "trigger"), ("docs-conditions", "condition")):
        assert rules["rules"][rule]["status"] == "exempt"
        assert not (INTEGRATION / f"{platform}.py").exists()
        assert not (INTEGRATION / f"device_{platform}.py").exists()
    assert rules["rules"]["repair-issues"]["status"] == "done"
    strings = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
    assert set(strings["issues"]) >= {"account_blocked", "out_of_money", "daily_sms_limit_reached"}
