"""How a text travels as SMS: GSM-7 or UCS-2, and how many segments (each billed as one message).

GSM 03.38: the basic table costs one septet a character, the extension table (reached through an escape)
two; a text with any other character goes as UCS-2, two bytes per UTF-16 code unit. A single message holds
160 septets or 70 units; a concatenated one loses room to its header (153 septets or 67 units per
segment), and a phone never splits an escape pair or a surrogate pair across two segments.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The 127 printable characters of the GSM 03.38 default alphabet (the 128th code is the escape)."""
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")
"""The extension table: each costs the escape plus itself, two septets."""


class Encoding(StrEnum):
    """How the text is encoded on the air."""

    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True)
class SmsEstimate:
    """What a text costs as SMS."""

    encoding: Encoding
    characters: int
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2)."""
    segments: int
    per_segment: int
    """The room of each segment: 160/70 for a single message, 153/67 once it is split."""


_LIMITS: Final = {Encoding.GSM7: (160, 153), Encoding.UCS2: (70, 67)}


def is_gsm7(text: str) -> bool:
    """Whether every character is in the GSM-7 basic or extension table."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _cost(char: str, encoding: Encoding) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) one character takes."""
    if encoding is Encoding.GSM7:
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def _segments(costs: list[int], room: int) -> int:
    """Segments needed when no character's units may straddle two segments."""
    count, used = 1, 0
    for cost in costs:
        if used + cost > room:
            count, used = count + 1, 0
        used += cost
    return count


def estimate(text: str) -> SmsEstimate:
    """The encoding, length in units and segments of `text` sent as one SMS."""
    encoding = Encoding.GSM7 if is_gsm7(text) else Encoding.UCS2
    costs = [_cost(char, encoding) for char in text]
    single, multi = _LIMITS[encoding]
    units = sum(costs)
    if units <= single:
        return SmsEstimate(encoding, len(text), units, 1 if text else 0, single)
    return SmsEstimate(encoding, len(text), units, _segments(costs, multi), multi)
