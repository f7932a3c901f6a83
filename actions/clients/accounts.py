"""HTTP client for the accounts API: the only way actions read or change account data."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import httpx

from actions.config import ActionSettings, get_settings
from actions.exceptions import AccountsApiError, AccountsApiUnavailable, GrantRejected, OfferRejected

if TYPE_CHECKING:
    from collections.abc import Mapping

logger = logging.getLogger(__name__)

# Used to resolve "friday" when the account has no time zone on file (most debtors are in the US East).
DEFAULT_TIMEZONE = "America/New_York"


@dataclass(frozen=True)
class VerificationResult:
    """What the API decided about one set of identity facts."""

    verified: bool
    attempts_remaining: int
    locked: bool
    grant: str | None


@dataclass(frozen=True)
class Balance:
    """An itemized balance, disclosed only to a verified debtor."""

    reference: str
    creditor: str
    original_creditor: str
    principal: Decimal
    interest: Decimal
    fees: Decimal
    total: Decimal
    currency: str
    due_date: date
    days_past_due: int
    time_barred: bool

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Balance:
        """Parse the API's JSON, where amounts are decimal strings."""
        return cls(
            reference=body["reference"],
            creditor=body["creditor"],
            original_creditor=body.get("original_creditor") or body["creditor"],
            principal=Decimal(body["principal"]),
            interest=Decimal(body["interest"]),
            fees=Decimal(body["fees"]),
            total=Decimal(body["total"]),
            currency=body.get("currency", "USD"),
            due_date=date.fromisoformat(body["due_date"]),
            days_past_due=int(body.get("days_past_due", 0)),
            time_barred=bool(body.get("time_barred", False)),
        )


@dataclass(frozen=True)
class AccountStatus:
    """What may be said to this account now, without any amounts."""

    collection_allowed: bool
    disputed: bool
    flags: tuple[str, ...]
    timezone: str
    validation_sent: bool = False
    """Since the latest open dispute, when there is one (the balance is withheld until then)."""

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> AccountStatus:
        """Parse the status endpoint's JSON."""
        return cls(
            collection_allowed=bool(body.get("collection_allowed", True)),
            disputed=bool(body.get("disputed", False)),
            flags=tuple(body.get("flags", ())),
            timezone=body.get("timezone") or DEFAULT_TIMEZONE,
            validation_sent=bool(body.get("validation_sent", False)),
        )


@dataclass
class _Shared:
    """The kept-alive HTTP client of one event loop and the settings it was made for."""

    loop: asyncio.AbstractEventLoop
    settings: ActionSettings
    client: httpx.AsyncClient


_shared: list[_Shared] = []
"""At most one: the action server runs one event loop (tests start a new loop per test)."""


def shared_client(settings: ActionSettings) -> httpx.AsyncClient:
    """One pooled client per event loop and settings: a new httpx client per call builds a TLS context
    (certifi's bundle loaded, ~5 ms of CPU) and a new connection, which was ~70 % of the action server's
    busy time under load (issue 15)."""
    loop = asyncio.get_running_loop()
    if _shared and _shared[0].loop is loop and _shared[0].settings == settings:
        return _shared[0].client
    client = httpx.AsyncClient(base_url=settings.accounts_api_url, timeout=settings.timeout_seconds)
    _shared[:] = [_Shared(loop, settings, client)]
    return client


class AccountsClient:
    """Thin async wrapper over the accounts API with timeouts and one error vocabulary."""

    def __init__(self, settings: ActionSettings | None = None) -> None:
        self._settings = settings or get_settings()

    async def lookup(self, *, reference: str | None = None, phone: str | None = None) -> str | None:
        """Return the account id for a reference or phone number, or None if there is none."""
        body = {"reference": reference} if reference else {"phone": phone}
        response = await self._request("POST", "/api/v1/accounts/lookup", json=body)
        if response.status_code == httpx.codes.NOT_FOUND:
            return None
        return str(self._json(response)["account_id"])

    async def verify(
        self, account_id: str, *, dob: str, zip_code: str, conversation_id: str | None = None
    ) -> VerificationResult:
        """Check identity facts; the API counts attempts per debtor and per conversation, and locks."""
        body = {"dob": dob, "zip_code": zip_code}
        if conversation_id:
            body["conversation_id"] = conversation_id
        response = await self._request("POST", f"/api/v1/accounts/{account_id}/verify", json=body)
        body = self._json(response)
        return VerificationResult(
            verified=bool(body["verified"]),
            attempts_remaining=int(body.get("attempts_remaining", 0)),
            locked=bool(body.get("locked", False)),
            grant=body.get("grant"),
        )

    async def balance(self, account_id: str, grant: str) -> Balance:
        """Fetch the itemized balance; the grant proves this conversation verified the debtor."""
        return Balance.from_json(await self._granted("GET", f"/api/v1/accounts/{account_id}/balance", grant))

    async def status(self, account_id: str) -> AccountStatus:
        """Whether collection talk is allowed; reveals no amounts, so no grant is needed."""
        body = self._json(await self._request("GET", f"/api/v1/accounts/{account_id}/status"))
        return AccountStatus.from_json(body)

    async def evaluate_offer(self, account_id: str, grant: str, offer: Mapping[str, Any]) -> dict[str, Any]:
        """Ask the creditor's policy about a plan or settlement offer: accept, counter or refer."""
        return await self._granted(
            "POST", f"/api/v1/accounts/{account_id}/offers/evaluate", grant, json=offer
        )

    async def create_plan(
        self, account_id: str, grant: str, offer: Mapping[str, Any], idempotency_key: str
    ) -> dict[str, Any]:
        """Create the plan the debtor accepted; the same key never creates a second plan."""
        return await self._granted(
            "POST",
            f"/api/v1/accounts/{account_id}/plans",
            grant,
            json=offer,
            headers={"Idempotency-Key": idempotency_key},
            ok=(httpx.codes.OK, httpx.codes.CREATED),
        )

    async def record_promise(self, account_id: str, grant: str, promise: Mapping[str, Any]) -> httpx.Response:
        """Record a promise to pay; 422 carries the reason (too far out, in the past)."""
        return await self._request(
            "POST",
            f"/api/v1/accounts/{account_id}/promises",
            json=promise,
            headers={"X-Verification-Grant": grant},
        )

    async def record(self, account_id: str, what: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Record a payment claim, dispute or flag (service token only: the debtor may be unverified)."""
        response = await self._request("POST", f"/api/v1/accounts/{account_id}/{what}", json=body)
        return self._json(response, ok=(httpx.codes.OK, httpx.codes.CREATED))

    async def validation_notice(self, account_id: str, grant: str) -> dict[str, Any]:
        """The Reg F Model Form B-1 validation information for a verified debtor."""
        return await self._granted("GET", f"/api/v1/accounts/{account_id}/validation-notice", grant)

    async def payment_link(self, account_id: str, grant: str, amount: str | None = None) -> dict[str, Any]:
        """A signed, expiring link to the payment page, suggesting `amount` (None: the whole balance)."""
        return await self._granted(
            "POST",
            f"/api/v1/accounts/{account_id}/payment-links",
            grant,
            json={"amount": amount},
            ok=(httpx.codes.OK, httpx.codes.CREATED),
        )

    async def opt_out(self, conversation_id: str, channel: str, in_reply_to: str | None = None) -> None:
        """Record that this conversation's address must not be contacted on this channel again (its SMS
        confirmation answers the message `in_reply_to`)."""
        body = {"conversation_id": conversation_id, "channel": channel, "in_reply_to": in_reply_to}
        response = await self._request("POST", "/api/v1/contacts/opt-out", json=body)
        self._json(response, ok=(httpx.codes.OK, httpx.codes.CREATED, httpx.codes.ACCEPTED))

    async def wrong_number(self, conversation_id: str, in_reply_to: str | None = None) -> None:
        """Flag this SMS conversation's number as not the debtor's: nothing more is sent there."""
        body = {"conversation_id": conversation_id, "channel": "sms", "in_reply_to": in_reply_to}
        response = await self._request("POST", "/api/v1/contacts/wrong-number", json=body)
        self._json(response)

    async def move(self, account_id: str, grant: str, timezone: str) -> bool:
        """Set the verified debtor's time zone (and so the contact window); True once it is stored, changed
        or already that zone (a debtor asking whether we noted it is told it is set)."""
        path = f"/api/v1/accounts/{account_id}/timezone"
        await self._granted("PUT", path, grant, json={"timezone": timezone})
        return True

    async def set_contact_times(
        self,
        account_id: str,
        grant: str,
        weekdays: list[int],
        hours: list[list[int]],
        clear: bool,
        channels: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add the verified debtor's inconvenient days and hours (`clear` first drops the stored ones) and
        the media they refuse or prefer (`channels`: refused_channels, preferred_channel); returns what is
        stored now (the days, hours, refused media, preferred medium, and `changed`)."""
        body = {
            "inconvenient_weekdays": weekdays,
            "inconvenient_hours": hours,
            "clear": clear,
            **(channels or {}),
        }
        path = f"/api/v1/accounts/{account_id}/contact-preferences"
        return await self._granted("PUT", path, grant, json=body)

    async def debtor_accounts(self, account_id: str, grant: str) -> list[dict[str, str]]:
        """The verified debtor's accounts (account_id, reference, creditor), newest first; no amounts."""
        headers = {"X-Verification-Grant": grant}
        response = await self._request(
            "GET", f"/api/v1/accounts/{account_id}/debtor-accounts", headers=headers
        )
        if response.status_code in (httpx.codes.FORBIDDEN, httpx.codes.UNAUTHORIZED):
            raise GrantRejected("the accounts API refused the verification grant")
        self._json(response)
        return [dict(account) for account in response.json()]

    async def exchange_grant(self, account_id: str, grant: str, target_account_id: str) -> str:
        """A grant for another account of the same verified debtor."""
        body = await self._granted(
            "POST", f"/api/v1/accounts/{account_id}/grants", grant, json={"account_id": target_account_id}
        )
        return str(body["grant"])

    async def create_handoff(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Queue the conversation for a person (or join its open handoff); returns the handoff."""
        response = await self._request("POST", "/api/v1/handoffs", json=body)
        return self._json(response, ok=(httpx.codes.OK, httpx.codes.CREATED))

    async def append_handoff_message(
        self, handoff_id: str, text: str, distress: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Pass a message the debtor sent while a person owns the conversation on to that person; returns
        the handoff as it stands (its `reason` and `status`: queued until an agent claims it).

        The body is the API's DebtorMessageIn (`text`, optional `distress` {level, score}); nothing else.
        """
        body: dict[str, Any] = {"text": text}
        if distress:
            body["distress"] = distress
        response = await self._request("POST", f"/api/v1/handoffs/{handoff_id}/messages", json=body)
        return self._json(response, ok=(httpx.codes.OK, httpx.codes.CREATED))

    async def _granted(
        self, method: str, path: str, grant: str, ok: tuple[int, ...] = (httpx.codes.OK,), **kwargs: Any
    ) -> dict[str, Any]:
        headers = {"X-Verification-Grant": grant, **kwargs.pop("headers", {})}
        response = await self._request(method, path, headers=headers, **kwargs)
        if response.status_code in (httpx.codes.FORBIDDEN, httpx.codes.UNAUTHORIZED):
            raise GrantRejected("the accounts API refused the verification grant")
        if response.status_code == httpx.codes.CONFLICT:
            raise OfferRejected(response.json())
        return self._json(response, ok=ok)

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._settings.api_token}", **kwargs.pop("headers", {})}
        try:
            response = await shared_client(self._settings).request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            logger.warning(
                "accounts API unreachable", extra={"path_template": method, "error": type(error).__name__}
            )
            raise AccountsApiUnavailable(str(type(error).__name__)) from error
        if response.status_code >= httpx.codes.INTERNAL_SERVER_ERROR:
            logger.warning("accounts API failed", extra={"status": response.status_code})
            raise AccountsApiUnavailable(f"status {response.status_code}")
        return response

    @staticmethod
    def _json(response: httpx.Response, ok: tuple[int, ...] = (httpx.codes.OK,)) -> dict[str, Any]:
        if response.status_code not in ok:
            raise AccountsApiError(f"unexpected status {response.status_code}")
        body: dict[str, Any] = response.json()
        return body
