"""The spending guard: a daily limit of SMS parts per account, in a real Home Assistant.

Every test sends through the integration to the simulator over loopback HTTP, and reads
what a user sees: the action's error, the `sms_sent_today` sensor, the repair issue, and
what the simulator received.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.jsongate import sender as sender_module
from custom_components.jsongate import spending_guard, store
from custom_components.jsongate.api import Abonent, OutgoingMessage, SendResult
from custom_components.jsongate.const import CONF_DAILY_SMS_LIMIT, DOMAIN
from custom_components.jsongate.issues import ISSUE_DAILY_SMS_LIMIT, issue_id
from simulator.demo import LOGIN
from simulator.faults import Fault, FaultKind

from .conftest import restarted, send_sms, until
from .test_notify import add_subentry
from .test_notify import entity_id as notify_entity_id

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from simulator import Simulator

# Requests that spend nothing: the polling of balance, incoming SMS and delivery states.
POLLING = frozenset({"balance", "incoming", "state"})
# Home Assistant's day here starts at 21:00 UTC, not at UTC midnight.
TIME_ZONE = "Europe/Moscow"
TWO_PARTS = "x" * 200  # GSM-7: 153 characters per part once split


def phones(count: int, start: int = 0) -> list[str]:
    return [f"79161{number:06d}" for number in range(start, start + count)]


def sending_requests(simulator: Simulator, since: int = 0) -> list[str | None]:
    """The types of the requests after the first `since` that weren't polling."""
    return [
        record.request_type
        for record in simulator.requests[since:]
        if record.request_type not in POLLING
    ]


async def set_limit(hass: HomeAssistant, entry: MockConfigEntry, limit: int) -> None:
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_DAILY_SMS_LIMIT: limit}
    )


async def setup(hass: HomeAssistant, entry: MockConfigEntry, limit: int | None) -> None:
    await hass.config.async_set_time_zone(TIME_ZONE)
    if limit is not None:
        await set_limit(hass, entry, limit)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


def sensor_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    found = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{entry.entry_id}_sms_sent_today"
    )
    assert found is not None
    return found


def sent_today(hass: HomeAssistant, entry: MockConfigEntry) -> int:
    state = hass.states.get(sensor_id(hass, entry))
    assert state is not None
    return int(state.state)


def limit_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id(ISSUE_DAILY_SMS_LIMIT, entry))


async def refused(hass: HomeAssistant, simulator: Simulator, call: Any) -> HomeAssistantError:
    """Await `call`, which the guard must refuse before any request is made."""
    before = len(simulator.requests)
    with pytest.raises(HomeAssistantError) as caught:
        await call
    assert sending_requests(simulator, before) == []
    assert caught.value.translation_key == "daily_sms_limit"
    return caught.value


def next_local_midnight() -> datetime:
    return dt_util.start_of_local_day() + timedelta(days=1)


async def test_sensor_counts_parts_the_gateway_answered(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, None)  # options made before the limit: 100
    state = hass.states.get(sensor_id(hass, gateway_entry))
    assert state is not None
    assert state.state == "0"
    assert state.name.endswith("SMS sent today")
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "parts"
    assert state.attributes["state_class"] == "total"
    assert dt_util.parse_datetime(state.attributes["last_reset"]) == (dt_util.start_of_local_day())

    response = await send_sms(hass, gateway_entry, phones(3), TWO_PARTS)

    answered = sum(message["parts"] for message in response["messages"])
    assert answered == 6
    assert sent_today(hass, gateway_entry) == 6
    assert sum(message.parts for message in simulator.messages(LOGIN)) == 6


async def test_limit_reached_across_two_calls(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, 10)
    await send_sms(hass, gateway_entry, phones(3), TWO_PARTS)  # 6 parts
    assert limit_issue(hass, gateway_entry) is None

    error = await refused(
        hass, simulator, send_sms(hass, gateway_entry, phones(3, start=10), TWO_PARTS)
    )

    assert error.translation_placeholders == {
        "entry_title": gateway_entry.title,
        "limit": "10",
        "count": "6",
        "parts": "6",
    }
    assert "6 of its 10 SMS parts" in str(error)  # the translated message
    assert len(simulator.messages(LOGIN)) == 3
    assert sent_today(hass, gateway_entry) == 6
    # Sends that fit still go: up to the limit exactly.
    await send_sms(hass, gateway_entry, phones(2, start=20), TWO_PARTS)
    assert sent_today(hass, gateway_entry) == 10
    issue = limit_issue(hass, gateway_entry)
    assert issue is not None
    assert issue.translation_key == "daily_sms_limit_reached"
    assert issue.translation_placeholders == {
        "entry_title": gateway_entry.title,
        "limit": "10",
        "count": "10",
    }
    await refused(hass, simulator, send_sms(hass, gateway_entry, phones(1, start=30)))


async def test_refused_call_reads_no_default_sender(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    """A message without a sender would first ask for the senders: refused before that."""
    await setup(hass, gateway_entry, 1)
    await refused(hass, simulator, send_sms(hass, gateway_entry, phones(2)))
    assert simulator.requests_of_type("originator") == []
    assert limit_issue(hass, gateway_entry) is not None  # sends are being refused


async def test_a_call_over_the_limit_by_itself_is_refused_whole(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, None)
    await refused(hass, simulator, send_sms(hass, gateway_entry, phones(101)))
    assert simulator.messages(LOGIN) == []
    assert sent_today(hass, gateway_entry) == 0


async def test_limit_survives_reload_and_restart(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, 5)
    await send_sms(hass, gateway_entry, phones(2))
    assert await hass.config_entries.async_reload(gateway_entry.entry_id)
    await hass.async_block_till_done()
    assert sent_today(hass, gateway_entry) == 2
    await send_sms(hass, gateway_entry, phones(2, start=10))
    await hass.async_stop()

    async with restarted(hass, gateway_entry) as (second, entry):
        await setup(second, entry, None)
        assert sent_today(second, entry) == 4
        await refused(second, simulator, send_sms(second, entry, phones(2, start=20)))
        await send_sms(second, entry, phones(1, start=30))
        assert sent_today(second, entry) == 5

    assert len(simulator.messages(LOGIN)) == 5


async def test_restart_on_another_day_starts_from_zero(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup(hass, gateway_entry, 3)
    await send_sms(hass, gateway_entry, phones(3))
    assert limit_issue(hass, gateway_entry) is not None
    await hass.async_stop()
    freezer.move_to(next_local_midnight() + timedelta(hours=8))  # down over midnight

    async with restarted(hass, gateway_entry) as (second, entry):
        await setup(second, entry, None)
        assert sent_today(second, entry) == 0
        assert limit_issue(second, entry) is None
        await send_sms(second, entry, phones(3, start=10))


async def test_limit_reached_by_a_notify_entity(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    subentry_id = add_subentry(
        hass,
        gateway_entry,
        "recipient",
        "Family",
        {"phone_numbers": phones(2), "sender": "ALERT", "transliterate": False},
    )
    await setup(hass, gateway_entry, 3)
    target = notify_entity_id(hass, gateway_entry, subentry_id)
    notify = {"entity_id": target, "message": "Door open"}

    await hass.services.async_call("notify", "send_message", notify, blocking=True)
    assert sent_today(hass, gateway_entry) == 2
    await refused(
        hass,
        simulator,
        hass.services.async_call("notify", "send_message", notify, blocking=True),
    )
    assert len(simulator.messages(LOGIN)) == 2
    assert limit_issue(hass, gateway_entry) is not None


async def test_fifty_concurrent_calls_cannot_overshoot(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, 20)
    outcomes = await asyncio.gather(
        *(send_sms(hass, gateway_entry, [phone]) for phone in phones(50)),
        return_exceptions=True,
    )

    sent = [outcome for outcome in outcomes if isinstance(outcome, dict)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, HomeAssistantError)]
    assert (len(sent), len(refusals)) == (20, 30)
    assert all(error.translation_key == "daily_sms_limit" for error in refusals)
    assert len(simulator.messages(LOGIN)) == 20
    assert sent_today(hass, gateway_entry) == 20
    assert gateway_entry.runtime_data.guard.as_diagnostics()["reserved_in_flight"] == 0


async def test_midnight_starts_a_new_count_and_clears_the_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup(hass, gateway_entry, 2)
    await send_sms(hass, gateway_entry, phones(2))
    await refused(hass, simulator, send_sms(hass, gateway_entry, phones(1, start=10)))
    assert limit_issue(hass, gateway_entry) is not None

    # One second before local midnight nothing changes yet.
    midnight = next_local_midnight()
    freezer.move_to(midnight - timedelta(seconds=1))
    async_fire_time_changed(hass, midnight - timedelta(seconds=1))
    await hass.async_block_till_done()
    assert sent_today(hass, gateway_entry) == 2
    assert limit_issue(hass, gateway_entry) is not None

    freezer.move_to(midnight)
    async_fire_time_changed(hass, midnight)
    await hass.async_block_till_done()

    state = hass.states.get(sensor_id(hass, gateway_entry))
    assert state is not None
    assert state.state == "0"
    assert dt_util.parse_datetime(state.attributes["last_reset"]) == midnight
    assert midnight.astimezone(dt_util.UTC).hour == 21  # Moscow's midnight, not UTC's
    assert limit_issue(hass, gateway_entry) is None
    await send_sms(hass, gateway_entry, phones(2, start=20))
    assert sent_today(hass, gateway_entry) == 2


async def test_raising_the_limit_clears_the_issue(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, 2)
    await send_sms(hass, gateway_entry, phones(2))
    assert limit_issue(hass, gateway_entry) is not None

    flow = await hass.config_entries.options.async_init(gateway_entry.entry_id)
    assert flow["data_schema"]({})[CONF_DAILY_SMS_LIMIT] == 2  # the form shows the limit
    await hass.config_entries.options.async_configure(
        flow["flow_id"], {**gateway_entry.options, CONF_DAILY_SMS_LIMIT: 5}
    )
    await hass.async_block_till_done()  # the entry reloads with the new limit

    assert gateway_entry.options[CONF_DAILY_SMS_LIMIT] == 5
    assert limit_issue(hass, gateway_entry) is None
    assert sent_today(hass, gateway_entry) == 2
    await send_sms(hass, gateway_entry, phones(3, start=10))
    assert limit_issue(hass, gateway_entry) is not None  # 5 of 5


async def test_lowering_the_limit_below_today_raises_the_issue(
    hass: HomeAssistant, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, 10)
    await send_sms(hass, gateway_entry, phones(4))
    await set_limit(hass, gateway_entry, 3)
    assert await hass.config_entries.async_reload(gateway_entry.entry_id)
    await hass.async_block_till_done()
    issue = limit_issue(hass, gateway_entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["count"] == "4"


async def test_zero_means_no_limit(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    simulator.set_money(LOGIN, 10_000)
    await setup(hass, gateway_entry, 0)
    await send_sms(hass, gateway_entry, phones(150))
    await send_sms(hass, gateway_entry, phones(1, start=500), TWO_PARTS)

    assert len(simulator.messages(LOGIN)) == 151
    assert sent_today(hass, gateway_entry) == 152  # still counted
    assert limit_issue(hass, gateway_entry) is None


async def test_a_refused_request_counts_nothing(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    """Parts reserved for a send the gateway refuses are given back."""
    await setup(hass, gateway_entry, 2)
    simulator.set_money(LOGIN, 0)
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, gateway_entry, phones(2))
    assert caught.value.translation_key != "daily_sms_limit"
    assert sent_today(hass, gateway_entry) == 0
    assert gateway_entry.runtime_data.guard.as_diagnostics()["reserved_in_flight"] == 0

    simulator.set_money(LOGIN, 100)
    await send_sms(hass, gateway_entry, phones(2, start=10))
    assert sent_today(hass, gateway_entry) == 2


async def test_a_request_the_gateway_refused_whole_counts_nothing(
    hass: HomeAssistant, simulator: Simulator, gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, 2)
    simulator.add_fault(Fault(FaultKind.ERROR_TEXT, request_type="sms", text="Занято"))
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, gateway_entry, phones(2))
    assert caught.value.translation_key == "request_refused"
    assert sent_today(hass, gateway_entry) == 0

    await send_sms(hass, gateway_entry, phones(2, start=10))  # the whole limit is left
    assert sent_today(hass, gateway_entry) == 2


async def test_a_send_whose_answer_was_lost_counts_its_estimate(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """The gateway took the SMS but no answer came back: they may cost money, so count."""
    monkeypatch.setattr(sender_module, "RETRY_DELAYS", (0.0, 0.0))
    await setup(hass, gateway_entry, 3)
    simulator.add_fault(Fault(FaultKind.DISCONNECT_AFTER, times=None, request_type="sms"))
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, gateway_entry, phones(2))
    assert caught.value.translation_key != "daily_sms_limit"
    assert len(simulator.messages(LOGIN)) == 2  # sent once, although never answered
    assert sent_today(hass, gateway_entry) == 2

    simulator.clear_faults()
    await refused(hass, simulator, send_sms(hass, gateway_entry, phones(2, start=10)))


async def test_removing_the_entry_forgets_the_count_and_the_issue(
    hass: HomeAssistant, hass_storage: dict[str, Any], gateway_entry: MockConfigEntry
) -> None:
    await setup(hass, gateway_entry, 1)
    await send_sms(hass, gateway_entry, phones(1))
    assert await hass.config_entries.async_unload(gateway_entry.entry_id)
    assert f"{DOMAIN}.{gateway_entry.entry_id}.sms_sent_today" in hass_storage
    assert limit_issue(hass, gateway_entry) is not None

    await hass.config_entries.async_remove(gateway_entry.entry_id)
    await hass.async_block_till_done()

    assert f"{DOMAIN}.{gateway_entry.entry_id}.sms_sent_today" not in hass_storage
    assert limit_issue(hass, gateway_entry) is None


async def test_diagnostics_show_the_guard(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    await setup(hass, gateway_entry, 2)
    await send_sms(hass, gateway_entry, phones(2))
    await refused(hass, simulator, send_sms(hass, gateway_entry, phones(1, start=10)))

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, gateway_entry)

    assert diagnostics["spending_guard"] == {
        "daily_limit": 2,
        "day": dt_util.now().date().isoformat(),
        "sent_today": 2,
        "reserved_in_flight": 0,
        "refused_at_limit": 2,
    }


@pytest.mark.usefixtures("short_stop_wait")
async def test_a_send_cut_off_by_the_stop_is_counted_and_saved(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """Home Assistant stops while the gateway holds a send: it may be sent, so it counts."""
    await setup(hass, gateway_entry, 5)
    simulator.add_fault(Fault(FaultKind.LATENCY, times=None, request_type="sms", seconds=1.5))
    # The caller's own task, as a websocket command's: not one Home Assistant tracks.
    call = asyncio.get_running_loop().create_task(send_sms(hass, gateway_entry, phones(2)))
    await until(lambda: simulator.requests_of_type("sms"))

    await hass.async_stop()

    with pytest.raises(HomeAssistantError) as caught:
        await call
    assert caught.value.translation_key == "send_outcome_unknown"
    stored = hass_storage[f"{DOMAIN}.{gateway_entry.entry_id}.sms_sent_today"]["data"]
    assert stored["sent"] == 2


@pytest.mark.usefixtures("short_stop_wait")
async def test_sends_dropped_by_the_stop_give_their_parts_back(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    simulator: Simulator,
    gateway_entry: MockConfigEntry,
) -> None:
    """A send still queued when the stop's wait ends never left: it counts nothing."""
    await setup(hass, gateway_entry, 10)
    simulator.add_fault(Fault(FaultKind.LATENCY, times=None, request_type="sms", seconds=1.5))
    loop = asyncio.get_running_loop()
    calls = []
    for number in range(sender_module.MAX_IN_FLIGHT):  # every request slot taken
        calls.append(loop.create_task(send_sms(hass, gateway_entry, phones(1, start=number))))
        # Awaited inside the iteration, so the lambda sees this `number`.
        await until(lambda: len(simulator.requests_of_type("sms")) > number)  # noqa: B023
    queued = loop.create_task(send_sms(hass, gateway_entry, phones(3, start=100)))
    await asyncio.sleep(0.05)

    await hass.async_stop()

    outcomes = await asyncio.gather(*calls, queued, return_exceptions=True)
    assert [getattr(error, "translation_key", None) for error in outcomes] == [
        *["send_outcome_unknown"] * sender_module.MAX_IN_FLIGHT,
        "entry_unloading",
    ]
    stored = hass_storage[f"{DOMAIN}.{gateway_entry.entry_id}.sms_sent_today"]["data"]
    assert stored["sent"] == sender_module.MAX_IN_FLIGHT


async def test_steady_sends_do_not_put_off_writing_the_count(
    hass: HomeAssistant, hass_storage: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SMS every 50 ms: the count is still written soon after the first one."""
    monkeypatch.setattr(store, "SAVE_DELAY", 0.2)
    entry = MockConfigEntry(domain=DOMAIN, data={}, options={CONF_DAILY_SMS_LIMIT: 0})
    entry.add_to_hass(hass)
    guard = spending_guard.SpendingGuard(hass, entry)
    await guard.async_load()
    message = OutgoingMessage(text="Hi", abonents=(Abonent(phone="79161234567"),))
    accepted = SendResult(
        phone="79161234567",
        client_id_sms=1,
        message_id="1",
        parts=1,
        status="send",
        error=None,
    )
    key = store.storage_key(entry.entry_id, "sms_sent_today")
    for _ in range(20):  # a second of sends
        guard.reserve(message).settle([accepted])
        await asyncio.sleep(0.05)
    assert key in hass_storage
