"""Cyrillic to Latin, as one Cyrillic letter sends a whole SMS in UCS-2 (70 a part, not 160)."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

# ICAO Doc 9303 (Russian passports): plain Latin, one septet a letter (ГОСТ 7.79 has backticks);
# BGN/PCGN where ICAO reads oddly (й ю я ё). Keyed by letter: Ukrainian и, г are spelt as Russian.
CYRILLIC_TO_LATIN: Final[Mapping[str, str]] = MappingProxyType(
    dict(zip("абвгдезийклмнопрстуфыэіґў", "abvgdeziyklmnoprstufyeigu", strict=True))
    | {"ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"}
    | {"ю": "yu", "я": "ya", "ї": "yi", "є": "ye"}
    | dict.fromkeys("ъь", "")
)
"""Lower-case Cyrillic letters (Russian, Ukrainian, Belarusian) and their Latin spelling."""

TYPOGRAPHY_TO_GSM7: Final[Mapping[str, str]] = MappingProxyType(
    {
        **dict.fromkeys("«»„“”", '"'),
        **dict.fromkeys("‘’ʼ", "'"),
        **dict.fromkeys("‐‑–—−", "-"),  # hyphens, dashes and the minus sign
        **dict.fromkeys("\u00a0\u202f", " "),  # no-break spaces
        "…": "...",
        "№": "No.",
    }
)
"""Punctuation of Russian text that GSM-7 lacks (any one would send it in UCS-2), and a stand-in."""


def transliterate(text: str) -> str:
    """`text` with Cyrillic and Russian typography in GSM-7 (`ЩУКА Щука` → `SHCHUKA Shchuka`)."""
    return "".join(_latin_for(text, index) for index in range(len(text)))


def _latin_for(text: str, index: int) -> str:
    character = text[index]
    latin = CYRILLIC_TO_LATIN.get(character.lower())
    if latin is None:
        return TYPOGRAPHY_TO_GSM7.get(character, character)
    if not character.isupper():
        return latin
    # The next letter says whether the word is in capitals; at the end of a word, the letter
    # before does, so that a capital alone (`Я`) or a capitalised word isn't shouted.
    following = text[index + 1 : index + 2]
    in_capitals = following.isupper() if following.isalpha() else text[index - 1 : index].isupper()
    return latin.upper() if in_capitals else latin.capitalize()
