"""Identity verification: nothing about a debt is said before the debtor proves who they are."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Final

from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.forms import FormValidationAction

from actions import constants as c
from actions.balance import disclose_balance
from actions.circumstances import answer_after_flag, earlier_preferences, stated_flag
from actions.clients.accounts import AccountsClient, VerificationResult
from actions.exceptions import AccountsApiError
from actions.flows import FOLLOW_ON
from actions.handoff import REASON_LOCKOUT, start_handoff
from actions.history import message_of
from actions.negotiation import entity, intent_of
from actions.parsing import parse_dob, parse_identity_facts, parse_reference, parse_zip, resolve_date
from actions.reminders import recall_reminder
from actions.session import bound_account
from actions.which_account import ask_which_account
from shared.guesses import clear_best
from shared.identity_facts import IDENTITY_ENTITIES
from shared.questions import BALANCE_QUESTION, DISPUTED_WORDS

if TYPE_CHECKING:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

Slots = dict[str, Any]
# Facts are cleared after every attempt so they never outlive the check in the tracker.
_CLEAR_FACTS: Slots = {c.SLOT_DOB: None, c.SLOT_ZIP: None}


class ValidateIdentityForm(FormValidationAction):
    """Collect an account reference (when the channel did not bind one), DOB and ZIP, then verify."""

    def name(self) -> str:
        return c.ACTION_VALIDATE_IDENTITY

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if _form_is_over(tracker):
            return []
        facts = [c.SLOT_DOB, c.SLOT_ZIP]
        return facts if tracker.get_slot(c.SLOT_ACCOUNT_ID) else [c.SLOT_ACCOUNT_REF, *facts]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared = _unchecked_facts(tracker)
        tracker.slots.update({event["name"]: None for event in cleared})  # not to validate: no try at a fact
        binding = _binding(tracker)
        tracker.add_slots(binding)
        tracker.add_slots(await self.get_extraction_events(dispatcher, tracker, domain))
        events = [*cleared, *binding, *await self.get_validation_events(dispatcher, tracker, domain)]
        tracker.add_slots(events)
        verification = [SlotSet(k, v) for k, v in (await _verify_when_complete(dispatcher, tracker)).items()]
        tracker.add_slots(verification)
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        return [*events, *verification, *([next_slot] if next_slot else [])]

    async def validate_account_ref(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        reference = parse_reference(str(value or ""))
        if reference is None:
            dispatcher.utter_message(response=c.UTTER_INVALID_REFERENCE)
            return {c.SLOT_ACCOUNT_REF: None}
        try:
            account_id = await AccountsClient().lookup(reference=reference)
        except AccountsApiError:
            dispatcher.utter_message(response=c.UTTER_SERVICE_UNAVAILABLE)
            return {c.SLOT_ACCOUNT_REF: None, c.SLOT_SERVICE_UNAVAILABLE: True}
        if account_id is None:
            return _reference_not_found(dispatcher, tracker)
        return {
            c.SLOT_ACCOUNT_REF: reference,
            c.SLOT_ACCOUNT_ID: account_id,
            **self._facts_in_message(tracker),
        }

    async def validate_dob(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        # The NLU's dob entity may be part of the date ("1990" of "july 2nd 1990"): the message decides.
        dob = parse_dob(str(value or "")) or parse_dob(tracker.latest_message.get("text") or "")
        held = _held_dob(tracker)
        if dob is None and held:
            return {c.SLOT_DOB: held}  # "its 2001" to the ZIP question: no new try at the date of birth
        if dob is None and not _in_passing(tracker):
            dispatcher.utter_message(response=c.UTTER_INVALID_DOB)
        return {c.SLOT_DOB: dob, **self._facts_in_message(tracker, skip=c.SLOT_DOB)}

    async def validate_zip_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        # The message before the NLU's entity: "its 60601 not 60610" marks both, and the last was checked
        # (a failed try, heldout24 809).
        zip_code = parse_zip(tracker.latest_message.get("text") or "") or parse_zip(str(value or ""))
        if zip_code is None:
            dispatcher.utter_message(response=c.UTTER_INVALID_ZIP)
        return {c.SLOT_ZIP: zip_code, **self._facts_in_message(tracker, skip=c.SLOT_ZIP)}

    @staticmethod
    def _facts_in_message(tracker: Tracker, skip: str | None = None) -> Slots:
        """Facts the same message carried besides the one asked for ("3/14/85, zip 20001")."""
        facts = parse_identity_facts(tracker.latest_message.get("text") or "")
        found = {c.SLOT_DOB: facts.dob, c.SLOT_ZIP: facts.zip_code}
        return {k: v for k, v in found.items() if v and k != skip and not tracker.get_slot(k)}


def _held_dob(tracker: Tracker) -> str | None:
    """The date of birth held before this message, when another fact was asked for: a number the NLU took
    for a birth date (a mistyped ZIP, "its 2001") leaves it as it is. The form has already put the new
    candidate in the slot, so the value is the one set before the latest message."""
    asked = tracker.get_slot(c.SLOT_REQUESTED)
    if asked is None or asked == c.SLOT_DOB:
        return None
    before = False
    for event in reversed(tracker.events):
        before = before or event.get("event") == "user"
        if before and event.get("event") == "slot" and event.get("name") == c.SLOT_DOB:
            return str(event["value"]) if event.get("value") else None
    return None


def _in_passing(tracker: Tracker) -> bool:
    """A date in a message about something else ("he passed away in September"), not a try at the date
    of birth before it was asked, or a message plainly about something else ("no way, that's too high. can
    I do 75 a month?"): no complaint, the question comes as usual."""
    asked = tracker.get_slot(c.SLOT_REQUESTED) == c.SLOT_DOB
    said = (tracker.latest_message.get("intent") or {}).get("name")
    return said in NO_IDENTITY_TRY or (not asked and intent_of(tracker.latest_message) != c.INFORM_IDENTITY)


def _binding(tracker: Tracker) -> list[dict[str, Any]]:
    """The channel's account (a personal link opened mid-session) when the conversation has none yet."""
    account_id = None if tracker.get_slot(c.SLOT_ACCOUNT_ID) else bound_account(tracker)
    return [SlotSet(c.SLOT_ACCOUNT_ID, account_id)] if account_id else []


_FACT_PARSERS: Final = {c.SLOT_DOB: parse_dob, c.SLOT_ZIP: parse_zip, c.SLOT_ACCOUNT_REF: parse_reference}


def _unchecked_facts(tracker: Tracker) -> list[dict[str, Any]]:
    """Identity slots holding what is no such fact, cleared without a word: Rasa fills the asked slot from the
    debtor's text before any policy runs, and validates it only when the form is the next action. When another
    action came first ("no, nothing like that. im just worn out from all the bills": support offered), the
    form came back with the words as the birth date and asked for the ZIP (heldout18 644)."""
    held = {slot: tracker.get_slot(slot) for slot in _FACT_PARSERS}
    return [SlotSet(slot, None) for slot, said in held.items() if said and not _FACT_PARSERS[slot](str(said))]


def _form_is_over(tracker: Tracker) -> bool:
    return (
        any(
            tracker.get_slot(slot)
            for slot in (c.SLOT_VERIFIED, c.SLOT_IDENTITY_LOCKED, c.SLOT_SERVICE_UNAVAILABLE)
        )
        or (tracker.get_slot(c.SLOT_LOOKUP_FAILURES) or 0) >= c.MAX_LOOKUP_FAILURES
        or stated_flag(tracker) is not None  # an attorney, a bankruptcy, a death: collection has stopped
    )


def _reference_not_found(dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
    failures = int(tracker.get_slot(c.SLOT_LOOKUP_FAILURES) or 0) + 1
    if failures < c.MAX_LOOKUP_FAILURES:
        dispatcher.utter_message(response=c.UTTER_REFERENCE_NOT_FOUND)
    return {c.SLOT_ACCOUNT_REF: None, c.SLOT_LOOKUP_FAILURES: failures}


async def _verify_when_complete(dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
    """Ask the API once the account, DOB and ZIP are all known; the API counts and locks."""
    account_id, dob, zip_code = (tracker.get_slot(s) for s in (c.SLOT_ACCOUNT_ID, c.SLOT_DOB, c.SLOT_ZIP))
    if _form_is_over(tracker) or not (account_id and dob and zip_code):
        return {}
    try:
        result = await AccountsClient().verify(
            account_id, dob=dob, zip_code=zip_code, conversation_id=tracker.sender_id
        )
    except AccountsApiError:
        dispatcher.utter_message(response=c.UTTER_SERVICE_UNAVAILABLE)
        return {**_CLEAR_FACTS, c.SLOT_SERVICE_UNAVAILABLE: True}
    logger.info("verification attempt", extra={"verified": result.verified, "locked": result.locked})
    return {**_CLEAR_FACTS, **_verification_outcome(dispatcher, result)}


def _verification_outcome(dispatcher: CollectingDispatcher, result: VerificationResult) -> Slots:
    if result.verified:
        dispatcher.utter_message(response=c.UTTER_VERIFIED)
        return {c.SLOT_VERIFIED: True, c.SLOT_GRANT: result.grant}
    if result.locked:
        return {c.SLOT_IDENTITY_LOCKED: True}
    dispatcher.utter_message(
        response=c.UTTER_VERIFICATION_FAILED, attempts_remaining=result.attempts_remaining
    )
    return {}


def _asked_for(event: dict[str, Any]) -> str | None:
    """The account request a user event makes (an intent answered after verification), if any; an answer
    to the form carrying identity facts is none ("its 03.14.1985" read as a promise at 0.67) unless the
    channel kept a request made beside the facts (channels/segments.py)."""
    parse = event.get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    facts = [found for found in parse.get("entities") or [] if found.get("entity") in IDENTITY_ENTITIES]
    beside = (parse.get("request") or {}).get("name")  # "60601. and i need a payment plan"
    text = str(event.get("text") or parse.get("text") or "")
    whole = message_of(event.get("message_id")) == event.get("message_id")  # not a part of a message
    if facts and (beside in FOLLOW_ON or not (whole and asks_beside(text, facts))):
        return beside if beside in FOLLOW_ON else None
    if facts and intent == c.CHECK_BALANCE and not BALANCE_WORDS.search(text):
        return None  # "ACME-1002 is whats printed on the letter": the reference described (heldout23 782)
    return intent if intent == c.CHECK_BALANCE or intent in FOLLOW_ON else None


BALANCE_WORDS: Final = re.compile(
    r"\b(?:owe[ds]?|owing|balance|balence|total|how much|amount|cu[aá]nto)\b", re.IGNORECASE
)
"""Words of the balance: a balance reading beside identity facts without them describes the facts."""


WORDS_OF_A_REQUEST: Final = 5


def asks_beside(text: str, facts: list[dict[str, Any]]) -> bool:
    """A message with identity facts that is mostly words of its own ("sorry. ACME-1001. i wanna know what i
    owe and whether i can pay every other week": the plan was lost), not an answer to the form with a word
    or two around the facts ("its 03.14.1985", read as a promise at 0.67)."""
    for found in facts:
        text = text.replace(str(found.get("value") or ""), " ")
    return len(re.findall(r"[A-Za-z]{2,}", text)) >= WORDS_OF_A_REQUEST


def request_before_verification(tracker: Tracker) -> dict[str, Any]:
    """What the debtor actually asked for: the latest account request made while the identity form ran
    ("what do I owe?" between two answers), else the user message that started the form."""
    started, during_form = False, None
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == c.FORM_IDENTITY:
            started = True
        elif event.get("event") == "user" and started:
            return with_balance_beside(tracker, more_detailed(during_form, event))
        elif event.get("event") == "user" and during_form is None and _asked_for(event):
            during_form = event
    return {}


TERMS: Final = frozenset({c.ENTITY_AMOUNT, c.ENTITY_DATE, c.ENTITY_FREQUENCY})


def more_detailed(during_form: dict[str, Any] | None, started: dict[str, Any]) -> dict[str, Any]:
    """The request made while the form ran, unless it repeats the one that started the form naming no terms:
    "ACME-1002 dob 07/02/1990, zip 60601. check ur records" (a payment claim kept beside the facts) had
    replaced "i already paid this!! sent the full 665 through zelle on nov 20", so the day paid was asked
    again and the facts message kept as how it was paid (heldout28 946). A repeat naming terms corrects."""
    if during_form is None:
        return started
    named = {found.get("entity") for found in (during_form.get("parse_data") or {}).get("entities") or []}
    repeated = _asked_for(during_form) == _asked_for(started) and not named & TERMS
    return started if repeated else during_form


_WITH_BALANCE: Final = {c.MAKE_PAYMENT: c.BALANCE_AND_PAYMENT, c.REQUEST_PAYMENT_PLAN: c.BALANCE_AND_PLAN}


def with_balance_beside(tracker: Tracker, event: dict[str, Any]) -> dict[str, Any]:
    """The request's parse, read as the balance and the link (or plan) when another part of the same message
    asked the other ("i lost the payment link you sent me. also whats the total again?": the total alone,
    heldout18 636)."""
    parse: dict[str, Any] = event.get("parse_data") or {}
    message = message_of(event.get("message_id"))
    users = (e for e in tracker.events if e.get("event") == "user")
    asked = {_asked_for(part) for part in users if message_of(part.get("message_id")) == message}
    both = next((joint for single, joint in _WITH_BALANCE.items() if single in asked), None)
    if not message or c.CHECK_BALANCE not in asked or both is None:
        return parse
    return {**parse, "intent": {"name": both, "confidence": 1.0}}


TERMS_INTENTS = frozenset(
    {c.OFFER_PAYMENT, c.REQUEST_PAYMENT_PLAN, c.SETTLEMENT_OFFER, c.FINANCIAL_HARDSHIP, c.PROMISE_TO_PAY}
)


NO_IDENTITY_TRY: Final = TERMS_INTENTS | {c.AFFIRM, "deny"}
"""Offers, plans, promises, a yes or a no inside the identity form: never a failed try at the birth date."""


def requested(request: dict[str, Any]) -> str | None:
    """The intent of the kept request. An unclear one is what it most likely was when that is clear enough
    ("I paid contoso directly like 300 dollars last month": already_paid 0.52, next 0.16), or names terms
    and was most likely an offer, a plan or a promise ("hi i cant pay 1300 at once. could i do like 50 a
    month?", "ACME-1001. can we do a monthly thing", "i can put 500 towards it in two weeks")."""
    intent = (request.get("intent") or {}).get("name")
    if intent == c.INFORM_IDENTITY:  # facts, and what else the message asked for (channels/segments.py)
        kept = (request.get("request") or {}).get("name")
        return str(kept) if kept else intent
    if intent != c.NLU_FALLBACK:
        return intent
    guess = intent_of(request)
    if guess in TERMS_INTENTS and names_an_offer(request, guess):
        return guess
    return clear_guess(request) or intent


def as_requested(request: dict[str, Any]) -> dict[str, Any]:
    """The kept message read as the request made beside identity facts, when it made one: the flow that
    answers it reads its terms ("... in monthly chunks") under that intent, not as identity facts."""
    beside = request.get("request") or {}
    if (request.get("intent") or {}).get("name") != c.INFORM_IDENTITY or not beside.get("name"):
        return request
    return {**request, "intent": beside}


def names_an_offer(request: dict[str, Any], guess: str) -> bool:
    """An amount, a frequency for a plan, or a date to come for a promise ("i can pay in full but not
    until march"): a year alone ("this is from like 2019") proposes nothing."""
    frequency = guess == c.REQUEST_PAYMENT_PLAN and entity(request, c.ENTITY_FREQUENCY) is not None
    when = entity(request, c.ENTITY_DATE) if guess == c.PROMISE_TO_PAY else None
    promised = when is not None and resolve_date(str(when), "UTC") is not None
    return entity(request, c.ENTITY_AMOUNT) is not None or frequency or promised


def clear_guess(request: dict[str, Any]) -> str | None:
    """The NLU's best guess below its threshold, when it is well ahead of the next one; a dispute only with
    words of one ("got a letter from acme recovery services today?? never heard of you people, what is this
    about": dispute 0.46, and a dispute was recorded once verified, heldout19 645)."""
    best = clear_best(request)
    name = str(best.get("name")) if best else None
    unsaid = name == c.DISPUTE_DEBT and not DISPUTED_WORDS.search(str(request.get("text") or ""))
    return None if unsaid else name


async def continue_after_verification(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[dict[str, Any]]:
    """Store a contact preference said before verification, then answer the request that needed it; a
    greeting or balance question gets the balance."""
    await earlier_preferences(dispatcher, tracker, domain)
    request = as_requested(request_before_verification(tracker))
    follow_on = None if about_us(request) else FOLLOW_ON.get(requested(request) or "")
    asked = str(request.get("text") or "")
    if follow_on is None:
        return await disclose_balance(dispatcher, tracker, asked)
    context = await recall_reminder(dispatcher, tracker)  # "I can't pay that": that = the reminder's payment
    wanted = str(requested(request))
    if (BALANCE_QUESTION.search(asked) or wanted in TERMS_QUOTED) and not wanted.startswith(c.CHECK_BALANCE):
        context += await disclose_balance(dispatcher, tracker, asked)  # "i dont even know what i owe you"
    return [*context, *await follow_on(dispatcher, tracker, request)]


TERMS_QUOTED: Final = frozenset(
    {c.REQUEST_PAYMENT_PLAN, c.OFFER_PAYMENT, c.SETTLEMENT_OFFER, c.FINANCIAL_HARDSHIP}
)
"""Requests answered with terms: the debt they are terms for (creditor, total) is said first ("60601. also can
i break it up into a few payments?" was offered $36.95 a month for a debt never named, heldout24 806; hard
times get a plan: "ACME-1001, 03/14/1985, 20001. I need a payment plan, I'm drowning in bills", heldout25
867)."""


ABOUT_US: Final = re.compile(
    r"\bnever heard of (?:you|u|acme)\b|\bnever (?:done|did|had) (?:any )?business with (?:you|u|acme)\b",
    re.IGNORECASE,
)
"""Saying they never dealt with us (the collector, not the creditor)."""
NOT_OWED: Final = re.compile(
    r"\b(?:not|isn'?t|isnt|aint) mine\b|\bnever opened\b|\b(?:don'?t|do not|dont) owe\b|\bthink i owe\b",
    re.IGNORECASE,
)
"""Saying the debt is not theirs ("I never opened any account that went to collections, this isn't mine")."""


def about_us(request: dict[str, Any]) -> bool:
    """A dispute read from a question about who we are, without words calling the debt wrong ("who is Acme
    Recovery Services? ive never done business with you. ACME-1003 is whats on the notice", heldout22 771, had
    a dispute recorded once verified): the balance, which names the creditor and the original account."""
    text = str(request.get("text") or "")
    disputed = requested(request) == c.DISPUTE_DEBT
    denied = DISPUTED_WORDS.search(text) or NOT_OWED.search(text)
    return disputed and ABOUT_US.search(text) is not None and not denied


class ActionIdentityOutcome(Action):
    """After the identity form: the balance for a verified debtor, a way forward for everyone else."""

    def name(self) -> str:
        return c.ACTION_IDENTITY_OUTCOME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(c.SLOT_VERIFIED):
            if await ask_which_account(dispatcher, tracker, domain):
                return []  # action_choose_account answers the request, for the account chosen
            return await continue_after_verification(dispatcher, tracker, domain)
        flag = stated_flag(tracker)
        if flag is not None:
            return await answer_after_flag(dispatcher, tracker, flag)
        events: list[dict[str, Any]] = []
        if tracker.get_slot(c.SLOT_IDENTITY_LOCKED):
            dispatcher.utter_message(response=c.UTTER_VERIFICATION_LOCKED)
            events = await start_handoff(tracker, REASON_LOCKOUT, pause=False)  # a person calls back
        elif (tracker.get_slot(c.SLOT_LOOKUP_FAILURES) or 0) >= c.MAX_LOOKUP_FAILURES:
            dispatcher.utter_message(response=c.UTTER_LOOKUP_LOCKED)
        # A passing outage must not end the conversation for good: the next request tries again.
        return [SlotSet(c.SLOT_SERVICE_UNAVAILABLE, False), *events]
