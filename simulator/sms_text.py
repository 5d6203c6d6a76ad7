"""SMS text rules the simulated gateway applies: transliteration and part counting.

This is the simulator's own implementation, written from the GSM 03.38 tables, so a
mistake in the integration's counting can't hide behind a shared helper.
"""

from __future__ import annotations

import math

# GSM 03.38 default alphabet (without the escape code itself).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each of these costs an escape septet plus its own.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_SPLIT = 160, 153
UCS2_SINGLE, UCS2_SPLIT = 70, 67
# Binary payloads (vCard) are 8-bit: 140 octets, 134 once a concatenation header is added.
BINARY_SINGLE, BINARY_SPLIT = 140, 134
_BMP_LAST = 0xFFFF  # beyond it, UTF-16 needs a surrogate pair: two UCS-2 units

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def transliterate(text: str) -> str:
    """Replace Russian Cyrillic letters with Latin ones, keeping capitalisation."""
    out: list[str] = []
    for char in text:
        latin = _TRANSLIT.get(char.lower())
        if latin is None:
            out.append(char)
        elif char.isupper():
            out.append(latin.capitalize())
        else:
            out.append(latin)
    return "".join(out)


def is_gsm7(text: str) -> bool:
    """Whether every character of `text` has a GSM-7 encoding."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _pack(units: list[int], single: int, split: int) -> int:
    """Count parts for characters costing `units` each, never splitting a character."""
    if sum(units) <= single:
        return 1
    parts, used = 1, 0
    for cost in units:
        if used + cost > split:
            parts += 1
            used = 0
        used += cost
    return parts


def count_parts(text: str) -> int:
    """Count the SMS parts `text` needs (GSM-7 when possible, else UCS-2)."""
    if is_gsm7(text):
        return _pack([2 if char in GSM7_EXTENSION else 1 for char in text], GSM7_SINGLE, GSM7_SPLIT)
    # UCS-2 counts UTF-16 code units; a surrogate pair stays within one part.
    return _pack([2 if ord(char) > _BMP_LAST else 1 for char in text], UCS2_SINGLE, UCS2_SPLIT)


def count_message_parts(kind: str, text: str) -> int:
    """Count parts for a jsonGate message type (`sms`, `flashsms`, `wappush`, `vcard`)."""
    if kind == "wappush":
        # A WAP push is one binary SMS: the text is only the link's short description.
        return 1
    if kind == "vcard":
        size = len(text.encode())
        return 1 if size <= BINARY_SINGLE else math.ceil(size / BINARY_SPLIT)
    return count_parts(text)
