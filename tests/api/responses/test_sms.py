"""GSM-7 or UCS-2, and how many segments a text takes as SMS (GSM 03.38, 3GPP TS 23.040)."""

import pytest

from api.responses.sms import GSM7_BASIC, GSM7_EXTENSION, Encoding, estimate, is_gsm7


def test_the_tables_have_gsm_03_38_s_sizes() -> None:
    """127 printable basic characters (the 128th code is the escape) and the 10 extension characters."""
    assert len(GSM7_BASIC) == 127 and len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize(
    "text", ["Hello @ £5 ¥ è é ù ì ò Ç Ø å Δ _ Φ ß É ¤ ¡ ¿ Ä Ö Ñ Ü § ä ö ñ ü à", "a\nb\rc"]
)
def test_gsm_7_text(text: str) -> None:
    assert is_gsm7(text) and estimate(text).encoding is Encoding.GSM7


@pytest.mark.parametrize("text", ["ç", "ê", "Á", "\u2019", "\u201cquoted\u201d", "😀", "\u2014", "`"])
def test_any_other_character_makes_it_ucs_2(text: str) -> None:
    """Curly quotes, a lowercase c-cedilla, an em dash and a backtick are not in GSM-7."""
    assert not is_gsm7(text) and estimate(text).encoding is Encoding.UCS2


def test_the_extension_table_counts_double() -> None:
    text = "€^{}\\[~]|\f"

    assert (estimate(text).units, estimate(text).characters) == (20, 10)
    assert estimate("€" * 80).segments == 1 and estimate("€" * 80 + "a").segments == 2


@pytest.mark.parametrize(
    ("length", "segments"), [(0, 0), (1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm_7_segments(length: int, segments: int) -> None:
    assert estimate("a" * length).segments == segments


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs_2_segments(length: int, segments: int) -> None:
    assert estimate("ê" * length).segments == segments


def test_an_escape_pair_is_never_split_across_segments() -> None:
    """152 septets then a euro sign (2): it moves whole to the second segment, as phones do."""
    text = "a" * 152 + "€" + "a" * 152

    assert estimate(text).units == 306 and estimate(text).segments == 3


def test_an_emoji_takes_two_units_and_is_never_split() -> None:
    assert estimate("😀" * 35).segments == 1
    assert estimate("😀" * 36).units == 72 and estimate("😀" * 36).segments == 2
    assert estimate("a" * 66 + "😀" + "a" * 66).segments == 3
