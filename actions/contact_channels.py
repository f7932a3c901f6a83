"""The medium a debtor asks for or refuses ("email me instead", "text only please", "don't email me, just
text"), read as the refused media and preferred medium the accounts API stores (Reg F 1006.14(h)).

Only a request counts: "email me", "by email", "use my email", "email only", "no texts", "stop texting me",
"instead of texting". A mention that asks for nothing ("i got your email", "what was that text about") is
no preference, and neither is the medium of a statement about days or hours ("don't text me on weekends",
"only text me after 6pm": contact_times reads those). We have no voice channel: "call me instead" is
noted as `voice`, so the reply can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.contact_times import parse_contact_times

SMS, EMAIL, VOICE = "sms", "email", "voice"
WRITTEN = (SMS, EMAIL)
"""The media we write through, the ones a debtor can refuse or prefer."""

_MEDIA = {
    EMAIL: r"e[\s-]?mail\w*|emial\w*|emal+s?|eamil\w*|emai|gmail|inbox|mail(?= me\b)",
    SMS: r"texts?|texting|texted|txts?|txting|tex|sms|sms'?s|phone(?!\s+(?:call|me)\b)|cell|mobile",
    VOICE: r"call|calls|calling|ring|phone(?= me\b)|phone call",
}
_MENTION = re.compile("|".join(rf"\b(?P<{name}>{pattern})\b" for name, pattern in _MEDIA.items()))
_FILLER_WORDS = (
    "me|my|to|by|via|on|through|send|sending|use|using|contact|contacting|with|any|more|the|a|an|your|at"
    r"|over|want|wanna|like|messages?|it|them"
)
_FILLER = rf"(?:\s+(?:{_FILLER_WORDS}))*"
_NEGATION = r"\b(?:don'?t|do not|dont|stop|no|not|never|quit|without)|instead of|rather than"
_REFUSAL = re.compile(rf"(?:{_NEGATION}){_FILLER}\s*$")
_ASKING_WORDS = "by|via|through|over|use|using|prefer|only|just|rather|to my|on my|at my|use my"
_ASKING_BEFORE = re.compile(rf"(?:\b(?:{_ASKING_WORDS})(?:\s+(?:my|an?|the))?)\s*$")
_ASKING_AFTER = re.compile(
    r"^\s*(?:me\b|only\b|instead\b|pls\b|please\b|plz\b"
    r"|(?:is|are|'s|s)\s+(?:(?:way|much|so|far|just|a lot)\s+)?(?:fine|ok|okay|better|best|good|easier))"
)
_OWN_MEANS = re.compile(
    r"\b(?:i'?ll|i will|i can|i could|i'?m going to|im going to|i'?d rather)\s+(?:\w+\s+)?"
    r"(?:reach out|contact|call|ring|get in touch|get back|write)\b"
)
"""How the debtor will reach us ("I'll reach out by phone when I'm ready"): no medium asked of us."""
_COMPARED = re.compile(r"\b(?:prefer\w*|rather|better|more)\b.*\b(?:over|than|to)\s*$")
"""'i prefer text over email': the medium after the comparison is the one not preferred."""
_OVER = re.compile(r"\bover\s*$")
"""'email over text please': after a medium, "over" compares (before one, "over text" asks for it)."""
_EXCLUSIVE = re.compile(r"\b(?:instead|only|just|rather|not)\b")
"""Words that make the medium asked for the only one: "email me instead" refuses texts."""


@dataclass(frozen=True)
class ChannelPreference:
    """What a message says about media: those refused, the one asked for, and whether it asked for calls."""

    refused: tuple[str, ...] = ()
    preferred: str | None = None
    voice: bool = False

    def __bool__(self) -> bool:
        return bool(self.refused or self.preferred or self.voice)

    @property
    def storable(self) -> bool:
        """Whether there is anything to store (calls are not: we make none)."""
        return bool(self.refused or self.preferred)


def normalise(text: str) -> str:
    """Lower case, one kind of apostrophe, single spaces."""
    return " " + re.sub(r"\s+", " ", text.lower().replace("\u2019", "'")) + " "


def clauses(text: str) -> list[str]:
    """The message split where a statement ends ("don't email me, just text" is two)."""
    return [part for part in re.split(r"[.;!?,]|\bbut\b|\band\b", text) if part.strip()]


def _medium(match: re.Match[str]) -> str:
    """The medium a mention names."""
    return next(name for name in _MEDIA if match.group(name))


def mentions(clause: str) -> list[tuple[str, bool | None]]:
    """(medium, asked for: True, refused: False, neither: None) for each medium the clause names."""
    found: list[tuple[str, bool | None]] = []
    for match in _MENTION.finditer(clause):
        before, after = clause[: match.start()], clause[match.end() :]
        if _REFUSAL.search(before):
            found.append((_medium(match), False))
        elif _COMPARED.search(before) or (found and _OVER.search(before)):
            found.append((_medium(match), None))
        elif _ASKING_BEFORE.search(before) or _ASKING_AFTER.search(after):
            found.append((_medium(match), True))
        else:
            found.append((_medium(match), None))
    return found


def _other(medium: str) -> str:
    """The other written medium."""
    return EMAIL if medium == SMS else SMS


def _aside(clause: str) -> bool:
    """A clause that says when (a contact time), or how the debtor will reach us: no medium for us."""
    return bool(parse_contact_times(clause)) or bool(_OWN_MEANS.search(clause))


def parse_channel(text: str) -> ChannelPreference:
    """The media a message refuses and the one it asks for; "email me instead" also refuses texts."""
    kept = " , ".join(clause for clause in clauses(normalise(text)) if not _aside(clause))
    said = [mention for clause in clauses(kept) for mention in mentions(clause)]
    asked = [medium for medium, wanted in said if wanted and medium in WRITTEN]
    refused = {medium for medium, wanted in said if wanted is False and medium in WRITTEN}
    voice = any(medium == VOICE and wanted for medium, wanted in said)
    preferred = asked[-1] if asked and asked[-1] not in refused else None
    if preferred and not refused and not voice and _EXCLUSIVE.search(kept):
        refused = {_other(preferred)}
    return ChannelPreference(tuple(sorted(refused - {preferred})), preferred, voice)


_NAMES = {SMS: "text messages", EMAIL: "email"}
NO_CALLS = (
    "we don't make phone calls (we only write, by text message or email), "
    "but you can call us on 1-800-555-0100"
)


def channel_words(refused: list[str], preferred: str | None) -> str:
    """What is stored, in words: "email rather than text messages", "no text messages", "email"."""
    others = [_NAMES[medium] for medium in refused if medium in _NAMES]
    if preferred in _NAMES and others:
        return f"{_NAMES[preferred]} rather than {' or '.join(others)}"
    if preferred in _NAMES:
        return f"{_NAMES[preferred]} when we write to you"
    return f"no {' or '.join(others)}" if others else ""
