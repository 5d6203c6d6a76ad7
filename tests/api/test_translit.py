"""Tests for Cyrillic to Latin transliteration."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.jsongate.api.sms_text import SmsEncoding, analyze_text, is_gsm7
from custom_components.jsongate.api.translit import (
    CYRILLIC_TO_LATIN,
    TYPOGRAPHY_TO_GSM7,
    transliterate,
)

RUSSIAN_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
RUSSIAN_UPPER = RUSSIAN_LOWER.upper()
UKRAINIAN_AND_BELARUSIAN = "іїєґўІЇЄҐЎ"
RUSSIAN_TYPOGRAPHY = "«»„“”‘’ʼ‐‑–—−…№\u00a0\u202f"
PLAIN_PUNCTUATION = " .,:;!?-()\"'%+=/*#@\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("привет", "privet"),
        ("Привет, мир!", "Privet, mir!"),
        (
            "Съешь же ещё этих мягких французских булок, да выпей чаю.",
            "Sesh zhe eshchyo etikh myagkikh frantsuzskikh bulok, da vypey chayu.",
        ),
        ("ёлка", "yolka"),
        ("Ёлка", "Yolka"),
        ("ЁЛКА", "YOLKA"),
        ("Семён", "Semyon"),
        ("йогурт", "yogurt"),
        ("Йошкар-Ола", "Yoshkar-Ola"),
        ("подъезд", "podezd"),
        ("ОБЪЯВЛЕНИЕ", "OBYAVLENIE"),
        ("соль", "sol"),
        ("большой", "bolshoy"),
        ("новый", "novyy"),
        ("щука", "shchuka"),
        ("Щука", "Shchuka"),
        ("ЩУКА", "SHCHUKA"),
        ("ЩУКА и Щука", "SHCHUKA i Shchuka"),
        ("хлеб", "khleb"),
        ("Хабаровск", "Khabarovsk"),
        ("ХАБАРОВСК", "KHABAROVSK"),
        ("цирк", "tsirk"),
        ("Царь", "Tsar"),
        ("чай", "chay"),
        ("Чебоксары", "Cheboksary"),
        ("шум", "shum"),
        ("Шарик", "Sharik"),
        ("юла", "yula"),
        ("Юлия", "Yuliya"),
        ("ЮЛИЯ", "YULIYA"),
        ("яблоко", "yabloko"),
        ("Я дома", "Ya doma"),
        ("Я", "Ya"),
        ("Ж", "Zh"),
        ("ВОЩ", "VOSHCH"),
        ("Борщ", "Borshch"),
        ("БОРЩ!", "BORSHCH!"),
        ("ЖКХ", "ZHKKH"),
        ("в ЖКХ", "v ZHKKH"),
        ("ЁЖ", "YOZH"),
        ("Ёж", "Yozh"),
        ("эхо", "ekho"),
        ("ЦСКА-2024", "TSSKA-2024"),
        ("Щ5", "Shch5"),
        ("5Щ", "5Shch"),
        ("ЧП: протечка в ванной", "CHP: protechka v vannoy"),
        ("Температура 25°C", "Temperatura 25°C"),
        ("Hello, мир", "Hello, mir"),
        ("Київ", "Kiyiv"),
        ("Європа", "Yevropa"),
        ("ґанок", "ganok"),
        ("праўда", "prauda"),
        ("Ілля", "Illya"),
        ("«Ёлка» — №5…", '"Yolka" - No.5...'),
        ("Тревога!\u00a0Дверь открыта", "Trevoga! Dver otkryta"),
        ("Дом’s", "Dom's"),
        ("日本", "日本"),
    ],
)
def test_transliterate(text: str, expected: str) -> None:
    assert transliterate(text) == expected


def test_table_covers_the_russian_alphabet_in_lower_case() -> None:
    assert set(RUSSIAN_LOWER) <= set(CYRILLIC_TO_LATIN)
    assert all(letter == letter.lower() for letter in CYRILLIC_TO_LATIN)


def test_tables_give_gsm7_only() -> None:
    assert all(latin.isascii() and is_gsm7(latin) for latin in CYRILLIC_TO_LATIN.values())
    assert all(is_gsm7(replacement) for replacement in TYPOGRAPHY_TO_GSM7.values())


def test_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        CYRILLIC_TO_LATIN["а"] = "x"  # type: ignore[index]


@given(
    st.text(
        alphabet=RUSSIAN_LOWER
        + RUSSIAN_UPPER
        + UKRAINIAN_AND_BELARUSIAN
        + RUSSIAN_TYPOGRAPHY
        + PLAIN_PUNCTUATION
        + "0123456789"
    )
)
def test_transliterated_russian_is_gsm7(text: str) -> None:
    latin = transliterate(text)
    assert is_gsm7(latin)
    assert analyze_text(latin).encoding is SmsEncoding.GSM7


@given(st.text())
def test_text_without_cyrillic_or_typography_is_unchanged(text: str) -> None:
    untouched = "".join(
        character
        for character in text
        if character.lower() not in CYRILLIC_TO_LATIN and character not in TYPOGRAPHY_TO_GSM7
    )
    assert transliterate(untouched) == untouched


@given(st.text(alphabet=RUSSIAN_LOWER + " "))
def test_lower_case_stays_lower_case(text: str) -> None:
    assert transliterate(text) == transliterate(text).lower()


@given(st.text(alphabet=RUSSIAN_UPPER, min_size=2))
def test_capitals_word_stays_in_capitals(word: str) -> None:
    assert transliterate(word) == transliterate(word.lower()).upper()
