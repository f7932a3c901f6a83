"""The demo accounts `python -m api.seed` inserts (the README's conversations use them).

Plain data, so both environments' tests can build on it: `NORTHWIND_TERMS`, the terms of ACME-1001, are
also the terms of every account the tests create, and of the balance the action tests' fake API answers.
"""

from typing import Any

NORTHWIND_TERMS: dict[str, Any] = {
    "creditor": "Northwind Bank",
    "original_creditor": "Northwind Bank Visa",
    "principal": "1200.00",
    "interest": "85.40",
    "fees": "35.00",
    "currency": "USD",
    "due_date": "2026-12-15",
    "itemization_date": "2026-09-30",
    "days_past_due": 45,
    "time_barred": False,
}
"""ACME-1001's terms: creditor, amounts, due date and age (without the reference and the debtor)."""

DEMO_ACCOUNTS: tuple[dict[str, Any], ...] = (
    {
        "reference": "ACME-1001",
        **NORTHWIND_TERMS,
        "debtor": {
            "first_name": "Jordan",
            "last_name": "Rivera",
            "phone": "+12025550143",
            "email": "jordan@example.com",
            "timezone": "America/New_York",
            "dob": "1985-03-14",
            "zip_code": "20001",
            "ssn_last4": "4321",
        },
    },
    {
        "reference": "ACME-1002",
        "creditor": "Contoso Health",
        "original_creditor": "Contoso Medical Group",
        "principal": "640.00",
        "interest": "0.00",
        "fees": "25.00",
        "currency": "USD",
        "due_date": "2026-12-01",
        "itemization_date": "2026-08-01",
        "days_past_due": 120,
        "time_barred": False,
        "debtor": {
            "first_name": "Sam",
            "last_name": "Chen",
            "phone": "+13125550188",
            "email": "sam@example.com",
            "timezone": "America/Chicago",
            "dob": "1990-07-02",
            "zip_code": "60601",
            "ssn_last4": "8765",
        },
    },
    {
        "reference": "ACME-1003",
        "creditor": "Fabrikam Telecom",
        "original_creditor": "Fabrikam Wireless",
        "principal": "310.25",
        "interest": "12.75",
        "fees": "0.00",
        "currency": "USD",
        "due_date": "2026-11-30",
        "itemization_date": "2020-05-31",
        "days_past_due": 2400,
        "time_barred": True,
        "debtor": {
            "first_name": "Alex",
            "last_name": "Morgan",
            "phone": "+14155550199",
            "email": "alex@example.com",
            "timezone": "America/Los_Angeles",
            "dob": "1978-11-30",
            "zip_code": "94110",
            "ssn_last4": "1357",
        },
    },
)
