"""Turning jsonGate answers into models: one parser per request type.

Each parser takes the decoded answer (already checked for a request-level `error`) and
returns models, or raises `InvalidResponseError` when something the caller depends on
is missing. Extra fields are ignored; numbers may be text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import InvalidResponseError
from .fields import Fields
from .models import (
    AreaBalance,
    Balance,
    Change,
    ChangeAction,
    Contact,
    ContactList,
    ContactPage,
    DeliveryState,
    DeliveryStatus,
    Gender,
    IncomingSms,
    NumberInfo,
    ScheduledPage,
    ScheduledSms,
    Sender,
    SenderList,
    SendErrorKind,
    SenderState,
    SendResult,
    Statistics,
    StatisticsRecord,
    Template,
)

if TYPE_CHECKING:
    from collections.abc import Container, Sequence
    from datetime import datetime

    from .models import Abonent

ACCEPTED_ACTION = "send"
# The status text of a message still on its way, as the gateway writes it.
_PENDING = DeliveryStatus.PENDING.value

# The gateway's per-abonent error texts (the document lists 17), by the start of their
# normalised text. Longer prefixes come first so that "…закрыто для вас" wins over
# "…закрыто".
_SEND_ERROR_PREFIXES: tuple[tuple[str, SendErrorKind], ...] = (
    ("у нас закончились sms", SendErrorKind.PROVIDER_OUT_OF_SMS),
    ("закончились sms", SendErrorKind.OUT_OF_SMS),
    ("аккаунт заблокирован", SendErrorKind.ACCOUNT_BLOCKED),
    ("укажите номер телефона", SendErrorKind.PHONE_MISSING),
    ("номер телефона присутствует в стоп-листе", SendErrorKind.STOP_LIST),
    ("данное направление закрыто для вас", SendErrorKind.DIRECTION_CLOSED_FOR_ACCOUNT),
    ("данное направление закрыто", SendErrorKind.DIRECTION_CLOSED),
    ("недостаточно средств", SendErrorKind.INSUFFICIENT_FUNDS),
    ("текст sms отклонен модератором", SendErrorKind.TEXT_REJECTED),
    ("нет отправителя", SendErrorKind.SENDER_MISSING),
    ("отправитель не должен превышать", SendErrorKind.SENDER_TOO_LONG),
    ("номер телефона должен быть меньше", SendErrorKind.PHONE_TOO_LONG),
    ("нет текста сообщения", SendErrorKind.TEXT_MISSING),
    ("нет ссылки", SendErrorKind.URL_MISSING),
    ("такого отправителя нет", SendErrorKind.SENDER_UNKNOWN),
    ("отправитель не прошел модерацию", SendErrorKind.SENDER_NOT_APPROVED),
    ("данное сообщение уже было отправлено", SendErrorKind.DUPLICATE),
)
_SPACES = re.compile(r"\s+")


def classify_send_error(action: str) -> SendErrorKind:
    """Classify a per-abonent error text of a send answer."""
    text = _SPACES.sub(" ", action).strip().casefold().replace("ё", "е")
    for prefix, kind in _SEND_ERROR_PREFIXES:
        if text.startswith(prefix):
            return kind
    return SendErrorKind.UNKNOWN


def _enum_value[E: (DeliveryStatus, SenderState, ChangeAction)](
    enum: type[E], text: str | None, unknown: E
) -> E:
    try:
        return enum((text or "").strip().casefold())
    except ValueError:
        return unknown


def parse_send(
    answer: Fields, abonents: Sequence[tuple[int, Abonent, int]]
) -> tuple[SendResult, ...]:
    """Parse the answer to `sms`.

    `abonents` are `(number_sms, abonent, client_id_sms)` in the order sent. Entries
    are matched by `number_sms`; an abonent without an entry, or an accepted entry
    without `id_sms`, makes the answer invalid, since the caller could not tell
    whether that message went out.
    """
    entries = {entry.integer("number_sms"): entry for entry in answer.objects("sms")}
    results = []
    for number, abonent, client_id in abonents:
        entry = entries.get(number)
        if entry is None:
            raise InvalidResponseError(f"sms answer has no entry for number_sms {number}")
        action = entry.text("action").strip()
        accepted = action == ACCEPTED_ACTION
        error = None if accepted else classify_send_error(action)
        # A repeated client_id_sms may be answered as a duplicate that still names the
        # earlier message: that message was sent, so it counts as accepted.
        if error is SendErrorKind.DUPLICATE and "id_sms" in entry:
            accepted = True
        message_id = entry.text("id_sms") if accepted else None
        results.append(
            SendResult(
                phone=abonent.phone,
                client_id_sms=client_id,
                message_id=message_id,
                parts=entry.optional_integer("parts"),
                status=action,
                error=error,
            )
        )
    return tuple(results)


def parse_states(answer: Fields, *, final_only: bool = False) -> tuple[DeliveryState, ...]:
    """Parse the answer to `state`; with `final_only`, only the final statuses.

    Following thousands of messages, most are still pending at each poll: their rows
    are skipped after reading their status alone.
    """
    rows = answer.array("state", required=False)
    where = f"{answer.where}.state"
    states = []
    for index, row in enumerate(rows):
        if final_only and isinstance(row, dict) and row.get("state") == _PENDING:
            continue
        entry = Fields(row, where, index)
        status = _enum_value(DeliveryStatus, entry.text("state"), DeliveryStatus.UNKNOWN)
        if final_only and not status.is_final:
            continue
        states.append(
            DeliveryState(
                message_id=entry.text("id_sms"),
                status=status,
                changed_at=entry.optional_local_time("time"),
                parts=entry.optional_integer("num_parts"),
                price=entry.optional_decimal("price"),
            )
        )
    return tuple(states)


def parse_balance(answer: Fields) -> Balance:
    """Parse the answer to `balance`."""
    money = answer.nested("money")
    areas = tuple(
        # One sample shows a fractional count ("356.1"); an SMS can't be split.
        AreaBalance(entry.text("area").strip(), int(entry.decimal("number")))
        for entry in answer.objects("sms", required=False)
    )
    return Balance(money.decimal("value"), money.text("currency").strip(), areas)


def parse_senders(answer: Fields) -> SenderList:
    """Parse the answer to `originator`."""
    senders = tuple(
        Sender(
            entry.text("originator"),
            _enum_value(SenderState, entry.text("state"), SenderState.UNKNOWN),
        )
        for entry in answer.objects("list_originator", required=False)
    )
    return SenderList(answer.flag("any_originator"), senders)


def parse_gateway_time(answer: Fields) -> datetime:
    """Parse the answer to `time`: the account's local time, naive."""
    return answer.local_time("time")


def parse_incoming(answer: Fields, known: Container[str] = ()) -> tuple[IncomingSms, ...]:
    """Parse the answer to `incoming`, oldest first, leaving out the ids in `known`.

    A poll's window shows again SMS it has reported already; those rows are skipped
    unread, so that reading a busy account's answer costs what is new in it.
    """
    where = f"{answer.where}.sms"
    messages = []
    for index, row in enumerate(answer.array("sms", required=False)):
        message_id = row.get("id_sms") if isinstance(row, dict) else None
        if isinstance(message_id, str) and message_id in known:
            continue
        entry = Fields(row, where, index)
        messages.append(
            IncomingSms(
                message_id=entry.text("id_sms"),
                received_at=entry.local_time("date_receive"),
                sender=entry.text("originator"),
                recipient=entry.optional_text("phone") or "",
                prefix=entry.optional_text("prefix") or "",
                text=entry.optional_text("text_sms") or "",
            )
        )
    for message in messages:
        if not message.message_id.isdigit():
            raise InvalidResponseError("incoming sms id_sms is not digits")
    messages.sort(key=lambda message: (message.received_at, int(message.message_id)))
    return tuple(messages)


def parse_number_info(answer: Fields) -> tuple[NumberInfo, ...]:
    """Parse the answer to `def`."""
    return tuple(
        NumberInfo(
            phone=entry.text("phone"),
            operator=entry.optional_text("operator") or "",
            region=entry.optional_text("region") or "",
            time_zone=entry.optional_integer("time_zone"),
        )
        for entry in answer.objects("phones", required=False)
    )


def parse_contact_lists(answer: Fields) -> tuple[ContactList, ...]:
    """Parse the answer to `list_bases`."""
    return tuple(
        ContactList(
            id=entry.text("id_base"),
            name=entry.optional_text("name_base") or "",
            greeting_enabled=entry.flag("on_birth"),
            greeting_time=entry.optional_text("time_birth"),
            greeting_in_local_time=entry.flag("local_time_birth"),
            greeting_days_before=entry.optional_integer("day_before") or 0,
            greeting_sender=entry.optional_text("originator_birth"),
            greeting_text=entry.optional_text("text_birth"),
        )
        for entry in answer.objects("base", required=False)
    )


def parse_changes(
    answer: Fields, list_key: str, key: str, number_key: str | None
) -> tuple[Change, ...]:
    """Parse a change answer (`bases`, `phones`, `stop`, `scheduled`, `patterns`)."""
    return tuple(
        Change(
            key=entry.text(key),
            action=_enum_value(ChangeAction, entry.text("action"), ChangeAction.UNKNOWN),
            number=entry.optional_integer(number_key) if number_key else None,
        )
        for entry in answer.objects(list_key, required=False)
    )


def _gender(text: str | None) -> Gender | None:
    match (text or "").strip().casefold():
        case "m" | "м" | "мужской" | "male":
            return Gender.MALE
        case "f" | "ж" | "женский" | "female":
            return Gender.FEMALE
        case _:
            return None


def parse_contact_page(answer: Fields) -> ContactPage:
    """Parse the answer to `list_phones`."""
    contacts = tuple(
        Contact(
            phone=entry.text("phone"),
            name=entry.optional_text("name"),
            surname=entry.optional_text("surname"),
            patronymic=entry.optional_text("patronymic"),
            birth_date=entry.optional_date("date_birth"),
            gender=_gender(entry.optional_text("male")),
            region=entry.optional_text("region"),
            operator=entry.optional_text("operator"),
            extra=tuple(entry.optional_text(f"addition_{n}") for n in range(1, 6)),
            updated_at=entry.optional_local_time("last_update"),
        )
        for entry in answer.objects("phones", required=False)
    )
    return ContactPage(answer.integer("page"), answer.integer("num_pages"), contacts)


def parse_scheduled_page(answer: Fields) -> ScheduledPage:
    """Parse the answer to `list_scheduled`.

    The document's field list says `operator`/`type` where its sample says
    `originator`/`type_sms`; the sample's names are read first.
    """
    messages = tuple(
        ScheduledSms(
            message_id=entry.text("id_sms"),
            phone=entry.text("phone"),
            text=entry.optional_text("text_sms") or "",
            sender=entry.optional_text("originator") or entry.optional_text("operator"),
            message_type=entry.optional_text("type_sms") or entry.optional_text("type"),
            parts=entry.optional_integer("count_sms"),
            campaign_name=entry.optional_text("name_delivery"),
            queued_at=entry.optional_local_time("time_put_turn"),
            send_at=entry.optional_local_time("time_send"),
            valid_until=entry.optional_local_time("validity_period"),
        )
        for entry in answer.objects("scheduled", required=False)
    )
    return ScheduledPage(answer.integer("page"), answer.integer("num_pages"), messages)


def parse_statistics(answer: Fields) -> Statistics:
    """Parse the answer to `list_stats`."""
    records = tuple(
        StatisticsRecord(
            message_id=entry.text("id_sms"),
            part_id=entry.optional_text("id_state"),
            part_number=entry.optional_integer("part_no"),
            parts=entry.optional_integer("num_parts"),
            phone=entry.text("phone"),
            operator=entry.optional_text("operator"),
            sender=entry.optional_text("originator"),
            campaign_name=entry.optional_text("name_delivery"),
            text=entry.optional_text("text"),
            status=_enum_value(
                DeliveryStatus, entry.optional_text("status"), DeliveryStatus.UNKNOWN
            ),
            status_text=entry.optional_text("status_translate"),
            price=entry.optional_decimal("price"),
            sent_at=entry.optional_local_time("time"),
            changed_at=entry.optional_local_time("time_change_state"),
        )
        for entry in answer.objects("stats", required=False)
    )
    total = answer.optional_integer("num_stats")
    return Statistics(len(records) if total is None else total, records)


def parse_templates(answer: Fields) -> tuple[Template, ...]:
    """Parse the answer to `list_patterns`."""
    return tuple(
        Template(
            entry.text("id_pattern"),
            entry.optional_text("name") or "",
            entry.optional_text("pattern") or "",
        )
        for entry in answer.objects("patterns", required=False)
    )
