r"""How an SMS text is encoded and how many parts it takes.

GSM-7 when every character is in GSM 03.38 (extension characters `| ^ € { } [ ] ~ \` and form
feed count twice): 160 septets in one part, 153 per split part. Any other character (Cyrillic,
emoji) makes it UCS-2: 70 UTF-16 units, 67 per split part (a split part's header takes 7 septets
or 3 units). As phones and gateways split, a part never ends inside an escape pair or a
surrogate pair: such a character moves whole to the next part, leaving one unit unused.
"""

from __future__ import annotations

import enum
from typing import Final

from . import translit
from .record import Record

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

_GSM7_CHARACTERS: Final = GSM7_BASIC_CHARACTERS | GSM7_EXTENSION_CHARACTERS
GSM7_SINGLE_PART: Final = 160
GSM7_PER_PART: Final = 153
UCS2_SINGLE_PART: Final = 70
UCS2_PER_PART: Final = 67
_BMP_LAST_CODE_POINT: Final = 0xFFFF


class SmsEncoding(enum.StrEnum):
    """The data coding an SMS text is sent in."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


class SmsTextInfo(Record, kw_only=False):
    """The size of an SMS text once encoded.

    `length` counts septets (GSM-7) or UTF-16 units (UCS-2); `per_part` is 160 or 70 for one
    part, 153 or 67 once split; `remaining` is what the last part holds before one more is needed.
    """

    encoding: SmsEncoding
    length: int
    parts: int
    per_part: int
    remaining: int


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
    part_lengths = [0]
    for char_units in units:
        if part_lengths[-1] + char_units > per_part:
            part_lengths.append(0)
        part_lengths[-1] += char_units
    return SmsTextInfo(encoding, length, len(part_lengths), per_part, per_part - part_lengths[-1])


def estimate_parts(text: str, *, transliterate: bool = False) -> int:
    """How many SMS a message is sent as (0 for an empty text), before the gateway says so.

    `transliterate` is the message's own flag: the gateway then sends Cyrillic as Latin,
    which fits more characters in a part.
    """
    if transliterate:
        text = translit.transliterate(text)
    # Short texts are one part without a look at each character: 35 characters take at most 70
    # units in either encoding, 70 ASCII ones at most 70 UTF-16 units or 140 septets.
    if 0 < len(text) <= UCS2_SINGLE_PART // (1 if text.isascii() else 2):
        return 1
    return analyze_text(text).parts
