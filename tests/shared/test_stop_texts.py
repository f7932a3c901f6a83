"""One definition of asking in plain words for the texts to stop, for the API's whole SMS and the Rasa side's
reading of a longer message."""

import pytest

from shared.stop_texts import asks_to_stop, normalize, only_asks_to_stop


@pytest.mark.parametrize(
    "text",
    [
        "thats all i needed, now please quit texting me, mail only from here on",
        "fine whatever. remove my number from ur contact list",
        "I don't care what it's about. Stop texting me!!",
        "ok. opt me out",
        "i paid already so stop contacting me",
    ],
)
def test_a_request_inside_a_longer_message_is_found(text: str) -> None:
    assert asks_to_stop(text)


@pytest.mark.parametrize(
    "text",
    ["i will stop by the office", "the texts you sent were confusing", "dont stop the plan", "unsubscribed"],
)
def test_other_words_about_texts_or_stopping_are_not_a_request(text: str) -> None:
    assert not asks_to_stop(text)


def test_a_whole_message_with_ur_list_is_left_to_the_nlu_but_found_inside_a_longer_one() -> None:
    # after a wrong number, "take my number off ur list" is the wrong person again (its apology goes out)
    assert not only_asks_to_stop("ok pls just take my number off ur list")
    assert asks_to_stop("ok pls just take my number off ur list")


def test_opt_me_out_is_a_whole_message_opt_out() -> None:
    assert only_asks_to_stop("Please opt me out.")


def test_normalize_drops_apostrophes_and_punctuation() -> None:
    assert normalize("Please DON\u2019T text me!!  again") == "please dont text me again"
