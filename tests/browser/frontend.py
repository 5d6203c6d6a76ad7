"""Home Assistant's frontend, driven and read the same way in every language.

The walk finds what it clicks by what does not change with the language: element
names and attributes of the frontend (`dialog-data-entry-flow`, `ha-dropdown-item
[value=reconfigure]`, an input's `name`), the frontend's own texts looked up with its
own `localize` (`ui_text`), and this integration's texts from its translation files.

`read_dialog` reads what a flow dialog shows: all its text, and for each field of the
form the label, the description under it and the labels of its options, as rendered.
`dialog_problems` says what a user would see broken there. Both rely on how the
frontend builds a form (`ha-form` renders one element per field, carrying `schema`
and `label`, with the description as `ha-markdown` inside it), which holds for the
frontend that `requirements_dev.txt` installs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import expect

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

# On the right edge, where the dialogs' scrim or an empty part of the page is.
NEUTRAL_POINTER = (1275, 500)
PICK_ATTEMPTS = 3
PICK_CLOSE_TIMEOUT_MS = 5_000
READ_ATTEMPTS = 50
READ_INTERVAL_MS = 100

# What the frontend shows when a translation can't be rendered: "Translation error:
# MALFORMED_ARGUMENT" when the message can't be parsed, "Translation Error: …" when a
# placeholder is missing.
TRANSLATION_ERROR = re.compile(r"translation error", re.IGNORECASE)
RAW_KEY = re.compile(r"component\.jsongate\.[\w.]*")

# Text of every text node under the dialog, shadow trees included (styles skipped);
# and for each field of the form: its name, label, the text of its description and
# its options' labels (when the frontend translates them).
_READ_DIALOG_JS = """
(dialog) => {
  const skip = new Set(["STYLE", "SCRIPT", "TEMPLATE"]);
  const texts = (node, out = []) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (child.data.trim()) out.push(child.data.trim());
      } else if (child.nodeType === Node.ELEMENT_NODE && !skip.has(child.tagName)) {
        texts(child, out);
      }
    }
    if (node.shadowRoot) texts(node.shadowRoot, out);
    return out;
  };
  const all = (node, selector, out = []) => {
    const shadow = node.shadowRoot ? [...node.shadowRoot.children] : [];
    for (const child of [...shadow, ...node.children]) {
      if (child.matches(selector)) out.push(child);
      all(child, selector, out);
    }
    return out;
  };
  // Each field of a form is an element carrying its schema (a nested form's too).
  const fields = [...new Set(all(dialog, "ha-form").flatMap((form) => all(form, "*")))]
      .filter((el) => el.tagName !== "HA-FORM" && el.schema && el.schema.name)
      .map((el) => ({
        name: el.schema.name,
        label: typeof el.label === "string" ? el.label : "",
        helper: all(el, "ha-markdown").map((md) => texts(md).join(" ")).join(" "),
        translated_options: Boolean(el.schema.selector?.select?.translation_key),
        options: all(el, "ha-radio-option").map((option) => ({
          value: option.getAttribute("value") || "",
          text: texts(option).join(" "),
        })),
      }));
  // A description is rendered from markdown a moment after its field.
  const pending = all(dialog, "ha-markdown").filter((md) => !texts(md).length).length;
  return { text: texts(dialog).join("\\n"), fields, pending };
}
"""


@dataclass(frozen=True)
class FieldView:
    """One field of a form as the frontend shows it."""

    name: str
    label: str
    helper: str
    translated_options: bool
    options: list[dict[str, str]]


@dataclass(frozen=True)
class DialogView:
    """A flow dialog as the frontend shows it: its text, and its form's fields."""

    text: str
    fields: list[FieldView]


def flow_dialog(page: Page) -> Locator:
    """The dialog of a config, options or subentry flow."""
    return page.locator("dialog-data-entry-flow")


async def read_dialog(page: Page) -> DialogView:
    """What the open flow dialog shows, once its descriptions are rendered."""
    for _ in range(READ_ATTEMPTS):
        answer: dict[str, Any] = await flow_dialog(page).evaluate(_READ_DIALOG_JS)
        if not answer["pending"]:
            break
        await page.wait_for_timeout(READ_INTERVAL_MS)
    return DialogView(answer["text"], [FieldView(**field) for field in answer["fields"]])


def dialog_problems(view: DialogView, *, form: bool) -> list[str]:
    """What is broken in a dialog; `form`: it shows a form, whose fields must be labelled.

    A label the frontend could not translate is shown as the field's key; a missing
    description is shown as nothing at all; an option it could not translate is shown
    as its value.
    """
    problems = [
        f"shows {match.group(0)!r}: …{_around(view.text, match)}…"
        for pattern in (TRANSLATION_ERROR, RAW_KEY)
        for match in pattern.finditer(view.text)
    ]
    if not view.text.strip():
        problems.append("shows no text at all")
    if form and not view.fields:
        problems.append("shows no form fields")
    for field in view.fields:
        if not field.label.strip() or field.label == field.name:
            problems.append(f"field {field.name!r} has no label (shows {field.label!r})")
        if not field.helper.strip():
            problems.append(f"field {field.name!r} has no description")
        if field.translated_options:
            problems.extend(
                f"field {field.name!r}: option {option['value']!r} has no label"
                for option in field.options
                if not option["text"].strip() or option["text"] == option["value"]
            )
    return problems


def _around(text: str, match: re.Match[str], width: int = 60) -> str:
    return " ".join(text[max(0, match.start() - width) : match.end() + width].split())


async def ui_text(page: Page, key: str, **placeholders: str) -> str:
    """The frontend's own text for `key`, in the language it shows now.

    Waits until the frontend has it: right after a page loads, its texts (and those
    of the panel) are still being fetched.
    """
    handle = await page.wait_for_function(
        """([key, placeholders]) =>
          document.querySelector("home-assistant")?.hass?.localize(key, placeholders)""",
        arg=[key, placeholders],
    )
    return str(await handle.json_value())


async def set_language(page: Page, language: str) -> None:
    """Make `language` the server's and the user's, as the settings and profile pages do.

    The frontend shows the language of the user's profile, kept in the user's frontend
    data (`frontend/set_user_data`, key `language`), before the browser's; the server's
    language names the entities. The page is loaded again to start afresh in it.
    """
    await page.evaluate(
        """async (language) => {
          const hass = document.querySelector("home-assistant").hass;
          await hass.callWS({ type: "config/core/update", language });
          await hass.callWS({
            type: "frontend/set_user_data",
            key: "language",
            value: { ...hass.locale, language },
          });
        }""",
        language,
    )
    await expect(page.locator("html")).to_have_attribute("lang", language)
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("lang", language)


async def visit(page: Page, url: str) -> None:
    """Load `url`; once more if the frontend's own navigation cancelled the load.

    Right after a flow's dialog closes, the frontend moves to another page itself,
    which can abort a load started at that moment (net::ERR_ABORTED).
    """
    try:
        await page.goto(url)
    except PlaywrightError as err:
        if "ERR_ABORTED" not in err.message:
            raise
        await page.goto(url)


async def pick(page: Page, field: Locator, value: str, *, custom: bool = False) -> None:
    """Open the picker `field`, search for `value`, and choose it.

    `custom`: `value` is not offered, and is chosen as the picker's custom item. The
    picker must close with the choice made. A click that lands while the list is
    still settling can be ignored by the picker (seen once in a few runs), so a picker
    still open after a short while gets the click again.
    """
    await field.click()
    search = page.get_by_placeholder(
        await ui_text(page, "ui.components.combo-box.search_or_custom")
    )
    await expect(search).to_be_visible()
    await search.fill(value)
    if custom:
        option = page.get_by_text(await ui_text(page, "ui.components.combo-box.add_custom_item"))
    else:
        option = page.get_by_text(value, exact=True)
    for attempt in range(PICK_ATTEMPTS):
        await option.click()
        try:
            await expect(search).to_be_hidden(timeout=PICK_CLOSE_TIMEOUT_MS)
            break
        except AssertionError:
            if attempt == PICK_ATTEMPTS - 1:
                raise
    await expect(field.get_by_text(value, exact=True)).to_be_visible()
