"""Every form of the integration in a real Home Assistant, in English and in Russian.

Starts the simulator and a throw-away Home Assistant (`scripts/ha_stack.py`), onboards
the owner through the REST API as `scripts/demo` does, and then works as a person
would in Debian's chromium, headless: logs in with the login form and opens every form
the integration has, first in English, then, with the server's and the user's language
switched to Russian, all of them again:

- adding a jsonGate account (the menu, then the form: a wrong password, then the right
  one) and a Scorocode application (an unreachable address, then the right one);
- the options of the account (a daily SMS limit too large);
- adding a recipient (an invalid phone number) and an audience (a query that is no
  JSON object), and reconfiguring each (a sender name the gateway can't take; SMS to
  devices);
- reconfiguring the account (a wrong password) and the application (an unreachable
  address);
- signing in again (reauth) to the account after the gateway stopped taking the stored
  password (a wrong password first), and to the application after its master key was
  changed (the old key first).

Each form is read as shown, before and with its error, and so is the dialog that ends
each flow: "Translation error", a raw translation key (`component.jsongate.…`), a
field without label or description, or an untranslated option is a finding. A flow
that ends by saving changes must show the integration's own text for it, not Home
Assistant's generic one. All
findings of both languages are reported together at the end. On the way the account's
device page is checked, and the README's screenshots are taken (`docs/images/`, and
`docs/images/ru/` for the Russian README).

Playwright's async API is used inside the test's own event loop, so that the Home
Assistant test plugin's checks for lingering threads and tasks hold. Playwright's own
browser download is never used: it drives /usr/bin/chromium, which `scripts/setup`
installs; only where that is impossible is the test skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from ha_stack import (
    HA_PASSWORD,
    HA_USERNAME,
    HomeAssistantClient,
    Stack,
    onboard,
    port_is_free,
    running_stack,
    wait_until,
)
from playwright.async_api import Page, async_playwright, expect

from .frontend import (
    NEUTRAL_POINTER,
    dialog_problems,
    flow_dialog,
    pick,
    read_dialog,
    set_language,
    ui_text,
    visit,
)

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Locator, Route

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "images"
TRANSLATIONS = ROOT / "custom_components" / "jsongate" / "translations"
CHROMIUM = Path("/usr/bin/chromium")
# The flags Debian's chromium needs here: no sandbox as root, no GPU, and none of the
# background connections to Google that a machine without internet refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The simulator's usual port, when free: its URL shows in the screenshots, which then
# stay the same from run to run.
SIMULATOR_PORT = 8765
VIEWPORT = {"width": 1280, "height": 800}
DEVICE_PAGE_VIEWPORT = {"width": 1280, "height": 1000}
UI_TIMEOUT_MS = 30_000  # generous: a cold frontend on a busy two-core machine
LANGUAGES = ("en", "ru")
NAVIGATION_ATTEMPTS = 3
NAVIGATION_SETTLE_MS = 500

LOGIN = "demo"
PASSWORD = "demo-password"
NEW_PASSWORD = "changed-password"
APP_ID = "demo-app"
CLIENT_KEY = "demo-client"
MASTER_KEY = "demo-master-key"
NEW_MASTER_KEY = "changed-master-key"
PHONE = "+7 916 123-45-67"
INVALID_PHONE = "12345"
INVALID_SENDER = "A-SENDER-NAME-TOO-LONG"
RECIPIENT = "Ivan"
AUDIENCE = "Android"
# Nothing listens on port 1: the connection is refused at once.
UNREACHABLE = "http://127.0.0.1:1"

pytestmark = [
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing and scripts/setup could not install it (needs root and apt)",
    ),
]


async def test_every_form_in_english_and_russian(tmp_path: Path) -> None:
    """Every form, with one error each, in both languages; no broken text anywhere."""
    simulator_port = SIMULATOR_PORT if port_is_free(SIMULATOR_PORT) else 0
    async with running_stack(tmp_path, simulator_port) as stack:
        client = HomeAssistantClient(stack.session, stack.ha_url)
        await onboard(client)
        async with async_playwright() as playwright:
            context = await playwright.chromium.launch_persistent_context(
                tmp_path / "chromium-profile",  # a fresh profile every run
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=VIEWPORT,
                locale="en-US",
                reduced_motion="reduce",
            )
            try:
                page = await open_page(context)
                try:
                    findings = await walk_every_form(page, stack, client)
                except Exception as err:
                    await page.screenshot(path=tmp_path / "failure.png")
                    err.add_note(f"Screenshot of the failure: {tmp_path / 'failure.png'}")
                    err.add_note(f"The end of Home Assistant's log:\n{stack.home_assistant_log()}")
                    raise
            finally:
                await context.close()
    findings.extend(frontend_log_errors(stack))
    assert not findings, "The forms show broken texts:\n" + "\n".join(findings)


async def walk_every_form(page: Page, stack: Stack, client: HomeAssistantClient) -> list[str]:
    """Log in, then walk every form in each language; return what was found broken."""
    await log_in(page, stack.ha_url)
    findings: list[str] = []
    for language in LANGUAGES:
        if language != "en":
            await set_language(page, language)
        walk = Walk(page, stack, client, language)
        await walk.every_form()
        findings.extend(walk.findings)
        await walk.remove_entries()
    return findings


def frontend_log_errors(stack: Stack) -> list[str]:
    """Translations the frontend failed to format, as it reported them to the server."""
    log = stack.config_dir / "home-assistant.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    return [
        f"the frontend logged: {line.strip()}"
        for line in text.splitlines()
        if "Failed to format translation" in line and "jsongate" in line
    ]


async def open_page(context: BrowserContext) -> Page:
    """The context's page, kept off every address but 127.0.0.1, with generous timeouts."""
    await context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), abort)
    page = context.pages[0] if context.pages else await context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    return page


async def abort(route: Route) -> None:
    """Refuse a request that would leave this machine (brand images, help links)."""
    await route.abort()


async def log_in(page: Page, ha_url: str) -> None:
    """The login form, with the owner that onboarding made."""
    await page.goto(ha_url)
    await page.get_by_role("textbox", name="Username").fill(HA_USERNAME)
    await page.get_by_role("textbox", name="Password").fill(HA_PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(re.compile(r"/(home|lovelace)"))


def translations(language: str) -> dict[str, Any]:
    """The integration's texts in `language`."""
    data: dict[str, Any] = json.loads((TRANSLATIONS / f"{language}.json").read_text())
    return data


@dataclass
class Walk:
    """Every form in one language; what is broken is collected in `findings`."""

    page: Page
    stack: Stack
    client: HomeAssistantClient
    language: str
    findings: list[str] = field(default_factory=list)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    texts: dict[str, Any] = field(init=False)
    gateway_id: str = ""
    scorocode_id: str = ""

    def __post_init__(self) -> None:
        """Read the integration's texts in the walk's language."""
        self.texts = translations(self.language)

    async def every_form(self) -> None:
        """The forms in the order a new user meets them."""
        await self.add_gateway()
        await self.add_recipient()
        await self.check_device_page()
        await self.add_scorocode()
        await self.add_audience()
        await self.change_options()
        await self.reconfigure_recipient()
        await self.reconfigure_audience()
        await self.reconfigure_gateway()
        await self.reconfigure_scorocode()
        await self.reauthenticate_gateway()
        await self.reauthenticate_scorocode()

    # --- the forms -----------------------------------------------------------------

    async def add_gateway(self) -> None:
        """Add integration → jsonGate → menu → the gateway form: a wrong password, then right."""
        await self.start_adding()
        await self.check("setup menu", form_fields=False)
        await self.screenshot("config-flow-menu")
        await self.dialog.get_by_text(
            self.text("config.step.user.menu_options.gateway"), exact=True
        ).click()

        await expect(self.field("username")).to_be_visible()
        await self.check("jsonGate setup", kind="jsonGate")
        await pick(
            self.page, self.dialog.locator("ha-picker-field"), self.stack.simulator_url, custom=True
        )
        await self.field("username").fill(LOGIN)
        await expect(self.field("username")).to_have_value(LOGIN)
        await self.field("password").fill("wrong-password")
        await self.submit()
        await self.expect_text("config.error.invalid_auth")
        await expect(self.field("password")).to_have_value("")  # a secret is never shown back
        await self.check("jsonGate setup, with its error", kind="jsonGate")
        await self.screenshot("config-flow-error")
        await self.field("password").fill(PASSWORD)
        await self.submit()
        await self.finish_created("jsonGate setup", device=True)
        self.gateway_id = await self.entry_id(scorocode=False)

    async def add_scorocode(self) -> None:
        """Add integration → jsonGate → menu → Scorocode form; an unreachable address first."""
        await self.start_adding()
        await self.dialog.get_by_text(
            self.text("config.step.user.menu_options.scorocode"), exact=True
        ).click()
        await expect(self.field("app_id")).to_be_visible()
        await self.check("Scorocode setup", kind="Scorocode")
        await self.fill_scorocode(f"{UNREACHABLE}/api/v1")
        await self.submit()
        await self.expect_text("config.error.cannot_connect")
        await self.check("Scorocode setup, with its error", kind="Scorocode")
        await self.fill_scorocode(f"{self.stack.simulator_url}/api/v1")
        await self.submit()
        await self.finish_created("Scorocode setup", device=True)
        self.scorocode_id = await self.entry_id(scorocode=True)

    async def change_options(self) -> None:
        """The account's options: a daily SMS limit too large, then the usual one."""
        await self.open_integration_page()
        await (
            self.entry_row(self.gateway_id)
            .locator("ha-row-item > ha-icon-button[slot=end]")
            .click()
        )
        await expect(self.dialog.locator("ha-form")).to_be_visible()
        await self.check("options")
        limit = self.dialog.locator("ha-selector-number input")
        await limit.fill("200000")
        await self.submit()
        await self.expect_text("options.error.invalid_daily_sms_limit", max_limit="100000")
        await self.check("options, with its error")
        await limit.fill("100")
        await self.submit()
        await self.close_result("options, saved")

    async def add_recipient(self) -> None:
        """The account's ⋮ → Add recipient: filled in, then an invalid phone number, fixed."""
        await self.open_entry_menu(self.gateway_id, "subentry_recipient")
        await expect(self.field("name")).to_be_visible()
        await self.check("recipient setup", kind="recipient")
        await self.field("name").fill(RECIPIENT)
        await self.dialog.locator("ha-input-multi ha-button").last.click()
        phone = self.dialog.locator("ha-input-multi input").first
        await phone.fill(PHONE)
        # The senders the account has approved are offered.
        await pick(self.page, self.dialog.locator("ha-picker-field"), "INFO")
        await expect(phone).to_have_value(PHONE)
        await self.screenshot("recipient")
        await phone.fill(INVALID_PHONE)
        await self.submit()
        await self.expect_text(
            "config_subentries.recipient.error.invalid_phone", phones=INVALID_PHONE
        )
        await self.check("recipient setup, with its error", kind="recipient")
        await phone.fill(PHONE)
        await self.submit()
        await self.finish_created("recipient setup", name=RECIPIENT)

    async def reconfigure_recipient(self) -> None:
        """The recipient's settings: a sender name the gateway can't take, then none."""
        await self.open_subentry(RECIPIENT)
        await expect(self.field("name")).to_have_value(RECIPIENT)
        await self.check("recipient reconfigure", kind="recipient")
        await pick(self.page, self.dialog.locator("ha-picker-field"), INVALID_SENDER, custom=True)
        await self.submit()
        await self.expect_text("config_subentries.recipient.error.invalid_sender")
        await self.check("recipient reconfigure, with its error", kind="recipient")
        await pick(self.page, self.dialog.locator("ha-picker-field"), "ALERT")
        await self.submit()
        await self.close_result(
            "recipient reconfigure, saved",
            "config_subentries.recipient.abort.reconfigure_successful",
        )

    async def add_audience(self) -> None:
        """The application's ⋮ → Add audience: a query that is no JSON object, then one."""
        await self.open_entry_menu(self.scorocode_id, "subentry_audience")
        await expect(self.field("name")).to_be_visible()
        await self.check("audience setup", kind="audience")
        await self.field("name").fill(AUDIENCE)
        query = self.dialog.locator("ha-code-editor .cm-content")
        await query.fill("[android]")
        await self.submit()
        await self.expect_text("config_subentries.audience.error.invalid_query")
        await self.check("audience setup, with its error", kind="audience")
        await query.fill("deviceType: android")
        await self.submit()
        await self.finish_created("audience setup", name=AUDIENCE)

    async def reconfigure_audience(self) -> None:
        """The audience's settings: SMS to devices (SMS go to users only), then to users."""
        await self.open_subentry(AUDIENCE)
        await expect(self.field("name")).to_have_value(AUDIENCE)
        await self.check("audience reconfigure", kind="audience")
        await self.dialog.locator("ha-radio-option[value=sms]").click()
        await self.dialog.locator("ha-radio-option[value=devices]").click()
        await self.submit()
        await self.expect_text("config_subentries.audience.error.sms_collection")
        await self.check("audience reconfigure, with its error", kind="audience")
        await self.dialog.locator("ha-radio-option[value=users]").click()
        await self.dialog.locator("ha-code-editor .cm-content").fill("username: alice")
        await self.submit()
        await self.close_result(
            "audience reconfigure, saved", "config_subentries.audience.abort.reconfigure_successful"
        )

    async def reconfigure_gateway(self) -> None:
        """The account's ⋮ → Reconfigure: a wrong password, then the right one."""
        await self.open_entry_menu(self.gateway_id, "reconfigure")
        await expect(self.field("password")).to_be_visible()
        await self.check("jsonGate reconfigure", kind="jsonGate")
        await self.field("password").fill("wrong-password")
        await self.submit()
        await self.expect_text("config.error.invalid_auth")
        await self.check("jsonGate reconfigure, with its error", kind="jsonGate")
        await self.field("password").fill(PASSWORD)
        await self.submit()
        await self.close_result(
            "jsonGate reconfigure, saved", "config.abort.reconfigure_successful"
        )

    async def reconfigure_scorocode(self) -> None:
        """The application's ⋮ → Reconfigure: an unreachable address, then the right one."""
        await self.open_entry_menu(self.scorocode_id, "reconfigure")
        await expect(self.field("app_id")).to_have_value(APP_ID)
        await self.check("Scorocode reconfigure", kind="Scorocode")
        await self.field("url").fill(f"{UNREACHABLE}/api/v1")
        await self.submit()
        await self.expect_text("config.error.cannot_connect")
        await self.check("Scorocode reconfigure, with its error", kind="Scorocode")
        await self.field("url").fill(f"{self.stack.simulator_url}/api/v1")
        await self.submit()
        await self.close_result(
            "Scorocode reconfigure, saved", "config.abort.reconfigure_successful"
        )

    async def reauthenticate_gateway(self) -> None:
        """The gateway refuses the stored password: Needs attention → Reconfigure → sign in.

        The account's password is changed at the simulator, and the entry is reloaded
        (instead of waiting for its next poll), which starts the reauth flow.
        """
        await self.set_gateway_password(NEW_PASSWORD)
        await self.open_reauth(self.gateway_id)
        await expect(self.field("password")).to_be_visible()
        await expect(self.field("access_key")).to_have_count(0)
        await self.check("jsonGate reauth", kind="jsonGate")
        await self.field("password").fill(PASSWORD)
        await self.submit()
        await self.expect_text("config.error.invalid_auth")
        await self.check("jsonGate reauth, with its error", kind="jsonGate")
        await self.field("password").fill(NEW_PASSWORD)
        await self.submit()
        await self.close_result("jsonGate reauth, done", "config.abort.reauth_successful")

    async def reauthenticate_scorocode(self) -> None:
        """Scorocode refuses the stored master key: Needs attention → Reconfigure → new key.

        The application's master key is changed at the simulator, and the entry is
        reloaded, whose check is refused, which starts the reauth flow.
        """
        await self.set_master_key(NEW_MASTER_KEY)
        await self.open_reauth(self.scorocode_id)
        await expect(self.field("access_key")).to_be_visible()
        await expect(self.field("password")).to_have_count(0)
        await self.check("Scorocode reauth", kind="Scorocode")
        await self.field("access_key").fill(MASTER_KEY)
        await self.submit()
        await self.expect_text("config.error.invalid_auth")
        await expect(self.field("access_key")).to_have_value("")  # a secret is never shown back
        await self.check("Scorocode reauth, with its error", kind="Scorocode")
        await self.field("access_key").fill(NEW_MASTER_KEY)
        await self.submit()
        await self.close_result("Scorocode reauth, done", "config.abort.reauth_successful")

    async def open_reauth(self, entry_id: str) -> None:
        """Reload the entry whose credentials were refused; open its reauth from the page."""
        await self.client.post(f"/api/config/config_entries/entry/{entry_id}/reload")
        await self.open_integration_page()
        title = await self.entry_title(entry_id)
        await (
            self.page.locator("ha-list-item-base.attention")
            .filter(has_text=title)
            .locator("ha-button")
            .click()
        )

    async def check_device_page(self) -> None:
        """The account's device page: the balance, each area's SMS, the recipient's device."""
        devices = await self.client.ws("config/device_registry/list")
        # The account's own device; each recipient has one of its own, in its subentry.
        (device,) = [
            d for d in devices if None in d["config_entries_subentries"].get(self.gateway_id, [])
        ]
        await self.go_to(f"/config/devices/device/{device['id']}")
        await self.page.set_viewport_size(DEVICE_PAGE_VIEWPORT)
        try:
            # The demo account: 150 roubles, and what that buys in each of its four
            # areas. (The frontend puts a no-break space in money: only a loose match.)
            await expect(self.page.get_by_text(re.compile(r"150[.,]00"))).to_be_visible()
            sensors = self.texts["entity"]["sensor"]
            names = [
                sensors["balance"]["name"],
                *(
                    sensors["sms_available"]["name"].replace("{area}", area)
                    for area in ("МТС", "Мегафон", "Билайн", "Tele2")
                ),
            ]
            for name in names:
                await expect(self.page.get_by_text(name, exact=True)).to_be_visible()
            # The recipient's own device, among the connected ones.
            await expect(self.page.get_by_text(RECIPIENT).first).to_be_visible()
            events = await ui_text(self.page, "ui.panel.config.devices.entities.event")
            await expect(self.page.get_by_role("heading", name=events)).to_be_visible()
            await self.screenshot("device-page")
        finally:
            await self.page.set_viewport_size(VIEWPORT)

    async def remove_entries(self) -> None:
        """Delete this walk's entries and their history; give the account its password back.

        The next walk's entities get the same ids: without their history gone, the
        device page's Activity would list this walk's state changes, at clock times.
        """
        registry = await self.client.ws("config/entity_registry/list")
        entity_ids = [
            entity["entity_id"]
            for entity in registry
            if entity["config_entry_id"] in (self.gateway_id, self.scorocode_id)
        ]
        for entry_id in (self.gateway_id, self.scorocode_id):
            if entry_id:
                await self.client.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")
        await self.client.post("/api/services/recorder/purge", {"keep_days": 0})
        since = quote((datetime.now(UTC) - timedelta(days=1)).isoformat())
        path = f"/api/logbook/{since}?entity={','.join(entity_ids)}"

        async def forgotten() -> bool | None:
            return True if not await self.client.get(path) else None

        await wait_until("the recorder to purge the entries' history", forgotten, timeout=30)
        await self.set_gateway_password(PASSWORD)
        await self.set_master_key(MASTER_KEY)

    # --- reading -----------------------------------------------------------------

    async def check(self, form: str, *, kind: str = "", form_fields: bool = True) -> None:
        """Record what is broken in the open dialog, named `form`.

        `kind` names what the form edits ("jsonGate", "recipient", …): a field must be
        called the same in every form of one kind as in the first one (adding it).
        """
        view = await read_dialog(self.page)
        problems = dialog_problems(view, form=form_fields)
        for shown in view.fields if kind else ():
            first = self.labels.setdefault((kind, shown.name), shown.label)
            if shown.label != first:
                problems.append(
                    f"field {shown.name!r} is called {shown.label!r} here, {first!r} when adding"
                )
        self.findings.extend(f"[{self.language}] {form}: {problem}" for problem in problems)

    def text(self, key: str, **placeholders: str) -> str:
        """The integration's text at dotted `key`, with `placeholders` filled in."""
        value: Any = self.texts
        for part in key.split("."):
            value = value[part]
        text = str(value)
        for name, filling in placeholders.items():
            text = text.replace(f"{{{name}}}", filling)
        return text

    async def expect_text(self, key: str, **placeholders: str) -> None:
        """The dialog shows the integration's text at `key` (an error, or how a flow ended)."""
        await expect(self.dialog.get_by_text(self.text(key, **placeholders))).to_be_visible()

    # --- acting ------------------------------------------------------------------

    @property
    def dialog(self) -> Locator:
        """The open flow dialog."""
        return flow_dialog(self.page)

    def field(self, name: str) -> Locator:
        """The text input of the form's field `name`."""
        return self.dialog.locator(f'input[name="{name}"]')

    async def submit(self) -> None:
        """The form's submit button."""
        await self.dialog.locator("ha-dialog-footer ha-button[slot=primaryAction]").click()

    async def start_adding(self) -> None:
        """Integrations → Add integration → search → jsonGate SMS & Push: the menu."""
        await visit(self.page, f"{self.stack.ha_url}/config/integrations/dashboard")
        await self.page.get_by_role(
            "button", name=await ui_text(self.page, "ui.panel.config.integrations.add_integration")
        ).click()
        await self.page.get_by_placeholder(
            await ui_text(self.page, "ui.panel.config.integrations.search_brand")
        ).fill("jsonGate")
        await self.page.get_by_role("button", name="jsonGate SMS & Push").click()
        # The menu; its description is rendered last.
        await expect(
            self.dialog.get_by_text(self.text("config.step.user.description"))
        ).to_be_visible()

    async def finish_created(self, form: str, *, device: bool = False, name: str = "") -> None:
        """The flow made an entry with a `device`, or a subentry `name`: check, finish."""
        if device:  # Home Assistant offers to name the device and give it an area.
            done = await ui_text(
                self.page, "ui.panel.config.integrations.config_flow.device_created"
            )
        else:
            done = await ui_text(
                self.page, "ui.panel.config.integrations.config_flow.created_config", name=name
            )
        await expect(self.dialog.get_by_text(done)).to_be_visible()
        await self.check(f"{form}, done", form_fields=False)
        await self.dialog.locator("ha-dialog-footer ha-button").last.click()
        await expect(self.dialog).to_be_hidden()

    async def close_result(self, form: str, done_key: str = "") -> None:
        """The flow ended (saved, or aborted with its reason): check the dialog, close it.

        `done_key`: the integration's own text the dialog must show (instead of Home
        Assistant's generic one).
        """
        await expect(self.dialog.locator("ha-form")).to_be_hidden()
        if done_key:
            await self.expect_text(done_key)
        await self.check(form, form_fields=False)
        await self.dialog.locator("ha-dialog-footer ha-button").last.click()
        await expect(self.dialog).to_be_hidden()

    async def fill_scorocode(self, url: str) -> None:
        """The Scorocode form: `url`, and the demo application's keys (never shown back)."""
        await self.field("url").fill(url)
        await self.field("app_id").fill(APP_ID)
        await self.field("client_key").fill(CLIENT_KEY)
        await self.field("access_key").fill(MASTER_KEY)

    async def go_to(self, path: str) -> None:
        """Load the page at `path`, and stay there.

        A flow's dialog that has just closed can still move the frontend back to the
        page it was opened on, after the new page has loaded (seen once under load).
        """
        for attempt in range(NAVIGATION_ATTEMPTS):
            await visit(self.page, f"{self.stack.ha_url}{path}")
            await self.page.wait_for_timeout(NAVIGATION_SETTLE_MS)
            if self.page.url.endswith(path) or attempt == NAVIGATION_ATTEMPTS - 1:
                break
        await expect(self.page).to_have_url(f"{self.stack.ha_url}{path}")

    async def open_integration_page(self) -> None:
        """Settings → Devices & services → jsonGate SMS & Push."""
        await visit(self.page, f"{self.stack.ha_url}/config/integrations/integration/jsongate")

    def entry_row(self, entry_id: str) -> Locator:
        """An entry's row on the integration's page."""
        return self.page.locator(f'ha-config-entry-row[data-entry-id="{entry_id}"]')

    async def open_entry_menu(self, entry_id: str, item: str) -> None:
        """The entry's ⋮ menu → the item whose value is `item`."""
        await self.open_integration_page()
        row = self.entry_row(entry_id).locator("ha-row-item")
        await row.locator("ha-dropdown ha-icon-button[slot=trigger]").click()
        await row.locator(f"ha-dropdown-item[value={item}]").click()

    async def open_subentry(self, title: str) -> None:
        """The ⚙ of the subentry `title` on the integration's page."""
        await self.open_integration_page()
        row = self.page.locator("ha-config-sub-entry-row").filter(has_text=title)
        await row.locator("ha-icon-button[slot=end]").first.click()

    async def entry_id(self, *, scorocode: bool) -> str:
        """The id of the jsonGate (or Scorocode) entry."""
        entries = await self.client.get("/api/config/config_entries/entry")
        (entry,) = [
            e for e in entries if e["domain"] == "jsongate" and (APP_ID in e["title"]) == scorocode
        ]
        return str(entry["entry_id"])

    async def entry_title(self, entry_id: str) -> str:
        """The title of the entry `entry_id`."""
        entries = await self.client.get("/api/config/config_entries/entry")
        return next(str(e["title"]) for e in entries if e["entry_id"] == entry_id)

    async def set_gateway_password(self, password: str) -> None:
        """Change the demo account's password at the simulator."""
        url = f"{self.stack.simulator_url}/__simulator__/accounts/{LOGIN}"
        async with self.stack.session.post(url, json={"password": password}) as response:
            response.raise_for_status()

    async def set_master_key(self, key: str) -> None:
        """Change the demo application's master key at the simulator."""
        url = f"{self.stack.simulator_url}/__simulator__/apps/{APP_ID}"
        async with self.stack.session.post(url, json={"master_key": key}) as response:
            response.raise_for_status()

    async def screenshot(self, name: str) -> None:
        """Save the README's picture `name`, alike from run to run.

        English ones go to `docs/images/`, others to `docs/images/<language>/`. The
        pointer is moved off the page's controls (a hovered button is shaded), and what
        is loading and moving is finished before the picture is taken.
        """
        folder = SCREENSHOTS if self.language == "en" else SCREENSHOTS / self.language
        folder.mkdir(parents=True, exist_ok=True)
        # The page's icons and fonts loaded, so that the picture catches none on its way.
        await self.page.wait_for_load_state("networkidle")
        await self.page.evaluate("document.fonts.ready.then(() => true)")
        await self.page.mouse.move(*NEUTRAL_POINTER)
        await self.page.screenshot(
            path=folder / f"{name}.png", animations="disabled", caret="hide", scale="css"
        )
