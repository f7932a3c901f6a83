"""`python -m sms_sink.demo`: texts the bot through a running sink and prints the replies sent back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from twilio.rest import Client

from sms_sink import demo
from sms_sink.server import SmsSink
from tests.fakes.twilio_server import FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN
from tests.sms_sink.conftest import FormReceiver, Posted, sink_config

OUR_NUMBER = "+15005550006"


class EchoBot:
    """Rasa and the worker in one: answers each text with two replies, through the sink's REST API."""

    def __init__(self) -> None:
        self.client = Client(FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN)

    def __call__(self, posted: Posted) -> None:
        for reply in (f"You said: {posted.params['Body']}", "Anything else?"):
            self.client.messages.create(to=posted.params["From"], from_=OUR_NUMBER, body=reply)


@pytest.fixture
def echo_sink() -> Iterator[SmsSink]:
    bot = EchoBot()
    rasa = FormReceiver(on_post=bot)
    with SmsSink(sink_config(rasa.url)) as sink:
        bot.client.api.base_url = sink.url
        yield sink
    rasa.close()


def test_each_text_is_printed_with_the_replies_it_got(
    echo_sink: SmsSink, capsys: pytest.CaptureFixture[str]
) -> None:
    code = demo.main(["hi", "I want to pay", "--sink", echo_sink.url, "--quiet", "0.3"])

    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "you> hi",
        "bot> You said: hi",
        "bot> Anything else?",
        "you> I want to pay",
        "bot> You said: I want to pay",
        "bot> Anything else?",
    ]


def test_the_demo_texts_from_the_demo_debtor_unless_told(echo_sink: SmsSink) -> None:
    demo.main(["hi", "--sink", echo_sink.url, "--quiet", "0.1"])
    demo.main(["hi", "--from", "+13125550188", "--sink", echo_sink.url, "--quiet", "0.1"])

    assert echo_sink.sent_to("+12025550143") == ["You said: hi", "Anything else?"]
    assert len(echo_sink.sent_to("+13125550188")) == 2


def test_no_reply_says_what_to_check(receiver: FormReceiver, capsys: pytest.CaptureFixture[str]) -> None:
    with SmsSink(sink_config(receiver.url)) as sink:
        url = sink.url
        code = demo.main(["hi", "--sink", url, "--wait", "0.2"])

    assert code == 1
    assert (
        f"no reply in 0.2 s: is the worker running, with TWILIO_API_BASE_URL={url}?"
        in capsys.readouterr().err
    )


def test_a_text_rasa_refused_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with SmsSink(sink_config("http://127.0.0.1:9")) as sink:
        code = demo.main(["hi", "--sink", sink.url])

    assert code == 1
    assert "Rasa is not reachable at http://127.0.0.1:9" in capsys.readouterr().err


def test_no_sink_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main(["hi", "--sink", "http://127.0.0.1:9"]) == 1
    assert "no SMS sink at http://127.0.0.1:9" in capsys.readouterr().err
