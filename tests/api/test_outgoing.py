"""The one check of an outgoing message (`checked_message`)."""

from __future__ import annotations

import pytest

from custom_components.jsongate.api import (
    Abonent,
    InvalidInputError,
    InvalidPhoneNumberError,
    MessageType,
    OutgoingMessage,
    checked_message,
)
from custom_components.jsongate.api.outgoing import (
    EMPTY_MESSAGE,
    NO_RECIPIENTS,
    WAP_PUSH_WITHOUT_URL,
)


def _message(*phones: str, **fields: object) -> OutgoingMessage:
    return OutgoingMessage(
        text=str(fields.pop("text", "hello")),
        abonents=tuple(Abonent(phone=phone) for phone in phones),
        **fields,  # type: ignore[arg-type]
    )


def test_every_bad_number_is_named_at_once() -> None:
    with pytest.raises(InvalidPhoneNumberError) as caught:
        checked_message(_message("12", "79161234567", "+7 999 abc"))
    assert caught.value.value == "12, +7 999 abc"


def test_one_bad_number_keeps_its_own_explanation() -> None:
    with pytest.raises(InvalidPhoneNumberError, match="at least") as caught:
        checked_message(_message("12"))
    assert caught.value.value == "12"


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (_message(), NO_RECIPIENTS),
        (_message("79161234567", text="  "), EMPTY_MESSAGE),
        (_message("79161234567", message_type=MessageType.WAP_PUSH), WAP_PUSH_WITHOUT_URL),
    ],
)
def test_refusals_say_their_reason(message: OutgoingMessage, reason: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        checked_message(message)
    assert caught.value.reason == reason


def test_a_message_in_the_gateways_form_is_returned_as_it_is() -> None:
    message = _message("79161234567", sender="INFO")
    assert checked_message(message) is message
    normalised = checked_message(_message("+7 916 123-45-67", sender=" INFO "))
    assert [abonent.phone for abonent in normalised.abonents] == ["79161234567"]
    assert normalised.sender == "INFO"
