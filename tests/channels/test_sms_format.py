"""SMS rendering: GSM-7 / UCS-2 segment arithmetic, splitting between words, buttons."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.sms_format import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    is_gsm7,
    render_buttons,
    segment_count,
    segments,
    split_message,
    to_gsm_friendly,
)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters count two
        ("€" * 81, 2),
        ("a" * 159 + "^", 2),
        ("é" * 160, 1),  # é is in the GSM-7 default alphabet
        ("ł" * 70, 1),  # ł is not: UCS-2
        ("ł" * 71, 2),
        ("ł" * 134, 2),
        ("ł" * 135, 3),
        ("a" * 69 + "\U0001f600", 2),  # one emoji turns the whole text UCS-2, and counts two
        ("\U0001f600" * 35, 1),
        ("\U0001f600" * 36, 2),
    ],
)
def test_segment_counts(text: str, count: int) -> None:
    assert segment_count(text) == count


def test_a_concatenated_part_never_splits_an_escape_sequence_or_a_surrogate_pair() -> None:
    gsm_parts = segments("a" * 152 + "€" + "a" * 10)
    ucs_parts = segments("ł" * 66 + "\U0001f600" + "ł" * 10)

    assert gsm_parts[0] == "a" * 152 and gsm_parts[1].startswith("€")
    assert ucs_parts[0] == "ł" * 66 and ucs_parts[1].startswith("\U0001f600")


def test_typographic_characters_are_made_gsm_friendly() -> None:
    text = to_gsm_friendly("It\u2019s \u201cdue\u201d \u2013 soon\u2026")

    assert text == 'It\'s "due" - soon...'
    assert is_gsm7(text)


def test_a_text_within_the_cap_is_one_message() -> None:
    assert split_message("  Hello there.  ", 1) == ["Hello there."]
    assert split_message("   ", 3) == []


def test_a_long_text_is_split_between_words() -> None:
    text = "alpha beta gamma " * 30

    messages = split_message(text, 1)

    assert all(segment_count(m) == 1 for m in messages)
    assert " ".join(messages).split() == text.split()


def test_a_word_longer_than_a_whole_message_is_the_only_thing_cut() -> None:
    url = "https://pay.example.org/" + "x" * 400

    messages = split_message(f"Pay here: {url} thanks", 1)

    assert messages[0] == "Pay here:"
    assert "".join(messages[1:-1]) + messages[-1].split()[0] == url
    assert all(segment_count(m) == 1 for m in messages)


def test_the_cap_must_be_positive() -> None:
    with pytest.raises(ValueError):
        split_message("hi", 0)


def test_buttons_become_numbered_options() -> None:
    buttons = [{"title": "Pay now", "payload": "/pay"}, {"title": "Talk to a person.", "payload": "/human"}]

    assert render_buttons("What next?", buttons) == "What next?\nReply 1 for Pay now, 2 for Talk to a person."
    assert render_buttons("Only text", []) == "Only text"


GSM_CHARS = sorted((GSM7_BASIC | GSM7_EXTENSION) - set("\r\n\f "))
words = st.text(
    alphabet=st.sampled_from([*GSM_CHARS, "ł", "ü", "€", "\U0001f600", "é"]), min_size=1, max_size=25
)
texts = st.lists(words, min_size=0, max_size=120).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(text=texts, cap=st.integers(min_value=1, max_value=4))
def test_every_message_fits_the_cap_and_no_word_is_split_or_lost(text: str, cap: int) -> None:
    messages = split_message(text, cap)

    assert all(1 <= segment_count(message) <= cap for message in messages)
    assert " ".join(messages).split() == text.split()


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_segments_reassemble_to_the_text_and_respect_part_sizes(text: str) -> None:
    parts = segments(text)

    assert "".join(parts) == text
    gsm = is_gsm7(text)
    size = 153 if gsm else 67
    if len(parts) > 1:
        for part in parts:
            units = sum(
                (2 if c in GSM7_EXTENSION else 1) if gsm else (2 if ord(c) > 0xFFFF else 1) for c in part
            )
            assert units <= size


def test_a_long_reply_is_split_between_sentences_where_they_fit() -> None:
    """heldout16 560: the validation notice's address was split between "PO Box" and "1000"."""
    first = "You can dispute all or part of the debt by Jan 10, 2027. " * 7
    text = f"{first}Write to Acme Recovery Services, PO Box 1000, Springfield, IL 62701."

    messages = split_message(text, 3)

    assert messages == [first.strip(), "Write to Acme Recovery Services, PO Box 1000, Springfield, IL 62701."]
