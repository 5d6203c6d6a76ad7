"""Turning jsonGate answers into models: one parser per request type.

A parser takes a decoded answer (checked for a request-level `error` already) and returns
models, or raises `InvalidResponseError` when something the caller depends on is missing.
Extra fields are ignored; numbers may be text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

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
from .record import Record, field_types, gateway_keys

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Sequence
    from datetime import datetime
    from enum import StrEnum

    from .models import Abonent

type _Read = Callable[[Fields, str], Any]

ACCEPTED_ACTION = "send"
# The status text of a message still on its way, as the gateway writes it.
_PENDING = DeliveryStatus.PENDING.value

# The gateway's per-abonent error texts (the document lists 17), by the start of their
# normalised text. Longer prefixes come first: "…закрыто для вас" wins over "…закрыто".
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


def _enum_reader(enum: type[StrEnum]) -> _Read:
    """A reader of `enum`'s values; a value this client doesn't know is `UNKNOWN`."""

    def read(entry: Fields, key: str) -> StrEnum:
        try:
            return enum(entry.text(key).strip().casefold())
        except ValueError:
            return enum["UNKNOWN"]

    return read


def _gender(entry: Fields, key: str) -> Gender | None:
    match entry.text(key).strip().casefold():
        case "m" | "м" | "мужской" | "male":
            return Gender.MALE
        case "f" | "ж" | "женский" | "female":
            return Gender.FEMALE
        case _:
            return None


# How a field is read, by the type its annotation names.
_READERS: dict[str, _Read] = {
    "str": Fields.text,
    "int": Fields.integer,
    "Decimal": Fields.decimal,
    "bool": Fields.flag,
    "datetime": Fields.local_time,
    "date": Fields.optional_date,
    "Gender": _gender,
    "DeliveryStatus": _enum_reader(DeliveryStatus),
    "SenderState": _enum_reader(SenderState),
    "ChangeAction": _enum_reader(ChangeAction),
}


class _Reader[R: Record]:
    """Reads a model from an answer's object by its fields' `gateway_key`s.

    Each field is read as its annotation says, worked out once. A field that is optional
    (`… | None`) or has a default gets that when the gateway's value is absent, null or
    empty; any other field is required.
    """

    def __init__(self, model: type[R], *, given: Container[str] = (), **keys: str) -> None:
        """Read `model`'s fields but those `given` to `read`; `keys` adds or replaces keys."""
        self._model = model
        self._required: list[tuple[str, str, _Read]] = []
        self._optional: list[tuple[str, str, _Read, object]] = []
        for name, key in (gateway_keys(model) | keys).items():
            if name in given:
                continue
            kind, _, optional = field_types(model)[name].partition(" | ")
            read = _READERS[kind]
            if optional or hasattr(model, name):
                self._optional.append((name, key, read, getattr(model, name, None)))
            else:
                self._required.append((name, key, read))

    def read(self, entry: Fields, **given: object) -> R:
        """The model of `entry`; `given` holds the fields this reader doesn't read."""
        for name, key, read in self._required:
            given[name] = read(entry, key)
        for name, key, read, default in self._optional:
            given[name] = default if entry.raw(key) in (None, "") else read(entry, key)
        return self._model(**given)

    def read_all(self, answer: Fields, key: str) -> tuple[R, ...]:
        """The models of the objects in `answer`'s array `key` (absent: none)."""
        return tuple(self.read(entry) for entry in answer.objects(key, required=False))


_STATUS = _READERS["DeliveryStatus"]
_STATE = _Reader(DeliveryState, given={"status"})
_SENDER = _Reader(Sender)
_INCOMING = _Reader(IncomingSms)
_NUMBER_INFO = _Reader(NumberInfo)
_CONTACT_LIST = _Reader(ContactList)
_CONTACT = _Reader(Contact)
_SCHEDULED = _Reader(ScheduledSms)
_STATISTICS = _Reader(StatisticsRecord)
_TEMPLATE = _Reader(Template)
# Each change request's answer: its list of items, and how an item is read (its key, and
# the key that numbers new items).
_CHANGES: dict[str, tuple[str, _Reader[Change]]] = {
    "bases": ("bases", _Reader(Change, key="id_base", number="number_base")),
    "phones": ("phones", _Reader(Change, key="phone", number="number_phone")),
    "stop": ("phones", _Reader(Change, key="phone")),
    "scheduled": ("scheduled", _Reader(Change, key="id_sms")),
    "patterns": ("patterns", _Reader(Change, key="id_pattern", number="number_pattern")),
}


def parse_send(
    answer: Fields, abonents: Sequence[tuple[int, Abonent, int]]
) -> tuple[SendResult, ...]:
    """Parse the answer to `sms`; `abonents` are `(number_sms, abonent, client_id_sms)`.

    Entries are matched by `number_sms`. An abonent without an entry, or an accepted entry
    without `id_sms`, makes the answer invalid: the caller could not tell whether that
    message went out.
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
        results.append(
            SendResult(
                phone=abonent.phone,
                client_id_sms=client_id,
                message_id=entry.text("id_sms") if accepted else None,
                parts=entry.optional_integer("parts"),
                status=action,
                error=error,
            )
        )
    return tuple(results)


def parse_states(answer: Fields, *, final_only: bool = False) -> tuple[DeliveryState, ...]:
    """Parse the answer to `state`; with `final_only`, only the final statuses.

    Following thousands of messages, most are still pending at each poll: their rows are
    skipped after reading their status alone.
    """
    where = f"{answer.where}.state"
    states = []
    for index, row in enumerate(answer.array("state", required=False)):
        if final_only and isinstance(row, dict) and row.get("state") == _PENDING:
            continue
        entry = Fields(row, where, index)
        status = _STATUS(entry, "state")
        if not final_only or status.is_final:
            states.append(_STATE.read(entry, status=status))
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
    return SenderList(answer.flag("any_originator"), _SENDER.read_all(answer, "list_originator"))


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
        if not (isinstance(message_id, str) and message_id in known):
            messages.append(_INCOMING.read(Fields(row, where, index)))
    for message in messages:
        if not message.message_id.isdigit():
            raise InvalidResponseError("incoming sms id_sms is not digits")
    messages.sort(key=lambda message: (message.received_at, int(message.message_id)))
    return tuple(messages)


def parse_number_info(answer: Fields) -> tuple[NumberInfo, ...]:
    """Parse the answer to `def`."""
    return _NUMBER_INFO.read_all(answer, "phones")


def parse_contact_lists(answer: Fields) -> tuple[ContactList, ...]:
    """Parse the answer to `list_bases`."""
    return _CONTACT_LIST.read_all(answer, "base")


def parse_changes(answer: Fields, request_type: str) -> tuple[Change, ...]:
    """Parse the answer to a change request (`bases`, `phones`, `stop`, `scheduled`, `patterns`)."""
    list_key, reader = _CHANGES[request_type]
    return reader.read_all(answer, list_key)


def parse_contact_page(answer: Fields) -> ContactPage:
    """Parse the answer to `list_phones`."""
    contacts = tuple(
        _CONTACT.read(entry, extra=tuple(entry.optional_text(f"addition_{n}") for n in range(1, 6)))
        for entry in answer.objects("phones", required=False)
    )
    return ContactPage(answer.integer("page"), answer.integer("num_pages"), contacts)


def parse_scheduled_page(answer: Fields) -> ScheduledPage:
    """Parse the answer to `list_scheduled`.

    The document's field list says `operator`/`type` where its sample says
    `originator`/`type_sms`; the sample's names are read first.
    """
    messages = tuple(
        _SCHEDULED.read(
            entry,
            sender=entry.optional_text("originator") or entry.optional_text("operator"),
            message_type=entry.optional_text("type_sms") or entry.optional_text("type"),
        )
        for entry in answer.objects("scheduled", required=False)
    )
    return ScheduledPage(answer.integer("page"), answer.integer("num_pages"), messages)


def parse_statistics(answer: Fields) -> Statistics:
    """Parse the answer to `list_stats`."""
    records = _STATISTICS.read_all(answer, "stats")
    total = answer.optional_integer("num_stats")
    return Statistics(len(records) if total is None else total, records)


def parse_templates(answer: Fields) -> tuple[Template, ...]:
    """Parse the answer to `list_patterns`."""
    return _TEMPLATE.read_all(answer, "patterns")
