"""Errors of campaigns (api.core.exceptions.ApiError is the base).

ApiError
└── CampaignError
    ├── CampaignNotFoundError     no campaign with this id -> 404
    └── CampaignStateError        pause / resume / stop does not fit the campaign's status -> 409
"""

from api.core.exceptions import ApiError


class CampaignError(ApiError):
    """Base of the campaign errors."""


class CampaignNotFoundError(CampaignError):
    """No campaign has this id."""


class CampaignStateError(CampaignError):
    """The change does not fit the campaign's status (a stopped campaign never runs again)."""
