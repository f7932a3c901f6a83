"""Errors of the compliance gate (api.core.exceptions.ApiError is the base)."""

from api.core.exceptions import ApiError


class ComplianceBlockedError(ApiError):
    """The gate refused a message an agent wrote; it was recorded, not sent -> 422."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons
