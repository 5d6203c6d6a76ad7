"""The one check of an outgoing message, made once per send before anything is sent."""

from __future__ import annotations

from copy import replace
from typing import TYPE_CHECKING

from .errors import InvalidInputError, InvalidPhoneNumberError
from .models import MessageType, OutgoingMessage
from .phone import normalize_phone, validate_sender

if TYPE_CHECKING:
    from collections.abc import Iterable

# `InvalidInputError.reason` of the refusals that name no value.
NO_RECIPIENTS = "no_recipients"
EMPTY_MESSAGE = "empty_message"
WAP_PUSH_WITHOUT_URL = "wappush_without_url"


def normalize_phones(phones: Iterable[str]) -> list[str]:
    """The numbers as the gateway takes them, in order.

    Raises `InvalidInputError` (`NO_RECIPIENTS`) for none, and one `InvalidPhoneNumberError`
    naming every invalid number (its `value`: them joined by ", "; one keeps its own error).
    """
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
        raise InvalidPhoneNumberError(
            f"{len(invalid)} phone numbers are invalid",
            ", ".join(str(error.value) for error in invalid),
        )
    if not valid:
        raise InvalidInputError("No phone number was given", reason=NO_RECIPIENTS)
    return valid


def checked_text(text: str) -> str:
    """The text, unless it is empty or blank (`InvalidInputError`, `EMPTY_MESSAGE`)."""
    if not text.strip():
        raise InvalidInputError("The message text is empty", reason=EMPTY_MESSAGE)
    return text


def checked_message(message: OutgoingMessage) -> OutgoingMessage:
    """The message with normalised phones and sender, if the gateway can take it.

    Else `InvalidInputError`: no recipients, empty text, WAP push without a link, bad sender, or
    invalid numbers (all named at once).
    """
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
