"""The integration in a real Home Assistant, driven through its web interface.

Starts the simulator and a throw-away Home Assistant (`scripts/ha_stack.py`), onboards
the owner through the REST API as `scripts/demo` does, and then works as a person
would in Debian's chromium, headless: logs in with the login form, adds the jsonGate
account through the config flow (menu, gateway form, one wrong password shown as an
error, then the right one), adds a recipient, and finds the balance and area sensors
on the device page. The screenshots it takes on the way are the README's
(`docs/images/`).

Playwright's async API is used inside the test's own event loop, so that the Home
Assistant test plugin's checks for lingering threads and tasks hold. Playwright's own
browser download is never used: it drives /usr/bin/chromium, which `scripts/setup`
installs; only where that is impossible is the test skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from ha_stack import (
    HA_PASSWORD,
    HA_USERNAME,
    HomeAssistantClient,
    Stack,
    onboard,
    port_is_free,
    running_stack,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright, expect

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Locator, Route

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "images"
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
PICK_ATTEMPTS = 3
PICK_CLOSE_TIMEOUT_MS = 5_000
# On the right edge, where the dialogs' scrim or an empty part of the page is.
NEUTRAL_POINTER = (1275, 500)

LOGIN = "demo"
PASSWORD = "demo-password"
PHONE = "+7 916 123-45-67"
RECIPIENT = "Ivan"

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing and scripts/setup could not install it (needs root and apt)",
    ),
]


async def test_add_account_and_recipient_in_the_ui(tmp_path: Path) -> None:
    """Config flow with one wrong password, a recipient, and the sensors on the device page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    simulator_port = SIMULATOR_PORT if port_is_free(SIMULATOR_PORT) else 0
    async with running_stack(tmp_path, simulator_port) as stack:
        await onboard(HomeAssistantClient(stack.session, stack.ha_url))
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
                    await use_the_ui(page, stack)
                except Exception as err:
                    await page.screenshot(path=tmp_path / "failure.png")
                    err.add_note(f"Screenshot of the failure: {tmp_path / 'failure.png'}")
                    err.add_note(f"The end of Home Assistant's log:\n{stack.home_assistant_log()}")
                    raise
            finally:
                await context.close()


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


async def use_the_ui(page: Page, stack: Stack) -> None:
    """Every step a person takes, in order."""
    await log_in(page, stack.ha_url)
    await add_gateway(page, stack)
    await add_recipient(page, stack.ha_url)
    await check_device_page(page, stack.ha_url)


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


async def screenshot(page: Page, name: str) -> None:
    """Save `docs/images/<name>.png`, alike from run to run.

    The pointer is moved off the page's controls (a hovered button is shaded), and
    transitions are finished before the picture is taken.
    """
    await page.mouse.move(*NEUTRAL_POINTER)
    await page.screenshot(
        path=SCREENSHOTS / f"{name}.png", animations="disabled", caret="hide", scale="css"
    )


async def log_in(page: Page, ha_url: str) -> None:
    """The login form, with the owner that onboarding made."""
    await page.goto(ha_url)
    await page.get_by_role("textbox", name="Username").fill(HA_USERNAME)
    await page.get_by_role("textbox", name="Password").fill(HA_PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(re.compile(r"/(home|lovelace)"))


async def add_gateway(page: Page, stack: Stack) -> None:
    """Add integration → jsonGate → menu → gateway form; a wrong password, then the right one."""
    await visit(page, f"{stack.ha_url}/config/integrations/dashboard")
    await page.get_by_role("button", name="Add integration").click()
    await page.get_by_placeholder("Search for a brand name").fill("jsonGate")
    await page.get_by_role("button", name="jsonGate SMS & Push").click()

    # The menu; its description is rendered last.
    await expect(
        page.get_by_text("Send and receive SMS through a jsonGate account")
    ).to_be_visible()
    await expect(page.get_by_text("Scorocode application", exact=True)).to_be_visible()
    await screenshot(page, "config-flow-menu")
    await page.get_by_text("jsonGate SMS account").click()

    await choose_custom_url(page, stack.simulator_url)
    login = page.get_by_role("textbox", name="Login")
    await login.fill(LOGIN)
    await expect(login).to_have_value(LOGIN)
    await page.get_by_role("textbox", name="Password").fill("wrong-password")
    await page.get_by_role("button", name="Submit").click()

    await expect(page.get_by_text("The service refused the credentials.")).to_be_visible()
    password = page.get_by_role("textbox", name="Password")
    await expect(password).to_have_value("")  # a secret is never shown back
    await screenshot(page, "config-flow-error")
    await password.fill(PASSWORD)
    await page.get_by_role("button", name="Submit").click()

    # The entry is made; Home Assistant offers to name the device and give it an area.
    await expect(page.get_by_text("Name and assign")).to_be_visible()
    await page.get_by_role("button", name=re.compile(r"finish", re.IGNORECASE)).click()
    await expect(page.get_by_text("Name and assign")).to_be_hidden()


async def choose_custom_url(page: Page, url: str) -> None:
    """Type `url` into the provider picker, which offers it as a custom item."""
    await pick(page, page.get_by_text("Provider URL"), url, page.get_by_text("Add custom item"))


async def pick(page: Page, field: Locator, value: str, option: Locator | None = None) -> None:
    """Open the picker `field`, search for `value`, click `option` (the value's item).

    The picker must close with the choice made. A click that lands while the list is
    still settling can be ignored by the picker (seen once in a few runs), so a picker
    still open after a short while gets the click again.
    """
    await field.click()
    search = page.get_by_placeholder("Search | Add custom item")
    await expect(search).to_be_visible()
    await search.fill(value)
    option = option or page.get_by_text(value, exact=True)
    for attempt in range(PICK_ATTEMPTS):
        await option.click()
        try:
            await expect(search).to_be_hidden(timeout=PICK_CLOSE_TIMEOUT_MS)
            break
        except AssertionError:
            if attempt == PICK_ATTEMPTS - 1:
                raise
    await expect(page.get_by_text(value, exact=True)).to_be_visible()


async def add_recipient(page: Page, ha_url: str) -> None:
    """The integration's page → Add recipient: a name, a phone number, a sender."""
    await visit(page, f"{ha_url}/config/integrations/integration/jsongate")
    await page.get_by_role("button", name="Add recipient").click()
    await expect(
        page.get_by_text("Phone numbers that one notify entity sends SMS to.")
    ).to_be_visible()
    await page.get_by_role("textbox", name="Name").fill(RECIPIENT)
    await page.get_by_role("button", name="Add Phone numbers").click()
    await page.get_by_role("textbox", name="Phone numbers").fill(PHONE)
    # The senders the account has approved are offered.
    await pick(page, page.get_by_text("Sender", exact=True), "INFO")
    await expect(page.get_by_role("textbox", name="Phone numbers")).to_have_value(PHONE)
    await screenshot(page, "recipient")
    await page.get_by_role("button", name="Submit").click()
    await expect(page.get_by_text(f"Created configuration for {RECIPIENT}.")).to_be_visible()
    await page.get_by_role("button", name="Finish").click()


async def check_device_page(page: Page, ha_url: str) -> None:
    """The account's device page shows the balance, each area's SMS and the recipient."""
    await visit(page, f"{ha_url}/config/integrations/integration/jsongate")
    await page.get_by_role("link", name="1 service").click()
    await page.wait_for_url(re.compile(r"/config/devices/device/"))
    await page.set_viewport_size(DEVICE_PAGE_VIEWPORT)
    # The demo account: RUB 150, and what that buys in each of its four areas. (The
    # frontend puts a no-break space in money, which only a loose match ignores.)
    await expect(page.get_by_text("RUB 150.00")).to_be_visible()
    for text in (
        "Balance",
        "SMS available: МТС",
        "SMS available: Мегафон",
        "SMS available: Билайн",
        "SMS available: Tele2",
        RECIPIENT,
    ):
        await expect(page.get_by_text(text, exact=True)).to_be_visible()
    await expect(page.get_by_role("heading", name="Events")).to_be_visible()
    await screenshot(page, "device-page")
