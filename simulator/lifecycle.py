"""How a message moves on by itself: scheduled -> send -> a final state.

The simulator has no background tasks; it catches up lazily whenever a request
arrives or the clock is moved, so the outcome depends only on the simulated time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .accounts import FINAL_STATES, SCHEDULED, SENT

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from .accounts import Account, Message


def catch_up(account: Account, now: datetime, delivery_delay: timedelta | None) -> None:
    """Send what is due and settle deliveries and expiries up to `now`."""
    for message in account.messages.values():
        if message.state == SCHEDULED and message.send_at is not None and message.send_at <= now:
            message.state = SENT
            message.sent_at = message.send_at
        if message.state == SENT:
            _settle(message, now, delivery_delay)


def _settle(message: Message, now: datetime, delivery_delay: timedelta | None) -> None:
    assert message.sent_at is not None  # noqa: S101 - a sent message has a send time
    delivered_at = message.sent_at + delivery_delay if delivery_delay is not None else None
    if delivered_at is not None and message.valid_until is not None:
        # A report that would come after the validity period never comes.
        delivered_at = delivered_at if delivered_at <= message.valid_until else None
    if delivered_at is not None and delivered_at <= now:
        finish(message, "deliver", delivered_at)
    elif message.valid_until is not None and message.valid_until <= now:
        finish(message, "expired", max(message.valid_until, message.sent_at))


def finish(message: Message, state: str, at: datetime) -> None:
    """Put a sent message in a final delivery state.

    Raises:
        ValueError: `state` is not final, or the message is not waiting for a report.

    """
    check_final(state)
    if message.state != SENT:
        raise ValueError(f"message {message.id_sms} is {message.state!r}, not waiting for a report")
    message.state = state
    message.changed_at = at


def check_final(state: str) -> None:
    """Raise ValueError unless `state` is one of the four final delivery states."""
    if state not in FINAL_STATES:
        raise ValueError(f"final state must be one of {sorted(FINAL_STATES)}")


def cancel(account: Account, message: Message) -> None:
    """Delete a scheduled message and give back what it was charged."""
    account.money += message.cost
    if account.sms_quota is not None:
        account.sms_quota += message.parts
    del account.messages[message.id_sms]
