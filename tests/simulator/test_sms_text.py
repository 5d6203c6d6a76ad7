"""The simulator's own SMS part counting and transliteration."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.sms_text import count_message_parts, count_parts, is_gsm7, transliterate

GSM_BASIC = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters cost two septets
        ("€" * 81, 2),
        ("a" * 152 + "€" + "a" * 10, 2),  # the escape pair is not split: 152 + (2 moved) ...
        ("a" * 152 + "€" + "a" * 152, 3),  # ... so the second part starts with it
        ("Ж" * 70, 1),
        ("Ж" * 71, 2),
        ("Ж" * 134, 2),
        ("Ж" * 135, 3),
        ("a" * 69 + "Ж", 1),  # one Cyrillic letter makes the whole text UCS-2
        ("😀" * 35, 1),  # a surrogate pair is two UCS-2 units
        ("😀" * 36, 2),
        ("a" * 66 + "😀" + "a" * 66, 3),  # 134 units, but the pair is not split across parts
    ],
)
def test_count_parts(text, parts):
    assert count_parts(text) == parts


@given(st.text(alphabet=GSM_BASIC, min_size=1, max_size=1000))
def test_basic_gsm_text_uses_160_then_153(text):
    expected = 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert count_parts(text) == expected


@given(st.text(alphabet="абвгдежзиклмнопрстуфхцчшщъыьэюяЁ", min_size=1, max_size=1000))
def test_cyrillic_text_uses_70_then_67(text):
    expected = 1 if len(text) <= 70 else math.ceil(len(text) / 67)
    assert count_parts(text) == expected


@given(st.text(alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюяёАБВЁЖЩЯ ,.!?0123456789"))
def test_transliterated_russian_is_gsm7(text):
    assert is_gsm7(transliterate(text))


def test_transliterate():
    assert transliterate("Щука, Ёж и Юля: съешь ещё!") == "Shchuka, Yozh i Yulya: sesh eshchyo!"
    assert transliterate("Hello €") == "Hello €"


def test_message_types():
    assert count_message_parts("wappush", "Ж" * 500) == 1
    assert count_message_parts("flashsms", "a" * 161) == 2
    assert count_message_parts("vcard", "a" * 140) == 1
    assert count_message_parts("vcard", "a" * 141) == 2
    assert count_message_parts("vcard", "Ж" * 70) == 1  # 140 UTF-8 octets
    assert count_message_parts("vcard", "Ж" * 71) == 2
