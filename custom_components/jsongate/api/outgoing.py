"""What goes out in a send: the one check of a message, and its exactly-once `client_id_sms`."""

from __future__ import annotations

import time
from copy import replace
from typing import TYPE_CHECKING

from .errors import InvalidInputError, InvalidPhoneNumberError
from .models import MessageType, OutgoingMessage
from .phone import normalize_phone, validate_sender

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

# `InvalidInputError.reason` of the refusals that name no value.
NO_RECIPIENTS = "no_recipients"
EMPTY_MESSAGE = "empty_message"
WAP_PUSH_WITHOUT_URL = "wappush_without_url"
IDS_PER_MILLISECOND = 1000


def normalize_phones(phones: Iterable[str]) -> list[str]:
    """The numbers as the gateway takes them; one error naming every invalid number."""
    valid: list[str] = []
    invalid: list[InvalidPhoneNumberError] = []
    for phone in phones:
        try:
            valid.append(normalize_phone(phone))
        except InvalidPhoneNumberError as error:
            invalid.append(error)
    if len(invalid) == 1:
        raise invalid[0]
    if invalid:
        values = ", ".join(str(error.value) for error in invalid)
        raise InvalidPhoneNumberError(f"{len(invalid)} phone numbers are invalid", values)
    if not valid:
        raise InvalidInputError("No phone number was given", reason=NO_RECIPIENTS)
    return valid


def checked_text(text: str) -> str:
    """The text, unless it is empty or blank."""
    if not text.strip():
        raise InvalidInputError("The message text is empty", reason=EMPTY_MESSAGE)
    return text


def checked_message(message: OutgoingMessage) -> OutgoingMessage:
    """The message with normalised phones and sender, or `InvalidInputError` (all numbers named)."""
    phones = normalize_phones(abonent.phone for abonent in message.abonents)
    checked_text(message.text)
    sender = validate_sender(message.sender) if message.sender is not None else None
    if message.message_type is MessageType.WAP_PUSH and not message.url:
        raise InvalidInputError("A WAP push needs a url", reason=WAP_PUSH_WITHOUT_URL)
    pairs = tuple(zip(message.abonents, phones, strict=True))
    if sender == message.sender and all(abonent.phone == phone for abonent, phone in pairs):
        return message  # already in the gateway's form
    abonents = tuple(replace(abonent, phone=phone) for abonent, phone in pairs)
    return replace(message, sender=sender, abonents=abonents)


class ClientIdGenerator:
    """Makes strictly increasing `client_id_sms` values, unique for an account across restarts.

    jsonGate answers a repeated id with its first `id_sms`, so a retry is harmless. Unix ms × 1000
    plus a counter, exact in JSON and PHP floats until 2255; `after` (the persisted `last`) keeps
    a restart above the last run's ids even if the clock went back.
    """

    __slots__ = ("_clock", "_last")

    def __init__(self, clock: Callable[[], int] | None = None, *, after: int = 0) -> None:
        """Base every id on `clock` (Unix milliseconds); every id is greater than `after`."""
        self._clock = clock or (lambda: time.time_ns() // 1_000_000)
        self._last = after

    @property
    def last(self) -> int:
        """The greatest id made so far (or `after`)."""
        return self._last

    def next_id(self) -> int:
        """A new id, greater than every id this generator made before."""
        self._last = max(self._last + 1, self._clock() * IDS_PER_MILLISECOND)
        return self._last
