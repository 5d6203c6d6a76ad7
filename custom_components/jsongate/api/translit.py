"""Cyrillic to Latin transliteration for SMS.

One Cyrillic letter sends a whole SMS in UCS-2, 70 characters a part instead of 160.
`transliterate` rewrites Russian text (and the extra letters of Ukrainian and
Belarusian) in Latin letters so that it fits the GSM-7 alphabet, and replaces the
typographic punctuation of Russian text, which is outside GSM-7 too.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

CYRILLIC_TO_LATIN: Final[Mapping[str, str]] = MappingProxyType(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "yo",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        # Ukrainian and Belarusian letters that Russian lacks.
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ґ": "g",
        "ў": "u",
    }
)
"""Lower-case Cyrillic letters and their Latin spelling.

The letters follow ICAO Doc 9303, the system of Russian passports since 2014, because it
uses plain Latin letters only: each costs one GSM-7 septet, and there are none of the
apostrophes, backticks and unfamiliar spellings of ГОСТ 7.79-2000 system B (`x` for х,
`cz` for ц, two backticks for ъ), which read badly in a text message. Where ICAO reads
oddly in a short message, the common practical spelling (that of BGN/PCGN without its
diacritics) is used instead: й is `y` (ICAO `i`), ю and я are `yu` and `ya` (ICAO `iu`,
`ia`), ё is `yo` (ICAO `e`), and ъ is dropped like ь (ICAO `ie`).

Ukrainian і, ї, є, ґ and Belarusian ў get their usual Latin spellings. The table is keyed
by letter, not by language: letters shared with Russian (и, г) keep their Russian
spelling in Ukrainian text too.
"""

TYPOGRAPHY_TO_GSM7: Final[Mapping[str, str]] = MappingProxyType(
    {
        "«": '"',
        "»": '"',
        "„": '"',
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "…": "...",
        "№": "No.",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
"""Punctuation common in Russian text that GSM-7 lacks, and its GSM-7 stand-in.

Guillemets and curly quotes, dashes, the ellipsis, the numero sign and no-break spaces:
left as they are, any one of them would still send the message in UCS-2.
"""


def transliterate(text: str) -> str:
    """Return `text` with Cyrillic letters and Russian typography in GSM-7 characters.

    Characters in neither table pass through unchanged. An upper-case letter written
    with several Latin letters is capitalised (`Щука` → `Shchuka`), or written in
    capitals inside an all-capitals word (`ЩУКА` → `SHCHUKA`, `ВОЩ` → `VOSHCH`).
    """
    return "".join(_latin_for(text, index) for index in range(len(text)))


def _latin_for(text: str, index: int) -> str:
    """Return the replacement for the character of `text` at `index`."""
    character = text[index]
    latin = CYRILLIC_TO_LATIN.get(character.lower())
    if latin is None:
        return TYPOGRAPHY_TO_GSM7.get(character, character)
    if not character.isupper():
        return latin
    if _is_in_capitals_word(text, index):
        return latin.upper()
    return latin.capitalize()


def _is_in_capitals_word(text: str, index: int) -> bool:
    """Return whether the letter at `index` belongs to a word written in capitals.

    The next letter decides; at the end of a word, the letter before does, so that a
    capital alone (`Я`) or a capitalised word stays capitalised, not shouted.
    """
    following = text[index + 1 : index + 2]
    if following.isalpha():
        return following.isupper()
    preceding = text[index - 1 : index] if index else ""
    return preceding.isupper()
