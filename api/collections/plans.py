"""Payment plans the debtor accepted: created once per idempotency key, the newest one active."""

import logging
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.accounts.events import EventType
from api.accounts.models import Account
from api.accounts.service import record_event
from api.collections.models import PaymentPlan
from api.collections.service import RecordStatus

logger = logging.getLogger(__name__)


def find_plan(session: Session, account_id: str, idempotency_key: str) -> PaymentPlan | None:
    """The plan an earlier request with this key created for this account."""
    query = select(PaymentPlan).where(
        PaymentPlan.account_id == account_id, PaymentPlan.idempotency_key == idempotency_key
    )
    return session.scalars(query).one_or_none()


def list_plans(session: Session, account_id: str) -> list[PaymentPlan]:
    """The account's plans, oldest first."""
    query = (
        select(PaymentPlan)
        .where(PaymentPlan.account_id == account_id)
        .order_by(PaymentPlan.created_at, PaymentPlan.id)
    )
    return list(session.scalars(query))


def _supersede_active(session: Session, account_id: str, by: PaymentPlan, now: datetime) -> None:
    """A newly accepted plan replaces the one the debtor had."""
    query = select(PaymentPlan).where(
        PaymentPlan.account_id == account_id,
        PaymentPlan.status == RecordStatus.ACTIVE,
        PaymentPlan.id != by.id,
    )
    for plan in session.scalars(query):
        plan.status, plan.superseded_at = RecordStatus.SUPERSEDED, now
        record_event(session, account_id, EventType.PLAN_SUPERSEDED, {"plan_id": plan.id, "by": by.id})


def _event_data(plan: PaymentPlan, terms: dict[str, Any]) -> dict[str, Any]:
    """What the event record keeps of a plan: its terms without the schedule."""
    keys = ("kind", "amount", "frequency", "instalments", "start_date", "total", "deadline", "hardship")
    return {"plan_id": plan.id, **{key: terms.get(key) for key in keys}}


def create_plan(
    session: Session, account: Account, terms: dict[str, Any], idempotency_key: str, now: datetime
) -> tuple[PaymentPlan, bool]:
    """Store accepted terms (JSON form) under the key and commit; returns the plan and whether it is new.

    A concurrent request with the same key that committed first wins: its plan is returned instead.
    """
    plan = PaymentPlan(
        account_id=account.id,
        idempotency_key=idempotency_key,
        status=RecordStatus.ACTIVE,
        kind=terms["kind"],
        amount=Decimal(terms["amount"]),
        total=Decimal(terms["total"]),
        terms=terms,
    )
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        existing = find_plan(session, account.id, idempotency_key)
        if existing is None:
            raise
        return existing, False
    _supersede_active(session, account.id, plan, now)
    record_event(session, account.id, EventType.PLAN_CREATED, _event_data(plan, terms))
    session.commit()
    logger.info("plan created", extra={"account_id": account.id, "plan_id": plan.id})
    return plan, True
