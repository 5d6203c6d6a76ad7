"""Cyrillic to Latin transliteration for SMS.

One Cyrillic letter sends a whole SMS in UCS-2, 70 characters a part instead of 160.
`transliterate` writes Russian (and the extra letters of Ukrainian and Belarusian) in Latin
letters, and replaces Russian typography that GSM-7 lacks, so that the text fits GSM-7.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

CYRILLIC_TO_LATIN: Final[Mapping[str, str]] = MappingProxyType(
    {
        # The letters written with one Latin letter, in pairs.
        **dict(zip("абвгдезийклмнопрстуфыэіґў", "abvgdeziyklmnoprstufyeigu", strict=True)),
        **dict.fromkeys("ъь", ""),
        "ё": "yo",
        "ж": "zh",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ю": "yu",
        "я": "ya",
        "ї": "yi",
        "є": "ye",
    }
)
"""Lower-case Cyrillic letters and their Latin spelling.

ICAO Doc 9303 (Russian passports since 2014): plain Latin letters, one GSM-7 septet each,
unlike the backticks of ГОСТ 7.79 system B. Where ICAO reads oddly, BGN/PCGN without
diacritics: й `y`, ю `yu`, я `ya`, ё `yo` (ICAO `i`, `iu`, `ia`, `e`), ъ dropped like ь.
Keyed by letter, not language: и and г keep their Russian spelling in Ukrainian text.
"""

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
    """`text` with Cyrillic letters and Russian typography in GSM-7 characters.

    Other characters pass unchanged. A capital written with several Latin letters is
    capitalised (`Щука` → `Shchuka`), or all capitals in an all-capitals word (`ЩУКА` →
    `SHCHUKA`, `ВОЩ` → `VOSHCH`).
    """
    return "".join(_latin_for(text, index) for index in range(len(text)))


def _latin_for(text: str, index: int) -> str:
    """The replacement for the character of `text` at `index`."""
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
