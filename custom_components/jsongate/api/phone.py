"""Phone numbers (international digits without `+`) and sender names as jsonGate takes them."""

from __future__ import annotations

from typing import Final

from .errors import InvalidPhoneNumberError, InvalidSenderError

MIN_PHONE_DIGITS: Final = 7  # Niue
MAX_PHONE_DIGITS: Final = 15  # E.164
ZONE_7_PHONE_DIGITS: Final = 11
RUSSIAN_NATIONAL_DIGITS: Final = 10
MAX_NUMERIC_SENDER_DIGITS: Final = 15
MAX_ALPHANUMERIC_SENDER_CHARACTERS: Final = 11

_ASCII_DIGITS: Final = frozenset("0123456789")
# Whitespace is allowed too: pasted numbers often carry no-break spaces.
_PHONE_CHARACTERS: Final = _ASCII_DIGITS | frozenset("-.()")
_ZONE_7_TRUNK_FORMS: Final = ("83", "84", "87", "88", "89")
_SENDER_CHARACTERS: Final = _ASCII_DIGITS | frozenset(" -_.!&'")  # and letters


def normalize_phone(raw: str) -> str:
    """`raw` as the international digits jsonGate wants, or `InvalidPhoneNumberError`."""
    text = raw.strip()
    international = text.startswith("+")
    digits = text.removeprefix("+")
    # Digits alone (the usual case: a number normalised before) need no separator pass.
    if not (digits.isascii() and digits.isdigit()):
        if not all(char in _PHONE_CHARACTERS or char.isspace() for char in digits):
            raise InvalidPhoneNumberError(
                "A phone number may contain only digits, spaces, '-', '.', '(', ')' "
                "and one '+' at the start.",
                raw,
            )
        digits = "".join(char for char in digits if char in _ASCII_DIGITS)
    if not international and digits.startswith("00"):
        international, digits = True, digits.removeprefix("00")
    number = _international_from_written_digits(digits)
    if international and number != digits:
        # jsonGate takes no `+`: the digits would later read as this other number.
        raise InvalidPhoneNumberError(
            "This international number can't be told apart from a Russian number once its "
            "'+' is dropped, as jsonGate requires, so it can't be sent safely.",
            raw,
        )
    if problem := _international_number_problem(number):
        raise InvalidPhoneNumberError(problem, raw)
    return number


def is_valid_phone(raw: str) -> bool:
    """Whether `normalize_phone` accepts `raw`."""
    try:
        normalize_phone(raw)
    except InvalidPhoneNumberError:
        return False
    return True


def _international_from_written_digits(digits: str) -> str:
    """The international number meant by digits written without `+` or `00`, as Russians do."""
    # `8` and 10 digits from 3, 4, 7, 8 or 9 is zone 7 with its trunk prefix (no zone 7 number
    # starts otherwise, so `81…` Japan stays international); 10 digits from 9 a Russian mobile.
    if len(digits) == ZONE_7_PHONE_DIGITS and digits.startswith(_ZONE_7_TRUNK_FORMS):
        return "7" + digits[1:]
    if len(digits) == RUSSIAN_NATIONAL_DIGITS and digits[0] == "9":
        return "7" + digits
    return digits


def _international_number_problem(number: str) -> str | None:
    """Why `number` is not an international number, or None."""
    if not number:
        return "The phone number has no digits."
    if number[0] == "0":
        return "A phone number is written with its country code: no country code starts with 0."
    if len(number) < MIN_PHONE_DIGITS:
        return f"A phone number has at least {MIN_PHONE_DIGITS} digits with its country code."
    if len(number) > MAX_PHONE_DIGITS:
        return f"A phone number has at most {MAX_PHONE_DIGITS} digits with its country code."
    if number[0] == "7" and len(number) != ZONE_7_PHONE_DIGITS:
        return f"A zone 7 (Russia, Kazakhstan) number has exactly {ZONE_7_PHONE_DIGITS} digits."
    return None


def validate_sender(sender: str) -> str:
    """The sender name without surrounding whitespace, if jsonGate can take it."""
    name = sender.strip()
    if not name:
        raise InvalidSenderError("The sender name is empty.", sender)
    digits = name.removeprefix("+")
    if digits and _ASCII_DIGITS.issuperset(digits):
        if len(digits) > MAX_NUMERIC_SENDER_DIGITS:
            raise InvalidSenderError(
                f"A numeric sender has at most {MAX_NUMERIC_SENDER_DIGITS} digits.", sender
            )
        return name
    # Letters of any script: the gateway's samples use Cyrillic, and its moderation approves all.
    if not all(char.isalpha() or char in _SENDER_CHARACTERS for char in name):
        raise InvalidSenderError(
            "A sender name may contain only letters, digits, spaces and - _ . ! & '.", sender
        )
    if not any(char.isalpha() or char in _ASCII_DIGITS for char in name):
        raise InvalidSenderError("A sender name needs at least one letter or digit.", sender)
    if len(name) > MAX_ALPHANUMERIC_SENDER_CHARACTERS:
        raise InvalidSenderError(
            f"A sender name has at most {MAX_ALPHANUMERIC_SENDER_CHARACTERS} characters.", sender
        )
    return name
