"""See the integration work in a real Home Assistant, headless, against the simulator.

Run by `scripts/demo`. Starts the simulator and a throw-away Home Assistant, onboards a
user, adds a jsonGate account and a recipient through the config-flow REST API, sends an
SMS with `jsongate.send_sms` and one through the recipient's notify entity, has the
simulator deliver both and receive two SMS, waits until the entities show all of it,
prints a table and stops everything. Exits 0 only when every step worked; otherwise it
names the step that failed and exits 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ha_stack import HomeAssistantClient, Stack, onboard, running_stack, wait_until

if TYPE_CHECKING:
    from collections.abc import Iterator

# The simulator's demo account (simulator/demo.py).
LOGIN = "demo"
PASSWORD = "demo-password"  # noqa: S105 - the simulator's published demo credential
# A number of the demo account's МТС area (1.50 per SMS) and a demo contact.
PHONE = "+7 916 123-45-67"
RECIPIENT = "Ivan"
INCOMING = (
    ("79261234567", "Привет! Это SMS из симулятора."),
    ("79161234567", "Gate closed? Reply YES or NO"),
)
DEMO_TIMEOUT = 60.0  # for the entities to show everything once it has happened
EVENT_SMS_RECEIVED = "jsongate_sms_received"
EVENT_DELIVERY_REPORT = "jsongate_delivery_report"


class DemoFailedError(Exception):
    """A step of the demo failed."""


@dataclass
class Steps:
    """Prints each step as it runs; a failure names the step."""

    started: float = field(default_factory=time.monotonic)
    number: int = 0

    @contextlib.contextmanager
    def step(self, title: str) -> Iterator[None]:
        """Run the body as step `title`; turn any failure into `DemoFailedError`."""
        self.number += 1
        print(f"{self.number:2}. {title} ...", end=" ", flush=True)
        begun = time.monotonic()
        try:
            yield
        except Exception as err:
            # Whatever went wrong, the message names the step.
            print("FAILED")
            raise DemoFailedError(f"step {self.number} ({title}) failed: {err}") from err
        print(f"ok ({time.monotonic() - begun:.1f} s)")


@dataclass
class Demo:
    """What the steps found out, for the next steps and the table."""

    stack: Stack
    ha: HomeAssistantClient
    entry_id: str = ""
    entities: dict[str, str] = field(default_factory=dict)  # role -> entity id
    area_sensors: list[str] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)

    async def simulator(self, method: str, path: str, payload: Any = None) -> Any:
        """Call the simulator's control API (`/__simulator__/...`)."""
        url = f"{self.stack.simulator_url}/__simulator__{path}"
        async with self.stack.session.request(method, url, json=payload) as response:
            answer = await response.json()
            if response.status != HTTPStatus.OK:
                raise DemoFailedError(f"simulator {method} {path}: HTTP {response.status} {answer}")
            return answer


# --- the steps -------------------------------------------------------------------------


async def add_gateway(demo: Demo) -> None:
    """Config flow: the `user` menu, then the `gateway` form with the demo account."""
    flow = await demo.ha.post(
        "/api/config/config_entries/flow", {"handler": "jsongate", "show_advanced_options": False}
    )
    expect(flow, "menu", "the first step should be the menu")
    flow_path = f"/api/config/config_entries/flow/{flow['flow_id']}"
    form = await demo.ha.post(flow_path, {"next_step_id": "gateway"})
    expect(form, "form", "the menu should lead to the gateway form")
    result = await demo.ha.post(
        flow_path,
        {
            "url": demo.stack.simulator_url,
            "username": LOGIN,
            "password": PASSWORD,
            "verify_ssl": True,
        },
    )
    expect(result, "create_entry", "the gateway form should create an entry")
    demo.entry_id = result["result"]["entry_id"]


async def find_entities(demo: Demo) -> None:
    """Wait for the entry's balance, area and event entities, and note their ids."""

    async def found() -> bool | None:
        listed = await demo.ha.render("{{ integration_entities('jsongate') | join(',') }}")
        states = await demo.ha.states()
        ids = [entity_id for entity_id in listed.split(",") if entity_id in states]
        for entity_id in ids:
            classify(demo, entity_id, states[entity_id])
        return True if {"balance", "incoming", "delivery"} <= set(demo.entities) else None

    await wait_until("the entry's entities", found, timeout=DEMO_TIMEOUT)
    if not demo.area_sensors:
        raise DemoFailedError("no 'SMS available' sensor for the account's areas")


def classify(demo: Demo, entity_id: str, state: dict[str, Any]) -> None:
    """Note what `entity_id` is: balance, area sensor, event entity or notify entity."""
    attributes = state["attributes"]
    domain = entity_id.split(".", 1)[0]
    if domain == "sensor" and attributes.get("device_class") == "monetary":
        demo.entities["balance"] = entity_id
    elif domain == "sensor" and entity_id not in demo.area_sensors:
        demo.area_sensors.append(entity_id)
    elif domain == "event" and "received" in attributes.get("event_types", []):
        demo.entities["incoming"] = entity_id
    elif domain == "event" and "delivered" in attributes.get("event_types", []):
        demo.entities["delivery"] = entity_id
    elif domain == "notify":
        demo.entities["notify"] = entity_id


async def add_recipient(demo: Demo) -> None:
    """Subentry flow: a recipient with one phone number; wait for its notify entity."""
    form = await demo.ha.post(
        "/api/config/config_entries/subentries/flow", {"handler": [demo.entry_id, "recipient"]}
    )
    expect(form, "form", "the recipient flow should start with a form")
    result = await demo.ha.post(
        f"/api/config/config_entries/subentries/flow/{form['flow_id']}",
        {"name": RECIPIENT, "phone_numbers": [PHONE], "transliterate": False},
    )
    expect(result, "create_entry", "the recipient form should create a subentry")

    async def notify_entity() -> bool | None:
        await find_entities(demo)
        return True if "notify" in demo.entities else None

    await wait_until("the recipient's notify entity", notify_entity, timeout=DEMO_TIMEOUT)


async def send_sms(demo: Demo) -> None:
    """`jsongate.send_sms` with its response: one message, accepted."""
    answer = await demo.ha.post(
        "/api/services/jsongate/send_sms?return_response",
        {
            "config_entry_id": demo.entry_id,
            "recipients": [PHONE],
            "message": "Hello from Home Assistant: jsongate.send_sms works.",
        },
    )
    response = answer["service_response"]
    if response.get("sent") != 1 or response.get("failed") != 0:
        raise DemoFailedError(f"send_sms answered {response}")
    demo.message_ids.append(str(response["messages"][0]["message_id"]))


async def send_notification(demo: Demo) -> None:
    """`notify.send_message` through the recipient's entity; the simulator must get it."""
    before = len(await demo.simulator("GET", f"/messages/{LOGIN}"))
    await demo.ha.post(
        "/api/services/notify/send_message",
        {"entity_id": demo.entities["notify"], "title": "Home", "message": "The door opened."},
    )
    messages = await demo.simulator("GET", f"/messages/{LOGIN}")
    if len(messages) != before + 1:
        raise DemoFailedError(f"the simulator got {len(messages) - before} SMS, expected 1")
    demo.message_ids.append(str(messages[-1]["id_sms"]))


async def deliver_and_receive(demo: Demo) -> None:
    """Have the simulator deliver both SMS now, and receive two incoming ones."""
    answer = await demo.simulator("POST", "/deliveries", {"state": "deliver"})
    if answer["finished"] != len(demo.message_ids):
        raise DemoFailedError(f"the simulator delivered {answer['finished']} SMS, expected 2")
    for originator, text in INCOMING:
        await demo.simulator(
            "POST", "/incoming", {"login": LOGIN, "originator": originator, "text": text}
        )


async def wait_for_entities(demo: Demo, events: list[dict[str, Any]]) -> None:
    """Poll the account now and then until the entities and events show everything."""
    accounts = (await demo.simulator("GET", "/state"))["accounts"]
    money = next(Decimal(account["money"]) for account in accounts if account["login"] == LOGIN)

    async def shown() -> bool | None:
        # A refresh now rather than at the next scan interval (a minute by default).
        await demo.ha.post(
            "/api/services/homeassistant/update_entity", {"entity_id": demo.entities["balance"]}
        )
        return True if await everything_shown(demo, events, money) else None

    await wait_until("the entities to show it", shown, timeout=DEMO_TIMEOUT, interval=2)


async def everything_shown(demo: Demo, events: list[dict[str, Any]], money: Decimal) -> bool:
    """Both SMS received, both reports in, the balance charged, the entities updated."""
    received = [event for event in events if event["event_type"] == EVENT_SMS_RECEIVED]
    reports = [event for event in events if event["event_type"] == EVENT_DELIVERY_REPORT]
    states = await demo.ha.states()
    balance = states[demo.entities["balance"]]["state"]
    incoming = states[demo.entities["incoming"]]["attributes"]
    delivery = states[demo.entities["delivery"]]["attributes"]
    return (
        len(received) == len(INCOMING)
        and {str(event["data"]["message_id"]) for event in reports} == set(demo.message_ids)
        and balance not in ("unknown", "unavailable")
        and Decimal(balance) == money
        and incoming.get("text") == INCOMING[-1][1]
        and delivery.get("event_type") == "delivered"
    )


def expect(result: dict[str, Any], kind: str, why: str) -> None:
    """Fail unless the flow `result` is of type `kind`."""
    if result.get("type") != kind:
        errors = result.get("errors") or result.get("reason") or result
        raise DemoFailedError(f"{why}; got {result.get('type')}: {errors}")


# --- the table -------------------------------------------------------------------------


async def table(demo: Demo) -> str:
    """What the entities show now, one row each: what, the state shown, the entity id."""
    states = await demo.ha.states()

    def attributes(entity_id: str) -> dict[str, Any]:
        return dict(states[entity_id]["attributes"])

    balance = states[demo.entities["balance"]]
    rows = [
        (
            "balance",
            f"{balance['state']} {attributes(balance['entity_id']).get('unit_of_measurement')}",
            balance["entity_id"],
        )
    ]
    for entity_id in sorted(demo.area_sensors):
        area = str(attributes(entity_id).get("friendly_name", "")).rsplit(":", 1)[-1].strip()
        rows.append((f"SMS available: {area}", f"{states[entity_id]['state']} SMS", entity_id))
    incoming = attributes(demo.entities["incoming"])
    rows.append(
        (
            "last incoming SMS",
            f'"{incoming.get("text")}" from {incoming.get("sender")}',
            demo.entities["incoming"],
        )
    )
    report = attributes(demo.entities["delivery"])
    rows.append(
        (
            "last delivery report",
            f"{report.get('event_type')}: SMS {report.get('message_id')} to {report.get('phone')}",
            demo.entities["delivery"],
        )
    )
    notify = states[demo.entities["notify"]]
    rows.append(
        (
            "notify entity",
            f"{RECIPIENT}, last SMS at {notify['state'][11:19]} UTC",
            notify["entity_id"],
        )
    )
    return format_table([("what", "shows", "entity"), *rows])


def format_table(rows: list[tuple[str, str, str]]) -> str:
    """Rows in aligned columns, the first row underlined."""
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    rule = tuple("-" * width for width in widths)
    return "\n".join(
        (
            "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        ).rstrip()
        for row in [rows[0], rule, *rows[1:]]
    )


# --- running it ------------------------------------------------------------------------


async def run(workdir: Path) -> None:
    """Every step, in order; raises `DemoFailedError` at the first that fails."""
    # SIGTERM, like Ctrl-C, cancels the demo, so that it still stops what it started.
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    steps = Steps()
    async with contextlib.AsyncExitStack() as running:
        with steps.step("Starting the simulator and Home Assistant"):
            stack = await running.enter_async_context(running_stack(workdir))
        demo = Demo(stack, HomeAssistantClient(stack.session, stack.ha_url))
        try:
            await run_steps(steps, demo)
        except DemoFailedError:
            print(f"\nThe end of Home Assistant's log:\n{stack.home_assistant_log()}\n")
            raise
        elapsed = time.monotonic() - steps.started
        print(f"\n{await table(demo)}\n")
        print(f"Everything worked ({elapsed:.0f} s). Stopping Home Assistant and the simulator.")


async def run_steps(steps: Steps, demo: Demo) -> None:
    """The steps after starting: onboarding, the flows, sending, receiving, waiting."""
    print(f"    Home Assistant {demo.stack.ha_url}, simulator {demo.stack.simulator_url}")
    with steps.step("Onboarding a user through the onboarding API"):
        await onboard(demo.ha)
    with steps.step("Adding the jsonGate account (config flow: menu, gateway form)"):
        await add_gateway(demo)
        await find_entities(demo)
    with steps.step(f"Adding the recipient {RECIPIENT} ({PHONE}) (subentry flow)"):
        await add_recipient(demo)
    async with contextlib.AsyncExitStack() as listening:
        with steps.step("Listening to the integration's bus events (websocket API)"):
            events = await listening.enter_async_context(
                demo.ha.events(EVENT_SMS_RECEIVED, EVENT_DELIVERY_REPORT)
            )
        with steps.step("Sending an SMS with jsongate.send_sms"):
            await send_sms(demo)
        with steps.step(f"Sending an SMS through {demo.entities['notify']}"):
            await send_notification(demo)
        with steps.step("Simulator: delivering both SMS, receiving two"):
            await deliver_and_receive(demo)
        with steps.step("Waiting for the entities to show it"):
            await wait_for_entities(demo, events)


def main() -> int:
    """Run the demo in a temporary directory; 0 when everything worked."""
    with tempfile.TemporaryDirectory(prefix="jsongate-demo-") as workdir:
        try:
            asyncio.run(run(Path(workdir)))
        except DemoFailedError as err:
            print(f"demo: {err}", file=sys.stderr)
            return 1
        except KeyboardInterrupt, asyncio.CancelledError:
            print("\ndemo: interrupted", file=sys.stderr)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
