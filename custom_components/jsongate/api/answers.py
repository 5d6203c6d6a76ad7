"""Turning checked jsonGate answers into models: extra fields ignored, numbers may be text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import models
from .errors import InvalidResponseError
from .fields import Fields
from .models import ChangeAction, DeliveryStatus, Gender, SendErrorKind, SenderState, SendResult
from .record import Record, field_types, gateway_keys

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Sequence
    from datetime import datetime
    from enum import StrEnum

type _Read = Callable[[Fields, str], Any]

ACCEPTED_ACTION = "send"
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


_GENDERS = {
    **dict.fromkeys(("m", "м", "мужской", "male"), Gender.MALE),
    **dict.fromkeys(("f", "ж", "женский", "female"), Gender.FEMALE),
}
_READERS: dict[str, _Read] = {  # how a field is read, by the type its annotation names
    "str": Fields.text,
    "int": Fields.integer,
    "Decimal": Fields.decimal,
    "bool": Fields.flag,
    "datetime": Fields.local_time,
    "date": Fields.optional_date,
    "Gender": lambda entry, key: _GENDERS.get(entry.text(key).strip().casefold()),
    **{enum.__name__: _enum_reader(enum) for enum in (DeliveryStatus, SenderState, ChangeAction)},
}


class _Reader[R: Record]:
    """Reads a model from an answer's object by its fields' `gateway_key`s and annotations."""

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
            # An optional (`… | None`) or defaulted field absent, null or empty gets its default.
            if optional or hasattr(model, name):
                self._optional.append((name, key, read, getattr(model, name, None)))
            else:
                self._required.append((name, key, read))

    def read(self, entry: Fields, **given: object) -> R:
        """The model of `entry`, with the fields `given`."""
        for name, key, read in self._required:
            given[name] = read(entry, key)
        for name, key, read, default in self._optional:
            given[name] = default if entry.raw(key) in (None, "") else read(entry, key)
        return self._model(**given)

    def read_all(self, answer: Fields, key: str) -> tuple[R, ...]:
        """The models of the objects in `answer`'s array `key` (absent: none)."""
        return tuple(self.read(entry) for entry in answer.objects(key, required=False))


_STATUS = _READERS["DeliveryStatus"]
_STATE = _Reader(models.DeliveryState, given={"status"})
_SENDER = _Reader(models.Sender)
_INCOMING = _Reader(models.IncomingSms)
_CONTACT = _Reader(models.Contact)
_SCHEDULED = _Reader(models.ScheduledSms)
_STATISTICS = _Reader(models.StatisticsRecord)
# The answers that are one list of models, by request type: the list's key and its reader
# (for a change request: the item's key, and the key that numbers new items).
_LISTS: dict[str, tuple[str, _Reader[Any]]] = {
    "def": ("phones", _Reader(models.NumberInfo)),
    "list_bases": ("base", _Reader(models.ContactList)),
    "list_patterns": ("patterns", _Reader(models.Template)),
    "bases": ("bases", _Reader(models.Change, key="id_base", number="number_base")),
    "phones": ("phones", _Reader(models.Change, key="phone", number="number_phone")),
    "stop": ("phones", _Reader(models.Change, key="phone")),
    "scheduled": ("scheduled", _Reader(models.Change, key="id_sms")),
    "patterns": ("patterns", _Reader(models.Change, key="id_pattern", number="number_pattern")),
}


def parse_list(answer: Fields, request_type: str) -> tuple[Any, ...]:
    """Parse an answer that is one list of models: `def`, `list_bases`, a change request …."""
    key, reader = _LISTS[request_type]
    return reader.read_all(answer, key)


def parse_send(
    answer: Fields, abonents: Sequence[tuple[int, models.Abonent, int]]
) -> tuple[SendResult, ...]:
    """Parse the answer to `sms`; `abonents` are `(number_sms, abonent, client_id_sms)`."""
    entries = {entry.integer("number_sms"): entry for entry in answer.objects("sms")}
    results = []
    for number, abonent, client_id in abonents:
        entry = entries.get(number)
        if entry is None:  # whether that message went out would be unknown
            raise InvalidResponseError(f"sms answer has no entry for number_sms {number}")
        action = entry.text("action").strip()
        accepted = action == ACCEPTED_ACTION
        error = None if accepted else classify_send_error(action)
        # A repeat answered as a duplicate naming the earlier message: that one was sent.
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


def parse_states(answer: Fields, *, final_only: bool = False) -> tuple[models.DeliveryState, ...]:
    """Parse the answer to `state`; with `final_only`, only the final statuses."""
    where = f"{answer.where}.state"
    states = []
    for index, row in enumerate(answer.array("state", required=False)):
        # Most followed messages are pending at each poll: their rows cost one look.
        if final_only and isinstance(row, dict) and row.get("state") == _PENDING:
            continue
        entry = Fields(row, where, index)
        status = _STATUS(entry, "state")
        if not final_only or status.is_final:
            states.append(_STATE.read(entry, status=status))
    return tuple(states)


def parse_balance(answer: Fields) -> models.Balance:
    """Parse the answer to `balance`."""
    money = answer.nested("money")
    areas = tuple(
        # One sample shows a fractional count ("356.1"); an SMS can't be split.
        models.AreaBalance(entry.text("area").strip(), int(entry.decimal("number")))
        for entry in answer.objects("sms", required=False)
    )
    return models.Balance(money.decimal("value"), money.text("currency").strip(), areas)


def parse_senders(answer: Fields) -> models.SenderList:
    """Parse the answer to `originator`."""
    senders = _SENDER.read_all(answer, "list_originator")
    return models.SenderList(any_sender_allowed=answer.flag("any_originator"), senders=senders)


def parse_gateway_time(answer: Fields) -> datetime:
    """Parse the answer to `time`: the account's local time, naive."""
    return answer.local_time("time")


def parse_incoming(answer: Fields, known: Container[str] = ()) -> tuple[models.IncomingSms, ...]:
    """Parse the answer to `incoming`, oldest first, leaving out the ids in `known` unread."""
    where = f"{answer.where}.sms"
    messages = []
    for index, row in enumerate(answer.array("sms", required=False)):
        # A poll's window shows again SMS it has reported: only what is new costs reading.
        message_id = row.get("id_sms") if isinstance(row, dict) else None
        if not (isinstance(message_id, str) and message_id in known):
            messages.append(_INCOMING.read(Fields(row, where, index)))
    for message in messages:
        if not message.message_id.isdigit():
            raise InvalidResponseError("incoming sms id_sms is not digits")
    messages.sort(key=lambda message: (message.received_at, int(message.message_id)))
    return tuple(messages)


def parse_contact_page(answer: Fields) -> models.ContactPage:
    """Parse the answer to `list_phones`."""
    contacts = tuple(
        _CONTACT.read(entry, extra=tuple(entry.optional_text(f"addition_{n}") for n in range(1, 6)))
        for entry in answer.objects("phones", required=False)
    )
    return models.ContactPage(answer.integer("page"), answer.integer("num_pages"), contacts)


def parse_scheduled_page(answer: Fields) -> models.ScheduledPage:
    """Parse the answer to `list_scheduled`."""
    messages = tuple(
        _SCHEDULED.read(
            entry,  # the sample's `originator`/`type_sms` come first, the document's next
            sender=entry.optional_text("originator") or entry.optional_text("operator"),
            message_type=entry.optional_text("type_sms") or entry.optional_text("type"),
        )
        for entry in answer.objects("scheduled", required=False)
    )
    return models.ScheduledPage(answer.integer("page"), answer.integer("num_pages"), messages)


def parse_statistics(answer: Fields) -> models.Statistics:
    """Parse the answer to `list_stats`."""
    records = _STATISTICS.read_all(answer, "stats")
    total = answer.optional_integer("num_stats")
    return models.Statistics(len(records) if total is None else total, records)
