"""The docs stay true to the code, and the same in both languages.

The actions reference (`docs/actions.md`, `docs/actions.ru.md`): both languages have the
same sections, actions and fields; every field of services.yaml is documented (and no
other) with its required flag, default and allowed values; every YAML example is a valid
call of its action; every error text the actions can raise is quoted. That the documented
responses are the real ones is checked by running the examples in Home Assistant
(`tests/integration/test_docs.py`).

The guide (`README.md`, `README.ru.md`): both languages have the same headings, tables,
code blocks, YAML examples (the same keys and identifiers; only the text differs), links,
images and in-page links; every link into the repository resolves, in `info.md` too.
"""

from __future__ import annotations

import collections
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from custom_components.jsongate import services
from tests import reference

ROOT = Path(__file__).parents[1]
INTEGRATION = ROOT / "custom_components" / "jsongate"
SERVICES: dict[str, Any] = yaml.safe_load(
    (INTEGRATION / "services.yaml").read_text(encoding="utf-8")
)
SCHEMAS = {name: schema for name, _, schema, _ in services._ACTIONS}
RESPONDING = {
    name
    for name, _, _, support in services._ACTIONS
    if support is not services.SupportsResponse.NONE
}
EXCEPTIONS = {
    "en": INTEGRATION / "strings.json",
    "ru": INTEGRATION / "translations" / "ru.json",
}
REQUIRED = {"en": {"yes": True, "no": False}, "ru": {"да": True, "нет": False}}
# A field that is optional in services.yaml but needed with one of its values.
CONDITIONAL = {"en": "with `wappush`", "ru": "при `wappush`"}
LANGUAGES = list(reference.REFERENCES)
CODE = re.compile(r"`([^`]+)`")


def _code_values(cell: str) -> set[str]:
    return set(CODE.findall(cell))


# --- both languages alike ------------------------------------------------------------------


def test_both_languages_have_the_same_sections() -> None:
    english, russian = (reference.sections(language) for language in LANGUAGES)
    assert [s.action for s in english] == [s.action for s in russian]
    assert len(english) == len(russian)
    for en_section, ru_section in zip(english, russian, strict=True):
        if en_section.action is None:
            continue
        assert list(en_section.subsections) == reference.SUBSECTIONS["en"], en_section.title
        assert list(ru_section.subsections) == reference.SUBSECTIONS["ru"], ru_section.title
        # The same tables, row for row, and the same examples and responses' shape.
        for en_sub, ru_sub in zip(
            en_section.subsections.values(), ru_section.subsections.values(), strict=True
        ):
            assert _table_rows(en_sub) == _table_rows(ru_sub), en_section.title
            assert len(reference.yaml_blocks(en_sub)) == len(reference.yaml_blocks(ru_sub))


def _table_rows(markdown: str) -> int:
    return sum(1 for line in markdown.splitlines() if line.startswith("|"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_action_is_documented_once_in_order(language: str) -> None:
    documented = [s.action for s in reference.sections(language) if s.action is not None]
    assert documented == list(SERVICES)
    assert len(SERVICES) == len(services._ACTIONS)


def test_examples_are_the_same_in_both_languages() -> None:
    english, russian = (reference.action_sections(language) for language in LANGUAGES)
    for action in SERVICES:
        assert reference.examples(english[action], "en") == reference.examples(
            russian[action], "ru"
        ), action


# --- fields --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("action", list(SERVICES))
def test_field_table_matches_services_yaml(language: str, action: str) -> None:
    section = reference.action_sections(language)[action]
    rows = reference.field_rows(section, language)
    fields: dict[str, Any] = SERVICES[action].get("fields", {})
    assert [row.name for row in rows] == list(fields)
    for row in rows:
        spec = fields[row.name]
        required, kind, allowed, default, description = row.cells
        assert kind, (action, row.name)
        assert description, (action, row.name)
        if required == CONDITIONAL[language]:
            assert not spec.get("required"), (action, row.name)
        else:
            assert REQUIRED[language][required] is bool(spec.get("required")), (action, row.name)
        if "default" in spec:
            assert default == f"`{json.dumps(spec['default'])}`".replace('"', ""), (
                action,
                row.name,
            )
        selector = spec.get("selector") or {}
        if options := (selector.get("select") or {}).get("options"):
            assert _code_values(allowed) == set(options), (action, row.name)
        if "boolean" in selector:
            assert _code_values(allowed) == {"true", "false"}, (action, row.name)
        if number := selector.get("number"):
            assert allowed == f"{number['min']}–{number['max']}", (action, row.name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_contact_keys_match_the_schema(language: str) -> None:
    """`save_contacts` documents each key a contact may have, and no other."""
    fields_text = reference.action_sections(language)["save_contacts"].subsections[
        reference.SUBSECTIONS[language][0]
    ]
    second_table = fields_text.split("\n\n")[2:]
    keys = re.findall(r"^\| `([a-z_]+)` \|", "\n\n".join(second_table), flags=re.MULTILINE)
    schema_keys = [str(key) for key in services.CONTACT_SCHEMA.schema]
    assert keys == schema_keys


# --- examples ------------------------------------------------------------------------------


def _docs_calls() -> list[tuple[str, dict[str, Any]]]:
    """Every action call in the docs and the READMEs, with the file it is in."""
    calls = []
    for path in [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md", ROOT / "README.ru.md"]:
        for block in reference.yaml_blocks(path.read_text(encoding="utf-8")):
            calls += [(path.name, call) for call in _action_calls(block)]
    return calls


def _action_calls(node: Any) -> list[dict[str, Any]]:
    """Every `action: jsongate.*` step anywhere in a parsed YAML document."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        action = node.get("action")
        if isinstance(action, str) and action.startswith("jsongate."):
            found.append(node)
        for value in node.values():
            found += _action_calls(value)
    elif isinstance(node, list):
        for item in node:
            found += _action_calls(item)
    return found


def test_docs_examples_cover_every_action() -> None:
    for language in LANGUAGES:
        documented = {
            call["action"].removeprefix("jsongate.")
            for name, call in _docs_calls()
            if name == reference.REFERENCES[language].name
        }
        assert documented == set(SERVICES), language


@pytest.mark.parametrize(
    ("file", "call"), _docs_calls(), ids=lambda value: value if isinstance(value, str) else ""
)
def test_docs_example_is_a_valid_call(file: str, call: dict[str, Any]) -> None:
    """The action's own schema takes the example's data.

    A template (`{{ … }}`) is replaced by the field's example value from services.yaml,
    which is what it renders to in kind.
    """
    action = call["action"].removeprefix("jsongate.")
    assert action in SERVICES, action
    fields = SERVICES[action].get("fields", {})
    data = call.get("data", {})
    assert set(data) <= set(fields), (action, set(data) - set(fields))
    rendered = {
        field: fields[field]["example"]
        if isinstance(value, str) and "{{" in value and field != "config_entry_id"
        else value
        for field, value in data.items()
    }
    SCHEMAS[action](rendered)
    if "response_variable" in call:
        assert action in RESPONDING, action


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_action_error_is_quoted(language: str) -> None:
    """Each translated error text is in the reference, word for word."""
    exceptions = json.loads(EXCEPTIONS[language].read_text(encoding="utf-8"))["exceptions"]
    text = reference.text(language)
    missing = {
        key: entry["message"]
        for key, entry in exceptions.items()
        if _is_action_error(key) and entry["message"] not in text
    }
    assert not missing


def _is_action_error(key: str) -> bool:
    """Whether an action can raise the error: errors only the polling raises are not.

    The polling's errors (named in coordinator.py, and some also by the config flow for
    its form errors of the same name, or by issues.py for repair issues of the same
    name) belong to the README.
    """
    naming = {
        path.name
        for path in INTEGRATION.glob("*.py")
        if f'"{key}"' in path.read_text(encoding="utf-8")
    }
    return not naming or not naming <= {"coordinator.py", "config_flow.py", "issues.py"}


# --- links ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("readme", "target"),
    [("README.md", "docs/actions.md"), ("README.ru.md", "docs/actions.ru.md")],
)
def test_readme_links_to_the_reference(readme: str, target: str) -> None:
    assert f"]({target})" in (ROOT / readme).read_text(encoding="utf-8")


# --- the READMEs: one guide in two languages -------------------------------------------

READMES = {"en": ROOT / "README.md", "ru": ROOT / "README.ru.md"}
_FENCE = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^(#{1,6}) (.+)$", re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
# A YAML string that is an identifier (entity ID, mode, time, number) must be the same in
# both languages; any other string is text a translation may change.
_IDENTIFIER = re.compile(r"^[a-z0-9_.:/+\-]*$")
_TEMPLATE_NAME = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")
# What a Russian link points to instead of the English one.
_RUSSIAN_TARGETS = (("docs/images/ru/", "docs/images/"), ("actions.ru.md", "actions.md"))


def _readme(language: str) -> str:
    return READMES[language].read_text(encoding="utf-8")


def _prose(markdown: str) -> str:
    """`markdown` without its code blocks, whose `#` lines are no headings."""
    return _FENCE.sub("", markdown)


def _headings(markdown: str) -> list[tuple[int, str]]:
    return [(len(hashes), title.strip()) for hashes, title in _HEADING.findall(_prose(markdown))]


def _slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, no punctuation, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _anchors(markdown: str) -> dict[str, int]:
    """Each heading's anchor (repeated titles get `-1`, `-2`…) and the heading's index."""
    anchors: dict[str, int] = {}
    for index, (_, title) in enumerate(_headings(markdown)):
        slug = base = _slug(title)
        repeat = 0
        while slug in anchors:
            repeat += 1
            slug = f"{base}-{repeat}"
        anchors[slug] = index
    return anchors


def _sections(markdown: str) -> list[str]:
    """The text under each heading, up to the next one (code blocks included)."""
    starts = [m.start() for m in _HEADING.finditer(markdown) if not _in_fence(markdown, m.start())]
    return [markdown[a:b] for a, b in itertools.pairwise([*starts, len(markdown)])]


def _in_fence(markdown: str, position: int) -> bool:
    return any(m.start() < position < m.end() for m in _FENCE.finditer(markdown))


def _skeleton(node: Any) -> Any:
    """A parsed YAML example with its free text blanked: what both languages share."""
    if isinstance(node, dict):
        return {key: _skeleton(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_skeleton(item) for item in node]
    if isinstance(node, str):
        if "{{" in node:
            return ("template", sorted(set(_TEMPLATE_NAME.findall(node))))
        return node if _IDENTIFIER.match(node) else "<text>"
    return node


def _link_targets(language: str) -> collections.Counter[str]:
    """Every link and image target but anchors, in English terms."""
    return collections.Counter(
        _in_english(target)
        for target in _LINK_TARGET.findall(_prose(_readme(language)))
        if not target.startswith("#")
    )


def _in_english(target: str) -> str:
    """What the English README links to where the Russian one links to `target`."""
    if target in {"README.md", "README.ru.md"}:
        return "the other language"
    for russian, english in _RUSSIAN_TARGETS:
        target = target.replace(russian, english)
    return target


def test_readmes_have_the_same_headings() -> None:
    english, russian = (_headings(_readme(language)) for language in READMES)
    assert [level for level, _ in english] == [level for level, _ in russian]
    assert len({title for _, title in russian}) == len(russian), "a Russian title repeats"


def test_readme_sections_have_the_same_tables_and_code() -> None:
    """Section by section: as many table rows, and code blocks of the same kinds."""
    english, russian = (_sections(_readme(language)) for language in READMES)
    assert len(english) == len(russian)
    for en_section, ru_section in zip(english, russian, strict=True):
        title = en_section.partition("\n")[0]
        assert _table_rows(_prose(en_section)) == _table_rows(_prose(ru_section)), title
        assert [kind for kind, _ in _FENCE.findall(en_section)] == [
            kind for kind, _ in _FENCE.findall(ru_section)
        ], title


def test_readme_tables_have_the_same_figures() -> None:
    """Row by row, the tables of both languages hold the same numbers (the bench's
    figures, the examples' values), so a new bench run is copied into both."""
    english, russian = (_sections(_readme(language)) for language in READMES)
    for en_section, ru_section in zip(english, russian, strict=True):
        assert _table_figures(en_section) == _table_figures(ru_section), en_section.partition("\n")[
            0
        ]


def _table_figures(section: str) -> list[list[str]]:
    return [
        re.findall(r"\d+(?:\.\d+)?", line)
        for line in _prose(section).splitlines()
        if line.startswith("|")
    ]


def test_readmes_have_the_same_yaml_examples() -> None:
    english, russian = (reference.yaml_blocks(_readme(language)) for language in READMES)
    assert len(english) == len(russian)
    for en_block, ru_block in zip(english, russian, strict=True):
        assert _skeleton(en_block) == _skeleton(ru_block)


def test_readmes_have_the_same_links_and_images() -> None:
    assert _link_targets("en") == _link_targets("ru")


@pytest.mark.parametrize("language", list(READMES))
def test_readme_anchors_lead_to_a_heading(language: str) -> None:
    markdown = _readme(language)
    anchors = _anchors(markdown)
    for target in _LINK_TARGET.findall(_prose(markdown)):
        if target.startswith("#"):
            assert target[1:] in anchors, target


def test_readme_anchors_lead_to_the_same_sections() -> None:
    """An in-page link of one language leads to the same section as in the other."""
    english, russian = (
        collections.Counter(
            _anchors(markdown)[target[1:]]
            for target in _LINK_TARGET.findall(_prose(markdown))
            if target.startswith("#")
        )
        for markdown in map(_readme, READMES)
    )
    assert english == russian


@pytest.mark.parametrize("file", ["README.md", "README.ru.md", "info.md"])
def test_links_to_the_repository_resolve(file: str) -> None:
    """Each link to a file of this repository (relative, or on GitHub's main branch)
    names a file that exists, and an anchor in a Markdown file names one of its headings."""
    documentation = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))[
        "documentation"
    ]
    for link in _LINK_TARGET.findall(_prose((ROOT / file).read_text(encoding="utf-8"))):
        target = link
        if link.startswith(documentation):
            rest = link.removeprefix(documentation)
            if rest in {"", "#readme"}:
                continue
            assert rest.startswith("/blob/main/"), link
            target = rest.removeprefix("/blob/main/")
        elif link.startswith(("http://", "https://", "#")):
            continue
        path, _, anchor = target.partition("#")
        assert (ROOT / path).exists(), link
        if anchor and path.endswith(".md"):
            assert anchor in _anchors((ROOT / path).read_text(encoding="utf-8")), link


def test_info_md_leads_to_both_languages() -> None:
    targets = _LINK_TARGET.findall((ROOT / "info.md").read_text(encoding="utf-8"))
    assert any(t.endswith(("ha-jsongate#readme", "README.md")) for t in targets), targets
    assert any(t.endswith("README.ru.md") for t in targets), targets


@pytest.mark.parametrize("language", list(READMES))
def test_readme_names_only_real_actions(language: str) -> None:
    mentioned = set(re.findall(r"(?<![\w./])jsongate\.([a-z_]+)\b", _readme(language)))
    assert mentioned <= set(SERVICES), mentioned - set(SERVICES)


def test_readme_action_tables_list_every_action() -> None:
    """The short table of actions in each README names every action once, in order, and
    links it to its section of the reference in the same language."""
    for language, target in (("en", "docs/actions.md"), ("ru", "docs/actions.ru.md")):
        rows = re.findall(
            r"^\| \[`jsongate\.([a-z_]+)`\]\(([^)#]+)#jsongate([a-z_]+)\) \|",
            _readme(language),
            flags=re.MULTILINE,
        )
        assert [action for action, _, _ in rows] == list(SERVICES), language
        assert {(path, anchor) for _, path, anchor in rows} == {
            (target, action) for action in SERVICES
        }, language


# The table of the form's errors: its first column quotes them, " / " between two.
FORM_ERRORS_TABLE = {"en": "| Message | Meaning |", "ru": "| Сообщение | Что это значит |"}


@pytest.mark.parametrize("language", list(READMES))
def test_readme_quotes_the_forms_errors_word_for_word(language: str) -> None:
    """Each message in the README's table of form errors is one the form really shows
    (a placeholder written as `…`)."""
    errors = json.loads(EXCEPTIONS[language].read_text(encoding="utf-8"))["config"]["error"]
    shown = {re.sub(r"\{\w+\}", "…", message) for message in errors.values()}
    table = _readme(language).split(FORM_ERRORS_TABLE[language] + "\n", 1)[1].split("\n\n")[0]
    quoted = [
        message
        for row in table.splitlines()[1:]
        for message in row.split(" | ")[0].removeprefix("| ").split(" / ")
    ]
    assert quoted
    assert set(quoted) <= shown, set(quoted) - shown
