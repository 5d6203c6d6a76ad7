"""The fault matrix: every fault the simulator can make, against every operation.

Each test injects one fault (`harness.FAULTS`) into one operation, lets simulated time
run through the outage, ends the fault, and checks what a user relies on:

- no exception reaches the log except the integration's own translated errors;
- the entities go unavailable once (one log line) and come back once (one log line);
- every incoming SMS is one `received` event: none missing, none repeated;
- no `client_id_sms` is processed twice; every call gets message ids or a translated
  error; a wrong password starts one reauth flow and polling waits for it.

The same again with Home Assistant restarted while the fault is on. Each test fills its
cell of the table printed at the end of the run (see `conftest.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.helpers import issue_registry as ir

from custom_components.jsongate.const import CONF_DAILY_SMS_LIMIT, DOMAIN
from simulator.demo import LOGIN
from simulator.faults import FaultKind

from .conftest import Cell
from .harness import FAULTS, POLL, FaultCase, Outcome, World, result_or_error

CellOpener = Callable[[str, str], Cell]
CANCELLED_BY_STOP = "cancelled by the stop"
FAULT_IDS = [fault.name.replace(" ", "_") for fault in FAULTS]
OUTAGE_POLLS = 3


def _faults() -> Any:
    return pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)


# --- polling: balance and incoming SMS -------------------------------------------------


def _check_outage(world: World, fault: FaultCase) -> None:
    """While the fault is on: unavailable with the translated reason, or working."""
    if fault.account == "blocked":
        # The entry has stopped, saying why; a repair issue tells the user what to do.
        assert world.entry.state is ConfigEntryState.SETUP_ERROR
        assert world.entry.error_reason_translation_key == fault.error
        assert ir.async_get(world.hass).async_get_issue(
            DOMAIN, f"account_blocked_{world.entry.entry_id}"
        )
        assert world.hass.states.get(world.entity_id("balance")).state == STATE_UNAVAILABLE
        return
    coordinator = world.entry.runtime_data.coordinator
    if fault.error is None:
        assert coordinator.last_update_success
        assert world.hass.states.get(world.entity_id("balance")).state != STATE_UNAVAILABLE
        return
    assert not coordinator.last_update_success
    assert coordinator.last_exception.translation_key == fault.error
    assert world.hass.states.get(world.entity_id("balance")).state == STATE_UNAVAILABLE


def _availability(world: World, fault: FaultCase, *, restarted: bool = False) -> str:
    """Check the entities went down and came back once each, one log line each way."""
    down, back = world.went_down["balance"], world.came_back["balance"]
    unavailable, recovered = world.unavailable_lines(), world.recovered_lines()
    if fault.error is None:
        assert (down, back, len(unavailable), len(recovered)) == (0, 0, 0, 0)
    elif restarted:
        # Down once before the stop; the new instance's entities start available.
        assert (down, len(unavailable)) == (1, 1), unavailable
    else:
        assert (down, back) == (1, 1)
        assert len(unavailable) == 1, unavailable
        # A new password, or a reload once unblocked, makes a new coordinator: it has
        # nothing to recover.
        expected = 0 if fault.stops_entry else 1
        assert len(recovered) == expected, recovered
        assert all(key in {"balance", "incoming_sms", "delivery_report"} for key in world.went_down)
        assert max(world.went_down.values()) == 1
        assert max(world.came_back.values()) == 1
    text = f"↓{down}[{len(unavailable)}] ↑{back}[{len(recovered)}]"
    if restarted:
        # The new instance starts with the fault on: one line saying why the entry
        # waits (setup retried, or reauthentication), none when the fault harms nothing.
        # A blocked account stopped the entry before the restart too: one line each.
        retry = world.setup_retry_lines()
        expected = 0 if fault.error is None else 2 if fault.account == "blocked" else 1
        assert len(retry) == expected, retry
        assert world.hass.states.get(world.entity_id("balance")).state != STATE_UNAVAILABLE
        text += f" setup retry[{len(retry)}]"
    return text


async def _stop_mid_poll(world: World, fault: FaultCase) -> None:
    """Let the next poll start: the restart then stops it with its first request in flight.

    A refused password or a blocked account stops polling (until the user acts): there
    is no next poll.
    """
    if fault.stops_entry:
        requests = len(world.sim.requests)
        await world.time.advance(2 * POLL)
        assert len(world.sim.requests) == requests
        return
    await world.time.start_next_request(reach_server=fault.kind is FaultKind.HANG)


@_faults()
async def test_poll(world: World, fault: FaultCase, matrix_cell: CellOpener) -> None:
    cell = matrix_cell(fault.name, "poll")
    await world.setup()
    world.add_sms("before the fault")
    await world.time.advance()
    assert world.received == world.added_sms

    fault.inject(world.sim)
    for number in range(OUTAGE_POLLS):
        world.add_sms(f"during the fault {number}")
        await world.time.advance()
        _check_outage(world, fault)
    if fault.account == "wrong_password":
        assert len(world.reauth_flows()) == 1
        polled = len(world.sim.requests)
        world.add_sms("while the user reads the reauth notice")
        await world.time.advance(3 * POLL)
        assert len(world.sim.requests) == polled, "polled with a refused password"
    await world.end_fault(fault)
    world.add_sms("after the fault")
    await world.time.advance()
    await world.time.advance()

    assert world.received == world.added_sms
    cell.text = f"sms {len(world.received)}/{len(world.added_sms)} " + _availability(world, fault)
    world.assert_clean_log()


@_faults()
async def test_poll_restart(world: World, fault: FaultCase, matrix_cell: CellOpener) -> None:
    cell = matrix_cell(fault.name, "poll, restart")
    await world.setup()
    world.add_sms("before the fault")
    await world.time.advance()
    fault.inject(world.sim)
    world.add_sms("during the fault")
    await world.time.advance()
    _check_outage(world, fault)
    world.add_sms("just before the stop")
    await _stop_mid_poll(world, fault)

    async with world.restarted():
        world.add_sms("while Home Assistant was down")
        await world.setup_after_restart(fault)
        world.add_sms("after the restart")
        await world.time.advance()
        await world.time.advance()
        assert world.received == world.added_sms
        assert not world.reauth_flows()

    cell.text = f"sms {len(world.received)}/{len(world.added_sms)} " + _availability(
        world, fault, restarted=True
    )
    world.assert_clean_log()


# --- sending: send_sms with 1 and 100 recipients, and a notify entity ------------------

ONE = ["79161234567"]
HUNDRED = [f"79161{number:06d}" for number in range(100)]
FAMILY = ["79261234567", "79031234567"]  # the notify entity's recipient


def _sms_action(world: World, phones: list[str], text: str) -> Any:
    return world.hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"config_entry_id": world.entry.entry_id, "recipients": phones, "message": text},
        blocking=True,
        return_response=True,
    )


def _notify_action(world: World, text: str) -> Any:
    return world.hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": world.entity_id(world.notify_key, "notify"), "message": text},
        blocking=True,
    )


class Sends:
    """One kind of send (an action, or a notify entity), and every call's outcome."""

    def __init__(self, world: World, operation: str) -> None:
        """Send the way `operation` names; `setup` adds what it needs to the entry."""
        self.world = world
        self.operation = operation
        self.phones = {"send_sms ×1": ONE, "send_sms ×100": HUNDRED, "notify": FAMILY}[
            operation.removesuffix(", restart")
        ]
        self.outcomes: list[Outcome] = []
        self.texts: list[str] = []
        self.calls = 0

    async def setup(self) -> None:
        """Set the entry up (with a recipient subentry for the notify entity).

        The demo account's 150 roubles pay for one call to a hundred numbers: top it up;
        and the daily limit of 100 parts would refuse the second: turn it off.
        """
        self.world.sim.set_money(LOGIN, Decimal(100_000))
        entry = self.world.entry
        self.world.hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_DAILY_SMS_LIMIT: 0}
        )
        if self.operation.startswith("notify"):
            subentry = add_recipient(self.world)
            self.world.notify_key = subentry
        await self.world.setup()

    def action(self, text: str) -> Any:
        """The call, not yet awaited."""
        if self.operation.startswith("notify"):
            return _notify_action(self.world, text)
        return _sms_action(self.world, self.phones, text)

    async def send(self, text: str) -> Outcome:
        """Make one call and check what it got."""
        return self.outcome(text, *await self.world.call(self.action(text)))

    def outcome(self, text: str, response: Any, error: str | None) -> Outcome:
        """Check a finished call: its ids are the gateway's messages for its recipients."""
        self.calls += 1
        self.texts.append(text)
        sent = [m for m in self.world.sim.messages(LOGIN) if m.text == text]
        if error is not None:
            outcome = Outcome(error=error)
        elif response is not None:  # send_sms answers with the message ids
            ids = [item["message_id"] for item in response["messages"]]
            assert [item["phone"] for item in response["messages"]] == self.phones
            assert response["sent"] == len(self.phones)
            by_id = {str(message.id_sms): message for message in sent}
            assert [by_id[message_id].phone for message_id in ids] == self.phones
            outcome = Outcome(ids=ids)
        else:  # a notify entity answers with nothing: the gateway has one SMS per number
            assert sorted(message.phone for message in sent) == sorted(self.phones)
            outcome = Outcome(ids=[str(message.id_sms) for message in sent])
        # Never more than the send path's tries, whatever the fault.
        requests = [r for r in self.world.sim.requests_of_type("sms") if _text_of(r) == text]
        assert len(requests) <= 3
        self.outcomes.append(outcome)
        return outcome

    def interrupted(self, text: str, call: asyncio.Future[Any]) -> Outcome:
        """The outcome of a call Home Assistant's stop interrupted.

        Home Assistant cancels whatever service call still runs at its last stop stage
        (its automations are being stopped too): that is a cancellation, not an error
        the integration raised, and it is recorded as such.
        """
        if call.cancelled():
            self.calls += 1
            self.texts.append(text)
            outcome = Outcome(error=CANCELLED_BY_STOP)
            self.outcomes.append(outcome)
            return outcome
        return self.outcome(text, *result_or_error(call))

    def summary(self) -> str:
        """`ids n err m (keys) 2× k` for the table."""
        ok = sum(1 for outcome in self.outcomes if outcome.ok)
        errors = sorted({o.error.removeprefix("action_") for o in self.outcomes if o.error})
        twice = len(self.world.client_ids_processed_twice())
        assert ok + sum(1 for o in self.outcomes if o.error) == self.calls
        # Calls whose SMS the gateway did send: more than `ids` when an answer was lost.
        texts = {message.text for message in self.world.sim.messages(LOGIN)}
        sent = sum(1 for text in self.texts if text in texts)
        text = f"ids {ok} err {self.calls - ok}"
        if errors:
            text += f" ({', '.join(errors)})"
        return f"{text} sent {sent} 2×{twice}"


def _text_of(record: Any) -> str | None:
    body = record.body if isinstance(record.body, dict) else {}
    messages = body.get("message") or [{}]
    return messages[0].get("text")


def add_recipient(world: World) -> str:
    """Add a recipient subentry (its notify entity); returns the entity's unique-id key."""
    subentry = ConfigSubentry(
        data=MappingProxyType({"phone_numbers": FAMILY, "sender": "ALERT", "transliterate": False}),
        subentry_type="recipient",
        title="Family",
        unique_id=None,
    )
    world.hass.config_entries.async_add_subentry(world.entry, subentry)
    return subentry.subentry_id


def _expect_during(fault: FaultCase, outcome: Outcome) -> None:
    """Under a fault that lasts: the fault's translated error, or ids when it harms nothing."""
    if fault.action_error is None:
        assert outcome.ok
    else:
        assert outcome.error == fault.action_error


SEND_OPERATIONS = ["send_sms ×1", "send_sms ×100", "notify"]


@_faults()
@pytest.mark.parametrize("operation", SEND_OPERATIONS, ids=["one", "hundred", "notify"])
async def test_send(
    world: World, fault: FaultCase, operation: str, matrix_cell: CellOpener
) -> None:
    cell = matrix_cell(fault.name, operation)
    sends = Sends(world, operation)
    await sends.setup()
    # Request faults hit the `sms` requests; the account's faults hit everything.
    fault.inject(world.sim, request_type="sms")
    _expect_during(fault, await sends.send("while the fault lasts"))
    if fault.account == "wrong_password":
        assert len(world.reauth_flows()) == 1
    if fault.is_request_fault:
        # A fault on one request only: the send path tries again where that is safe.
        fault.clear(world.sim)
        fault.inject(world.sim, request_type="sms", times=1)
        once = await sends.send("a passing fault")
        if fault.retryable:
            assert once.ok
        else:
            assert once.error == fault.action_error
    await world.end_fault(fault)
    assert (await sends.send("after the fault")).ok

    assert world.client_ids_processed_twice() == {}
    cell.text = sends.summary()
    world.assert_clean_log()


@_faults()
@pytest.mark.parametrize("operation", SEND_OPERATIONS, ids=["one", "hundred", "notify"])
async def test_send_restart(
    world: World, fault: FaultCase, operation: str, matrix_cell: CellOpener
) -> None:
    cell = matrix_cell(fault.name, f"{operation}, restart")
    sends = Sends(world, operation)
    await sends.setup()
    fault.inject(world.sim, request_type="sms")
    text = "in flight when Home Assistant stops"
    # Started, not awaited: the first request fails (or hangs) and a retry waits.
    call = asyncio.ensure_future(sends.action(text))
    await world.time.settle()

    await world.stop()
    interrupted = sends.interrupted(text, call)
    # Cut short by the stop, refused by the gateway, or sent (a harmless fault).
    assert interrupted.ok or interrupted.error in {
        fault.action_error,
        "entry_unloading",
        "send_outcome_unknown",
        CANCELLED_BY_STOP,
    }
    async with world.started_again():
        await world.setup_after_restart(fault)
        assert (await sends.send("after the restart")).ok
        assert not world.reauth_flows()

    assert world.client_ids_processed_twice() == {}
    cell.text = sends.summary()
    world.assert_clean_log()


# --- delivery reports -----------------------------------------------------------------


class Deliveries:
    """Three messages sent before the fault; their final states arrive around it."""

    STATES = (("deliver", "delivered"), ("deliver", "delivered"), ("not_deliver", "not_delivered"))

    def __init__(self, world: World) -> None:
        """Reports are made only when the test finishes a message."""
        self.world = world
        world.sim.delivery_delay = None
        self.ids: list[str] = []

    async def send(self) -> None:
        """Send to three numbers; the tracker follows their ids."""
        response, error = await self.world.call(_sms_action(self.world, FAMILY + ONE, "report"))
        assert error is None
        self.ids = [item["message_id"] for item in response["messages"]]

    def finish(self, index: int) -> None:
        """The gateway learns message `index`'s final state."""
        self.world.sim.finish_delivery(self.ids[index], self.STATES[index][0])

    def check(self) -> str:
        """Each message made exactly one report, with its own final state."""
        expected = sorted(zip(self.ids, (event for _, event in self.STATES), strict=True))
        assert sorted(self.world.reports) == expected
        return f"rep {len(self.world.reports)}/{len(self.ids)}"


@_faults()
async def test_delivery(world: World, fault: FaultCase, matrix_cell: CellOpener) -> None:
    cell = matrix_cell(fault.name, "delivery")
    deliveries = Deliveries(world)
    await world.setup()
    await deliveries.send()
    deliveries.finish(0)
    await world.time.advance()
    assert len(world.reports) == 1

    # Request faults hit the `state` requests only: balance and incoming still answer.
    fault.inject(world.sim, request_type="state")
    world.add_sms("during the fault")
    deliveries.finish(1)
    deliveries.finish(2)
    for _ in range(OUTAGE_POLLS):
        await world.time.advance()
        _check_outage(world, fault)
    await world.end_fault(fault)
    await world.time.advance()
    await world.time.advance()

    assert world.received == world.added_sms
    cell.text = f"{deliveries.check()} sms {len(world.received)}/{len(world.added_sms)} "
    cell.text += _availability(world, fault)
    world.assert_clean_log()


@_faults()
async def test_delivery_restart(world: World, fault: FaultCase, matrix_cell: CellOpener) -> None:
    cell = matrix_cell(fault.name, "delivery, restart")
    deliveries = Deliveries(world)
    await world.setup()
    await deliveries.send()
    deliveries.finish(0)
    await world.time.advance()
    fault.inject(world.sim, request_type="state")
    deliveries.finish(1)
    await world.time.advance()
    _check_outage(world, fault)
    await _stop_mid_poll(world, fault)

    async with world.restarted():
        deliveries.finish(2)
        await world.setup_after_restart(fault)
        await world.time.advance()
        await world.time.advance()
        cell.text = deliveries.check()
        assert not world.reauth_flows()

    cell.text += " " + _availability(world, fault, restarted=True)
    world.assert_clean_log()
