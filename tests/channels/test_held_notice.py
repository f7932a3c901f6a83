"""The session's debt collector notice waits for the turn's answer: dropped when the writer is not the
consumer or collection stopped, sent in its place otherwise; turns without it pass straight through."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.held_notice import DEBT_COLLECTOR_NOTICE, WITHOUT_THE_NOTICE, HeldNotice, holding_the_notice

ROOT = Path(__file__).resolve().parents[2]
INTRODUCTION = {"text": "Hi, I'm Penny.", "utter_action": "utter_introduction"}
NOTICE = {"text": "This is an attempt to collect a debt.", "utter_action": DEBT_COLLECTOR_NOTICE}


def said(name: str) -> dict[str, Any]:
    return {"text": f"the {name} text", "utter_action": name}


async def turn_of(*messages: dict[str, Any], fail: bool = False) -> list[str]:
    """The texts a collecting channel ends up with after a turn that sends `messages`."""
    output = CollectingOutputChannel()

    async def rasa(message: UserMessage) -> None:
        for sent in messages:
            await message.output_channel.send_response("debtor", dict(sent))
        if fail:
            raise RuntimeError("the tracker store went away")

    with pytest.raises(RuntimeError) if fail else nullcontext():
        await holding_the_notice(rasa)(UserMessage("hello", output, "debtor"))
    return [m["text"] for m in output.messages]


@pytest.mark.parametrize("answer", ["utter_flag_deceased", "utter_flag_attorney", "utter_wrong_person"])
async def test_the_notice_is_not_sent_to_a_relative_an_attorney_or_a_stranger(answer: str) -> None:
    texts = await turn_of(INTRODUCTION, NOTICE, said(answer), said("utter_flag_which_account"))

    assert texts == ["Hi, I'm Penny.", f"the {answer} text", "the utter_flag_which_account text"]


async def test_the_consumer_gets_the_notice_in_its_place() -> None:
    texts = await turn_of(INTRODUCTION, NOTICE, said("utter_ask_dob"))

    assert texts == ["Hi, I'm Penny.", NOTICE["text"], "the utter_ask_dob text"]


async def test_what_follows_the_notice_waits_for_the_end_of_the_turn() -> None:
    output = CollectingOutputChannel()
    held = HeldNotice(output)

    await held.send_response("debtor", dict(INTRODUCTION))
    await held.send_response("debtor", dict(NOTICE))
    await held.send_response("debtor", said("utter_ask_dob"))
    before = [m["text"] for m in output.messages]
    await held.release()

    assert before == ["Hi, I'm Penny."]
    assert len(output.messages) == 3


async def test_a_turn_without_the_notice_passes_straight_through() -> None:
    output = CollectingOutputChannel()
    held = HeldNotice(output)

    await held.send_response("debtor", said("utter_flag_attorney"))

    assert [m["text"] for m in output.messages] == ["the utter_flag_attorney text"]
    assert held.messages is output.messages  # the channel's own attributes are its wrapped channel's


async def test_a_failed_turn_still_sends_what_was_held() -> None:
    texts = await turn_of(INTRODUCTION, NOTICE, fail=True)

    assert texts == ["Hi, I'm Penny.", NOTICE["text"]]


def test_the_answers_named_are_responses_of_the_domain() -> None:
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]

    assert {DEBT_COLLECTOR_NOTICE, *WITHOUT_THE_NOTICE} <= responses.keys()
