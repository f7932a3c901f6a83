"""A conversation script: its channel, demo account, the debtor's turns with their checks, the end state."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CHANNELS = ("rest", "sms")
SPLITS = (
    "dev",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
    "heldout10",
    "heldout11",
    "heldout12",
    "heldout13",
    "heldout14",
    "heldout15",
    "heldout16",
    "heldout17",
    "heldout18",
    "heldout19",
    "heldout20",
    "heldout21",
    "heldout22",
    "heldout23",
    "heldout24",
    "heldout25",
    "heldout26",
    "heldout27",
    "heldout28",
    "heldout29",
    "heldout30",
    "heldout31",
    "heldout32",
    "heldout33",
)
"""`heldout33` (1093-1124) is the latest set written blind (from the bot's responses and demo facts only);
`heldout` to `heldout32` were each run once blind and then developed on: the next blind set starts at 1125."""
DEMO_ACCOUNTS = {
    "ACME-1001": {"phone": "+12025550143", "words": ("Northwind", "1,320.40")},
    "ACME-1002": {"phone": "+13125550188", "words": ("Contoso", "665.00")},
    "ACME-1003": {"phone": "+14155550199", "words": ("Fabrikam", "323.00")},
}


@dataclass(frozen=True)
class Turn:
    """One debtor message and what the bot's replies to it must and must not contain."""

    user: str
    expect: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    """One scripted conversation."""

    name: str
    split: str
    title: str
    channel: str
    account: str
    phone: str
    turns: tuple[Turn, ...]
    end: dict[str, Any] = field(default_factory=dict)
    reminder: str | None = None
    """A campaign reminder (its response name) put on the tracker before the first turn, as campaigns do."""
    opening_without_verification: str | None = None
    """Why the first reply must not ask for identity (an attorney, a wrong number, a plain opt-out, a
    request for a person, a reported bankruptcy); such openings are left out of the first-reply figure."""


def matches(pattern: str, text: str) -> bool:
    """A case-insensitive substring, or a regex when the pattern starts with `re:`."""
    if pattern.startswith("re:"):
        return re.search(pattern[3:], text, re.IGNORECASE | re.DOTALL) is not None
    return pattern.lower() in text.lower()


def _patterns(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    return (raw,) if isinstance(raw, str) else tuple(str(item) for item in raw)


def _turn(raw: Any) -> Turn:
    if isinstance(raw, str):
        return Turn(raw)
    fields = ("expect", "expect_any", "reject")
    return Turn(str(raw["user"]), *(_patterns(raw.get(name)) for name in fields))


def load(path: Path) -> Conversation:
    """The conversation in one YAML file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if raw["channel"] not in CHANNELS or raw["account"] not in DEMO_ACCOUNTS:
        raise ValueError(f"{path}: channel must be one of {CHANNELS}, account a demo account")
    phone = str(raw.get("phone") or DEMO_ACCOUNTS[raw["account"]]["phone"])
    turns = tuple(_turn(turn) for turn in raw["turns"])
    title = str(raw.get("title", path.stem))
    end = dict(raw.get("end") or {})
    reminder, exempt = raw.get("reminder"), raw.get("opening_without_verification")
    return Conversation(
        path.stem,
        path.parent.name,
        title,
        raw["channel"],
        raw["account"],
        phone,
        turns,
        end,
        reminder,
        exempt,
    )


def split(name: str, root: Path = HERE) -> list[Conversation]:
    """Every conversation of a split (one of `SPLITS`), in file order."""
    return [load(path) for path in sorted((root / name).glob("*.yml"))]


def debt_words(account: str) -> tuple[str, ...]:
    """What must never appear before verification: the conftest's DEBT_WORDS idea, for this account."""
    return ("$", "principal", "Total due", *DEMO_ACCOUNTS[account]["words"])
