"""escalating_alert.yaml: an SMS alert that goes down a list until one is delivered.

The script made from the blueprint runs in a real Home Assistant and sends through the
integration to the simulator. The simulator delivers nothing by itself here: each test
decides the fate of each SMS with `finish_delivery`, and a poll of the account turns it
into the delivery report the script waits for. The wait for a report runs on Home
Assistant's test clock (`async_fire_time_changed`), so minutes pass at once.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import callback
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.jsongate.const import CONF_DELIVERY_REPORTS
from simulator.demo import LOGIN, STOPPED_PHONE
from tests.integration.conftest import send_sms

from .helpers import use_script_blueprint

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from homeassistant.core import HomeAssistant, ServiceResponse
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulator import Simulator
    from simulator.accounts import Message

BLUEPRINT = "jsongate/escalating_alert.yaml"
SCRIPT = "escalating_alert"
FIRST = "79161234567"
SECOND = "79261234567"
THIRD = "79031234567"
ALERT = "Water leak in the boiler room."
WAIT_MINUTES = 5


async def _set_up(hass: HomeAssistant, entry: MockConfigEntry, simulator: Simulator) -> None:
    """Set up the account; its SMS are delivered only when a test says so."""
    simulator.delivery_delay = None
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


@pytest.fixture
async def gateway(
    hass: HomeAssistant, gateway_entry: MockConfigEntry, simulator: Simulator
) -> MockConfigEntry:
    """The demo account, set up, with delivery reports on."""
    await _set_up(hass, gateway_entry, simulator)
    return gateway_entry


@pytest.fixture(autouse=True)
async def notifications(hass: HomeAssistant) -> list[dict[str, Any]]:
    """The persistent notifications created, oldest first."""
    assert await async_setup_component(hass, persistent_notification.DOMAIN, {})
    created: list[dict[str, Any]] = []

    @callback
    def collect(update_type: persistent_notification.UpdateType, items: dict[str, Any]) -> None:
        if update_type is persistent_notification.UpdateType.ADDED:
            created.extend(items.values())

    persistent_notification.async_register_callback(hass, collect)
    return created


async def _alert_script(
    hass: HomeAssistant, entry: MockConfigEntry, people: list[str], **inputs: Any
) -> str:
    return await use_script_blueprint(
        hass,
        SCRIPT,
        BLUEPRINT,
        {"account": entry.entry_id, "people": people, "wait_minutes": WAIT_MINUTES, **inputs},
    )


def _run(hass: HomeAssistant, **fields: Any) -> asyncio.Task[ServiceResponse]:
    """Start the script as an automation would, waiting for its response.

    A plain task, not one of Home Assistant's: `async_block_till_done` must not wait
    for a script that is waiting for a delivery report.
    """
    call: Coroutine[Any, Any, ServiceResponse] = hass.services.async_call(
        "script", SCRIPT, fields, blocking=True, return_response=True
    )
    return asyncio.create_task(call)


async def _until(condition: Callable[[], bool], what: str) -> None:
    """Let Home Assistant and the simulator work until `condition` holds."""
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - polls what Home Assistant and the simulator own
            await asyncio.sleep(0.01)
    assert condition(), what


def _sms(simulator: Simulator) -> list[Message]:
    return simulator.messages(LOGIN)


async def _sms_to(simulator: Simulator, phone: str, count: int) -> Message:
    """Wait for the `count`th SMS, which must go to `phone`; return it."""
    await _until(lambda: len(_sms(simulator)) >= count, f"SMS {count} to {phone}")
    message = _sms(simulator)[count - 1]
    assert message.phone == phone
    assert message.text == ALERT
    return message


async def _poll(entry: MockConfigEntry) -> None:
    """Poll the account; the reports it finds are on the bus when this returns.

    Not `async_block_till_done`: it would wait for the script, which is waiting.
    """
    await entry.runtime_data.coordinator.async_refresh()


async def _report(entry: MockConfigEntry, simulator: Simulator, sms: Message, state: str) -> None:
    """The gateway finishes `sms` in `state`, and Home Assistant polls the account."""
    simulator.finish_delivery(sms.id_sms, state)
    await _poll(entry)


async def _waiting_for_report(hass: HomeAssistant) -> None:
    """Return once the script waits for a delivery report (its timer is set)."""
    wait = WAIT_MINUTES * 60

    def timer_set() -> bool:
        now = hass.loop.time()
        return any(
            wait - 10 < handle.when() - now <= wait
            for handle in get_scheduled_timer_handles(hass.loop)
            if not handle.cancelled()
        )

    await _until(timer_set, "the script waits for a delivery report")


def _minutes_pass(hass: HomeAssistant, minutes: float) -> None:
    """Move Home Assistant's clock: timers due by then, such as the script's wait, run."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=minutes))


async def test_first_person_delivered_gets_the_only_sms(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    simulator: Simulator,
    notifications: list[dict[str, Any]],
) -> None:
    await _alert_script(hass, gateway, [FIRST, SECOND, THIRD])
    run = _run(hass, message=ALERT)

    sms = await _sms_to(simulator, FIRST, 1)
    await _report(gateway, simulator, sms, "deliver")

    assert await asyncio.wait_for(run, 10) == {
        "delivered_to": FIRST,
        "attempts": [{"phone": FIRST, "status": "delivered"}],
    }
    assert len(_sms(simulator)) == 1
    (notification,) = notifications
    assert notification["title"] == "SMS alert delivered"
    assert notification["message"] == (f'{FIRST} got the alert: "{ALERT}"\n\n- {FIRST}: delivered')


async def test_not_delivered_goes_to_the_next_person(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    simulator: Simulator,
    notifications: list[dict[str, Any]],
) -> None:
    await _alert_script(hass, gateway, ["+7 (916) 123-45-67", "8 926 123 45 67", THIRD])
    run = _run(hass, message=ALERT)

    first = await _sms_to(simulator, FIRST, 1)
    await _report(gateway, simulator, first, "not_deliver")
    second = await _sms_to(simulator, SECOND, 2)
    await _report(gateway, simulator, second, "deliver")

    assert await asyncio.wait_for(run, 10) == {
        "delivered_to": "8 926 123 45 67",
        "attempts": [
            {"phone": "+7 (916) 123-45-67", "status": "not_delivered"},
            {"phone": "8 926 123 45 67", "status": "delivered"},
        ],
    }
    assert len(_sms(simulator)) == 2
    (notification,) = notifications
    assert notification["title"] == "SMS alert delivered"
    assert notification["message"] == (
        f'8 926 123 45 67 got the alert: "{ALERT}"\n\n'
        "- +7 (916) 123-45-67: not delivered\n"
        "- 8 926 123 45 67: delivered"
    )


async def test_nobody_gets_it_after_everyone_was_tried_once(
    hass: HomeAssistant,
    gateway: MockConfigEntry,
    simulator: Simulator,
    notifications: list[dict[str, Any]],
) -> None:
    await _alert_script(hass, gateway, [FIRST, STOPPED_PHONE, SECOND, THIRD])
    run = _run(hass, message=ALERT)

    # Not delivered; then a number in the account's stop list, which the gateway refuses.
    first = await _sms_to(simulator, FIRST, 1)
    await _report(gateway, simulator, first, "not_deliver")
    # No report at all: the wait runs out.
    await _sms_to(simulator, SECOND, 2)
    await _waiting_for_report(hass)
    _minutes_pass(hass, WAIT_MINUTES - 1)
    await asyncio.sleep(0.2)
    assert len(_sms(simulator)) == 2
    _minutes_pass(hass, WAIT_MINUTES)
    # Expired.
    third = await _sms_to(simulator, THIRD, 3)
    await _report(gateway, simulator, third, "expired")

    assert await asyncio.wait_for(run, 10) == {
        "delivered_to": None,
        "attempts": [
            {"phone": FIRST, "status": "not_delivered"},
            {"phone": STOPPED_PHONE, "status": "not_sent"},
            {"phone": SECOND, "status": "no_report"},
            {"phone": THIRD, "status": "expired"},
        ],
    }
    assert [sms.phone for sms in _sms(simulator)] == [FIRST, SECOND, THIRD]
    (notification,) = notifications
    assert notification["title"] == "SMS alert not delivered"
    assert notification["message"] == (
        f'Nobody got the alert: "{ALERT}"\n\n'
        f"- {FIRST}: not delivered\n"
        f"- {STOPPED_PHONE}: could not be sent\n"
        f"- {SECOND}: no delivery report within {WAIT_MINUTES} min\n"
        f"- {THIRD}: expired before it was delivered"
    )


async def test_partly_delivered_goes_to_the_next_person(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    await _alert_script(hass, gateway, [FIRST, SECOND])
    run = _run(hass, message=ALERT)

    first = await _sms_to(simulator, FIRST, 1)
    await _report(gateway, simulator, first, "partly_deliver")
    second = await _sms_to(simulator, SECOND, 2)
    await _report(gateway, simulator, second, "deliver")

    response = await asyncio.wait_for(run, 10)
    assert response["attempts"] == [
        {"phone": FIRST, "status": "partly_delivered"},
        {"phone": SECOND, "status": "delivered"},
    ]


async def test_a_report_among_others_in_one_poll_is_not_missed(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    """Several reports in one poll wake the script once; its own must still count."""
    await _alert_script(hass, gateway, [FIRST, SECOND])
    run = _run(hass, message=ALERT)
    first = await _sms_to(simulator, FIRST, 1)
    # Other SMS of the account, sent after the alert, reported in the same poll.
    await send_sms(hass, gateway, [THIRD], "Hello")
    simulator.finish_delivery(first.id_sms, "deliver")
    simulator.finish_all_deliveries("not_deliver")
    await _poll(gateway)

    assert await asyncio.wait_for(run, 10) == {
        "delivered_to": FIRST,
        "attempts": [{"phone": FIRST, "status": "delivered"}],
    }
    assert [sms.phone for sms in _sms(simulator)] == [FIRST, THIRD]


async def test_without_delivery_reports_the_gateway_is_asked_when_the_wait_ends(
    hass: HomeAssistant, gateway_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """With the account's delivery reports off, no report comes: the status is asked."""
    hass.config_entries.async_update_entry(
        gateway_entry, options={**gateway_entry.options, CONF_DELIVERY_REPORTS: False}
    )
    await _set_up(hass, gateway_entry, simulator)
    await _alert_script(hass, gateway_entry, [FIRST, SECOND, THIRD])
    run = _run(hass, message=ALERT)

    first = await _sms_to(simulator, FIRST, 1)
    simulator.finish_delivery(first.id_sms, "not_deliver")
    await _waiting_for_report(hass)
    _minutes_pass(hass, WAIT_MINUTES)
    second = await _sms_to(simulator, SECOND, 2)
    simulator.finish_delivery(second.id_sms, "deliver")
    await _poll(gateway_entry)
    assert len(_sms(simulator)) == 2
    await _waiting_for_report(hass)
    _minutes_pass(hass, WAIT_MINUTES)

    assert await asyncio.wait_for(run, 10) == {
        "delivered_to": SECOND,
        "attempts": [
            {"phone": FIRST, "status": "not_delivered"},
            {"phone": SECOND, "status": "delivered"},
        ],
    }
    assert len(_sms(simulator)) == 2


async def test_a_run_can_name_its_own_people_and_sender(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    await _alert_script(hass, gateway, [FIRST], sender="ALERT")
    run = _run(hass, message=ALERT, people=[SECOND, THIRD])

    second = await _sms_to(simulator, SECOND, 1)
    assert second.sender == "ALERT"
    await _report(gateway, simulator, second, "deliver")

    assert (await asyncio.wait_for(run, 10))["delivered_to"] == SECOND
    assert [sms.phone for sms in _sms(simulator)] == [SECOND]


@pytest.mark.parametrize(
    ("configured", "fields", "problem"),
    [
        pytest.param([FIRST], {"message": "  "}, "it has no message.", id="empty message"),
        pytest.param([], {"message": ALERT}, "there is nobody to alert.", id="nobody configured"),
        pytest.param(
            [FIRST],
            {"message": ALERT, "people": [" "]},
            "there is nobody to alert.",
            id="nobody given",
        ),
    ],
)
async def test_nothing_to_send_is_said_and_sends_nothing(
    hass: HomeAssistant,
    *,
    gateway: MockConfigEntry,
    simulator: Simulator,
    notifications: list[dict[str, Any]],
    configured: list[str],
    fields: dict[str, Any],
    problem: str,
) -> None:
    await _alert_script(hass, gateway, configured)

    await asyncio.wait_for(_run(hass, **fields), 10)

    assert _sms(simulator) == []
    (notification,) = notifications
    assert notification["title"] == "SMS alert not sent"
    assert notification["message"] == f"The alert was not sent: {problem}"


async def test_two_alerts_escalate_each_on_its_own(
    hass: HomeAssistant, gateway: MockConfigEntry, simulator: Simulator
) -> None:
    await _alert_script(hass, gateway, [FIRST, SECOND])
    leak = _run(hass, message=ALERT)
    await _sms_to(simulator, FIRST, 1)
    smoke = _run(hass, message="Smoke in the garage.")
    await _until(lambda: len(_sms(simulator)) == 2, "the second alert's SMS")
    leak_sms, smoke_sms = _sms(simulator)
    assert (smoke_sms.phone, smoke_sms.text) == (FIRST, "Smoke in the garage.")

    # One poll reports both: the leak alert was delivered, the smoke alert was not.
    simulator.finish_delivery(leak_sms.id_sms, "deliver")
    simulator.finish_delivery(smoke_sms.id_sms, "not_deliver")
    await _poll(gateway)

    assert (await asyncio.wait_for(leak, 10))["delivered_to"] == FIRST
    await _until(lambda: len(_sms(simulator)) == 3, "the smoke alert to the next person")
    third = _sms(simulator)[2]
    assert (third.phone, third.text) == (SECOND, "Smoke in the garage.")
    await _report(gateway, simulator, third, "deliver")
    assert (await asyncio.wait_for(smoke, 10))["attempts"] == [
        {"phone": FIRST, "status": "not_delivered"},
        {"phone": SECOND, "status": "delivered"},
    ]
