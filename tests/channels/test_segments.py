"""The segmenting step: a message of several requests the NLU is unsure of goes to Rasa in parts, in order;
anything else goes whole, exactly as before."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels import segments
from channels.segments import (
    PARSED,
    SOLE_REQUEST,
    clauses,
    grouped,
    handle_in_parts,
    parse_with_sole_request,
    parts_of,
    read,
    sole_request,
    with_intent,
)

HARDSHIP_AND_HOURS = "I lost my job, can I pay less and can you stop texting me in the mornings"
CHAPTER_7 = "I filed chapter 7 last month. My ref is ACME-1001. You're not allowed to contact me about this"


def parsed(name: str, confidence: float = 0.9, level: str = "none") -> dict[str, Any]:
    ranking = [{"name": name, "confidence": confidence}]
    return {"intent": ranking[0], "intent_ranking": ranking, "distress": {"level": level}}


def reading_from(
    readings: dict[str, dict[str, Any]], default: dict[str, Any] | None = None
) -> Callable[[str], Awaitable[dict[str, Any]]]:
    """The NLU as scripted: each piece's reading, `default` for pieces not listed (else a KeyError), with
    the piece's text as Rasa's parse has it."""

    async def nlu(piece: str) -> dict[str, Any]:
        return {"text": piece, **(readings[piece] if default is None else readings.get(piece, default))}

    return nlu


PARSES = {
    HARDSHIP_AND_HOURS: parsed("nlu_fallback", 0.6),
    "I lost my job": parsed("financial_hardship"),
    "can I pay less": parsed("request_payment_plan", 0.7),
    "can you stop texting me in the mornings": parsed("contact_preferences", 0.8),
    "sorry for the late reply.": parsed("out_of_scope", 0.9),
    "whats my balance": parsed("check_balance"),
    "can i dispute the fee": parsed("dispute_debt", 0.5),
    CHAPTER_7: parsed("nlu_fallback", 0.6),
    "I filed chapter 7 last month.": parsed("bankruptcy", 0.96),
    "My ref is ACME-1001.": parsed("inform_identity", 0.93),
}


async def parse(text: str) -> dict[str, Any]:
    return PARSES.get(text, parsed("nlu_fallback", 0.4))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HARDSHIP_AND_HOURS, ["I lost my job", "can I pay less", "can you stop texting me in the mornings"]),
        ("sorry. i lost my job. can i pay less?", ["sorry.", "i lost my job.", "can i pay less?"]),
        ("whats my balance and can i pay half now", ["whats my balance", "can i pay half now"]),
        (
            "ACME-1001, dob 03/14/1985, zip 20001 - i can pay the full thing on the 15th",
            ["ACME-1001, dob 03/14/1985, zip 20001", "i can pay the full thing on the 15th"],
        ),
        ("60601 \u2014 and a plan pls", ["60601", "and a plan pls"]),
        ("ACME-1001 born 3-14-1985", ["ACME-1001 born 3-14-1985"]),
        ("i need the balance and the due date", ["i need the balance and the due date"]),
        ("my dob is 3/14/85, zip 20001", ["my dob is 3/14/85, zip 20001"]),
        (  # heldout12 447: the request after the facts was lost
            "ACME-1003 11/30/1978 94110 can i just give you my card number here and pay the whole thing off",
            [
                "ACME-1003 11/30/1978 94110",
                "can i just give you my card number here and pay the whole thing off",
            ],
        ),
        ("i can pay 50 a month", ["i can pay 50 a month"]),
        ("", []),
    ],
)
def test_clauses(text: str, expected: list[str]) -> None:
    assert clauses(text) == expected


async def test_requests_of_different_kinds_become_parts_and_same_kind_neighbours_stay_together() -> None:
    assert await parts_of(HARDSHIP_AND_HOURS, parse) == [
        "I lost my job can I pay less",
        "can you stop texting me in the mornings",
    ]


def test_clauses_that_are_no_sure_request_go_with_the_request_before_them_or_the_first() -> None:
    clauses_ = [
        ("sorry.", None),
        ("whats my balance", "balance"),
        ("thanks", None),
        ("stop", "contact"),
        ("on weekends", None),
    ]
    assert grouped(clauses_) == [
        ("sorry. whats my balance thanks", "balance"),
        ("stop on weekends", "contact"),
    ]


def test_an_unsure_clause_after_a_request_continues_it() -> None:
    clauses_ = [
        ("I lost my job", "negotiation"),
        ("can I pay less", None),
        ("stop texting me in the mornings", "contact"),
    ]
    assert grouped(clauses_) == [
        ("I lost my job can I pay less", "negotiation"),
        ("stop texting me in the mornings", "contact"),
    ]


@pytest.mark.parametrize(
    "whole",
    [
        parsed("financial_hardship", 0.95),
        parsed("nlu_fallback", 0.6, level="crisis_check"),
        parsed("nlu_fallback", 0.6, level="crisis"),
    ],
)
async def test_a_sure_message_or_one_with_a_crisis_signal_is_never_split(whole: dict[str, Any]) -> None:
    async def parse_whole_as(text: str) -> dict[str, Any]:
        return whole if text == HARDSHIP_AND_HOURS else await parse(text)

    assert await parts_of(HARDSHIP_AND_HOURS, parse_whole_as) == []


async def test_one_request_with_chatter_or_an_unsure_second_request_stays_whole() -> None:
    assert await parts_of("sorry for the late reply. whats my balance", parse) == []
    assert await parts_of("whats my balance. can i dispute the fee", parse) == []


async def test_a_message_read_as_two_requests_in_one_label_is_not_split() -> None:
    """'How much do I owe and can I split it into payments? I'm on a tight budget': both requests kept."""
    both = "How much do I owe and can I split it into payments? I'm on a tight budget."
    readings = {
        both: parsed("check_balance+request_payment_plan", 0.67),
        "How much do I owe": parsed("check_balance"),
    }

    async def reading(text: str) -> dict[str, Any]:
        return readings.get(text, parsed("request_payment_plan", 0.9))

    assert await parts_of(both, reading) == []


async def test_a_payload_and_a_single_clause_are_not_parsed_again() -> None:
    calls: list[str] = []

    async def counting(text: str) -> dict[str, Any]:
        calls.append(text)
        return await parse(text)

    assert await parts_of('/rate_experience{"rating": "5"}', counting) == []
    assert await parts_of("whats my balance", counting) == []
    assert calls == []


async def test_a_message_the_nlu_cannot_place_with_one_sure_request_in_context_is_that_request() -> None:
    reading = await read(CHAPTER_7, parse)

    assert reading.parts == []
    assert reading.sole_request == ("bankruptcy", 0.96)


async def test_a_clause_with_a_crisis_signal_keeps_the_message_whole() -> None:
    async def with_distress(text: str) -> dict[str, Any]:
        found = await parse(text)
        return {**found, "distress": {"level": "crisis"}} if text == "I lost my job" else found

    assert await read(HARDSHIP_AND_HOURS, with_distress) == segments.Reading()


async def test_a_part_read_alone_as_high_distress_takes_the_whole_messages_level() -> None:
    """heldout11 412: "could i do 20 a month?? and is this gonna mess up my credit even worse" was judged
    whole for its second clause (high alone; the whole elevated), and only the credit question answered."""
    whole = "I lost my job, can I pay less, can you stop texting me in the mornings"
    readings = {
        whole: {**parsed("nlu_fallback", 0.4), "distress": {"level": "elevated", "score": 0.5}},
        "I lost my job": {**parsed("financial_hardship", 0.9), "distress": {"level": "high"}},
        "I lost my job can I pay less": {**parsed("financial_hardship", 0.9), "distress": {"level": "high"}},
    }

    async def nlu(text: str) -> dict[str, Any]:
        return readings.get(text) or await parse(text)

    reading = await read(whole, nlu)

    assert reading.parts == ["I lost my job can I pay less", "can you stop texting me in the mornings"]
    assert reading.calmed == ["I lost my job can I pay less"]
    assert reading.distress == {"level": "elevated", "score": 0.5}


async def test_each_calmed_part_reaches_rasa_with_the_whole_messages_distress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    high = {"level": "high"}
    readings = {
        HARDSHIP_AND_HOURS: {**parsed("nlu_fallback", 0.4), "distress": {"level": "none"}},
        "I lost my job": {**parsed("financial_hardship", 0.9), "distress": high},
        "I lost my job can I pay less": {**parsed("financial_hardship", 0.9), "distress": high},
    }

    async def stock(processor: Any, message: UserMessage, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return readings.get(message.text) or await parse(message.text)

    monkeypatch.setattr(segments, "STOCK_PARSE_MESSAGE", stock)
    agent = Agent()
    message = UserMessage(HARDSHIP_AND_HOURS, CollectingOutputChannel(), "debtor-1", message_id="m6")

    await handle_in_parts(agent, message)

    made = getattr(agent.processor.handled[0], PARSED)
    assert made["I lost my job can I pay less"]["distress"] == {"level": "none"}


def with_level(level: str, of: str) -> Any:
    async def parser(text: str) -> dict[str, Any]:
        found = await parse(text)
        return {**found, "distress": {"level": level}} if text == of else found

    return parser


async def test_a_check_in_signal_in_a_clause_alone_does_not_keep_the_message_whole() -> None:
    """ "I just want it gone" (of the debt) is a check-in signal out of context; its part, read whole, is not
    (here the clause is "I lost my job")."""
    reading = await read(HARDSHIP_AND_HOURS, with_level("crisis_check", "I lost my job"))

    assert reading.parts == ["I lost my job can I pay less", "can you stop texting me in the mornings"]


async def test_a_part_with_a_check_in_signal_keeps_the_message_whole() -> None:
    reading = await read(HARDSHIP_AND_HOURS, with_level("crisis_check", "I lost my job can I pay less"))

    assert reading == segments.Reading()


async def test_a_part_the_nlu_reads_otherwise_carries_the_request_of_its_clauses() -> None:
    reading = await read(HARDSHIP_AND_HOURS, parse)  # the first part, read whole, is no sure request

    assert reading.requests == [("financial_hardship", 0.9), None]  # hard times outweigh terms


async def test_each_part_reaches_rasa_with_its_request() -> None:
    agent = Agent()
    message = UserMessage(HARDSHIP_AND_HOURS, CollectingOutputChannel(), "debtor-1", message_id="m5")

    await handle_in_parts(agent, message)

    assert [getattr(m, SOLE_REQUEST) for m in agent.processor.handled] == [("financial_hardship", 0.9), None]


def test_no_sole_request_when_the_whole_was_placed_or_two_kinds_are_sure() -> None:
    bankruptcy, balance = parsed("bankruptcy", 0.96), parsed("check_balance", 0.9)

    assert sole_request(parsed("financial_hardship", 0.7), [bankruptcy]) is None
    assert sole_request(parsed("nlu_fallback", 0.6), [bankruptcy, balance]) is None
    assert sole_request(parsed("nlu_fallback", 0.6), [parsed("check_balance", 0.7)]) is None
    assert sole_request(parsed("nlu_fallback", 0.6), [balance, parsed("check_balance", 0.95)]) == (
        "check_balance",
        0.95,
    )


def test_a_paragraph_read_as_out_of_scope_is_its_request_and_hard_times_outweigh_terms() -> None:
    hardship, offer = parsed("financial_hardship", 0.99), parsed("offer_payment", 0.995)
    pay_now = parsed("make_payment", 0.999)

    assert sole_request(parsed("out_of_scope", 1.0), [offer, hardship]) == ("financial_hardship", 0.99)
    assert sole_request(parsed("nlu_fallback", 0.6), [pay_now, offer]) == ("offer_payment", 0.995)
    assert sole_request(parsed("nlu_fallback", 0.6), [pay_now]) is None  # the balance is the safe default


def test_a_sure_promise_naming_its_day_beside_hard_times_is_the_promise() -> None:
    """heldout6 237: "I can't pay today but I can pay the full thing in 10 days" got a hardship plan."""
    cant_today = {**parsed("financial_hardship", 0.92), "entities": [{"entity": "date", "value": "today"}]}
    in_ten_days = {**parsed("promise_to_pay", 0.91), "entities": [{"entity": "date", "value": "10 days"}]}
    undated = parsed("promise_to_pay", 0.95)

    assert sole_request(parsed("nlu_fallback", 0.6), [cant_today, in_ten_days]) == ("promise_to_pay", 0.91)
    assert sole_request(parsed("nlu_fallback", 0.6), [cant_today, undated]) == ("financial_hardship", 0.92)


def test_with_intent_keeps_words_and_entities() -> None:
    whole = {**parsed("nlu_fallback", 0.6), "text": CHAPTER_7, "entities": [{"entity": "account_ref"}]}

    changed = with_intent(whole, ("bankruptcy", 0.96))

    assert changed["intent"] == {"name": "bankruptcy", "confidence": 0.96}
    assert changed["intent_ranking"][0] == changed["intent"]
    assert (changed["text"], changed["entities"]) == (whole["text"], whole["entities"])


async def test_the_processor_reads_the_sole_request_only_from_a_message_that_carries_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def stock(self: Any, message: UserMessage, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {**parsed("nlu_fallback", 0.6), "text": message.text}

    monkeypatch.setattr(segments, "STOCK_PARSE_MESSAGE", stock)
    carrying = UserMessage(CHAPTER_7, CollectingOutputChannel(), "debtor-1")
    setattr(carrying, SOLE_REQUEST, ("bankruptcy", 0.96))
    plain = UserMessage("hmm. ok then, whatever", CollectingOutputChannel(), "debtor-1")

    assert (await parse_with_sole_request(None, carrying))["intent"]["name"] == "bankruptcy"
    assert (await parse_with_sole_request(None, plain))["intent"]["name"] == "nlu_fallback"


def test_a_yes_at_the_end_while_terms_wait_outweighs_a_clause_read_as_a_request() -> None:
    """heldout14 489: the first sentence ("Hmm, that's more than I hoped.") read as a promise at 0.90 had
    started the promise form instead of taking the settlement the message ends by accepting."""
    text = "Hmm, that's more than I hoped. Let me think... okay, fine, I accept that."
    whole = {**parsed("nlu_fallback", 0.6), "text": text}

    taken = segments.answer_or_request(whole, ("promise_to_pay", 0.9), pending=True)
    nothing_waits = segments.answer_or_request(whole, ("promise_to_pay", 0.9), pending=False)

    assert taken["intent"]["name"] == "affirm"
    assert nothing_waits["intent"]["name"] == "promise_to_pay"


def test_a_no_carrying_a_dispute_from_its_clauses_while_terms_wait_is_the_no() -> None:
    """heldout25 862: "no, too much. forget it" (the no at 0.73, its clause "too much" a dispute at 0.77) had
    recorded a dispute instead of declining the settlement counter-offer."""
    part = {**parsed("deny", 0.73), "text": "no, too much. forget it"}
    wrong = {**parsed("deny", 0.73), "text": "no, that debt is not mine"}

    assert segments.answer_or_request(part, ("dispute_debt", 0.77), pending=True)["intent"]["name"] == "deny"
    assert segments.answer_or_request(part, ("dispute_debt", 0.77), pending=False)["intent"]["name"] == (
        "dispute_debt"
    )
    assert segments.answer_or_request(wrong, ("dispute_debt", 0.77), pending=True)["intent"]["name"] == (
        "dispute_debt"
    )


@dataclass
class Processor:
    handled: list[UserMessage] = field(default_factory=list)

    async def handle_message(self, message: UserMessage) -> list[dict[str, Any]]:
        self.handled.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"answer to: {message.text}")
        return [{"text": f"answer to: {message.text}"}]


@dataclass
class Agent:
    """What Rasa's Agent.handle_message uses: readiness, the lock store, the processor, and parse_message."""

    processor: Processor = field(default_factory=Processor)
    lock_store: InMemoryLockStore = field(default_factory=InMemoryLockStore)

    def is_ready(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def fake_nlu(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Rasa's NLU as the fake `parse` above; the texts it was run on."""
    seen: list[str] = []

    async def stock(processor: Any, message: UserMessage, *args: Any, **kwargs: Any) -> dict[str, Any]:
        seen.append(message.text)
        return await parse(message.text)

    monkeypatch.setattr(segments, "STOCK_PARSE_MESSAGE", stock)
    return seen


async def test_the_parts_reach_rasa_in_order_as_turns_of_the_same_conversation() -> None:
    agent, output = Agent(), CollectingOutputChannel()
    message = UserMessage(
        HARDSHIP_AND_HOURS, output, "debtor-1", input_channel="rest", message_id="m1", metadata={"a": 1}
    )

    responses = await handle_in_parts(agent, message)

    handled = agent.processor.handled
    assert [m.text for m in handled] == [
        "I lost my job can I pay less",
        "can you stop texting me in the mornings",
    ]
    assert [(m.sender_id, m.input_channel, m.metadata, m.message_id) for m in handled] == [
        ("debtor-1", "rest", {"a": 1}, "m1"),
        ("debtor-1", "rest", {"a": 1}, "m1.1"),
    ]
    assert [getattr(m, segments.MORE_FOLLOWS) for m in handled] == [True, False]
    assert [m["text"] for m in output.messages] == [r["text"] for r in responses or []]


async def test_a_message_to_keep_whole_reaches_rasa_untouched() -> None:
    agent = Agent()
    message = UserMessage("whats my balance", CollectingOutputChannel(), "debtor-1", message_id="m2")

    await handle_in_parts(agent, message)

    assert agent.processor.handled == [message]


async def test_rasa_reuses_the_readings_the_segmenting_step_made(fake_nlu: list[str]) -> None:
    agent, output = Agent(), CollectingOutputChannel()
    kept_whole = UserMessage(CHAPTER_7, output, "debtor-1", message_id="m3")
    split = UserMessage(HARDSHIP_AND_HOURS, output, "debtor-1", message_id="m4")
    await handle_in_parts(agent, kept_whole)
    await handle_in_parts(agent, split)
    first_part, second_part = agent.processor.handled[1:]
    runs = len(fake_nlu)

    for message in [kept_whole, second_part, first_part]:
        await segments.stock_parse(None, message)

    assert fake_nlu[runs:] == []  # the segmenting step read the whole, each clause and each part
    assert await segments.stock_parse(None, kept_whole) == await parse(CHAPTER_7)


def test_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments.Agent, "handle_message", segments.STOCK_HANDLE_MESSAGE)
    monkeypatch.setattr(segments.MessageProcessor, "parse_message", segments.STOCK_PARSE_MESSAGE)
    segments.install()
    assert segments.installed()


def test_earlier_messages_count_the_debtors_messages_of_the_current_session() -> None:
    events = [UserUttered("hi"), SessionStarted(), ActionExecuted("action_listen"), UserUttered("balance?")]
    tracker = DialogueStateTracker.from_events("debtor", events)

    assert segments.earlier_messages(tracker) == 1
    assert segments.earlier_messages(DialogueStateTracker.from_events("debtor", [SessionStarted()])) == 0
    assert segments.earlier_messages(None) == 0


def test_offer_pending_reads_the_slot() -> None:
    tracker = DialogueStateTracker.from_events("debtor", [SlotSet("offer_pending", True)])

    assert segments.offer_pending(tracker) is True
    assert segments.offer_pending(None) is False


def test_an_ask_for_the_link_beside_a_promise_is_the_link() -> None:
    link, tonight = parsed("make_payment", 0.98), parsed("promise_to_pay", 0.98)

    assert sole_request(parsed("nlu_fallback", 0.6), [link, tonight]) == ("make_payment", 0.98)
    assert sole_request(parsed("nlu_fallback", 0.6), [tonight]) == ("promise_to_pay", 0.98)


async def test_a_request_beside_identity_facts_is_kept_with_them() -> None:
    facts = {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]}
    readings = {
        "ACME-1002, born 07/02/1990, zip 60601 - whats the total": facts,
        "can you send me a link to pay it?": parsed("make_payment", 0.98),
        "Hello.": parsed("greet", 0.99),
        "I'd like to pay it off in monthly chunks": {
            **parsed("nlu_fallback", 0.6),
            "intent_ranking": [
                {"name": "nlu_fallback", "confidence": 0.6},
                {"name": "request_payment_plan", "confidence": 0.59},
                {"name": "financial_hardship", "confidence": 0.13},
            ],
        },
    }

    async def nlu(text: str) -> dict[str, Any]:
        return readings.get(text, facts)

    paying = "ACME-1002, born 07/02/1990, zip 60601 - whats the total, and can you send me a link to pay it?"
    plan = "Hello. ACME-1002, born 07/02/1990. I'd like to pay it off in monthly chunks"
    assert (await read(paying, nlu)).beside_facts == ("check_balance+make_payment", 0.98)
    assert (await read(plan, nlu)).beside_facts == ("check_balance+request_payment_plan", 0.59)
    assert (await read("ACME-1002, born 07/02/1990, zip 60601", nlu)).beside_facts is None


async def test_a_dated_promise_beside_identity_facts_and_not_paying_today_is_the_promise() -> None:
    """heldout19 667: "... zip 94110. cant pay today but ill pay it in full on my next payday" got hard
    times."""
    facts = {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]}
    payday = {**parsed("promise_to_pay", 0.94), "entities": [{"entity": "date", "value": "next"}]}
    readings = {
        "ACME-1003, dob 11/30/1978, zip 94110.": facts,
        "cant pay today": parsed("financial_hardship", 0.9),
        "ill pay it in full on my next payday": payday,
    }

    async def nlu(text: str) -> dict[str, Any]:
        return readings.get(text, facts)

    text = "ACME-1003, dob 11/30/1978, zip 94110. cant pay today but ill pay it in full on my next payday"
    assert (await read(text, nlu)).beside_facts == ("promise_to_pay", 0.94)


async def test_facts_with_requests_of_several_kinds_are_handed_over_in_parts_facts_first() -> None:
    """Issue 11 (heldout6 260): the move and the offer were both dropped, neither was kept."""
    facts = {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]}
    moved = "Quick background: I moved to Phoenix so I'm not on Chicago time anymore."
    offer = "I'd like to pay this off at 55 a month if that's doable."
    readings = {
        "Hi.": parsed("greet", 0.99),
        "ACME-1002, 07/02/1990, 60601.": facts,
        moved: parsed("contact_preferences", 0.91),
        offer: parsed("offer_payment", 0.93),
        "Thanks": parsed("thank_you", 0.99),
    }

    async def nlu(text: str) -> dict[str, Any]:
        return readings.get(text, facts)

    reading = await read(f"Hi. ACME-1002, 07/02/1990, 60601. {moved} {offer} Thanks", nlu)
    later = await read(f"{moved} {offer} ACME-1002, 07/02/1990, 60601.", nlu)

    assert reading.parts == ["Hi. ACME-1002, 07/02/1990, 60601.", moved, f"{offer} Thanks"]
    assert reading.requests == [None, ("contact_preferences", 0.91), ("offer_payment", 0.93)]
    assert reading.beside_facts is None
    # facts last: handed over first, the requests after them in their order (heldout8 303)
    assert later.parts == ["ACME-1002, 07/02/1990, 60601.", moved, offer]


async def test_facts_with_hard_times_the_total_and_an_offer_go_total_first_the_hard_times_calmed() -> None:
    """Session 33, tried as a new user: "... 94110. i lost my job last month, whats the total and can i do
    40 every other week?" was read whole as the facts (its hard-times clause alone is high distress), the
    hard times and the offer lost. The total comes after the facts, the hard times and the offer are one
    part, which takes the whole message's distress level."""
    facts = {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]}
    lost, total, offer = "i lost my job last month", "whats the total", "can i do 40 every other week?"
    readings = {
        "hey its Alex, ACME-1003, dob 11/30/1978 zip 94110.": facts,
        lost: parsed("financial_hardship", 0.97, level="high"),
        total: parsed("check_balance", 0.99),
        offer: parsed("offer_payment", 0.99),
        f"{lost} {offer}": parsed("financial_hardship", 0.97, level="high"),
    }
    whole = {**facts, "distress": {"level": "none", "score": 0.16}}
    text = f"hey its Alex, ACME-1003, dob 11/30/1978 zip 94110. {lost}, {total} and {offer}"

    reading = await segments.beside_facts(clauses(text), reading_from(readings), whole)

    assert reading.parts == ["hey its Alex, ACME-1003, dob 11/30/1978 zip 94110.", total, f"{lost} {offer}"]
    assert reading.requests == [None, ("check_balance", 0.99), ("financial_hardship", 0.97)]
    assert reading.calmed == [f"{lost} {offer}"] and reading.distress == {"level": "none", "score": 0.16}
    crisis = {**readings, f"{lost} {offer}": parsed("financial_hardship", 0.97, level="crisis")}
    assert await segments.beside_facts(clauses(text), reading_from(crisis), whole) == segments.Reading()


async def test_paying_today_beside_a_settlement_offer_keeps_its_place_after_it() -> None:
    """heldout24 834: "Would you take 200 to close this out for good? I'm ready to pay today. dob ..." sent
    the link before the settlement was judged when the balance-and-paying clause went first."""
    facts = {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]}
    settle, today = "Would you take 200 to close this out for good?", "I'm ready to pay today."
    readings = {
        settle: parsed("settlement_offer", 0.95),
        today: parsed("check_balance+make_payment", 0.9),
        "dob 11/30/1978, zip 94110": facts,
    }
    text = f"{settle} {today} dob 11/30/1978, zip 94110"

    reading = await segments.beside_facts(clauses(text), reading_from(readings), facts)
    offer = {**parsed("settlement_offer", 0.9915), "entities": [{"entity": "amount"}]}
    paying = {**readings, settle: offer, today: parsed("make_payment", 0.9917)}
    one_kind = await segments.beside_facts(clauses(text), reading_from(paying), facts)

    assert reading.parts == ["dob 11/30/1978, zip 94110", settle, today]
    assert one_kind.beside_facts == ("settlement_offer", 0.9915)


async def test_a_balance_question_beside_a_payment_claim_asks_about_the_claim() -> None:
    """heldout29 993: "why does this still say I owe the full amount?" beside "I already sent Contoso $200 by
    check on November 20th" got the charges explained, and the claim was never recorded."""
    facts = {**parsed("inform_identity", 0.77), "entities": [{"entity": "account_ref"}]}
    sent, why = (
        "I already sent Contoso $200 by check on November 20th",
        "why does this still say I owe it all?",
    )
    readings = {"Hi, ACME-1002.": facts, sent: parsed("already_paid", 0.9), why: parsed("check_balance", 0.9)}
    text = f"Hi, ACME-1002. {sent}, {why}"

    reading = await segments.beside_facts(clauses(text), reading_from(readings), facts)
    unsure = {**readings, text: parsed("already_paid", 0.6)}
    whole = await read(text, reading_from(unsure))

    assert reading.beside_facts == ("already_paid", 0.9)
    assert whole.sole_request == ("already_paid", 0.9) and whole.parts == []


async def test_a_request_read_whole_beside_a_clause_of_facts_alone_is_kept_with_them() -> None:
    """heldout10 361: the ZIP asked for, "60601. and i need a payment plan, ..." read as a plan at 0.96
    (the ZIP its entity): verified, the balance came and the plan was never answered."""
    text = "60601. and i need a payment plan, no way i can pay it all at once"
    plan = {**parsed("request_payment_plan", 0.96), "entities": [{"entity": "zip"}]}
    readings = {
        text: plan,
        "60601.": {**parsed("inform_identity", 0.98), "entities": [{"entity": "zip"}]},
        "and i need a payment plan, no way i can pay it all at once": parsed("request_payment_plan", 0.98),
    }

    nlu = reading_from(readings)

    reading = await read(text, nlu)
    answer = {**plan, "text": text}

    assert reading.beside_facts == ("check_balance+request_payment_plan", 0.98)
    verifying = segments.with_request_beside_facts(answer, reading.beside_facts, verifying=True)
    assert verifying["intent"] == {"name": "inform_identity", "confidence": 0.96}
    assert verifying["request"] == {"name": "check_balance+request_payment_plan", "confidence": 0.98}
    assert segments.with_request_beside_facts(answer, reading.beside_facts, verifying=False) == answer


async def test_an_unsure_message_with_a_clause_of_facts_is_read_in_its_parts_as_before() -> None:
    """heldout8 323 (a regression of the reading above): "03/14/1985 20001 — got the reminder. Honestly I cant
    swing the full amount by the 15th, can we do a plan instead? Maybe 100 a month" (an offer at 0.6) had its
    negated "by the 15th" kept as a promise beside the facts."""
    text = "03/14/1985 20001 — got the reminder. can we do a plan instead? Maybe 100 a month"
    readings = {
        text: {**parsed("offer_payment", 0.6), "entities": [{"entity": "dob"}]},
        "03/14/1985 20001": {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]},
        "got the reminder.": parsed("out_of_scope", 1.0),
        "can we do a plan instead?": parsed("request_payment_plan", 0.98),
        "Maybe 100 a month": parsed("offer_payment", 0.96),
    }

    nlu = reading_from(readings, parsed("nlu_fallback", 0.4))

    assert (await read(text, nlu)).beside_facts is None


async def test_facts_named_inside_a_request_without_a_clause_of_facts_stay_as_read() -> None:
    text = "i can do 50 a week. starting 12/20"
    readings = {
        text: {**parsed("offer_payment", 0.95), "entities": [{"entity": "dob"}]},
        "i can do 50 a week.": parsed("offer_payment", 0.97),
        "starting 12/20": {**parsed("promise_to_pay", 0.7), "entities": [{"entity": "dob"}]},
    }

    nlu = reading_from(readings)

    assert await read(text, nlu) == segments.Reading()


async def test_a_flag_beside_identity_facts_is_acted_on_not_kept_for_after_verification() -> None:
    """heldout11 418: the attorney named with the reference waited for a verification the debtor was then
    asked for, twice ("I couldn't read that as a date of birth"). "ACME-1003, my father passed away" and its
    kind read as the facts: the death is recorded, nobody is asked to verify."""
    lawyer = "my lawyer is handling all my medical bills now."
    ref = "ACME-1002 is the ref on ur letter."
    details = "his name is Marcus Bell, 312-555-0163, call him not me"
    named_ref = [{"entity": "account_ref"}]
    readings = {
        f"{lawyer} {ref} {details}": {**parsed("inform_identity", 0.7), "entities": named_ref},
        lawyer: parsed("has_attorney", 0.98),
        ref: {**parsed("inform_identity", 0.98), "entities": named_ref},
        details: parsed("nlu_fallback", 0.6),
    }

    nlu = reading_from(readings)

    reading = await read(f"{lawyer} {ref} {details}", nlu)

    assert reading.sole_request == ("has_attorney", 0.98)
    assert reading.beside_facts is None


async def test_a_person_asked_for_beside_the_reference_is_fetched_now_not_after_verification() -> None:
    """heldout15 533: "ACME-1003 - can i get an actual human on here instead of a chatbot" was asked for a
    birth date, and the person waited for a verification the debtor never meant to give the bot."""
    ref, ask = "ACME-1003", "can i get an actual human on here instead of a chatbot"
    named_ref = [{"entity": "account_ref"}]
    readings = {
        f"{ref} - {ask}": {**parsed("inform_identity", 0.83), "entities": named_ref},
        ref: {**parsed("inform_identity", 0.99), "entities": named_ref},
        ask: parsed("request_human", 0.95),
    }

    nlu = reading_from(readings)

    reading = await read(f"{ref} - {ask}", nlu)

    assert reading.sole_request == ("request_human", 0.95)
    assert reading.beside_facts is None


async def test_a_sure_opt_out_in_a_clause_is_the_whole_message() -> None:
    """heldout10 374: the first clause read as a person started a handoff and the opt-out went unrecorded."""
    first, stop = "i dont care what its about.", "stop texting me, i dont want these msgs anymore"
    readings = {
        f"{first} {stop}": parsed("nlu_fallback", 0.6),
        first: parsed("request_human", 0.85),
        stop: parsed("opt_out", 0.97),
        "stop texting me": parsed("opt_out", 0.97),
        "i dont want these msgs anymore": parsed("opt_out", 0.9),
    }

    nlu = reading_from(readings, parsed("nlu_fallback", 0.6))

    assert (await read(f"{first} {stop}", nlu)).sole_request == ("opt_out", 0.97)
    readings[f"{first} stop texting me before 9am"] = parsed("nlu_fallback", 0.6)
    readings["stop texting me before 9am"] = parsed("opt_out", 0.9)
    assert (await read(f"{first} stop texting me before 9am", nlu)).sole_request != ("opt_out", 0.9)


async def test_a_sure_opt_out_beside_another_sure_request_goes_in_parts() -> None:
    """heldout12 450: read whole, the promise's "friday" became the only day for messages."""
    promise, stop = (
        "ok ill pay the whole thing this friday.",
        "also can you stop sending me texts, its stressing me out",
    )
    readings = {
        f"{promise} {stop}": parsed("nlu_fallback", 0.6),
        promise: parsed("promise_to_pay", 0.98),
        stop: parsed("opt_out", 0.84),
    }

    reading = await read(f"{promise} {stop}", reading_from(readings, parsed("nlu_fallback", 0.6)))

    assert reading.sole_request is None
    assert reading.parts == [promise, stop]


def test_the_request_beside_facts_rides_on_the_identity_parse_only() -> None:
    facts, request = parsed("inform_identity", 0.99), ("check_balance+make_payment", 0.98)

    kept = segments.with_request_beside_facts(facts, request)

    assert kept["request"] == {"name": "check_balance+make_payment", "confidence": 0.98}
    assert kept["intent"] == facts["intent"]
    assert segments.with_request_beside_facts(parsed("check_balance"), request) == parsed("check_balance")
    assert segments.with_request_beside_facts(facts, None) is facts


async def test_a_check_in_signal_in_one_clause_beside_facts_does_not_drop_the_request() -> None:
    """A clause read alone at check-in level (an offer misread out of context) keeps the request kept;
    a crisis signal in a clause, or a check-in signal in a part read whole, keeps the message whole."""
    facts = {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]}
    offer = "I'd like to pay this off at 55 a month if that's doable."
    text = f"ACME-1002, 07/02/1990, 60601. {offer}"

    def nlu_with(level: str) -> Any:
        async def nlu(piece: str) -> dict[str, Any]:
            return parsed("offer_payment", 0.93, level=level) if piece == offer else facts

        return nlu

    assert (await read(text, nlu_with("crisis_check"))).beside_facts == ("offer_payment", 0.93)
    assert await read(text, nlu_with("crisis")) == segments.Reading()


def test_a_sure_ask_for_the_link_in_words_is_the_sole_request() -> None:
    """Issue 11 (heldout6 233): "nah no plan ... Just give me the link and I'll pay the whole thing
    tonight" was re-evaluated as an offer; a payment reading without the word stays the balance."""
    words = "Just give me the link and I'll pay the whole thing tonight"
    link = {**parsed("make_payment", 0.95), "text": words}
    account = {**parsed("make_payment", 0.95), "text": "would like to check my account"}

    assert sole_request(parsed("nlu_fallback", 0.6), [parsed("deny", 0.9), link]) == ("make_payment", 0.95)
    # the guards took the whole message's promise guess under the threshold: it is still unplaced
    assert sole_request(parsed("promise_to_pay", 0.57), [parsed("deny", 0.9), link]) == ("make_payment", 0.95)
    assert sole_request(parsed("nlu_fallback", 0.6), [parsed("greet", 0.9), account]) is None


def test_a_terms_request_naming_its_terms_is_sure_enough_below_the_bar() -> None:
    """Issue 11 (heldout6 236): a voice-typed run-on whose one request is "I'm going to pay it this Friday
    when my paycheck hits okay thank you" (a promise at 0.71, with the date) lost the promise."""
    promise = {**parsed("promise_to_pay", 0.71), "entities": [{"entity": "date", "value": "this friday"}]}
    vague = parsed("promise_to_pay", 0.71)

    unsure, hello = parsed("nlu_fallback", 0.6), parsed("greet", 0.5)
    assert sole_request(unsure, [hello, promise]) == ("promise_to_pay", 0.71)
    assert sole_request(unsure, [hello, vague]) is None


def test_last_said_is_the_response_of_the_bots_latest_message() -> None:
    asked = BotUttered(
        "That leaves $1,020.40. Which day?", metadata={"utter_action": "utter_ask_promise_rest"}
    )
    events = [UserUttered("300 tomorrow and the rest in january"), asked, ActionExecuted("action_listen")]

    assert segments.last_said(DialogueStateTracker.from_events("debtor", events)) in segments.DAY_ASKED
    assert segments.last_said(DialogueStateTracker.from_events("debtor", [UserUttered("hi")])) is None
    assert segments.last_said(None) is None


def test_bot_asked_is_whether_the_bots_latest_message_asks_something() -> None:
    told = [UserUttered("why so much"), BotUttered("That is the principal ... plus the interest.")]
    asked = [*told, BotUttered("Shall I set that up for you? (yes/no)")]

    assert not segments.bot_asked(DialogueStateTracker.from_events("debtor", told))
    assert segments.bot_asked(DialogueStateTracker.from_events("debtor", asked))
    assert not segments.bot_asked(DialogueStateTracker.from_events("debtor", [UserUttered("hi")]))
    assert segments.bot_asked(None)  # without a tracker nothing is read as thanks


def test_bot_silent_is_whether_the_bot_has_said_anything_this_session() -> None:
    reminded = [
        SessionStarted(),
        BotUttered("Reminder: a payment is due", metadata={"utter_action": "utter_reminder"}),
    ]

    assert segments.bot_silent(DialogueStateTracker.from_events("debtor", [SessionStarted()]))
    assert not segments.bot_silent(DialogueStateTracker.from_events("debtor", reminded))
    assert not segments.bot_silent(None)


async def test_the_balance_then_a_plan_in_two_parts_is_the_one_request_with_the_balance() -> None:
    """heldout12 440: handed over in two parts before verification, only the plan was answered once
    verified; the total was never said."""
    text = "how much is left on it and can i split it into payments bc money is tight rn"
    readings = {
        text: parsed("request_payment_plan", 0.6),
        "how much is left on it": parsed("check_balance", 0.99),
        "can i split it into payments bc money is tight rn": parsed("request_payment_plan", 0.6),
    }

    nlu = reading_from(readings)

    reading = await read(text, nlu)

    assert reading == segments.Reading(sole_request=("check_balance+request_payment_plan", 0.6))


async def test_identity_facts_written_last_are_handed_over_first() -> None:
    """heldout8 303: with the facts last, the message was read whole as the facts and the promise lost."""
    opening, owed = "hi, got your letter, ACME-1002.", "i know i owe it"
    payday, facts = "i just cant pay anything till payday.", "dob 07/02/1990 zip 60601"
    text = f"{opening} {owed}, {payday} {facts}"
    ref, dob = [{"entity": "account_ref"}], [{"entity": "dob"}]
    readings = {
        text: {**parsed("inform_identity", 0.96), "entities": ref + dob},
        opening: {**parsed("nlu_fallback", 0.6), "entities": ref},
        owed: parsed("check_balance", 0.89),
        payday: parsed("promise_to_pay", 0.6),
        facts: {**parsed("inform_identity", 0.99), "entities": dob},
    }

    nlu = reading_from(readings, parsed("nlu_fallback", 0.4))

    reading = await read(text, nlu)

    assert reading.parts == [f"{opening} {facts}", owed, payday]
    assert reading.requests == [None, ("check_balance", 0.89), ("promise_to_pay", 0.6)]


async def test_the_balance_and_the_link_asked_as_one_beside_the_facts_are_kept() -> None:
    """heldout13 483: "zip 20001, ref ACME-1001, dob 03/14/1985. how much is it and gimme a link to pay it all
    today": verified, the balance said and no link sent."""
    facts = "zip 20001, ref ACME-1001, dob 03/14/1985."
    asked = "how much is it and gimme a link to pay it all today"
    readings = {
        f"{facts} {asked}": {**parsed("inform_identity", 0.98), "entities": [{"entity": "zip"}]},
        facts: {**parsed("inform_identity", 0.99), "entities": [{"entity": "zip"}]},
        asked: parsed("check_balance+make_payment", 0.96),
    }

    nlu = reading_from(readings)

    reading = await read(f"{facts} {asked}", nlu)

    assert reading.beside_facts == ("check_balance+make_payment", 0.96)


async def test_a_death_reported_in_a_message_judged_whole_for_its_grief_is_the_report() -> None:
    """heldout14 507: "Sam died in October" (high distress) kept the message whole, unplaced, and the sister
    was asked for a birth date."""
    text = "Hello, I'm Sam Chen's sister. Sam died in October. One of the letters has ACME-1002."
    readings = {
        text: parsed("nlu_fallback", 0.6),
        "Hello": parsed("greet", 1.0),
        "I'm Sam Chen's sister.": parsed("nlu_fallback", 0.6),
        "Sam died in October.": parsed("deceased", 0.84, level="high"),
        "One of the letters has ACME-1002.": parsed("inform_identity", 0.95),
    }

    nlu = reading_from(readings, parsed("nlu_fallback", 0.6))

    assert (await read(text, nlu)).sole_request == ("deceased", 0.84)
    readings["Sam died in October."] = parsed("deceased", 0.84, level="crisis")
    assert await read(text, nlu) == segments.Reading()  # a crisis signal: judged whole, nothing picked


async def test_a_flag_a_clause_reports_for_sure_is_what_the_whole_message_is() -> None:
    """heldout14 507: the death went over as one part and the reference as another, so the flag was recorded
    on no account (the part with the death named none)."""
    death = "Hello, I'm Sam Chen's sister. Sam died in October and I'm going through his mail."
    letter = "One of the letters has ACME-1002 on it."
    text = f"{death} {letter}"
    readings = {
        text: parsed("nlu_fallback", 0.6),
        "Sam died in October": parsed("deceased", 0.97),
        letter: {**parsed("inform_identity", 0.95), "entities": [{"entity": "account_ref"}]},
    }

    reading = await read(text, reading_from(readings, parsed("nlu_fallback", 0.6)))

    assert reading.parts == []
    assert reading.sole_request == ("deceased", 0.97)


def beside_the_facts(readings: dict[str, Any]) -> Any:
    """An NLU reading these clauses as given and anything else as identity facts (a date of birth)."""
    return reading_from(readings, {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]})


async def test_a_birth_date_corrected_beside_the_facts_is_no_promise() -> None:
    """heldout21 709: "oops typo, its the 14th not the 15th" was recorded as a promise to pay on Dec 15."""
    corrected = {**parsed("promise_to_pay", 0.91), "entities": [{"entity": "date", "value": "the 15th"}]}
    paying = {**parsed("promise_to_pay", 0.91), "entities": [{"entity": "date", "value": "friday"}]}
    nlu = beside_the_facts({"oops typo, its the 14th not the 15th.": corrected, "ill pay it friday": paying})

    typo = await read("oops typo, its the 14th not the 15th. 03/14/1985, zip 20001", nlu)
    promise = await read("03/14/1985, zip 20001. ill pay it friday", nlu)

    assert typo.beside_facts is None and typo.requests == [] and typo.sole_request is None
    assert promise.beside_facts == ("promise_to_pay", 0.91)


async def test_a_birth_date_fixed_beside_the_facts_is_no_claim_of_payment() -> None:
    """heldout22 742: "ugh sorry i always flip those, its july 2nd" (already_paid 0.65) was kept as a claim
    and the verified debtor asked "How much did you pay?"; "i paid it by zelle" beside the facts still is."""
    readings = {
        "ugh sorry i always flip those, its july 2nd.": parsed("already_paid", 0.65),
        "i sent it by zelle last week": parsed("already_paid", 0.93),
        "i already sent it last week": parsed("already_paid", 0.93),
    }
    nlu = beside_the_facts(readings)

    flipped = await read("ugh sorry i always flip those, its july 2nd. 07/02/1990, zip still 60601", nlu)
    claimed = await read("07/02/1990, zip 60601. i sent it by zelle last week", nlu)
    sent = await read("07/02/1990, zip 60601. i already sent it last week", nlu)

    assert flipped.beside_facts is None and flipped.requests == []
    assert claimed.beside_facts == ("already_paid", 0.93) == sent.beside_facts


async def test_an_amount_the_debtor_thought_it_was_is_no_offer() -> None:
    """heldout22 741: "i thought it was like 1200 tops" beside the facts was offered as a settlement."""
    thought = {**parsed("settlement_offer", 0.89), "entities": [{"entity": "amount", "value": "1200"}]}
    offered = {**parsed("settlement_offer", 0.93), "entities": [{"entity": "amount", "value": "1000"}]}
    readings = {"i thought it was like 1200 tops": thought, "i can do 1000 to settle it": offered}
    nlu = beside_the_facts(readings)

    believed = await read("ACME-1001, born 03/14/1985, zip 20001. i thought it was like 1200 tops", nlu)
    offer = await read("ACME-1001, born 03/14/1985, zip 20001. i can do 1000 to settle it", nlu)

    assert believed.beside_facts is None
    assert offer.beside_facts == ("settlement_offer", 0.93)


async def test_a_dispute_beside_hard_times_is_the_dispute() -> None:
    """heldout22 749: a hospital bill insurance should have covered, read as hard times and a dispute, was
    offered a plan after verification and the dispute never recorded."""
    letter = "I got a letter saying I owe money for a hospital visit."
    text = f"{letter} My insurance was supposed to cover that and I think the amount is wrong. Ref ACME-1002."
    readings = {
        text: parsed("dispute_debt", 0.77),
        letter: parsed("financial_hardship", 0.7),
        "I think the amount is wrong.": parsed("dispute_debt", 0.8),
    }

    reading = await read(text, reading_from(readings, parsed("nlu_fallback", 0.6)))

    assert reading.parts == [] and reading.sole_request == ("dispute_debt", 0.8)


async def test_a_preference_read_whole_beside_an_amount_is_read_in_its_parts() -> None:
    """heldout23 774: the preference at 0.85 was stored and the offer of 55 a month lost."""
    text = "can i do 55 a month on that?? and pls dont text me before 9am"
    amount = [{"entity": "amount", "value": "55"}]
    readings = {
        text: {**parsed("contact_preferences", 0.85), "entities": amount},
        "can i do 55 a month on that??": {**parsed("offer_payment", 0.9), "entities": amount},
        "and pls dont text me before 9am": parsed("contact_preferences", 0.95),
    }
    assert await parts_of(text, reading_from(readings)) == [
        "can i do 55 a month on that??",
        "and pls dont text me before 9am",
    ]
    alone = "pls dont text me before 9am. thanks"
    assert await parts_of(alone, reading_from({alone: parsed("contact_preferences", 0.85)})) == []


async def test_a_yes_ending_in_thanks_while_terms_wait_is_the_yes_after_a_line_that_asks_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """heldout28 942, 955: terms offered, then "No pressure: ... call 1-800-555-0100" (no question mark); "yes
    please set that up, thank you for working with me" was read as thanks ("You're welcome.", no plan)."""
    text = "yes please set that up, thank you for working with me"
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "affirm", "confidence": 0.59}]

    async def stock(self: Any, message: UserMessage, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"text": message.text, "intent": ranking[0], "intent_ranking": ranking, "entities": []}

    monkeypatch.setattr(segments, "STOCK_PARSE_MESSAGE", stock)
    events = [
        SlotSet("offer_pending", True),
        BotUttered("Good news: $60.00 a month ... works. Shall I set that up for you? (yes/no)"),
        BotUttered("No pressure: if you'd rather talk it through with a person, call 1-800-555-0100."),
    ]
    tracker = DialogueStateTracker.from_events("debtor", events)
    message = UserMessage(text, CollectingOutputChannel(), "debtor")

    assert (await parse_with_sole_request(None, message, tracker))["intent"]["name"] == "affirm"


def test_identity_facts_naming_none_from_a_verified_debtor_are_read_by_the_words() -> None:
    """heldout24 815: "perfect. and is that 665 the final number or does interest keep piling on top of it?"
    (identity at 0.75, no facts) was told "you're already verified"."""
    text = "perfect. and is that 665 the final number or does interest keep piling on top of it?"
    found = {**parsed("inform_identity", 0.75), "text": text, "entities": []}
    facts = {**found, "entities": [{"entity": "dob", "value": "07/02/1990"}]}

    assert segments.facts_unnamed(found, verified=True)["intent"]["name"] == "check_balance"
    assert segments.facts_unnamed(found, verified=False) is found
    assert segments.facts_unnamed(facts, verified=True) is facts


def test_a_promise_beside_an_offer_at_a_pace_is_the_offer() -> None:
    """heldout24 825: "can i do 25 a week till its paid off? fridays are payday for me" started the promise
    form (its payday clause a promise at 0.9), the offer never judged."""
    whole = parsed("nlu_fallback", 0.6)
    offer = {**parsed("offer_payment", 0.62), "entities": [{"entity": "amount"}, {"entity": "frequency"}]}
    payday = {**parsed("promise_to_pay", 0.9), "entities": [{"entity": "frequency"}]}

    assert sole_request(whole, [offer, payday]) == ("offer_payment", 0.62)
    assert sole_request(whole, [{**offer, "entities": []}, payday]) == ("promise_to_pay", 0.9)


async def test_hard_times_beside_a_promise_naming_its_day_in_words_is_the_promise() -> None:
    """heldout19 667 on a model that marked no date in "ill pay it in full on my next payday": the hard times
    ("cant pay today") outweighed it and a hardship plan was offered instead of asking which day."""
    facts = {**parsed("inform_identity", 0.99), "entities": [{"entity": "dob"}]}
    readings = {
        "ACME-1003, dob 11/30/1978, zip 94110.": facts,
        "cant pay today": parsed("financial_hardship", 0.97, level="high"),
        "ill pay it in full on my next payday": {**parsed("promise_to_pay", 0.98), "entities": []},
    }
    text = "ACME-1003, dob 11/30/1978, zip 94110. cant pay today but ill pay it in full on my next payday"

    assert (await read(text, reading_from(readings, facts))).beside_facts == ("promise_to_pay", 0.98)


async def test_a_dispute_beside_a_request_for_proof_is_the_dispute() -> None:
    """heldout32 1071: the validation information was sent and the dispute never recorded."""
    disputed, proof = (
        "I do not recognize this medical bill at all, it isn't mine.",
        "I want proof before I pay.",
    )
    readings = {
        f"{disputed} {proof}": parsed("nlu_fallback", 0.6),
        disputed: parsed("dispute_debt", 0.99),
        proof: parsed("request_validation", 0.91),
    }

    reading = await read(f"{disputed} {proof}", reading_from(readings, parsed("nlu_fallback", 0.6)))

    assert reading.parts == [] and reading.sole_request == ("dispute_debt", 0.99)
