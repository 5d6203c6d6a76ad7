"""Tests for phone number normalisation and sender validation."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from custom_components.jsongate.api.errors import (
    InvalidInputError,
    InvalidPhoneNumberError,
    InvalidSenderError,
)
from custom_components.jsongate.api.phone import (
    MAX_PHONE_DIGITS,
    is_valid_phone,
    normalize_phone,
    validate_sender,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Russian numbers as people write them.
        ("+7 (999) 123-45-67", "79991234567"),
        ("+7(999)123-45-67", "79991234567"),
        ("+7 999 123 45 67", "79991234567"),
        ("+79991234567", "79991234567"),
        ("79991234567", "79991234567"),
        ("7 999 123-45-67", "79991234567"),
        ("8 999 123 45 67", "79991234567"),
        ("8(999)1234567", "79991234567"),
        ("8 (999) 123-45-67", "79991234567"),
        ("8-999-123-45-67", "79991234567"),
        ("8.999.123.45.67", "79991234567"),
        ("89991234567", "79991234567"),
        ("9991234567", "79991234567"),
        ("(999) 123-45-67", "79991234567"),
        ("999 123 45 67", "79991234567"),
        ("  +7 999 123 45 67\n", "79991234567"),
        ("+7\u00a0999\u00a0123-45\u00a067", "79991234567"),
        ("8\t999\t1234567", "79991234567"),
        ("0079991234567", "79991234567"),
        ("00 7 999 123 45 67", "79991234567"),
        # Landlines and toll-free numbers in zone 7.
        ("8 (495) 123-45-67", "74951234567"),
        ("+7 495 123 45 67", "74951234567"),
        ("8 (3452) 12-34-56", "73452123456"),
        ("8 800 555 35 35", "78005553535"),
        ("8 (812) 123-45-67", "78121234567"),
        # Kazakhstan shares zone 7 and its 8 trunk prefix.
        ("8 701 123 45 67", "77011234567"),
        ("+7 (727) 123-45-67", "77271234567"),
        # Other countries, written internationally.
        ("+380 44 258 9632", "380442589632"),
        ("380442589632", "380442589632"),
        ("+375 29 123-45-67", "375291234567"),
        ("+1 (212) 555-0123", "12125550123"),
        ("+1.212.555.0123", "12125550123"),
        ("+44 20 7946 0958", "442079460958"),
        ("0044 20 7946 0958", "442079460958"),
        ("+49 30 123456", "4930123456"),
        ("+86 138 0013 8000", "8613800138000"),
        ("+81 90 1234 5678", "819012345678"),
        ("+852 9123 4567", "85291234567"),
        ("85291234567", "85291234567"),
        ("+81 3 1234 5678", "81312345678"),
        ("81312345678", "81312345678"),
        ("+683 4002", "6834002"),
        ("+998 90 123 45 67", "998901234567"),
        ("+123456789012345", "123456789012345"),
    ],
)
def test_normalize_phone_accepts(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected
    assert is_valid_phone(raw)


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("", "no digits"),
        ("   ", "no digits"),
        ("+", "no digits"),
        ("()-", "no digits"),
        ("+7 999 CALL-NOW", "may contain only"),
        ("phone: 79991234567", "may contain only"),
        ("++79991234567", "may contain only"),
        ("7+9991234567", "may contain only"),
        ("+7 999 123 45 67 +", "may contain only"),
        ("79991234567,", "may contain only"),
        ("79991234567/8", "may contain only"),
        ("+7 999 123 45 67 ext. 5", "may contain only"),
        ("７９９９１２３４５６７", "may contain only"),  # full-width digits
        ("٧٩٩٩١٢٣٤٥٦٧", "may contain only"),  # Arabic-Indic digits
        ("+7 999 123 45 67 доб. 1", "may contain only"),
        ("044 258 9632", "no country code starts with 0"),
        ("0 999 123 45 67", "no country code starts with 0"),
        ("+0 999 123 45 67", "no country code starts with 0"),
        ("+00 7 999 123 45 67", "no country code starts with 0"),
        ("123456", "at least 7"),
        ("+1 23", "at least 7"),
        ("1234567890123456", "at most 15"),
        ("+7 999 123 45 67 89 01 23", "at most 15"),
        ("+7 999 123 45 6", "exactly 11"),
        ("+7 999 123 45 678", "exactly 11"),
        ("7999123456", "exactly 11"),
        ("+7 (999) 12-34", "exactly 11"),
        # Digits that would read as a Russian number once the '+' is dropped.
        ("+84 91 234 5678", "can't be told apart"),
        ("+8 999 123 45 67", "can't be told apart"),
        ("+960 777 1234", "can't be told apart"),
        ("00 84 91 234 5678", "can't be told apart"),
    ],
)
def test_normalize_phone_refuses(raw: str, message_part: str) -> None:
    with pytest.raises(InvalidPhoneNumberError, match=message_part) as caught:
        normalize_phone(raw)
    assert caught.value.value == raw
    assert caught.value.reason == "invalid_phone"
    assert isinstance(caught.value, InvalidInputError)
    assert isinstance(caught.value, ValueError)
    assert not is_valid_phone(raw)


def test_error_message_leaves_the_value_out() -> None:
    with pytest.raises(InvalidPhoneNumberError) as caught:
        normalize_phone("+7 secret 12345")
    assert "secret" not in str(caught.value)


PHONE_LIKE_TEXT = st.text(alphabet="0123456789+-(). 8\u00a0x")


@given(st.one_of(st.text(), PHONE_LIKE_TEXT))
@example("8 999 123 45 67")
@example("+84 91 234 5678")
def test_normalize_phone_gives_digits_or_refuses(raw: str) -> None:
    if not is_valid_phone(raw):
        with pytest.raises(InvalidPhoneNumberError) as caught:
            normalize_phone(raw)
        assert caught.value.value == raw
        return
    number = normalize_phone(raw)
    assert number.isascii()
    assert number.isdigit()
    assert 1 <= len(number) <= MAX_PHONE_DIGITS


@given(st.one_of(st.text(alphabet="0123456789", min_size=7, max_size=16), PHONE_LIKE_TEXT))
@example("+81 3 1234 5678")
@example("8 (999) 123-45-67")
@example("00 1 212 555 0123")
def test_normalize_phone_is_idempotent(raw: str) -> None:
    try:
        number = normalize_phone(raw)
    except InvalidPhoneNumberError:
        return
    assert normalize_phone(number) == number
    assert normalize_phone("+" + number) == number


@given(st.text(alphabet="0123456789", min_size=10, max_size=10).map(lambda tail: "7" + tail))
def test_every_zone_7_number_survives_every_common_spelling(number: str) -> None:
    national = number[1:]
    spellings = [
        number,
        "+" + number,
        f"+7 ({national[:3]}) {national[3:6]}-{national[6:8]}-{national[8:]}",
        "8" + national if national[0] in "34789" else number,
        f"8 ({national[:3]}) {national[3:]}" if national[0] in "34789" else number,
    ]
    assert {normalize_phone(spelling) for spelling in spellings} == {number}


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("TargetSMS", "TargetSMS"),
        ("  Alarm  ", "Alarm"),
        ("HomeAlert", "HomeAlert"),
        ("Home Alert", "Home Alert"),
        ("ABCDEFGHIJK", "ABCDEFGHIJK"),
        ("Dacha-1", "Dacha-1"),
        ("my_home", "my_home"),
        ("Tom&Jerry", "Tom&Jerry"),
        ("Joe's.Shop!", "Joe's.Shop!"),
        ("Дача", "Дача"),
        ("Отправитель", "Отправитель"),
        ("ÄÖÜ-Haus", "ÄÖÜ-Haus"),
        ("123-456", "123-456"),
        ("3434", "3434"),
        ("79991234567", "79991234567"),
        ("+79991234567", "+79991234567"),
        ("123456789012345", "123456789012345"),
        ("+123456789012345", "+123456789012345"),
    ],
)
def test_validate_sender_accepts(sender: str, expected: str) -> None:
    assert validate_sender(sender) == expected


@pytest.mark.parametrize(
    ("sender", "message_part"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ABCDEFGHIJKL", "at most 11 characters"),
        ("Home Alerts!", "at most 11 characters"),
        ("Отправитель 1", "at most 11 characters"),
        ("1234567890123456", "at most 15 digits"),
        ("+1234567890123456", "at most 15 digits"),
        ("+", "may contain only"),
        ("Home@Alert", "may contain only"),
        ("Home/Alert", "may contain only"),
        ("Alarm\tHome", "may contain only"),
        ("Alarm🔥", "may contain only"),
        ("+7 999 1234", "may contain only"),
        ("---", "at least one letter or digit"),
        ("_ _", "at least one letter or digit"),
    ],
)
def test_validate_sender_refuses(sender: str, message_part: str) -> None:
    with pytest.raises(InvalidSenderError, match=message_part) as caught:
        validate_sender(sender)
    assert caught.value.value == sender
    assert caught.value.reason == "invalid_sender"


@given(st.text())
def test_validate_sender_returns_a_stripped_name_or_refuses(sender: str) -> None:
    try:
        name = validate_sender(sender)
    except InvalidSenderError:
        return
    assert name == sender.strip()
    assert name
    assert validate_sender(name) == name
