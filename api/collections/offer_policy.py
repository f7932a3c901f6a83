"""A creditor's collection policy and the maths that evaluates an offer against it.

Pure functions of (offer, balance, policy, today): no database, no clock, so every rule is unit-tested
on its own. Money is exact Decimal; minimums are rounded up to the cent, so a counter-offer always
meets the policy it quotes.
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

CENTS = Decimal("0.01")
TENTHS = Decimal("0.1")
DEFAULT_START_DAYS = 7
"""A plan without a requested start date begins a week from today (if the policy's window allows)."""
DEFAULT_CREDITOR = "default"


class Frequency(StrEnum):
    """How often a plan's instalments fall due."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


PAYMENTS_PER_YEAR = {Frequency.WEEKLY: 52, Frequency.BIWEEKLY: 26, Frequency.MONTHLY: 12}
PERIOD_DAYS = {Frequency.WEEKLY: 7, Frequency.BIWEEKLY: 14}


class Kind(StrEnum):
    """An instalment plan, or a one-time settlement for less than the balance."""

    PLAN = "plan"
    SETTLEMENT = "settlement"


class OfferDecision(StrEnum):
    """What the policy says about an offer."""

    ACCEPT = "accept"
    COUNTER = "counter"
    REFER = "refer"


class OfferReason(StrEnum):
    """Why an offer was countered or referred (besides the account's pause reasons)."""

    BELOW_MINIMUM_INSTALMENT = "below_minimum_instalment"
    EXCEEDS_MAX_TERM = "exceeds_max_term"
    FREQUENCY_NOT_ALLOWED = "frequency_not_allowed"
    START_DATE_IN_PAST = "start_date_in_past"
    START_DATE_TOO_LATE = "start_date_too_late"
    BELOW_SETTLEMENT_FLOOR = "below_settlement_floor"
    SETTLEMENT_FAR_BELOW_FLOOR = "settlement_far_below_floor"
    NOTHING_OWED = "nothing_owed"


@dataclass(frozen=True)
class Policy:
    """One creditor's limits; the defaults are the "default" policy of the contract."""

    creditor: str = DEFAULT_CREDITOR
    min_instalment_amount: Decimal = Decimal("25.00")
    min_instalment_pct: Decimal = Decimal("5.0")
    """The monthly-equivalent instalment must be at least this share of the balance (5.0 = 5 %)."""
    max_term_months: int = 12
    allowed_frequencies: tuple[Frequency, ...] = (Frequency.WEEKLY, Frequency.BIWEEKLY, Frequency.MONTHLY)
    first_payment_within_days: int = 30
    settlement_floor_pct: Decimal = Decimal("60.0")
    settlement_deadline_days: int = 14
    hardship_min_instalment_amount: Decimal = Decimal("10.00")
    hardship_max_term_months: int = 24
    promise_max_days: int = 30


@dataclass(frozen=True)
class Offer:
    """What the debtor proposes; `amount` None asks for the policy's own lowest terms."""

    kind: Kind
    amount: Decimal | None
    frequency: Frequency | None = None
    start_date: date | None = None
    hardship: bool = False


@dataclass(frozen=True)
class Instalment:
    """One payment of a schedule."""

    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class Terms:
    """Concrete terms: the instalment amount, how often, from when, and the full schedule."""

    kind: Kind
    amount: Decimal
    frequency: Frequency | None
    instalments: int
    term_months: Decimal
    start_date: date
    total: Decimal
    schedule: tuple[Instalment, ...]
    deadline: date | None = None
    hardship: bool = False


@dataclass(frozen=True)
class Evaluation:
    """The policy's answer: the accepted terms, or counter-offers, or a referral, with reasons."""

    decision: OfferDecision
    reasons: tuple[str, ...] = ()
    offer: Terms | None = None
    counter_offers: tuple[Terms, ...] = ()


@dataclass(frozen=True)
class Limits:
    """The instalment limits that apply to one offer: the normal ones, or the hardship ones."""

    min_monthly: Decimal
    max_term_months: int


def ceil_cents(value: Decimal) -> Decimal:
    """Round up to the cent: a minimum rounded down would fall below the policy."""
    return value.quantize(CENTS, rounding=ROUND_CEILING)


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later, or that month's last day (Jan 31 -> Feb 28)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(start: date, frequency: Frequency, number: int) -> date:
    """The due date of instalment `number` (0 is the first)."""
    if frequency is Frequency.MONTHLY:
        return add_months(start, number)
    return start + timedelta(days=PERIOD_DAYS[frequency] * number)


def limits(policy: Policy, total: Decimal, hardship: bool) -> Limits:
    """Minimum monthly-equivalent instalment and maximum term for this balance.

    Hardship terms only ever relax the normal ones: a creditor whose normal term is longer than its
    hardship term must not quote a hardship debtor a higher instalment than anyone else.
    """
    share = ceil_cents(total * policy.min_instalment_pct / 100)
    normal = Limits(max(policy.min_instalment_amount, share), policy.max_term_months)
    if not hardship:
        return normal
    return Limits(
        min(policy.hardship_min_instalment_amount, normal.min_monthly),
        max(policy.hardship_max_term_months, normal.max_term_months),
    )


def max_instalments(frequency: Frequency, months: int) -> int:
    """How many instalments at this frequency fit in `months` months (12 months: 52, 26 or 12)."""
    return months * PAYMENTS_PER_YEAR[frequency] // 12


def instalment_count(total: Decimal, amount: Decimal) -> int:
    """Instalments of `amount` needed to pay `total`, the last one being the remainder."""
    whole, remainder = divmod(total, amount)
    return int(whole) + (1 if remainder else 0)


def lowest_instalment(total: Decimal, frequency: Frequency, rules: Limits) -> Decimal:
    """The smallest instalment meeting the monthly-equivalent minimum and fitting the maximum term."""
    by_share = ceil_cents(rules.min_monthly * 12 / PAYMENTS_PER_YEAR[frequency])
    by_term = ceil_cents(total / max_instalments(frequency, rules.max_term_months))
    return min(total, max(by_share, by_term))


def instalment_reasons(total: Decimal, amount: Decimal, frequency: Frequency, rules: Limits) -> list[str]:
    """What is wrong with an instalment amount at a frequency: below the minimum, too long a term."""
    reasons: list[str] = []
    if amount <= 0 or amount * PAYMENTS_PER_YEAR[frequency] < rules.min_monthly * 12:
        reasons.append(OfferReason.BELOW_MINIMUM_INSTALMENT)
    if amount > 0 and instalment_count(total, amount) > max_instalments(frequency, rules.max_term_months):
        reasons.append(OfferReason.EXCEEDS_MAX_TERM)
    return reasons


def latest_start(policy: Policy, today: date) -> date:
    """The last day the first payment may fall on."""
    return today + timedelta(days=policy.first_payment_within_days)


def resolve_start(requested: date | None, policy: Policy, today: date) -> tuple[date, list[str]]:
    """The start date to quote and, if the requested one had to change, why."""
    latest = latest_start(policy, today)
    default = min(today + timedelta(days=DEFAULT_START_DAYS), latest)
    if requested is None:
        return default, []
    if requested < today:
        return default, [OfferReason.START_DATE_IN_PAST]
    if requested > latest:
        return latest, [OfferReason.START_DATE_TOO_LATE]
    return requested, []


def term_months(instalments: int, frequency: Frequency) -> Decimal:
    """The plan's length in months, to one decimal (15 weekly payments: 3.5)."""
    months = Decimal(instalments) * 12 / PAYMENTS_PER_YEAR[frequency]
    return months.quantize(TENTHS, rounding=ROUND_HALF_UP)


def plan_terms(total: Decimal, amount: Decimal, frequency: Frequency, start: date, hardship: bool) -> Terms:
    """Instalments of `amount` from `start` until `total` is paid, the remainder last."""
    amount = min(amount, total)
    count = instalment_count(total, amount)
    amounts = [amount] * (count - 1) + [total - amount * (count - 1)]
    schedule = tuple(Instalment(due_date(start, frequency, n), due) for n, due in enumerate(amounts))
    return Terms(
        kind=Kind.PLAN,
        amount=amount,
        frequency=frequency,
        instalments=count,
        term_months=term_months(count, frequency),
        start_date=start,
        total=total,
        schedule=schedule,
        hardship=hardship,
    )


def counter_instalment(
    total: Decimal, offered: Decimal, requested: Frequency, frequency: Frequency, rules: Limits
) -> Decimal:
    """The lowest acceptable instalment; at a frequency other than the one asked for, the offered amount
    at that frequency when it is acceptable ("30 every two weeks so it's done sooner" on a monthly-only
    account is $65.00 a month, not the lowest monthly instalment: heldout15 519)."""
    lowest = lowest_instalment(total, frequency, rules)
    if frequency is requested or offered <= 0:
        return lowest
    same_pace = ceil_cents(offered * PAYMENTS_PER_YEAR[requested] / PAYMENTS_PER_YEAR[frequency])
    return min(total, max(lowest, same_pace))


def counter_frequency(requested: Frequency, policy: Policy) -> Frequency:
    """The requested frequency when allowed, else monthly when allowed, else the first allowed one."""
    if requested in policy.allowed_frequencies:
        return requested
    if Frequency.MONTHLY in policy.allowed_frequencies:
        return Frequency.MONTHLY
    return policy.allowed_frequencies[0]


def evaluate_plan(offer: Offer, total: Decimal, policy: Policy, today: date) -> Evaluation:
    """Accept the plan as proposed, or counter with the lowest acceptable instalment, or the offer's pace in
    an allowed frequency (see the contract).

    An amount of the whole balance or more is a one-off payment, whatever the frequency.
    """
    rules = limits(policy, total, offer.hardship)
    requested = offer.frequency or Frequency.MONTHLY
    frequency = counter_frequency(requested, policy)
    start, start_reasons = resolve_start(offer.start_date, policy, today)
    amount = offer.amount if offer.amount is not None else Decimal("0.00")
    amount_reasons: list[str] = []
    if amount < total:
        amount_reasons = instalment_reasons(total, amount, requested, rules)
        if frequency is not requested:
            amount_reasons.append(OfferReason.FREQUENCY_NOT_ALLOWED)
    if not amount_reasons + start_reasons:
        return Evaluation(
            OfferDecision.ACCEPT, offer=plan_terms(total, amount, frequency, start, offer.hardship)
        )
    if amount_reasons:
        amount = counter_instalment(total, amount, requested, frequency, rules)
    counter = plan_terms(total, amount, frequency, start, offer.hardship)
    return Evaluation(OfferDecision.COUNTER, tuple(amount_reasons + start_reasons), counter_offers=(counter,))


def settlement_terms(amount: Decimal, policy: Policy, today: date, hardship: bool) -> Terms:
    """One payment of `amount`, due by the policy's settlement deadline."""
    deadline = today + timedelta(days=policy.settlement_deadline_days)
    return Terms(
        kind=Kind.SETTLEMENT,
        amount=amount,
        frequency=None,
        instalments=1,
        term_months=Decimal("0.0"),
        start_date=today,
        total=amount,
        schedule=(Instalment(deadline, amount),),
        deadline=deadline,
        hardship=hardship,
    )


def settlement_floor(total: Decimal, policy: Policy) -> Decimal:
    """The least the creditor settles for, rounded up to the cent."""
    return ceil_cents(total * policy.settlement_floor_pct / 100)


def evaluate_settlement(offer: Offer, total: Decimal, policy: Policy, today: date) -> Evaluation:
    """At or above the floor: accept; at least half the floor (or no amount): counter at it; else refer."""
    floor = min(settlement_floor(total, policy), total)
    if offer.amount is not None and offer.amount >= floor:
        accepted = settlement_terms(min(offer.amount, total), policy, today, offer.hardship)
        return Evaluation(OfferDecision.ACCEPT, offer=accepted)
    if offer.amount is None or offer.amount * 2 >= floor:
        counter = settlement_terms(floor, policy, today, offer.hardship)
        return Evaluation(
            OfferDecision.COUNTER, (OfferReason.BELOW_SETTLEMENT_FLOOR,), counter_offers=(counter,)
        )
    return Evaluation(OfferDecision.REFER, (OfferReason.SETTLEMENT_FAR_BELOW_FLOOR,))


def evaluate(
    offer: Offer, total: Decimal, policy: Policy, today: date, blockers: Sequence[str] = ()
) -> Evaluation:
    """Evaluate an offer; `blockers` (a dispute, an attorney, ...) turn any decision into a referral."""
    if blockers:
        return Evaluation(OfferDecision.REFER, tuple(blockers))
    if total <= 0:
        return Evaluation(OfferDecision.REFER, (OfferReason.NOTHING_OWED,))
    if offer.kind is Kind.SETTLEMENT:
        return evaluate_settlement(offer, total, policy, today)
    return evaluate_plan(offer, total, policy, today)


class PromiseProblem(StrEnum):
    """Why a promise-to-pay date is refused."""

    IN_THE_PAST = "in_the_past"
    TOO_FAR = "too_far"


def latest_promise_date(policy: Policy, today: date) -> date:
    """The last date a debtor may promise to pay on."""
    return today + timedelta(days=policy.promise_max_days)


def promise_problem(promised: date, policy: Policy, today: date) -> PromiseProblem | None:
    """None when the promised date is between today and the policy's limit, both included."""
    if promised < today:
        return PromiseProblem.IN_THE_PAST
    if promised > latest_promise_date(policy, today):
        return PromiseProblem.TOO_FAR
    return None
