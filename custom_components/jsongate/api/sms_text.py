r"""How an SMS text is encoded and how many parts it takes.

A text made only of characters of the GSM 03.38 default alphabet and its extension table
is sent in GSM-7: 160 septets in one part, 153 per part when split. Extension characters
(`| ^ € { } [ ] ~ \` and form feed) are an escape septet plus a character, so they count
twice. Any other character, Cyrillic included, sends the whole text in UCS-2: 70 UTF-16
code units in one part, 67 per part when split; a character outside the Basic
Multilingual Plane (most emoji) takes two.

Parts are counted the way phones and gateways split a text: a part never ends between an
escape septet and its character, nor between the two halves of a surrogate pair, so such
a character that does not fit moves whole to the next part, leaving one unit unused.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final

from . import translit
from .record import Record

if TYPE_CHECKING:
    from collections.abc import Iterable

GSM7_BASIC_CHARACTERS: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"  # the escape septet (0x1B) between Ξ and Æ is not a character
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The 127 characters of the GSM 03.38 default alphabet; each takes one septet."""

GSM7_EXTENSION_CHARACTERS: Final = frozenset("\f^{}\\[~]|€")
"""The characters of the GSM 03.38 extension table; each takes two septets."""

GSM7_SINGLE_PART: Final = 160
GSM7_PER_PART: Final = 153
UCS2_SINGLE_PART: Final = 70
UCS2_PER_PART: Final = 67
# A split part carries a 6-octet concatenation header: 7 septets, or 3 UTF-16 units.

_BMP_LAST_CODE_POINT: Final = 0xFFFF
# Texts this short are one part whatever their characters: two UTF-16 units or two
# septets each at most. ASCII characters take one UTF-16 unit each.
_ALWAYS_ONE_PART: Final = UCS2_SINGLE_PART // 2
_ASCII_ONE_PART: Final = UCS2_SINGLE_PART


class SmsEncoding(enum.StrEnum):
    """The data coding an SMS text is sent in."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


class SmsTextInfo(Record, kw_only=False):
    """The size of an SMS text once encoded.

    Attributes:
        encoding: GSM-7 if every character is in the GSM 03.38 alphabets, else UCS-2.
        length: the encoded length: septets for GSM-7, UTF-16 code units for UCS-2.
        parts: how many SMS the text is sent as; 0 for an empty text.
        per_part: how many units one part holds: 160 or 70 for a single part, 153 or 67
            once the text is split.
        remaining: how many units are still free in the last part (for an empty text,
            in the first part) before one more part is needed.
    """

    encoding: SmsEncoding
    length: int
    parts: int
    per_part: int
    remaining: int


def is_gsm7(text: str) -> bool:
    """Return whether `text` can be sent in GSM-7."""
    return all(_is_gsm7_character(character) for character in text)


def analyze_text(text: str) -> SmsTextInfo:
    """Return the encoding, length and part count of `text` as an SMS."""
    if is_gsm7(text):
        encoding = SmsEncoding.GSM7
        unit_counts = [_septets(character) for character in text]
        single_part, per_split_part = GSM7_SINGLE_PART, GSM7_PER_PART
    else:
        encoding = SmsEncoding.UCS2
        unit_counts = [_utf16_code_units(character) for character in text]
        single_part, per_split_part = UCS2_SINGLE_PART, UCS2_PER_PART
    length = sum(unit_counts)
    if length <= single_part:
        parts = 1 if length else 0
        return SmsTextInfo(encoding, length, parts, single_part, single_part - length)
    part_lengths = _split_into_parts(unit_counts, per_split_part)
    return SmsTextInfo(
        encoding,
        length,
        len(part_lengths),
        per_split_part,
        per_split_part - part_lengths[-1],
    )


def count_parts(text: str) -> int:
    """Return how many SMS `text` is sent as (0 for an empty text)."""
    # Most texts are short: up to 35 characters (or 70 ASCII ones) fit one part in either
    # encoding, at most 70 UTF-16 units or 140 septets, without looking at each one.
    if 0 < len(text) <= _ALWAYS_ONE_PART or (0 < len(text) <= _ASCII_ONE_PART and text.isascii()):
        return 1
    return analyze_text(text).parts


def estimate_parts(text: str, *, transliterate: bool = False) -> int:
    """Return how many SMS a message is sent as, before the gateway says so.

    `transliterate` is the message's own flag: the gateway then sends Cyrillic as Latin,
    which fits more characters in a part.
    """
    return count_parts(translit.transliterate(text) if transliterate else text)


def _is_gsm7_character(character: str) -> bool:
    """Return whether `character` is in the GSM 03.38 default or extension table."""
    return character in GSM7_BASIC_CHARACTERS or character in GSM7_EXTENSION_CHARACTERS


def _septets(character: str) -> int:
    """Return how many septets a GSM-7 character takes."""
    return 2 if character in GSM7_EXTENSION_CHARACTERS else 1


def _utf16_code_units(character: str) -> int:
    """Return how many UTF-16 code units a character takes."""
    return 2 if ord(character) > _BMP_LAST_CODE_POINT else 1


def _split_into_parts(unit_counts: Iterable[int], part_capacity: int) -> list[int]:
    """Return the length of each part when characters are packed in order.

    A character whose units don't all fit in the current part starts the next one.
    """
    part_lengths = [0]
    for units in unit_counts:
        if part_lengths[-1] + units > part_capacity:
            part_lengths.append(0)
        part_lengths[-1] += units
    return part_lengths
