"""The policy maths, without a database: accept / counter / refer, schedules, dates, rounding."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from _pytest.mark import ParameterSet

from api.collections.offer_policy import (
    Evaluation,
    Frequency,
    Kind,
    Limits,
    Offer,
    OfferDecision,
    OfferReason,
    Policy,
    PromiseProblem,
    Terms,
    add_months,
    evaluate,
    instalment_reasons,
    limits,
    lowest_instalment,
    promise_problem,
)

TODAY = date(2026, 11, 22)
JORDAN = Decimal("1320.40")  # the README's Northwind Bank account
SAM = Decimal("665.00")  # Contoso Health
ALEX = Decimal("323.00")  # Fabrikam Telecom
DEFAULT = Policy()
CONTOSO = Policy(creditor="Contoso Health", settlement_floor_pct=Decimal("50.0"), max_term_months=18)
FABRIKAM = Policy(creditor="Fabrikam Telecom", allowed_frequencies=(Frequency.MONTHLY,), max_term_months=6)
MONTHLY, WEEKLY, BIWEEKLY = Frequency.MONTHLY, Frequency.WEEKLY, Frequency.BIWEEKLY
D = Decimal


def plan(
    amount: str | None,
    frequency: Frequency | None = MONTHLY,
    start: date | None = None,
    hardship: bool = False,
) -> Offer:
    return Offer(Kind.PLAN, D(amount) if amount is not None else None, frequency, start, hardship)


def settlement(amount: str | None) -> Offer:
    return Offer(Kind.SETTLEMENT, D(amount) if amount is not None else None)


@dataclass(frozen=True)
class Expected:
    """The quoted terms (the offer if accepted, else the first counter-offer)."""

    decision: OfferDecision
    reasons: tuple[str, ...]
    amount: str
    frequency: Frequency | None
    instalments: int
    last: str
    start: date = TODAY + timedelta(days=7)


def quoted(evaluation: Evaluation) -> Terms:
    terms = evaluation.offer or evaluation.counter_offers[0]
    assert terms is not None
    return terms


def plan_case(
    name: str, offer: Offer, expected: Expected, total: Decimal = JORDAN, policy: Policy = DEFAULT
) -> ParameterSet:
    """One row of PLAN_CASES: the offer on `total` under `policy` (Jordan's account by default)."""
    return pytest.param(offer, total, policy, expected, id=name)


BELOW, TOO_LONG = OfferReason.BELOW_MINIMUM_INSTALMENT, OfferReason.EXCEEDS_MAX_TERM
ACCEPT, COUNTER = OfferDecision.ACCEPT, OfferDecision.COUNTER

PLAN_CASES = [
    # The example: "i can do 40 a month" on 1,320.40. 5 % is 66.02, but 12 months need 110.04.
    plan_case(
        "40 a month", plan("40"), Expected(COUNTER, (BELOW, TOO_LONG), "110.04", MONTHLY, 12, "109.96")
    ),
    plan_case("the counter itself", plan("110.04"), Expected(ACCEPT, (), "110.04", MONTHLY, 12, "109.96")),
    plan_case(
        "a cent short of 12 months",
        plan("110.03"),
        Expected(COUNTER, (TOO_LONG,), "110.04", MONTHLY, 12, "109.96"),
    ),
    plan_case("more pays off sooner", plan("200"), Expected(ACCEPT, (), "200.00", MONTHLY, 7, "120.40")),
    plan_case(
        "frequency defaults to monthly",
        plan("200", None),
        Expected(ACCEPT, (), "200.00", MONTHLY, 7, "120.40"),
    ),
    plan_case(
        "the whole balance is a one-off",
        plan("1320.40"),
        Expected(ACCEPT, (), "1320.40", MONTHLY, 1, "1320.40"),
    ),
    plan_case(
        "more than the balance is a one-off",
        plan("2000", WEEKLY),
        Expected(ACCEPT, (), "1320.40", WEEKLY, 1, "1320.40"),
    ),
    plan_case(
        "40 a week, remainder last", plan("40", WEEKLY), Expected(ACCEPT, (), "40.00", WEEKLY, 34, "0.40")
    ),
    plan_case(
        "15 a week is below 5 %",
        plan("15", WEEKLY),
        Expected(COUNTER, (BELOW, TOO_LONG), "25.40", WEEKLY, 52, "25.00"),
    ),
    plan_case(
        "30 every two weeks",
        plan("30", BIWEEKLY),
        Expected(COUNTER, (BELOW, TOO_LONG), "50.79", BIWEEKLY, 26, "50.65"),
    ),
    plan_case(
        "no amount asks for the lowest",
        plan(None),
        Expected(COUNTER, (BELOW,), "110.04", MONTHLY, 12, "109.96"),
    ),
    plan_case(
        "zero asks for the lowest", plan("0"), Expected(COUNTER, (BELOW,), "110.04", MONTHLY, 12, "109.96")
    ),
    plan_case(
        "hardship: 24 months",
        plan("40", hardship=True),
        Expected(COUNTER, (TOO_LONG,), "55.02", MONTHLY, 24, "54.94"),
    ),
    plan_case(
        "hardship accepts 60", plan("60", hardship=True), Expected(ACCEPT, (), "60.00", MONTHLY, 23, "0.40")
    ),
    plan_case(
        "Contoso: 18 months",
        plan("30"),
        Expected(COUNTER, (BELOW, TOO_LONG), "36.95", MONTHLY, 18, "36.85"),
        SAM,
        CONTOSO,
    ),
    plan_case(
        "Fabrikam: monthly only",
        plan("20", WEEKLY),
        # 20 a week is 86.67 a month: the debtor's pace, in the frequency the creditor allows
        Expected(COUNTER, (OfferReason.FREQUENCY_NOT_ALLOWED,), "86.67", MONTHLY, 4, "62.99"),
        ALEX,
        FABRIKAM,
    ),
    plan_case(
        "Fabrikam: monthly only, 30 every two weeks (heldout15 519)",
        plan("30", BIWEEKLY),
        Expected(COUNTER, (OfferReason.FREQUENCY_NOT_ALLOWED,), "65.00", MONTHLY, 5, "63.00"),
        ALEX,
        FABRIKAM,
    ),
    plan_case(
        "Fabrikam: monthly only, too little at any pace",
        plan("5", WEEKLY),
        Expected(
            COUNTER,
            (BELOW, TOO_LONG, OfferReason.FREQUENCY_NOT_ALLOWED),
            "53.84",
            MONTHLY,
            6,
            "53.80",
        ),
        ALEX,
        FABRIKAM,
    ),
    plan_case(
        "Fabrikam: 6 months",
        plan("40"),
        Expected(COUNTER, (TOO_LONG,), "53.84", MONTHLY, 6, "53.80"),
        ALEX,
        FABRIKAM,
    ),
    plan_case(
        "a small balance in one go",
        plan("5"),
        Expected(COUNTER, (BELOW,), "20.00", MONTHLY, 1, "20.00"),
        D("20.00"),
        DEFAULT,
    ),
]


@pytest.mark.parametrize(("offer", "total", "policy", "expected"), PLAN_CASES)
def test_plan_offers(offer: Offer, total: Decimal, policy: Policy, expected: Expected) -> None:
    evaluation = evaluate(offer, total, policy, TODAY)

    terms = quoted(evaluation)
    assert (evaluation.decision, evaluation.reasons) == (expected.decision, expected.reasons)
    assert (terms.amount, terms.frequency) == (D(expected.amount), expected.frequency)
    assert (terms.instalments, terms.schedule[-1].amount) == (expected.instalments, D(expected.last))
    assert (terms.start_date, terms.total) == (expected.start, total)
    assert sum(instalment.amount for instalment in terms.schedule) == total
    assert len(terms.schedule) == terms.instalments
    assert all(instalment.amount == terms.amount for instalment in terms.schedule[:-1])
    assert 0 < terms.schedule[-1].amount <= terms.amount
    if evaluation.decision is ACCEPT:
        assert evaluation.counter_offers == ()
    else:
        assert evaluation.offer is None and len(evaluation.counter_offers) == 1


def test_a_counter_offer_is_accepted_when_proposed_back() -> None:
    for total in (D("1320.40"), D("665.00"), D("323.00"), D("99.99"), D("10000.01")):
        for policy in (DEFAULT, CONTOSO, FABRIKAM):
            for frequency in (MONTHLY, WEEKLY, BIWEEKLY):
                for hardship in (False, True):
                    counter = quoted(evaluate(plan("1", frequency, hardship=hardship), total, policy, TODAY))
                    again = plan(str(counter.amount), counter.frequency, counter.start_date, hardship)
                    assert evaluate(again, total, policy, TODAY).decision is ACCEPT


@pytest.mark.parametrize("total", [D("1320.40"), D("665.00"), D("323.00"), D("7777.77"), D("52.01")])
@pytest.mark.parametrize("frequency", [MONTHLY, WEEKLY, BIWEEKLY])
@pytest.mark.parametrize("hardship", [False, True])
def test_the_lowest_instalment_is_exact_to_the_cent(
    total: Decimal, frequency: Frequency, hardship: bool
) -> None:
    rules = limits(DEFAULT, total, hardship)

    lowest = lowest_instalment(total, frequency, rules)

    assert instalment_reasons(total, lowest, frequency, rules) == []
    if lowest < total:
        assert instalment_reasons(total, lowest - D("0.01"), frequency, rules) != []


@pytest.mark.parametrize("total", [D("1320.40"), D("665.00"), D("3000.00"), D("52.01")])
@pytest.mark.parametrize(
    "policy",
    [
        DEFAULT,
        CONTOSO,
        Policy(max_term_months=36, hardship_max_term_months=24, min_instalment_pct=D("1.0")),
        Policy(
            min_instalment_amount=D("5.00"),
            min_instalment_pct=D("0.1"),
            hardship_min_instalment_amount=D("10.00"),
        ),
    ],
    ids=[
        "default",
        "contoso",
        "normal term longer than hardship term",
        "normal minimum below hardship minimum",
    ],
)
@pytest.mark.parametrize("frequency", [MONTHLY, WEEKLY, BIWEEKLY])
def test_hardship_terms_never_ask_more_than_the_normal_ones(
    total: Decimal, policy: Policy, frequency: Frequency
) -> None:
    normal = lowest_instalment(total, frequency, limits(policy, total, hardship=False))
    hardship = lowest_instalment(total, frequency, limits(policy, total, hardship=True))

    assert hardship <= normal
    counter = quoted(evaluate(plan("1", frequency, hardship=True), total, policy, TODAY))
    assert counter.amount <= quoted(evaluate(plan("1", frequency), total, policy, TODAY)).amount


def test_the_percentage_minimum_rounds_up_to_the_cent() -> None:
    policy = Policy(min_instalment_amount=D("1.00"), min_instalment_pct=D("5.0"), max_term_months=120)

    rules = limits(policy, D("1000.10"), hardship=False)  # 5 % is 50.005

    assert rules == Limits(D("50.01"), 120)
    assert lowest_instalment(D("1000.10"), MONTHLY, rules) == D("50.01")
    assert lowest_instalment(D("1000.10"), WEEKLY, rules) == D("11.55")  # 50.01 * 12 / 52 = 11.5407...


def test_monthly_schedules_follow_the_calendar() -> None:
    terms = quoted(evaluate(plan("100", MONTHLY, date(2026, 12, 21)), D("350.00"), DEFAULT, TODAY))

    assert [(i.due_date, i.amount) for i in terms.schedule] == [
        (date(2026, 12, 21), D("100.00")),
        (date(2027, 1, 21), D("100.00")),
        (date(2027, 2, 21), D("100.00")),
        (date(2027, 3, 21), D("50.00")),
    ]
    assert terms.term_months == D("4.0")


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 1, 31), 2, date(2027, 3, 31)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 11, 30), 14, date(2028, 1, 30)),
    ],
)
def test_adding_calendar_months(start: date, months: int, due: date) -> None:
    assert add_months(start, months) == due


@pytest.mark.parametrize(("frequency", "step"), [(WEEKLY, 7), (BIWEEKLY, 14)])
def test_weekly_and_biweekly_schedules_step_by_days(frequency: Frequency, step: int) -> None:
    terms = quoted(evaluate(plan("400", frequency), JORDAN, DEFAULT, TODAY))

    dates = [instalment.due_date for instalment in terms.schedule]
    gaps = [later - earlier for earlier, later in itertools.pairwise(dates)]
    assert gaps == [timedelta(days=step)] * 3


def test_term_months_is_a_one_decimal_figure() -> None:
    terms = quoted(evaluate(plan("90", WEEKLY), JORDAN, DEFAULT, TODAY))

    assert (terms.instalments, terms.term_months) == (15, D("3.5"))


@pytest.mark.parametrize(
    ("start", "decision", "reasons", "quoted_start"),
    [
        (None, ACCEPT, (), TODAY + timedelta(days=7)),
        (TODAY, ACCEPT, (), TODAY),
        (TODAY + timedelta(days=30), ACCEPT, (), TODAY + timedelta(days=30)),
        (TODAY + timedelta(days=31), COUNTER, (OfferReason.START_DATE_TOO_LATE,), TODAY + timedelta(days=30)),
        (TODAY - timedelta(days=1), COUNTER, (OfferReason.START_DATE_IN_PAST,), TODAY + timedelta(days=7)),
    ],
)
def test_the_first_payment_window(
    start: date | None, decision: OfferDecision, reasons: tuple[str, ...], quoted_start: date
) -> None:
    evaluation = evaluate(plan("200", MONTHLY, start), JORDAN, DEFAULT, TODAY)

    assert (evaluation.decision, evaluation.reasons) == (decision, reasons)
    assert (quoted(evaluation).start_date, quoted(evaluation).amount) == (quoted_start, D("200.00"))


def test_a_late_start_and_a_low_amount_are_countered_together() -> None:
    evaluation = evaluate(plan("40", MONTHLY, TODAY + timedelta(days=90)), JORDAN, DEFAULT, TODAY)

    assert evaluation.reasons == (BELOW, TOO_LONG, OfferReason.START_DATE_TOO_LATE)
    assert (quoted(evaluation).amount, quoted(evaluation).start_date) == (D("110.04"), date(2026, 12, 22))


def test_a_short_window_caps_the_default_start() -> None:
    evaluation = evaluate(plan("200"), JORDAN, Policy(first_payment_within_days=3), TODAY)

    assert quoted(evaluation).start_date == TODAY + timedelta(days=3)


SETTLEMENT_CASES = [
    pytest.param(settlement("792.24"), JORDAN, DEFAULT, ACCEPT, (), "792.24", id="at the 60 % floor"),
    pytest.param(settlement("800"), JORDAN, DEFAULT, ACCEPT, (), "800.00", id="above the floor"),
    pytest.param(settlement("5000"), JORDAN, DEFAULT, ACCEPT, (), "1320.40", id="the whole balance"),
    pytest.param(
        settlement("792.23"),
        JORDAN,
        DEFAULT,
        COUNTER,
        (OfferReason.BELOW_SETTLEMENT_FLOOR,),
        "792.24",
        id="a cent below",
    ),
    pytest.param(
        settlement("396.12"),
        JORDAN,
        DEFAULT,
        COUNTER,
        (OfferReason.BELOW_SETTLEMENT_FLOOR,),
        "792.24",
        id="half the floor",
    ),
    pytest.param(
        settlement(None),
        JORDAN,
        DEFAULT,
        COUNTER,
        (OfferReason.BELOW_SETTLEMENT_FLOOR,),
        "792.24",
        id="no amount",
    ),
    pytest.param(settlement("332.50"), SAM, CONTOSO, ACCEPT, (), "332.50", id="Contoso: 50 %"),
    pytest.param(
        settlement("200"),
        SAM,
        CONTOSO,
        COUNTER,
        (OfferReason.BELOW_SETTLEMENT_FLOOR,),
        "332.50",
        id="Contoso: counter",
    ),
]


@pytest.mark.parametrize(("offer", "total", "policy", "decision", "reasons", "amount"), SETTLEMENT_CASES)
def test_settlement_offers(
    offer: Offer,
    total: Decimal,
    policy: Policy,
    decision: OfferDecision,
    reasons: tuple[str, ...],
    amount: str,
) -> None:
    evaluation = evaluate(offer, total, policy, TODAY)

    terms = quoted(evaluation)
    deadline = TODAY + timedelta(days=14)
    assert (evaluation.decision, evaluation.reasons) == (decision, reasons)
    assert (terms.kind, terms.amount, terms.total) == (Kind.SETTLEMENT, D(amount), D(amount))
    assert terms.instalments == 1
    assert (terms.frequency, terms.deadline, terms.schedule[0].due_date) == (None, deadline, deadline)


@pytest.mark.parametrize(("amount", "total"), [("396.11", JORDAN), ("100", SAM)])
def test_a_settlement_far_below_the_floor_is_referred(amount: str, total: Decimal) -> None:
    evaluation = evaluate(settlement(amount), total, CONTOSO if total == SAM else DEFAULT, TODAY)

    assert evaluation == Evaluation(OfferDecision.REFER, (OfferReason.SETTLEMENT_FAR_BELOW_FLOOR,))


@pytest.mark.parametrize("offer", [plan("200"), settlement("1000")])
def test_a_paused_account_refers_every_offer_with_the_reasons(offer: Offer) -> None:
    evaluation = evaluate(offer, JORDAN, DEFAULT, TODAY, blockers=("account_disputed", "attorney"))

    assert evaluation == Evaluation(OfferDecision.REFER, ("account_disputed", "attorney"))


def test_nothing_owed_is_referred() -> None:
    assert evaluate(plan("10"), D("0.00"), DEFAULT, TODAY).reasons == (OfferReason.NOTHING_OWED,)


@pytest.mark.parametrize(
    ("promised", "problem"),
    [
        (TODAY, None),
        (TODAY + timedelta(days=30), None),
        (TODAY + timedelta(days=31), PromiseProblem.TOO_FAR),
        (TODAY - timedelta(days=1), PromiseProblem.IN_THE_PAST),
    ],
)
def test_promise_dates(promised: date, problem: PromiseProblem | None) -> None:
    assert promise_problem(promised, DEFAULT, TODAY) is problem
