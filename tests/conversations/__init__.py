"""Whole debtor conversations (issue 11): YAML scripts under dev/ and heldout*/, run against the stack."""
