"""Bench accounts, created through the API of the bench's own stack (its own temporary database).

The seed's three demo accounts would lock out or collide under 32 concurrent conversations; each bench
conversation gets one of these instead. Their figures are ACME-1001's (Northwind Bank, $1,320.40).
"""

from __future__ import annotations

from typing import Any

import httpx

from scripts.loadbench.dialogues import Debtor

FIRST_LINE = 2000
"""Phones +1617555NNNN from here on: valid numbers, none of the seed's."""


def debtor(index: int) -> Debtor:
    """The identity of bench account `index` (0-based)."""
    return Debtor(f"BENCH-{index:04d}", f"+1617555{FIRST_LINE + index:04d}", "03/14/1985", "20001")


def account_body(person: Debtor) -> dict[str, Any]:
    """POST /api/v1/accounts body for one bench account."""
    return {
        "reference": person.reference,
        "creditor": "Northwind Bank",
        "original_creditor": "Northwind Bank Visa",
        "principal": "1200.00",
        "interest": "85.40",
        "fees": "35.00",
        "due_date": "2026-12-15",
        "days_past_due": 45,
        "debtor": {
            "first_name": "Bench",
            "last_name": f"Debtor{person.reference[-4:]}",
            "phone": person.phone,
            "timezone": "America/New_York",
            "dob": "1985-03-14",
            "zip_code": person.zip_code,
            "ssn_last4": "4321",
        },
    }


async def create(api_url: str, api_token: str, count: int) -> list[Debtor]:
    """Create `count` bench accounts (a 409 means it exists already) and return their debtors."""
    people = [debtor(index) for index in range(count)]
    headers = {"Authorization": f"Bearer {api_token}"}
    async with httpx.AsyncClient(base_url=api_url, headers=headers, timeout=60) as http:
        for person in people:
            answer = await http.post("/api/v1/accounts", json=account_body(person))
            if answer.status_code not in (201, 409):
                answer.raise_for_status()
    return people
