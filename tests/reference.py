"""Reading the actions reference (`docs/actions.md`, `docs/actions.ru.md`) for the tests.

The reference has one `## ` section per action, titled `` `jsongate.<action>` ``, with
`### ` subsections in a fixed order: fields (a table whose first column names each field
in backticks), example (YAML blocks with `action:`), response (the first YAML block) and
errors. Both languages share this layout; only the words differ.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DOCS = Path(__file__).parents[1] / "docs"
REFERENCES = {"en": DOCS / "actions.md", "ru": DOCS / "actions.ru.md"}
# The titles of an action's subsections, in their order.
SUBSECTIONS = {
    "en": ["Fields", "Example", "Response", "Errors"],
    "ru": ["Поля", "Пример", "Ответ", "Ошибки"],
}

_ACTION_TITLE = re.compile(r"^`jsongate\.([a-z_]+)`$")
_YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_TABLE_ROW = re.compile(r"^\| `([a-z_]+)` \|(.*)\|$", re.MULTILINE)


@dataclass
class Section:
    """One `## ` section of a reference: its title and its `### ` subsections' text."""

    title: str
    text: str
    subsections: dict[str, str] = field(default_factory=dict)

    @property
    def action(self) -> str | None:
        """The action the section documents, if it documents one."""
        match = _ACTION_TITLE.match(self.title)
        return match[1] if match else None


@dataclass(frozen=True)
class FieldRow:
    """One row of an action's field table: the field and the table's other cells."""

    name: str
    cells: tuple[str, ...]


def text(language: str) -> str:
    """The whole reference in `language`."""
    return REFERENCES[language].read_text(encoding="utf-8")


def sections(language: str) -> list[Section]:
    """The reference's `## ` sections, in order."""
    found: list[Section] = []
    for chunk in re.split(r"^## ", text(language), flags=re.MULTILINE)[1:]:
        title, _, body = chunk.partition("\n")
        section = Section(title.strip(), body)
        for sub in re.split(r"^### ", body, flags=re.MULTILINE)[1:]:
            sub_title, _, sub_body = sub.partition("\n")
            section.subsections[sub_title.strip()] = sub_body
        found.append(section)
    return found


def action_sections(language: str) -> dict[str, Section]:
    """The sections that document an action, by action."""
    return {s.action: s for s in sections(language) if s.action is not None}


def yaml_blocks(markdown: str) -> list[Any]:
    """Every YAML block in `markdown`, parsed."""
    return [yaml.safe_load(block) for block in _YAML_BLOCK.findall(markdown)]


def field_rows(section: Section, language: str) -> list[FieldRow]:
    """The rows of the action's field table (the first table of its fields subsection)."""
    lines = section.subsections[SUBSECTIONS[language][0]].strip().splitlines()
    table = "\n".join(itertools.takewhile(lambda line: line.startswith("|"), lines))
    return [
        FieldRow(name, tuple(cell.strip() for cell in cells.split("|")))
        for name, cells in _TABLE_ROW.findall(table)
    ]


def examples(section: Section, language: str) -> list[dict[str, Any]]:
    """The action calls in the section's example subsection, in order."""
    blocks = yaml_blocks(section.subsections[SUBSECTIONS[language][1]])
    return [block for block in blocks if isinstance(block, dict) and "action" in block]


def response(section: Section, language: str) -> Any:
    """The documented response: the first YAML block of the response subsection."""
    return yaml_blocks(section.subsections[SUBSECTIONS[language][2]])[0]
