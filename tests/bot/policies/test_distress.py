"""The distress policy overrides every flow for a crisis and offers a person when distress escalates."""

import pytest
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.distress import DistressPolicy
from tests.bot.policies.conftest import create_policy


@pytest.fixture
def policy(tmp_path):
    return create_policy(DistressPolicy, tmp_path, "distress_policy")


def said(text, level, intent="out_of_scope"):
    return [
        UserUttered(
            text, {"name": intent, "confidence": 1.0}, parse_data={"distress": {"score": 0.5, "level": level}}
        ),
    ]


def tracker_with(domain, *turns, last_action=None):
    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    for turn in turns:
        events += [*turn, ActionExecuted("utter_default"), ActionExecuted("action_listen")]
    events = events[:-2]  # the conversation is waiting on the bot after the last user turn
    if last_action:
        events.append(ActionExecuted(last_action))
    return DialogueStateTracker.from_events("someone", events, domain.slots)


def predicted(policy, tracker, domain):
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index], prediction


def test_a_crisis_message_gets_crisis_support_even_inside_a_form(policy, domain):
    tracker = tracker_with(domain, said("fine", "none"), said("i dont want to be here anymore", "crisis"))
    tracker.update(ActiveLoop("promise_form"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(said("i dont want to be here anymore", "crisis")[0])
    action, prediction = predicted(policy, tracker, domain)
    assert action == "action_crisis_support"
    assert prediction.is_no_user_prediction  # beats every user-based rule or loop prediction


def test_after_crisis_support_the_bot_only_listens(policy, domain):
    tracker = tracker_with(domain, said("i want to end it", "crisis"), last_action="action_crisis_support")
    action, _ = predicted(policy, tracker, domain)
    assert action == "action_listen"


def test_repeated_elevated_distress_offers_support_once(policy, domain):
    tracker = tracker_with(
        domain, said("this is so stressful", "elevated"), said("i cant sleep over this", "elevated")
    )
    assert predicted(policy, tracker, domain)[0] == "action_offer_support"
    again = tracker_with(
        domain, said("a", "elevated"), said("b", "elevated"), last_action="action_offer_support"
    )
    again.update(ActionExecuted("action_listen"))
    again.update(said("still scared", "high")[0])
    assert predicted(policy, again, domain) is None  # offered a turn ago: the normal flow answers


def test_calm_messages_leave_the_conversation_to_the_other_policies(policy, domain):
    tracker = tracker_with(domain, said("i can do 40 a month", "none"))
    assert predicted(policy, tracker, domain) is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("i lost my job i cant pay", "financial_hardship"),
        ("my brother died in october, this letter is his", "deceased"),
        ("ugh fine ok", "affirm"),
        ("i have a lawyer now", "has_attorney"),
        ("maybe 30 a month? sorry if thats way too low, its really all i have left", "offer_payment"),
        ("i'm so scared, can i pay 50 on friday", "promise_to_pay"),
        ("i'll think it over. thank u for being decent about it", "thank_you"),
        ("sorry, could you send me the link again? I closed the page by accident", "make_payment"),
    ],
)
def test_no_offer_when_asked_for_it_or_the_message_has_its_own_gentle_answer(policy, domain, text, intent):
    """Hardship help asked for, a death or an attorney (their own answers), a yes to the terms offered,
    terms named (heldout8 310: judged first, in gentle words that name a person)."""
    tracker = tracker_with(domain, said(text, "high", intent=intent))
    assert predicted(policy, tracker, domain) is None


def asked(domain, *turns):
    """A conversation in which the bot has just asked the crisis check-in and the debtor answered."""
    *before, answer = turns
    tracker = tracker_with(domain, *before, last_action="action_crisis_check_in")
    tracker.update(SlotSet("crisis_check_in_open", True))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(answer[0])
    return tracker


def test_a_warning_sign_gets_the_direct_check_in_even_inside_a_form(policy, domain):
    tracker = tracker_with(domain, said("fine", "none"))
    tracker.update(ActiveLoop("promise_form"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(said("gave my dog to my sister, she'll look after him better", "crisis_check")[0])
    action, prediction = predicted(policy, tracker, domain)
    assert action == "action_crisis_check_in"
    assert prediction.is_no_user_prediction


def test_after_the_check_in_the_bot_listens_for_the_answer(policy, domain):
    tracker = tracker_with(domain, said("im a burden", "crisis_check"), last_action="action_crisis_check_in")
    assert predicted(policy, tracker, domain)[0] == "action_listen"


CRISIS, GENTLY = "action_crisis_support", "action_crisis_check_in_cleared"


@pytest.mark.parametrize(
    ("answer", "level", "intent", "next_action"),
    [
        # Anything but a clear no to the check-in is a crisis.
        ("yes", "none", "affirm", CRISIS),
        ("sometimes yeah", "elevated", "affirm", CRISIS),
        ("idk", "none", "nlu_fallback", CRISIS),
        ("can i talk to someone", "none", "request_human", CRISIS),
        ("i already gave most of my stuff away", "crisis_check", "inform", CRISIS),
        ("i want to die", "crisis", "deny", CRISIS),
        ("no im not suicidal but i want to die", "crisis", "deny", CRISIS),
        # A clear no continues gently.
        ("no im ok", "none", "deny", GENTLY),
        ("nah just stressed", "elevated", "deny", GENTLY),
        ("whats my balance", "none", "check_balance", GENTLY),
        # heldout12 437: the question denied in so many words, whose own word reads as a crisis signal
        ("no, im not suicidal or anything, just really worn out from bills", "crisis", "deny", GENTLY),
    ],
)
def test_anything_but_a_clear_no_to_the_check_in_is_a_crisis_and_a_clear_no_continues_gently(
    policy, domain, answer, level, intent, next_action
):
    tracker = asked(domain, said("im such a burden", "crisis_check"), said(answer, level, intent=intent))
    assert predicted(policy, tracker, domain)[0] == next_action


def test_after_a_no_the_next_request_is_answered_without_another_offer(policy, domain):
    tracker = tracker_with(
        domain,
        said("im such a burden", "crisis_check"),
        said("no im ok", "none", intent="deny"),
        last_action="action_crisis_check_in_cleared",
    )
    assert predicted(policy, tracker, domain)[0] == "action_listen"
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(said("ok whats my balance", "none", intent="check_balance")[0])
    assert predicted(policy, tracker, domain) is None  # the collection rules answer, in the gentle tone


def test_another_warning_sign_soon_after_a_no_is_a_crisis(policy, domain):
    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    events += [*said("im such a burden", "crisis_check"), ActionExecuted("action_crisis_check_in")]
    events += [ActionExecuted("action_listen"), *said("no", "none", intent="deny")]
    events += [ActionExecuted("action_crisis_check_in_cleared"), SlotSet("crisis_check_in_open", False)]
    events += [ActionExecuted("action_listen"), *said("wrote my will last night", "crisis_check")]
    tracker = DialogueStateTracker.from_events("someone", events, domain.slots)
    assert predicted(policy, tracker, domain)[0] == "action_crisis_support"


def near(text, intent, confidence, by_similarity_only=True):
    """A warning sign reached only by closeness to a prototype (or, if not, by a pattern)."""
    distress = {"score": 0.05, "level": "crisis_check", "by_similarity_only": by_similarity_only}
    return [UserUttered(text, {"name": intent, "confidence": confidence}, parse_data={"distress": distress})]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("who are you people", "ask_who_is_this"),
        ("i'd rather talk to someone real", "request_human"),
        ("what is this bill even for, i thought insurance covered it", "dispute_debt"),
    ],
)
def test_an_uncertain_sign_in_sure_everyday_words_is_not_a_check_in(policy, domain, text, intent):
    tracker = tracker_with(domain, near(text, intent, 0.99))
    assert predicted(policy, tracker, domain) is None


def calm_or_not(text, intent, score, vader):
    distress = {"score": score, "level": "crisis_check", "by_similarity_only": True, "vader_compound": vader}
    return [UserUttered(text, {"name": intent, "confidence": 0.95}, parse_data={"distress": distress})]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("i'd rather not", "deny"),
        ("i have to get going", "goodbye"),
        ("Yes, please arrange that.", "affirm"),  # heldout33 1093, to a plan
    ],
)
def test_a_calm_no_or_goodbye_near_a_prototype_is_a_reply(policy, domain, text, intent):
    """Issue 11: "i'd rather not" to a plan was asked whether the debtor thinks of suicide."""
    tracker = tracker_with(domain, calm_or_not(text, intent, 0.30, 0.0))
    assert predicted(policy, tracker, domain) is None


@pytest.mark.parametrize(("score", "vader"), [(0.95, -0.58), (0.2, -0.3), (0.7, 0.0)])
def test_a_no_in_troubled_words_keeps_its_check_in(policy, domain, score, vader):
    tracker = tracker_with(domain, calm_or_not("nope, i'm so tired of all of it", "deny", score, vader))
    assert predicted(policy, tracker, domain)[0] == "action_crisis_check_in"


def test_sure_means_the_everyday_bar_not_certainty(policy, domain):
    """The NLU gave 0.87 to this request for a person after a declined plan (dev conversation 13)."""
    tracker = tracker_with(domain, near("i'd rather talk to someone real about this", "request_human", 0.87))
    assert predicted(policy, tracker, domain) is None


def test_nor_does_it_colour_the_next_turns(policy, domain):
    tracker = tracker_with(domain, near("who are you people", "ask_who_is_this", 0.99), said("ok", "none"))
    assert predicted(policy, tracker, domain) is None


@pytest.mark.parametrize(
    ("intent", "confidence", "by_similarity_only"),
    [("ask_who_is_this", 0.80, True), ("financial_hardship", 0.99, True), ("ask_who_is_this", 0.99, False)],
)
def test_a_sign_in_uncertain_or_troubled_words_or_by_a_pattern_is_still_a_check_in(
    policy, domain, intent, confidence, by_similarity_only
):
    tracker = tracker_with(domain, near("nobody would notice", intent, confidence, by_similarity_only))
    action, _ = predicted(policy, tracker, domain)
    assert action == "action_crisis_check_in"
