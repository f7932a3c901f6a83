"""Accounts: create, read, look up, verify the debtor, disclose the balance, list and audit events."""

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, status

from api.accounts import audit, grants, links
from api.accounts import service as accounts
from api.accounts.dependencies import GRANT_RESPONSES, GrantAuth
from api.accounts.events import EventType
from api.accounts.exceptions import ConflictError
from api.accounts.models import Account
from api.accounts.schemas import (
    AccountCreate,
    AccountOut,
    AuditEventOut,
    AuditFindingOut,
    AuditOut,
    BalanceOut,
    ChatLinkIn,
    ChatLinkOut,
    ContactPreferencesIn,
    ContactPreferencesOut,
    DebtorAccountOut,
    EventOut,
    GrantExchangeIn,
    GrantOut,
    LookupOut,
    LookupRequest,
    TimeZoneIn,
    TimeZoneOut,
    VerifyOut,
    VerifyRequest,
)
from api.accounts.verification import attempt_verification
from api.core.dependencies import ServiceAuth, SessionDep, SettingsDep

router = APIRouter(prefix="/accounts", tags=["accounts"], dependencies=[ServiceAuth])

AccountId = Annotated[str, Path(max_length=36, description="The account's id (a UUID).")]


def _get_or_404(session: SessionDep, account_id: str) -> Account:
    """The account, or a 404 that says nothing more."""
    account = accounts.get_account(session, account_id)
    if account is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="account not found")
    return account


@router.post("", status_code=status.HTTP_201_CREATED, responses={409: {"description": "Reference taken"}})
def create_account(body: AccountCreate, session: SessionDep, settings: SettingsDep) -> AccountOut:
    """Create an account and, unless one with the same phone exists, its debtor."""
    try:
        account = accounts.create_account(session, body, settings.SECRET_KEY.get_secret_value())
    except ConflictError as error:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(error)) from None
    return AccountOut.model_validate(account)


@router.post("/lookup", responses={404: {"description": "No matching account"}})
def lookup_account(body: LookupRequest, session: SessionDep) -> LookupOut:
    """Find an account by phone (its debtor's newest) or by reference; a POST keeps phones out of URLs."""
    if body.phone is not None:
        account = accounts.get_latest_account_by_phone(session, body.phone)
    else:
        account = accounts.get_account_by_reference(session, str(body.reference))
    if account is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="account not found")
    return LookupOut(account_id=account.id)


@router.get("/{account_id}", responses={404: {"description": "Unknown account"}})
def read_account(account_id: AccountId, session: SessionDep) -> AccountOut:
    """An account without any identity fact."""
    return AccountOut.model_validate(_get_or_404(session, account_id))


@router.post(
    "/{account_id}/chat-link",
    status_code=status.HTTP_201_CREATED,
    responses={404: {"description": "Unknown account"}},
)
def issue_chat_link(
    account_id: AccountId,
    session: SessionDep,
    settings: SettingsDep,
    body: Annotated[ChatLinkIn | None, Body()] = None,
) -> ChatLinkOut:
    """The debtor's personal chat link: opens /chat bound to this account, still to be verified."""
    account = _get_or_404(session, account_id)
    link = links.issue(settings, account.id, body.ttl_seconds if body else None)
    expiry = {"expires_at": link.expires_at.isoformat()}
    accounts.record_event(session, account.id, EventType.CHAT_LINK_ISSUED, expiry)
    session.commit()
    return ChatLinkOut(url=link.url, expires_at=link.expires_at)


@router.get("/{account_id}/debtor-accounts", dependencies=[GrantAuth], responses=GRANT_RESPONSES)
def list_debtor_accounts(account_id: AccountId, session: SessionDep) -> list[DebtorAccountOut]:
    """The verified debtor's accounts (this one included), to ask which one they mean; no amounts."""
    account = _get_or_404(session, account_id)
    return [DebtorAccountOut.model_validate(other) for other in accounts.debtor_accounts(session, account)]


@router.post("/{account_id}/grants", dependencies=[GrantAuth], responses=GRANT_RESPONSES)
def exchange_grant(
    account_id: AccountId, body: GrantExchangeIn, session: SessionDep, settings: SettingsDep
) -> GrantOut:
    """A grant for another account of the same verified debtor (verification is of the person)."""
    account = _get_or_404(session, account_id)
    target = accounts.get_account(session, body.account_id)
    if target is None or target.debtor_id != account.debtor_id:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="account not found")
    secret, ttl = settings.SECRET_KEY.get_secret_value(), settings.GRANT_TTL_SECONDS
    grant, expires_at = grants.create_grant(secret, target.id, ttl)
    accounts.record_event(session, target.id, EventType.VERIFICATION_CARRIED_OVER, {"from": account.id})
    session.commit()
    return GrantOut(account_id=target.id, grant=grant, grant_expires_at=expires_at)


@router.put(
    "/{account_id}/timezone",
    dependencies=[GrantAuth],
    responses=GRANT_RESPONSES,
)
def move_debtor(account_id: AccountId, body: TimeZoneIn, session: SessionDep) -> TimeZoneOut:
    """The verified debtor's new time zone: contact hours follow it (with the phone's area code zone)."""
    account = _get_or_404(session, account_id)
    return TimeZoneOut(changed=accounts.move_debtor(session, account, body.timezone))


@router.put(
    "/{account_id}/contact-preferences",
    dependencies=[GrantAuth],
    responses=GRANT_RESPONSES,
)
def set_contact_preferences(
    account_id: AccountId, body: ContactPreferencesIn, session: SessionDep
) -> ContactPreferencesOut:
    """Days and hours the verified debtor says are inconvenient, media they refuse or prefer: bot-initiated
    contact avoids them."""
    account = _get_or_404(session, account_id)
    preference, changed = accounts.set_contact_preferences(session, account, body)
    return ContactPreferencesOut(
        inconvenient_weekdays=preference.inconvenient_weekdays,
        inconvenient_hours=preference.inconvenient_hours,
        refused_channels=preference.refused_channels,
        preferred_channel=preference.preferred_channel,
        changed=changed,
    )


@router.post("/{account_id}/verify", responses={404: {"description": "Unknown account"}})
def verify_debtor(
    account_id: AccountId, body: VerifyRequest, session: SessionDep, settings: SettingsDep
) -> VerifyOut:
    """Check the debtor's identity facts; success returns a short-lived grant for the balance."""
    account = _get_or_404(session, account_id)
    return attempt_verification(session, account, body, settings)


@router.get(
    "/{account_id}/balance",
    dependencies=[GrantAuth],
    responses={403: {"description": "Missing, invalid or expired grant"}, 404: {"description": "Unknown"}},
)
def read_balance(account_id: AccountId, session: SessionDep) -> BalanceOut:
    """The itemised balance, only for a conversation holding a verification grant for this account."""
    account = _get_or_404(session, account_id)
    balance = BalanceOut.from_account(account)
    disclosed = {"total": f"{balance.total:.2f}", "currency": balance.currency}
    accounts.record_event(session, account.id, EventType.BALANCE_DISCLOSED, disclosed)
    session.commit()
    return balance


@router.get("/{account_id}/events", responses={404: {"description": "Unknown account"}})
def list_events(account_id: AccountId, session: SessionDep) -> list[EventOut]:
    """The account's event record, oldest first."""
    account = _get_or_404(session, account_id)
    return [EventOut.model_validate(event) for event in accounts.list_events(session, account.id)]


@router.get("/{account_id}/audit", responses={404: {"description": "Unknown account"}})
def export_audit(account_id: AccountId, session: SessionDep) -> AuditOut:
    """The account's tamper-evident event chain, verified now: any edit, gap or deletion is a finding."""
    account = _get_or_404(session, account_id)
    verification = audit.verify(session, account)
    return AuditOut(
        account_id=account.id,
        verified=verification.verified,
        length=verification.length,
        head=verification.head,
        findings=[AuditFindingOut(seq=f.seq, problem=f.problem) for f in verification.findings],
        events=[AuditEventOut.model_validate(event) for event in audit.chain(session, account.id)],
    )
