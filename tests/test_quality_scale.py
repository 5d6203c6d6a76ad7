"""quality_scale.yaml says only what something in the repository backs.

Each rule's comment names where it is done: README sections (`README "Options"`),
modules of the integration (`issues.py`), tests (`tests/integration/test_repairs.py`,
`test_config_flow.py::test_options*`). Every one of them must exist, so that a renamed
section, module or test can't leave a claim pointing at nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from custom_components.jsongate.const import UPDATE_INTERVAL

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / "jsongate"
RULES: dict[str, Any] = yaml.safe_load(
    (INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8")
)["rules"]
COMMENTS = {
    rule: str(value["comment"])
    for rule, value in RULES.items()
    if isinstance(value, dict) and "comment" in value
}
README_SECTION = re.compile(r'README(\.ru)?(?:\.md)? ((?:"[^"]+"(?:, | and |,? )?)+)')
QUOTED = re.compile(r'"([^"]+)"')
FILE_REFERENCE = re.compile(r"(?<![\w/.])((?:[\w-]+/)*[\w.-]+\.(?:py|md))(?:::(\w+)(\*)?)?")
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


def _readme_sections(russian: str) -> set[str]:
    readme = ROOT / ("README.ru.md" if russian else "README.md")
    return set(HEADING.findall(readme.read_text(encoding="utf-8")))


def _find(name: str) -> list[Path]:
    """A file named in a comment: a path from the repository's root, or a bare name."""
    if "/" in name or (ROOT / name).is_file():
        return [ROOT / name] if (ROOT / name).is_file() else []
    return [
        path
        for folder in (INTEGRATION, ROOT / "tests")
        for path in folder.rglob(name)
        if path.is_file()
    ]


def test_every_rule_has_a_status() -> None:
    statuses = {
        rule: value if isinstance(value, str) else value["status"] for rule, value in RULES.items()
    }
    assert set(statuses.values()) <= {"done", "todo", "exempt"}
    assert all(rule in COMMENTS for rule, status in statuses.items() if status != "done")


@pytest.mark.parametrize("rule", sorted(COMMENTS))
def test_named_readme_sections_exist(rule: str) -> None:
    for russian, group in README_SECTION.findall(COMMENTS[rule]):
        sections = _readme_sections(russian)
        for section in QUOTED.findall(group):
            assert section in sections, f"{rule}: README{russian} has no section {section!r}"


@pytest.mark.parametrize("rule", sorted(COMMENTS))
def test_named_files_and_tests_exist(rule: str) -> None:
    comment = COMMENTS[rule]
    for name, test, wildcard in FILE_REFERENCE.findall(comment):
        found = _find(name)
        assert found, f"{rule}: no file {name}"
        if not test:
            continue
        pattern = re.compile(
            rf"^(?:async )?def ({re.escape(test)}{r'\w*' if wildcard else ''})\(", re.MULTILINE
        )
        assert any(pattern.search(path.read_text(encoding="utf-8")) for path in found), (
            f"{rule}: no test {test}{wildcard} in {name}"
        )


def test_the_numbers_are_the_code_s() -> None:
    """The polling interval and the number of actions the comments state."""
    polling = re.search(r"UPDATE_INTERVAL, (\d+) s", COMMENTS["appropriate-polling"])
    assert polling is not None
    assert timedelta(seconds=int(polling.group(1))) == UPDATE_INTERVAL
    actions = re.search(r"describe all (\d+)", COMMENTS["docs-actions"])
    assert actions is not None
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    assert int(actions.group(1)) == len(services)


def test_the_checks_see_what_they_check() -> None:
    """The patterns find the references the comments make (or the tests above pass idly)."""
    names = {
        name for comment in COMMENTS.values() for name, _, _ in FILE_REFERENCE.findall(comment)
    }
    assert {
        "issues.py",
        "tests/integration/test_one_account_one_entry.py",
        "docs/actions.md",
    } <= names
    sections = {
        section
        for comment in COMMENTS.values()
        for _, group in README_SECTION.findall(comment)
        for section in QUOTED.findall(group)
    }
    assert {"Options", "Removal", "Known limitations", "Automation examples"} <= sections
    assert {"Удаление", "Действия"} <= sections
