"""What the accounts API's views of an account show, for the tests that check nothing more goes out."""

FIGURE_KEYS = {
    "reference",
    "creditor",
    "original_creditor",
    "principal",
    "interest",
    "fees",
    "total",
    "currency",
    "due_date",
    "days_past_due",
    "time_barred",
}
"""The debt's figures, in every view of an account (api.accounts.schemas.AccountFigures)."""
ACCOUNT_OUT_KEYS = {"id", "debtor_id"} | FIGURE_KEYS
BALANCE_KEYS = {"account_id"} | FIGURE_KEYS
