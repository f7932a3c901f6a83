"""Who may run campaigns: operations (supervisors), marketing and admins, signed in to the console."""

from typing import Annotated

from fastapi import Depends

from api.staff.dependencies import staff_with
from api.staff.models import StaffUser
from api.staff.service import Role

CAMPAIGN_ROLES = frozenset({Role.SUPERVISOR, Role.MARKETING, Role.ADMIN})
"""Roles that define, run and read campaigns; agents work conversations, not campaigns."""

CampaignStaff = Annotated[StaffUser, Depends(staff_with(CAMPAIGN_ROLES))]
