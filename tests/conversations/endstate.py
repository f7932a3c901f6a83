"""The expected end of a conversation, checked against what the API holds (a service token's reads).

`end:` keys: verified, locked (bool); events, no_events (event types on the account's record); plans,
promises, payment_claims, disputes, payment_links (at least that many rows, 0 for none); flags (flag
names); handoff (true / false, or the reason it must have); opted_out, contact_preferences (bool).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.conversations.channels import Channel, service_headers
from tests.integration.running import Stack

Export = dict[str, Any]
ROWS = {
    "plans": "payment_plans",
    "promises": "promises",
    "payment_claims": "payment_claims",
    "disputes": "disputes",
    "payment_links": "payment_links",
}


def export(stack: Stack, reference: str) -> Export:
    """The subject-access export of the debtor of a demo account (everything the API holds)."""
    headers = service_headers(stack)
    lookup = httpx.post(
        f"{stack.api_url}/api/v1/accounts/lookup", json={"reference": reference}, headers=headers, timeout=30
    )
    lookup.raise_for_status()
    account_id = lookup.json()["account_id"]
    url = f"{stack.api_url}/api/v1/accounts/{account_id}/subject-access"
    answer = httpx.get(url, headers=headers, timeout=60)
    answer.raise_for_status()
    data = dict(answer.json())
    data["account"] = next(a for a in data["accounts"] if a["id"] == account_id)
    return data


def open_handoff(stack: Stack, channel: Channel) -> dict[str, Any]:
    """The conversation's open handoff, if any (`active`, `reason`): a person is (to be) in charge of it now;
    a debtor never verified has it on no account's record."""
    url = f"{stack.api_url}/api/v1/conversations/{channel.conversation_id}/handoff"
    answer = httpx.get(url, headers=service_headers(stack), timeout=30)
    answer.raise_for_status()
    return dict(answer.json())


def event_types(data: Export) -> set[str]:
    """The types of the events on the account's record."""
    return {event["type"] for event in data["account"]["audit"]["events"]}


def _events(data: Export, wanted: Any) -> list[str]:
    return [f"no {kind} event" for kind in wanted if kind not in event_types(data)]


def _no_events(data: Export, unwanted: Any) -> list[str]:
    return [f"unexpected {kind} event" for kind in unwanted if kind in event_types(data)]


def _flag(data: Export, wanted: Any) -> list[str]:
    flags = {row["flag"] for row in data["account"]["account_flags"]}
    return [f"no {flag} flag (flags: {sorted(flags)})" for flag in wanted if flag not in flags]


def _has(data: Export, event: str, wanted: Any, what: str) -> list[str]:
    return [] if (event in event_types(data)) == bool(wanted) else [f"{what} should be {bool(wanted)}"]


def _opted_out(data: Export, wanted: Any) -> list[str]:
    actual = any(contact["opted_out"] for contact in data["contacts"]) or "contact.opted_out" in event_types(
        data
    )
    return [] if actual == bool(wanted) else [f"opted out should be {bool(wanted)}"]


def _preferences(data: Export, wanted: Any) -> list[str]:
    actual = bool(data["contact_preferences"])
    return [] if actual == bool(wanted) else [f"contact preferences stored should be {bool(wanted)}"]


def _rows(data: Export, key: str, wanted: Any) -> list[str]:
    count = len(data["account"][ROWS[key]])
    enough = count == 0 if wanted == 0 else count >= int(wanted)
    return [] if enough else [f"{key}: {count}, expected {'none' if wanted == 0 else f'>= {wanted}'}"]


def _handoff(data: Export, wanted: Any, state: dict[str, Any]) -> list[str]:
    reasons = {row["reason"] for row in data["handoffs"]} | (
        {state["reason"]} if state.get("reason") else set()
    )
    if isinstance(wanted, str):
        return [] if wanted in reasons else [f"no {wanted} handoff (handoffs: {sorted(reasons)})"]
    actual = bool(state.get("active")) or bool(reasons)
    return [] if actual == bool(wanted) else [f"handoff should be {bool(wanted)}"]


CHECKS: dict[str, Callable[[Export, Any], list[str]]] = {
    "verified": lambda data, wanted: _has(data, "verification.succeeded", wanted, "verified"),
    "locked": lambda data, wanted: _has(data, "verification.locked", wanted, "locked"),
    "events": _events,
    "no_events": _no_events,
    "flags": _flag,
    "opted_out": _opted_out,
    "contact_preferences": _preferences,
}


def check(stack: Stack, reference: str, channel: Channel, end: dict[str, Any]) -> list[str]:
    """Every way the state the conversation left differs from its expected end (empty: reached)."""
    data = export(stack, reference)
    problems: list[str] = []
    for key, wanted in end.items():
        if key == "handoff":
            problems += _handoff(data, wanted, open_handoff(stack, channel))
        elif key in ROWS:
            problems += _rows(data, key, wanted)
        else:
            problems += CHECKS[key](data, wanted)
    return problems
