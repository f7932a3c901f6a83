"""Render bot replies for SMS: GSM-7 / UCS-2 aware segment counting, splitting, numbered buttons.

How a reply becomes texts:
- Typographic characters with a GSM-7 twin (curly quotes, dashes, ellipsis, no-break space) are replaced,
  so one curly apostrophe does not switch a whole reply to UCS-2 and more than double its segment count.
- A text that fits in `max_segments` segments is sent as it is (Twilio concatenates the segments).
- A longer text is split into several messages between sentences (between words inside a sentence too
  long for one message), each within `max_segments`.
  We split rather than truncate: a reply may carry a legally required disclosure, which must arrive whole.
  Only a single "word" longer than a whole message (an absurd URL) is cut, as a last resort.
- Buttons become numbered options ("Reply 1 for Pay now, 2 for Talk to a person."); the API keeps the
  offered buttons per conversation and maps a reply of "1"/"2" back to the button's payload.

Segment sizes (3GPP TS 23.038 / 23.040): GSM-7 160 characters alone, 153 per part when concatenated,
extension-table characters (^ { } \\ [ ~ ] | € and form feed) count two; UCS-2 70 alone, 67 per part,
characters outside the Basic Multilingual Plane (most emoji) count two, and no part splits an escape
sequence or a surrogate pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
DEFAULT_MAX_SEGMENTS = 3

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_GSM_FRIENDLY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
    }
)
_TOKEN = re.compile(r"\S+\s*")
_SENTENCE = re.compile(r".+?(?:[.!?;:](?=\s)|$)\s*", re.DOTALL)
"""A sentence (or clause) and the spaces after it: where a long reply is split when one fits."""


def to_gsm_friendly(text: str) -> str:
    """Replace typographic characters that have a GSM-7 equivalent."""
    return text.translate(_GSM_FRIENDLY)


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM-7 default alphabet or its extension table."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _units(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def segments(text: str) -> list[str]:
    """The parts a handset receives: `text` cut where the network cuts it (empty text: no parts)."""
    if not text:
        return []
    gsm = is_gsm7(text)
    single, part = (GSM7_SINGLE, GSM7_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    if sum(_units(ch, gsm) for ch in text) <= single:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        size = _units(ch, gsm)
        if used + size > part:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += size
    parts.append("".join(current))
    return parts


def segment_count(text: str) -> int:
    """How many SMS segments `text` is billed and delivered as."""
    return len(segments(text))


def split_message(text: str, max_segments: int = DEFAULT_MAX_SEGMENTS) -> list[str]:
    """`text` as one or more messages of at most `max_segments` segments each, split between sentences
    where they fit, else between words."""
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    text = text.strip()
    if segment_count(text) <= max_segments:
        return [text] if text else []
    messages: list[str] = []
    current = ""
    for token in _pieces(text, max_segments):
        if segment_count((current + token).rstrip()) <= max_segments:
            current += token
            continue
        if current.strip():
            messages.append(current.rstrip())
        current = token
        if segment_count(token.rstrip()) > max_segments:
            *whole, current = _cut_word(token.rstrip(), max_segments)
            messages.extend(whole)
            current += token[len(token.rstrip()) :]
    if current.strip():
        messages.append(current.rstrip())
    return messages


def _pieces(text: str, max_segments: int) -> list[str]:
    """The text's sentences, each one that fits in a message whole, a longer one as its words: a notice
    was split between "PO Box" and "1000"."""
    pieces: list[str] = []
    for sentence in _SENTENCE.findall(text):
        fits = segment_count(sentence.rstrip()) <= max_segments
        pieces.extend([sentence] if fits else _TOKEN.findall(sentence))
    return pieces


def _cut_word(word: str, max_segments: int) -> list[str]:
    """A word too long for any one message, in message-sized pieces (the only mid-word cut we make)."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if segment_count(current + ch) > max_segments:
            pieces.append(current)
            current = ""
        current += ch
    pieces.append(current)
    return pieces


def render_buttons(text: str, buttons: Iterable[Mapping[str, Any]]) -> str:
    """The text followed by numbered options: "Reply 1 for Pay now, 2 for Set up a plan."."""
    titles = [
        str(button.get("title") or button.get("payload") or "").strip().rstrip(".") for button in buttons
    ]
    options = ", ".join(f"{number} for {title}" for number, title in enumerate(titles, start=1) if title)
    if not options:
        return text
    return f"{text.rstrip()}\nReply {options}."
