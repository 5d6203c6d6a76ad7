"""Tests for SMS encoding detection and part counting."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.jsongate.api.sms_text import (
    GSM7_BASIC_CHARACTERS,
    GSM7_EXTENSION_CHARACTERS,
    SmsEncoding,
    SmsTextInfo,
    analyze_text,
    estimate_parts,
    is_gsm7,
)

GSM7 = SmsEncoding.GSM7
UCS2 = SmsEncoding.UCS2

BASIC = "".join(sorted(GSM7_BASIC_CHARACTERS))
EXTENSION = "".join(sorted(GSM7_EXTENSION_CHARACTERS))
EMOJI = "😀"


def test_alphabets_have_their_standard_sizes() -> None:
    assert len(GSM7_BASIC_CHARACTERS) == 127
    assert len(GSM7_EXTENSION_CHARACTERS) == 10
    assert not GSM7_BASIC_CHARACTERS & GSM7_EXTENSION_CHARACTERS
    assert "\x1b" not in GSM7_BASIC_CHARACTERS


def test_encoding_values_are_stable_strings() -> None:
    assert [encoding.value for encoding in SmsEncoding] == ["gsm7", "ucs2"]
    assert GSM7 == "gsm7"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", True),
        ("Alarm: door open @ 12:30!", True),
        ("Price: 5€ {approx}", True),
        ("Grüße aus Köln", True),
        ("Hello\r\nWorld", True),
        ("Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ", True),
        ("¿Qué pasó? ¡Olé!", False),  # GSM-7 has ò and é, not ó
        ("ç", False),  # GSM 03.38 has capital Ç only
        ("Привет", False),
        ("`backtick`", False),
        ("\x1b", False),
        ("tab\there", False),
        ("«quotes»", False),
        ("\u2126", False),  # the ohm sign, not the Greek capital omega
        ("", True),
    ],
)
def test_is_gsm7(text: str, expected: bool) -> None:
    assert is_gsm7(text) is expected


def test_is_gsm7_for_mixed_latin_letters() -> None:
    assert is_gsm7("ß ü ö ä ñ à è é ù ì ò Ç Ø ø Å å Æ æ É Ä Ö Ñ Ü")
    assert not is_gsm7("Grüße aus Köln — bis bald")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SmsTextInfo(GSM7, 0, 0, 160, 160)),
        ("a", SmsTextInfo(GSM7, 1, 1, 160, 159)),
        ("Hello", SmsTextInfo(GSM7, 5, 1, 160, 155)),
        ("a" * 160, SmsTextInfo(GSM7, 160, 1, 160, 0)),
        ("a" * 161, SmsTextInfo(GSM7, 161, 2, 153, 145)),
        ("a" * 306, SmsTextInfo(GSM7, 306, 2, 153, 0)),
        ("a" * 307, SmsTextInfo(GSM7, 307, 3, 153, 152)),
        ("€", SmsTextInfo(GSM7, 2, 1, 160, 158)),
        ("a" * 158 + "€", SmsTextInfo(GSM7, 160, 1, 160, 0)),
        ("a" * 159 + "€", SmsTextInfo(GSM7, 161, 2, 153, 145)),
        ("{" * 80, SmsTextInfo(GSM7, 160, 1, 160, 0)),
        ("{" * 81, SmsTextInfo(GSM7, 162, 2, 153, 143)),
        # An escape pair that would straddle the boundary moves whole to the next part.
        ("a" * 152 + "€" + "a" * 7, SmsTextInfo(GSM7, 161, 2, 153, 144)),
        ("a" * 152 + "€" + "a" * 151, SmsTextInfo(GSM7, 305, 2, 153, 0)),
        ("a" * 152 + "€" + "a" * 152, SmsTextInfo(GSM7, 306, 3, 153, 152)),
        ("\f" * 77, SmsTextInfo(GSM7, 154, 1, 160, 6)),
        ("б", SmsTextInfo(UCS2, 1, 1, 70, 69)),
        ("Привет", SmsTextInfo(UCS2, 6, 1, 70, 64)),
        ("Hello, мир", SmsTextInfo(UCS2, 10, 1, 70, 60)),
        ("я" * 70, SmsTextInfo(UCS2, 70, 1, 70, 0)),
        ("я" * 71, SmsTextInfo(UCS2, 71, 2, 67, 63)),
        ("я" * 134, SmsTextInfo(UCS2, 134, 2, 67, 0)),
        ("я" * 135, SmsTextInfo(UCS2, 135, 3, 67, 66)),
        # Extension characters take one UTF-16 unit once the text is UCS-2.
        ("€" * 69 + "я", SmsTextInfo(UCS2, 70, 1, 70, 0)),
        (EMOJI, SmsTextInfo(UCS2, 2, 1, 70, 68)),
        (EMOJI * 35, SmsTextInfo(UCS2, 70, 1, 70, 0)),
        (EMOJI * 36, SmsTextInfo(UCS2, 72, 2, 67, 61)),
        # A surrogate pair that would straddle the boundary moves whole to the next part.
        ("я" * 66 + EMOJI + "я", SmsTextInfo(UCS2, 69, 1, 70, 1)),
        ("я" * 66 + EMOJI + "я" * 5, SmsTextInfo(UCS2, 73, 2, 67, 60)),
        ("a" * 159 + "я", SmsTextInfo(UCS2, 160, 3, 67, 41)),
    ],
)
def test_analyze_text(text: str, expected: SmsTextInfo) -> None:
    assert analyze_text(text) == expected
    assert estimate_parts(text) == expected.parts


def test_info_is_frozen() -> None:
    info = analyze_text("Hi")
    with pytest.raises(AttributeError):
        info.parts = 5  # type: ignore[misc]


def parts_without_splitting_rules(length: int, single_part: int, per_part: int) -> int:
    """Return the part count for a text of one-unit characters."""
    if length == 0:
        return 0
    return 1 if length <= single_part else math.ceil(length / per_part)


@given(st.text(alphabet=BASIC, max_size=1000))
def test_basic_gsm7_text_parts(text: str) -> None:
    info = analyze_text(text)
    assert info.encoding is GSM7
    assert info.length == len(text)
    assert info.parts == parts_without_splitting_rules(len(text), 160, 153)
    assert info.per_part == (160 if info.parts <= 1 else 153)
    assert 0 <= info.remaining < info.per_part or not text


@given(st.text(alphabet=BASIC + EXTENSION, max_size=1000))
def test_extension_characters_count_twice(text: str) -> None:
    info = analyze_text(text)
    extension_count = sum(character in GSM7_EXTENSION_CHARACTERS for character in text)
    assert info.encoding is GSM7
    assert info.length == len(text) + extension_count
    if info.length <= 160:
        assert info.parts == (1 if text else 0)
    else:
        # Every part but the last is full, or one short of full when an escape pair
        # did not fit.
        assert math.ceil(info.length / 153) <= info.parts <= math.ceil(info.length / 152)
        used_before_last = info.length - (info.per_part - info.remaining)
        assert 152 * (info.parts - 1) <= used_before_last <= 153 * (info.parts - 1)


# Cyrillic to Greek Extended: one UTF-16 unit each, none of them in GSM-7.
NON_GSM7_BMP = st.characters(min_codepoint=0x400, max_codepoint=0x1FFF)


@given(st.text(alphabet=NON_GSM7_BMP, min_size=1, max_size=500))
def test_ucs2_text_of_single_units(text: str) -> None:
    info = analyze_text(text)
    assert info.encoding is UCS2
    assert info.length == len(text)
    assert info.parts == parts_without_splitting_rules(len(text), 70, 67)
    assert info.per_part == (70 if info.parts == 1 else 67)


@given(st.text(), st.text(alphabet="Жё😀𝄞"))
def test_ucs2_length_is_utf16_code_units(prefix: str, cyrillic_or_astral: str) -> None:
    text = prefix + "Ж" + cyrillic_or_astral
    info = analyze_text(text)
    assert info.encoding is UCS2
    assert info.length == len(text.encode("utf-16-le")) // 2
    if info.length <= 70:
        assert info.parts == 1
    else:
        assert math.ceil(info.length / 67) <= info.parts <= math.ceil(info.length / 66)


@given(st.text())
def test_remaining_never_exceeds_a_part(text: str) -> None:
    info = analyze_text(text)
    assert 0 <= info.remaining <= info.per_part
    assert info.parts >= (1 if text else 0)


@pytest.mark.parametrize("length", range(72))
def test_short_texts_are_counted_as_the_full_analysis_counts_them(length: int) -> None:
    """`estimate_parts` takes a shortcut for short texts; it must agree with `analyze_text`."""
    for characters in ("aZ0 @", "€[~^", "Жщ ", "😀a", "`ab", "Жa€😀"):
        text = (characters * length)[:length]
        assert estimate_parts(text) == analyze_text(text).parts, text
