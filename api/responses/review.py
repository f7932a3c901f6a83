"""The compliance review a version passes before it is published.

Every text the bot may send (each variation's text, its buttons' titles, a custom payload's text) passes
api.compliance's language lint as for a time-barred account, since any variation may go to any account
(Reg F 1006.14(d), 1006.18, 1006.26(b)); a disclosure the live version carries (the Mini-Miranda, the
time-barred disclosure) must stay in every variation, unless the response's companion carries it; a
response that reaches accounts whose collection stopped never carries the mini-Miranda; a placeholder must
be one Rasa can fill.
"""

import re
import string
from collections.abc import Iterator
from typing import Any, Final

from api.compliance import client_rules, language_lint
from api.responses.rendering import PLACEHOLDER, Variation
from shared.purposes import NO_COLLECTION_CONTENT, RESPONSE_PURPOSES

DISCLOSURES: Final[dict[str, re.Pattern[str]]] = {
    "mini_miranda": re.compile(
        rf"{client_rules.MINI_MIRANDA_PATTERN.pattern}|\battempt\s+to\s+collect\s+a\s+debt\b", re.IGNORECASE
    ),
    "time_barred_disclosure": re.compile(
        r"\s+".join(map(re.escape, language_lint.TIME_BARRED_DISCLOSURES[0].split())), re.IGNORECASE
    ),
}
"""Required wording a response keeps once it carries it (Reg F 1006.18(e); 1006.26(c))."""

COMPANIONS: Final[dict[str, str]] = {"utter_introduction": "utter_debt_collector_notice"}
"""A response the bot says only with another right after it, in the same message (actions/session.py):
a disclosure the companion's live version carries may leave the first. The introduction carried the
mini-Miranda until the notice did; a deployment whose staff had edited it keeps that edit after a
release, so the notice is said twice until they take it out of the introduction."""


def texts(variation: Variation) -> Iterator[str]:
    """Every text of a variation a debtor may read: text, buttons' titles, a custom payload's text."""
    if isinstance(variation.get("text"), str):
        yield variation["text"]
    for button in variation.get("buttons") or []:
        if isinstance(button, dict):
            yield str(button.get("title", ""))
    custom = variation.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("text"), str):
        yield custom["text"]


def _whole(variation: Variation) -> str:
    """All of a variation's texts as one."""
    return "\n".join(texts(variation))


def disclosures(variations: list[Variation]) -> set[str]:
    """The disclosures at least one variation carries."""
    whole = [_whole(variation) for variation in variations]
    return {name for name, pattern in DISCLOSURES.items() if any(pattern.search(text) for text in whole)}


def _placeholder_problem(text: str) -> str | None:
    """Why Rasa could not fill this text's placeholders (a lone brace), or None."""
    try:
        list(string.Formatter().parse(PLACEHOLDER.sub(r"{0[\1]}", text)))
    except ValueError as error:
        return f"broken placeholder ({error}); write {{name}}, or {{{{ and }}}} for a literal brace"
    return None


def _variation_problems(index: int, variation: Variation) -> Iterator[str]:
    """The lint's categories and placeholder errors of one variation."""
    for text in texts(variation):
        for category in language_lint.lint(text, time_barred=True):
            yield f"variation {index + 1}: forbidden phrasing ({category.replace('_', ' ')})"
        problem = _placeholder_problem(text)
        if problem:
            yield f"variation {index + 1}: {problem}"


def _missing_disclosures(variations: list[Variation], required: set[str]) -> Iterator[str]:
    """A required disclosure each variation lacks."""
    for index, variation in enumerate(variations):
        for name in sorted(required):
            if not DISCLOSURES[name].search(_whole(variation)):
                yield f"variation {index + 1}: must keep the {name.replace('_', ' ')}"


def _collection_notice(name: str, variations: list[Variation]) -> Iterator[str]:
    """The mini-Miranda in a response the gate lets through to accounts whose collection stopped (an
    attorney, a bankruptcy, a death, a cease request): said there, it would be an attempt to collect."""
    if RESPONSE_PURPOSES.get(name) != NO_COLLECTION_CONTENT:
        return
    for index, variation in enumerate(variations):
        if DISCLOSURES["mini_miranda"].search(_whole(variation)):
            yield f"variation {index + 1}: must not carry the mini miranda (utter_debt_collector_notice does)"


def review(
    variations: list[Variation],
    live: list[Variation] | None,
    name: str = "",
    carried_elsewhere: frozenset[str] = frozenset(),
) -> list[str]:
    """Every problem that blocks publishing `variations` over the `live` ones of response `name`; empty
    when clean. `carried_elsewhere`: the disclosures its companion (COMPANIONS) carries now."""
    problems = [p for index, v in enumerate(variations) for p in _variation_problems(index, v)]
    if not variations:
        problems.append("a response needs at least one variation")
    problems.extend(_missing_disclosures(variations, disclosures(live or []) - carried_elsewhere))
    problems.extend(_collection_notice(name, variations))
    return problems


SAMPLE_VALUES: Final[dict[str, Any]] = {
    "creditor": "Northwind Bank",
    "original_creditor": "Northwind Bank Visa",
    "collector_name": "Acme Recovery Services",
    "collector_phone": "1-800-555-0100",
    "collector_address": "PO Box 1000, Springfield, IL 62701",
    "total": "$1,320.40",
    "principal": "$1,200.00",
    "interest": "$85.40",
    "fees": "$35.00",
    "due_date": "Dec 15, 2026",
    "date": "Dec 15, 2026",
    "url": "https://pay.example.org/p/3f9a7c2e",
    "reference": "ACME-1234",
    "account_reference": "ACME-1234",
    "terms": "$110.00 a month for 12 months",
    "attempts_remaining": "2",
}
"""Made-up values for the preview's placeholders: no debtor's data ever reaches the editor."""
