"""Phone numbers and sender names in the form jsonGate takes them.

jsonGate wants a recipient as international digits with no `+` (`79991234567`). People
write numbers in many ways; `normalize_phone` reads the usual ones and refuses anything it
can't read without guessing.

How a number is read:

1. Spaces (any whitespace, since pasted numbers often carry no-break spaces), `-`, `.`,
   `(` and `)` are separators and are dropped. One `+` is allowed, at the very start.
   Anything else (letters, a second `+`, non-ASCII digits) makes the number invalid.
2. With a leading `+` or `00`, the digits are the international number as written.
3. Without them, the digits are read as Russians write numbers:
   - 11 digits starting with `8` and then 3, 4, 7, 8 or 9: the `8` is the trunk prefix of
     zone 7 (Russia and Kazakhstan), so `8 999 123 45 67` is `79991234567`. Zone 7
     national numbers start with those digits only, so `81…` (Japan), `82…` (Korea) and
     `85…` (Hong Kong, Macau, Cambodia) keep their meaning as international numbers.
   - 10 digits starting with `9`: a Russian mobile number without its country code, so
     `999 123 45 67` is `79991234567`.
   - Anything else is taken as an international number already (`79991234567`,
     `380442589632`).
4. The result has 7 to 15 digits (the shortest numbers in use, such as Niue's or Saint
   Helena's, have 7; E.164 allows at most 15), does not start with `0` (no country code
   does), and has exactly 11 digits when it starts with `7` (every zone 7 number does).

A number written with `+` whose digits rule 3 would read differently (`+84 91 234 5678`,
which would become `74912345678` once its `+` is dropped) is refused as ambiguous. This
keeps `normalize_phone` idempotent: a stored, normalised number normalises to itself
and is never silently turned into someone else's.

Sender names follow the gateway's own limits: at most 15 digits for a numeric sender,
at most 11 characters for an alphanumeric one.
"""

from __future__ import annotations

from typing import Final

from .errors import InvalidPhoneNumberError, InvalidSenderError

MIN_PHONE_DIGITS: Final = 7
MAX_PHONE_DIGITS: Final = 15
ZONE_7_PHONE_DIGITS: Final = 11

MAX_NUMERIC_SENDER_DIGITS: Final = 15
MAX_ALPHANUMERIC_SENDER_CHARACTERS: Final = 11

_ASCII_DIGITS: Final = frozenset("0123456789")
_PHONE_SEPARATORS: Final = frozenset("-.()")
_INTERNATIONAL_ACCESS_CODE: Final = "00"
_ZONE_7_COUNTRY_CODE: Final = "7"
_ZONE_7_TRUNK_PREFIX: Final = "8"
_ZONE_7_NATIONAL_LEADING_DIGITS: Final = frozenset("34789")
_RUSSIAN_MOBILE_LEADING_DIGIT: Final = "9"
_RUSSIAN_NATIONAL_DIGITS: Final = 10

_SENDER_PUNCTUATION: Final = frozenset(" -_.!&'")


def normalize_phone(raw: str) -> str:
    """Return `raw` as the international digits jsonGate wants, without `+`.

    Raises:
        InvalidPhoneNumberError: `raw` is not a number by the rules of this module.
    """
    text = raw.strip()
    written_international = text.startswith("+")
    body = text.removeprefix("+")
    # Digits alone (the usual case: a number normalised before) need no separator pass.
    digits = body if body.isascii() and body.isdigit() else _digits_without_separators(body, raw)
    if not written_international and digits.startswith(_INTERNATIONAL_ACCESS_CODE):
        written_international = True
        digits = digits.removeprefix(_INTERNATIONAL_ACCESS_CODE)
    if written_international:
        number = _refuse_if_ambiguous(digits, raw)
    else:
        number = _international_from_written_digits(digits)
    _check_international_number(number, raw)
    return number


def is_valid_phone(raw: str) -> bool:
    """Return whether `normalize_phone` accepts `raw`."""
    try:
        normalize_phone(raw)
    except InvalidPhoneNumberError:
        return False
    return True


def validate_sender(sender: str) -> str:
    """Return the sender name without surrounding whitespace, if jsonGate can take it.

    A numeric sender is ASCII digits with an optional leading `+` (kept as given); its
    digits count towards the limit of 15. Any other sender is alphanumeric: at most 11
    characters, each a letter of any script, an ASCII digit, a space or one of `-_.!&'`,
    with at least one letter or digit. Letters of any script are allowed because the
    gateway's own samples use Cyrillic names ("Отправитель 1"); which names are actually
    delivered is up to the gateway's moderation, which must approve every sender anyway.
    Characters are counted as code points.

    Raises:
        InvalidSenderError: the sender is empty, too long, or has other characters.
    """
    name = sender.strip()
    if not name:
        raise InvalidSenderError("The sender name is empty.", sender)
    if _is_numeric_sender(name):
        if len(name.removeprefix("+")) > MAX_NUMERIC_SENDER_DIGITS:
            raise InvalidSenderError(
                f"A numeric sender has at most {MAX_NUMERIC_SENDER_DIGITS} digits.", sender
            )
        return name
    _check_alphanumeric_sender(name, sender)
    return name


def _digits_without_separators(text: str, raw: str) -> str:
    """Return the digits of `text` once separators are dropped."""
    if not all(_is_phone_character(character) for character in text):
        raise InvalidPhoneNumberError(
            "A phone number may contain only digits, spaces, '-', '.', '(', ')' "
            "and one '+' at the start.",
            raw,
        )
    return "".join(character for character in text if character in _ASCII_DIGITS)


def _is_phone_character(character: str) -> bool:
    """Return whether `character` may appear in a phone number after its `+`."""
    return character in _ASCII_DIGITS or character in _PHONE_SEPARATORS or character.isspace()


def _international_from_written_digits(digits: str) -> str:
    """Return the international number meant by digits written without `+` or `00`."""
    if _is_zone_7_trunk_form(digits):
        return _ZONE_7_COUNTRY_CODE + digits.removeprefix(_ZONE_7_TRUNK_PREFIX)
    if _is_russian_mobile_without_country_code(digits):
        return _ZONE_7_COUNTRY_CODE + digits
    return digits


def _is_zone_7_trunk_form(digits: str) -> bool:
    """Return whether `digits` is a zone 7 number dialled with the `8` trunk prefix."""
    return (
        len(digits) == ZONE_7_PHONE_DIGITS
        and digits.startswith(_ZONE_7_TRUNK_PREFIX)
        and digits[1] in _ZONE_7_NATIONAL_LEADING_DIGITS
    )


def _is_russian_mobile_without_country_code(digits: str) -> bool:
    """Return whether `digits` is a Russian mobile number written without `7`."""
    return len(digits) == _RUSSIAN_NATIONAL_DIGITS and digits.startswith(
        _RUSSIAN_MOBILE_LEADING_DIGIT
    )


def _refuse_if_ambiguous(digits: str, raw: str) -> str:
    """Return international `digits`, unless they would be read otherwise without `+`."""
    # jsonGate takes numbers without `+`, so these digits would later be indistinguishable
    # from a Russian number: a re-normalised copy would go to a different person.
    if _international_from_written_digits(digits) != digits:
        raise InvalidPhoneNumberError(
            "This international number can't be told apart from a Russian number once "
            "its '+' is dropped, as jsonGate requires, so it can't be sent safely.",
            raw,
        )
    return digits


def _check_international_number(number: str, raw: str) -> None:
    """Raise unless `number` has the shape of an international number."""
    if not number:
        raise InvalidPhoneNumberError("The phone number has no digits.", raw)
    if number.startswith("0"):
        raise InvalidPhoneNumberError(
            "A phone number must be written in international form, with its country "
            "code: no country code starts with 0.",
            raw,
        )
    if len(number) < MIN_PHONE_DIGITS:
        raise InvalidPhoneNumberError(
            f"A phone number has at least {MIN_PHONE_DIGITS} digits with its country code.",
            raw,
        )
    if len(number) > MAX_PHONE_DIGITS:
        raise InvalidPhoneNumberError(
            f"A phone number has at most {MAX_PHONE_DIGITS} digits with its country code.",
            raw,
        )
    if number.startswith(_ZONE_7_COUNTRY_CODE) and len(number) != ZONE_7_PHONE_DIGITS:
        raise InvalidPhoneNumberError(
            f"A phone number with country code 7 (Russia, Kazakhstan) has exactly "
            f"{ZONE_7_PHONE_DIGITS} digits.",
            raw,
        )


def _is_numeric_sender(name: str) -> bool:
    """Return whether `name` is a numeric sender: ASCII digits after an optional `+`."""
    digits = name.removeprefix("+")
    return bool(digits) and all(character in _ASCII_DIGITS for character in digits)


def _check_alphanumeric_sender(name: str, sender: str) -> None:
    """Raise unless `name` is a valid alphanumeric sender."""
    if not all(_is_sender_character(character) for character in name):
        raise InvalidSenderError(
            "A sender name may contain only letters, digits, spaces and - _ . ! & '.",
            sender,
        )
    if not any(character.isalpha() or character in _ASCII_DIGITS for character in name):
        raise InvalidSenderError("A sender name needs at least one letter or digit.", sender)
    if len(name) > MAX_ALPHANUMERIC_SENDER_CHARACTERS:
        raise InvalidSenderError(
            f"A sender name has at most {MAX_ALPHANUMERIC_SENDER_CHARACTERS} characters.",
            sender,
        )


def _is_sender_character(character: str) -> bool:
    """Return whether `character` may appear in an alphanumeric sender name."""
    return character.isalpha() or character in _ASCII_DIGITS or character in _SENDER_PUNCTUATION
