"""PII redaction for the API: the shared implementation in `pii.redaction` (the channels use it too)."""

from pii.redaction import CARD_PLACEHOLDER, SSN_PLACEHOLDER, contains_pii, redact

__all__ = ["CARD_PLACEHOLDER", "SSN_PLACEHOLDER", "contains_pii", "redact"]
