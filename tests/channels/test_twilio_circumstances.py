"""The Twilio channel with the real accounts API (issue 11): a plain-words request that the texts stop
never reaches Rasa, exactly like STOP; the number on an account binds it in the metadata Rasa gets, and a
number flagged as a wrong number binds nothing any more."""

from __future__ import annotations

from tests.channels.conftest import ApiServer, Sms
from tests.factories import phone_number


async def test_asking_in_plain_words_for_the_texts_to_stop_never_reaches_rasa(
    sms: Sms, api_server: ApiServer
) -> None:
    phone = phone_number()
    await sms.text(phone, "hello")
    conversation = str(sms.agent.messages[-1].sender_id)

    await sms.text(phone, "please don't message me anymore")

    assert [m.text for m in sms.agent.messages] == ["hello"]
    [confirmation] = api_server.outbox(conversation)
    assert (confirmation["purpose"], confirmation["status"]) == ("opt_out_confirmation", "queued")


async def test_the_number_on_the_account_binds_it_until_it_is_flagged_as_a_wrong_number(
    sms: Sms, api_server: ApiServer
) -> None:
    phone = phone_number()
    account_id = api_server.create_account(phone)
    await sms.text(phone, "who is this?")
    [first] = sms.agent.messages

    with api_server.client() as client:
        flagged = client.post(
            "/api/v1/contacts/wrong-number", json={"conversation_id": first.sender_id, "channel": "sms"}
        )
    await sms.text(phone, "hello?")
    after_the_flag = sms.agent.messages[-1]

    assert first.metadata["account_id"] == account_id
    assert flagged.status_code == 200
    assert after_the_flag.text == "hello?" and after_the_flag.metadata["account_id"] is None
