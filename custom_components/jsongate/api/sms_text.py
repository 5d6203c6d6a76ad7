"""How an SMS text is encoded (GSM 03.38 septets, else UCS-2) and how many parts it takes."""

from __future__ import annotations

import enum
from typing import Final

from . import translit
from .record import Record

GSM7_BASIC_CHARACTERS: Final = frozenset(  # GSM 03.38's default alphabet, one septet each
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"  # the escape septet (0x1B) between Ξ and Æ is not a character
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION_CHARACTERS: Final = frozenset("\f^{}\\[~]|€")  # its extension table, two each
_GSM7_CHARACTERS: Final = GSM7_BASIC_CHARACTERS | GSM7_EXTENSION_CHARACTERS
GSM7_SINGLE_PART: Final = 160
GSM7_PER_PART: Final = 153  # a split part's header takes 7 septets
UCS2_SINGLE_PART: Final = 70
UCS2_PER_PART: Final = 67  # or 3 UTF-16 units
_BMP_LAST_CODE_POINT: Final = 0xFFFF


class SmsEncoding(enum.StrEnum):
    """The data coding an SMS text is sent in."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


class SmsTextInfo(Record, kw_only=False):
    """The size of an SMS text once encoded."""

    encoding: SmsEncoding
    length: int  # septets (GSM-7) or UTF-16 units (UCS-2)
    parts: int
    per_part: int  # 160 or 70 for one part, 153 or 67 once split
    remaining: int  # what the last part holds before one more part is needed


def is_gsm7(text: str) -> bool:
    """Whether `text` can be sent in GSM-7."""
    return _GSM7_CHARACTERS.issuperset(text)


def analyze_text(text: str) -> SmsTextInfo:
    """The encoding, length and part count of `text` as an SMS."""
    if is_gsm7(text):
        encoding, single_part, per_part = SmsEncoding.GSM7, GSM7_SINGLE_PART, GSM7_PER_PART
        units = [2 if char in GSM7_EXTENSION_CHARACTERS else 1 for char in text]
    else:
        encoding, single_part, per_part = SmsEncoding.UCS2, UCS2_SINGLE_PART, UCS2_PER_PART
        units = [2 if ord(char) > _BMP_LAST_CODE_POINT else 1 for char in text]
    length = sum(units)
    if length <= single_part:
        return SmsTextInfo(encoding, length, 1 if length else 0, single_part, single_part - length)
    # As phones and gateways do, an escape or surrogate pair never straddles two parts.
    part_lengths = [0]
    for char_units in units:
        if part_lengths[-1] + char_units > per_part:
            part_lengths.append(0)
        part_lengths[-1] += char_units
    return SmsTextInfo(encoding, length, len(part_lengths), per_part, per_part - part_lengths[-1])


def estimate_parts(text: str, *, transliterate: bool = False) -> int:
    """How many SMS a message is sent as (0 if empty); `transliterate`: the message's own flag."""
    if transliterate:
        text = translit.transliterate(text)
    # Short texts are one part without a look at each character: 35 characters take at most 70
    # units in either encoding, 70 ASCII ones at most 70 UTF-16 units or 140 septets.
    if 0 < len(text) <= UCS2_SINGLE_PART // (1 if text.isascii() else 2):
        return 1
    return analyze_text(text).parts
