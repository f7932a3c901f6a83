"""Segment rules: each rule, as SQL, picks exactly the accounts it describes (SQLite and PostgreSQL)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from api.campaigns import segments
from api.campaigns.schemas import Segment
from api.collections.models import PaymentLink, PaymentPlan, Promise
from api.conversations.models import Contact
from tests.api.campaigns.helpers import NOON_NEW_YORK, TODAY, add_account, days
from tests.api.row_factories import active_plan


def _ids(session: Session, **rules: Any) -> set[str]:
    return {row.id for row in session.execute(segments.query(Segment(**rules), TODAY))}


def test_due_in_days_takes_due_dates_from_today_to_n_days_ahead(session: Session) -> None:
    today, soon = add_account(session, due_date=TODAY), add_account(session, due_date=days(5))
    add_account(session, due_date=days(6))
    add_account(session, due_date=days(-1))

    assert _ids(session, due_in_days=5) == {today.id, soon.id}


def test_past_due_bands(session: Session) -> None:
    early = add_account(session, days_past_due=1)
    thirty = add_account(session, days_past_due=30)
    late = add_account(session, days_past_due=31)
    ninety = add_account(session, days_past_due=90)
    add_account(session, days_past_due=0)
    add_account(session, days_past_due=91)

    assert _ids(session, past_due="1-30") == {early.id, thirty.id}
    assert _ids(session, past_due="31-90") == {late.id, ninety.id}


def _plan(session: Session, account_id: str, start: str) -> PaymentPlan:
    created = NOON_NEW_YORK - timedelta(days=20)
    plan = active_plan(account_id, created, idempotency_key=f"k-{account_id}", terms={"start_date": start})
    session.add(plan)
    return plan


def test_instalment_missed_is_a_started_plan_without_a_payment_since(session: Session) -> None:
    missed, paid, not_yet = add_account(session), add_account(session), add_account(session)
    add_account(session)
    _plan(session, missed.id, days(-3).isoformat())
    _plan(session, paid.id, days(-3).isoformat())
    _plan(session, not_yet.id, days(2).isoformat())
    session.add(
        PaymentLink(account_id=paid.id, expires_at=NOON_NEW_YORK, used_at=NOON_NEW_YORK - timedelta(days=2))
    )
    session.commit()

    assert _ids(session, instalment_missed=True) == {missed.id}


def test_promise_broken_is_a_passed_date_without_a_payment_since_the_promise(session: Session) -> None:
    broken, kept, future = add_account(session), add_account(session), add_account(session)
    made = NOON_NEW_YORK - timedelta(days=10)
    session.add_all(
        [
            Promise(account_id=broken.id, promised_on=days(-2), created_at=made),
            Promise(account_id=kept.id, promised_on=days(-2), created_at=made),
            Promise(account_id=future.id, promised_on=days(3), created_at=made),
            PaymentLink(account_id=kept.id, expires_at=NOON_NEW_YORK, used_at=made + timedelta(days=7)),
        ]
    )
    session.commit()

    assert _ids(session, promise_broken=True) == {broken.id}


def test_balance_band_is_on_the_total(session: Session) -> None:
    small = add_account(session, principal=Decimal("90.00"), fees=Decimal("10.00"))
    add_account(session, principal=Decimal("99.99"))
    add_account(session, principal=Decimal("1000.01"))

    assert _ids(session, balance_min=Decimal(100), balance_max=Decimal(1000)) == {small.id}


def test_creditor(session: Session) -> None:
    contoso = add_account(session, creditor="Contoso Health")
    add_account(session, creditor="Northwind Bank")

    assert _ids(session, creditors=["Contoso Health"]) == {contoso.id}


def test_channel_consent_leaves_out_numbers_that_opted_out(session: Session) -> None:
    consenting, stopped = add_account(session), add_account(session)
    contact = Contact(
        channel="sms", address=stopped.debtor.phone, conversation_id="c-stopped", opted_out=True
    )
    session.add(contact)
    session.commit()

    assert _ids(session) == {consenting.id}
    assert _ids(session, consent_channel=None) == {consenting.id, stopped.id}


def test_rules_combine(session: Session) -> None:
    wanted = add_account(session, due_date=days(2), creditor="Contoso Health")
    add_account(session, due_date=days(2))
    add_account(session, due_date=days(20), creditor="Contoso Health")

    assert _ids(session, due_in_days=3, creditors=["Contoso Health"]) == {wanted.id}


def test_erased_debtors_are_never_in_a_segment(session: Session) -> None:
    erased = add_account(session)
    erased.debtor.erased_at = NOON_NEW_YORK
    session.commit()

    assert _ids(session) == set()
