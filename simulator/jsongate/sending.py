"""`sms`: check each abonent, charge, and send now or schedule for `time_send`.

Answers one entry per abonent, in order. A `client_id_sms` the account has already
sent is never sent again: the answer repeats the earlier `id_sms` and `parts` with
the simulator's `duplicate_action` (`send` by default) and nothing is charged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.accounts import SCHEDULED, SENT, Message
from simulator.sms_text import count_message_parts, transliterate

from . import errors
from .context import Context, as_int, as_list, as_object, as_text
from .errors import BAD_FORMAT, GateError

if TYPE_CHECKING:
    from datetime import datetime

    from simulator.accounts import Area

MESSAGE_TYPES = frozenset({"sms", "flashsms", "wappush", "vcard"})
DEFAULT_DELIVERY_NAME = "Шлюз"
MAX_PHONE_LENGTH = 14  # "меньше 15 символов"
MAX_NUMERIC_SENDER = 15
MAX_ALPHANUMERIC_SENDER = 11


@dataclass(frozen=True)
class Abonent:
    """One recipient of a `message[]` entry, as read from the request."""

    phone: str
    number_sms: str
    client_id: int | None
    send_at: datetime | None
    valid_until: datetime | None


@dataclass(frozen=True)
class Outgoing:
    """One `message[]` entry, its text already transliterated when asked to."""

    kind: str
    sender: str
    text: str
    url: str
    name_delivery: str
    abonents: tuple[Abonent, ...]

    @property
    def parts(self) -> int:
        """SMS parts one copy of this message takes."""
        return count_message_parts(self.kind, self.text)


def handle_sms(ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
    """Send (or schedule) every abonent of every message."""
    # The whole document is read first, so a format error sends nothing at all.
    outgoing = [_read_message(ctx, item) for item in as_list(body, "message")]
    return {
        "sms": [
            _send(ctx, message, abonent) for message in outgoing for abonent in message.abonents
        ]
    }


def _read_message(ctx: Context, item: Any) -> Outgoing:  # noqa: ANN401 - a JSON value
    item = as_object(item)
    kind = as_text(item.get("type")) or "sms"
    if kind not in MESSAGE_TYPES:
        raise GateError(BAD_FORMAT)
    text = as_text(item.get("text"))
    if as_text(item.get("translite")).strip() == "1":
        text = transliterate(text)
    return Outgoing(
        kind=kind,
        sender=as_text(item.get("sender")).strip(),
        text=text,
        url=as_text(item.get("url")).strip(),
        name_delivery=as_text(item.get("name_delivery")) or DEFAULT_DELIVERY_NAME,
        abonents=tuple(_read_abonent(ctx, abonent) for abonent in as_list(item, "abonent")),
    )


def _read_abonent(ctx: Context, item: Any) -> Abonent:  # noqa: ANN401 - a JSON value
    item = as_object(item)

    def optional_time(key: str) -> datetime | None:
        value = item.get(key)
        return None if value in (None, "") else ctx.parse_time(value)

    client_id = item.get("client_id_sms")
    return Abonent(
        phone=as_text(item.get("phone")).strip(),
        number_sms=as_text(item.get("number_sms")),
        client_id=None if client_id in (None, "") else as_int(client_id),
        send_at=optional_time("time_send"),
        valid_until=optional_time("validity_period"),
    )


def _send(ctx: Context, outgoing: Outgoing, abonent: Abonent) -> dict[str, str]:
    account = ctx.account
    if abonent.client_id is not None:
        account.client_id_seen[abonent.client_id] += 1
        earlier = account.client_ids.get(abonent.client_id)
        if earlier is not None:
            return {
                "number_sms": abonent.number_sms,
                "id_sms": str(earlier.id_sms),
                "parts": str(earlier.parts),
                "action": ctx.sim.duplicate_action,
            }
    parts = outgoing.parts
    refusal = _refusal(ctx, outgoing, abonent, parts)
    if refusal is not None:
        return {"number_sms": abonent.number_sms, "parts": str(parts), "action": refusal}
    area = account.area_for(abonent.phone)
    assert area is not None  # noqa: S101 - _refusal has checked it
    message = _charge_and_queue(ctx, outgoing, abonent, parts, area)
    return {
        "number_sms": abonent.number_sms,
        "id_sms": str(message.id_sms),
        "parts": str(parts),
        "action": SENT,
    }


def _refusal(ctx: Context, outgoing: Outgoing, abonent: Abonent, parts: int) -> str | None:  # noqa: C901, PLR0911, PLR0912 - one check per documented error, in order
    """Return why this abonent can't be sent to, or None."""
    account = ctx.account
    if ctx.sim.provider_out_of_sms:
        return errors.PROVIDER_OUT_OF_SMS
    if account.sending_blocked:
        return errors.SENDING_BLOCKED
    if not abonent.phone:
        return errors.NO_PHONE
    if not (abonent.phone.isascii() and abonent.phone.isdigit()) or (
        len(abonent.phone) > MAX_PHONE_LENGTH
    ):
        return errors.BAD_PHONE
    sender_refusal = _sender_refusal(ctx, outgoing.sender)
    if sender_refusal is not None:
        return sender_refusal
    if not outgoing.text.strip():
        return errors.NO_TEXT
    if any(word.casefold() in outgoing.text.casefold() for word in account.forbidden_words):
        return errors.TEXT_REJECTED
    if outgoing.kind == "wappush" and not outgoing.url:
        return errors.NO_URL
    if abonent.phone in account.stop_list:
        return errors.PHONE_STOPPED
    area = account.area_for(abonent.phone)
    if area is None or area.closed:
        return errors.AREA_CLOSED
    if area.denied:
        return errors.AREA_DENIED
    if account.sms_quota is not None and account.sms_quota < parts:
        return errors.OUT_OF_SMS
    if area.price * parts > account.money:
        return errors.NO_MONEY
    return None


def _sender_refusal(ctx: Context, sender: str) -> str | None:
    if not sender:
        return errors.NO_SENDER
    limit = MAX_NUMERIC_SENDER if sender.isdigit() else MAX_ALPHANUMERIC_SENDER
    if len(sender) > limit:
        return errors.SENDER_TOO_LONG
    if ctx.account.any_originator:
        return None
    state = ctx.account.senders.get(sender)
    if state is None:
        return errors.UNKNOWN_SENDER
    if state != "completed":
        return errors.SENDER_NOT_APPROVED
    return None


def _charge_and_queue(
    ctx: Context, outgoing: Outgoing, abonent: Abonent, parts: int, area: Area
) -> Message:
    account = ctx.account
    ids = ctx.sim.ids
    # A future time_send is charged now and refunded if the SMS is cancelled.
    scheduled = abonent.send_at is not None and abonent.send_at > ctx.now
    message = Message(
        id_sms=ids.next("sms"),
        kind=outgoing.kind,
        sender=outgoing.sender,
        text=outgoing.text,
        url=outgoing.url,
        phone=abonent.phone,
        parts=parts,
        price=area.price,
        area=area.name,
        name_delivery=outgoing.name_delivery,
        client_id=abonent.client_id,
        queued_at=ctx.now,
        send_at=abonent.send_at,
        valid_until=abonent.valid_until,
        part_ids=[ids.next("part") for _ in range(parts)],
        state=SCHEDULED if scheduled else SENT,
        sent_at=None if scheduled else ctx.now,
    )
    account.money -= message.cost
    if account.sms_quota is not None:
        account.sms_quota -= parts
    account.messages[message.id_sms] = message
    if abonent.client_id is not None:
        account.client_ids[abonent.client_id] = message
        account.client_id_sends[abonent.client_id] += 1
    return message
