"""The compliance gate, rule by rule: each test names the regulation it proves (12 CFR 1006, TCPA/CTIA).

Messages go through the one outbound path (POST /messages/outbound) with the API's clock pinned; the
worker's re-check just before sending is the same `compliance.evaluate`, called here at a later time.
"""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.accounts.models import Account, ContactPreference
from api.collections import service as collections
from api.compliance import gate as compliance
from api.messaging import outbox
from shared.vocabulary import BlockReason, Purpose
from tests.api.compliance_helpers import (
    LOS_ANGELES,
    MONDAY_NOON_NEW_YORK,
    NEW_YORK,
    TOLL_FREE,
    account_with,
    debtor_writes,
    mark_sent,
    outbound_row,
    pin_clock,
    send,
)
from tests.api.sms_helpers import OUTBOUND, inbound, outbound

EST = timedelta(hours=5)
"""New York is UTC-5 in late November: 13:00 UTC is 08:00 there."""
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def _local_new_york(hour: int, minute: int = 0, day: datetime = MONDAY) -> datetime:
    return day + timedelta(hours=hour, minutes=minute) + EST


# Reg F 1006.6(b)(1): inconvenient times


def test_1006_6_b_1_no_bot_initiated_sms_before_8am_local(client: TestClient) -> None:
    account_with(client, NEW_YORK)

    early = send(client, _local_new_york(7, 59), NEW_YORK)
    at_eight = send(client, _local_new_york(8, 0), NEW_YORK)

    assert (early["status"], early["reasons"]) == ("blocked", [BlockReason.OUTSIDE_CONTACT_HOURS])
    assert at_eight["status"] == "queued"


def test_1006_6_b_1_no_bot_initiated_sms_after_9pm_local(client: TestClient) -> None:
    account_with(client, NEW_YORK)

    at_nine = send(client, _local_new_york(21, 0), NEW_YORK)
    late = send(client, _local_new_york(21, 1), NEW_YORK)

    assert at_nine["status"] == "queued"
    assert (late["status"], late["reasons"]) == ("blocked", [BlockReason.OUTSIDE_CONTACT_HOURS])


def test_1006_6_b_1_the_reply_to_a_debtor_who_writes_at_11pm_may_go(
    client: TestClient, session: Session
) -> None:
    account_with(client, NEW_YORK)
    sid = debtor_writes(client, _local_new_york(23, 0), NEW_YORK)

    reply = send(client, _local_new_york(23, 1), NEW_YORK, kind="reply", in_reply_to=sid, body="Hello")

    assert (reply["status"], reply["reasons"]) == ("queued", [])
    row = outbound_row(session, reply["id"])
    assert (row.initiated, row.body) == (False, "Hello")


def test_1006_6_b_1_a_reply_long_after_the_debtors_message_counts_as_bot_initiated(
    client: TestClient,
) -> None:
    account_with(client, NEW_YORK)
    sid = debtor_writes(client, _local_new_york(22, 0), NEW_YORK)

    late = send(client, _local_new_york(23, 30), NEW_YORK, kind="reply", in_reply_to=sid)

    assert late["reasons"] == [BlockReason.OUTSIDE_CONTACT_HOURS]


def test_1006_6_b_1_a_reminder_is_never_a_reply_even_right_after_the_debtor_wrote(client: TestClient) -> None:
    account_with(client, NEW_YORK)
    debtor_writes(client, _local_new_york(23, 0), NEW_YORK)

    assert send(client, _local_new_york(23, 1), NEW_YORK, kind="reminder")["status"] == "blocked"


def test_1006_6_b_1_comment_2_conflicting_locations_must_all_be_convenient(client: TestClient) -> None:
    """On file in New York, but the number is a Los Angeles one: 08:30 in New York is 05:30 there."""
    account_with(client, LOS_ANGELES, time_zone="America/New_York")

    early_in_la = send(client, _local_new_york(8, 30), LOS_ANGELES)
    noon = send(client, MONDAY_NOON_NEW_YORK, LOS_ANGELES)

    assert early_in_la["reasons"] == [BlockReason.OUTSIDE_CONTACT_HOURS]
    assert noon["status"] == "queued"


def test_1006_6_b_1_without_a_known_zone_the_window_must_hold_in_every_zone_of_the_number(
    client: TestClient,
) -> None:
    """Noon in New York is 03:00 in Guam: a toll-free number without a debtor on file must wait."""
    unknown_owner = send(client, MONDAY_NOON_NEW_YORK, TOLL_FREE)
    late_evening_everywhere = send(client, MONDAY + timedelta(hours=23), TOLL_FREE)

    assert unknown_owner["reasons"] == [BlockReason.OUTSIDE_CONTACT_HOURS]
    assert late_evening_everywhere["status"] == "queued"  # 18:00 New York, 09:00 Guam, 19:30 St John's


def test_1006_6_b_1_a_recorded_zone_wins_over_a_number_that_says_nothing(client: TestClient) -> None:
    account_with(client, TOLL_FREE, time_zone="America/Chicago")

    assert send(client, MONDAY_NOON_NEW_YORK, TOLL_FREE)["status"] == "queued"


def test_1006_6_b_1_the_worker_re_checks_the_hours_just_before_sending(
    client: TestClient, session: Session
) -> None:
    account_with(client, NEW_YORK)
    queued = send(client, _local_new_york(20, 59), NEW_YORK)

    decision = compliance.evaluate(
        session, outbox.candidate(outbound_row(session, queued["id"])), _local_new_york(21, 5)
    )

    assert queued["status"] == "queued"
    assert decision.reasons == (BlockReason.OUTSIDE_CONTACT_HOURS,)


def _prefer(session: Session, account_id: str, weekdays: list[int], hours: list[list[int]]) -> None:
    account = session.get(Account, account_id)
    assert account is not None
    session.add(
        ContactPreference(
            debtor_id=account.debtor_id, inconvenient_weekdays=weekdays, inconvenient_hours=hours
        )
    )
    session.commit()


def test_1006_6_b_1_the_debtors_own_inconvenient_days_are_honoured(
    client: TestClient, session: Session
) -> None:
    _prefer(session, account_with(client, NEW_YORK), weekdays=[0], hours=[])  # "not on Mondays"

    monday = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)
    tuesday = send(client, MONDAY_NOON_NEW_YORK + timedelta(days=1), NEW_YORK)

    assert monday["reasons"] == [BlockReason.INCONVENIENT_FOR_DEBTOR]
    assert tuesday["status"] == "queued"


def test_1006_6_b_1_the_debtors_own_inconvenient_hours_are_honoured(
    client: TestClient, session: Session
) -> None:
    _prefer(session, account_with(client, NEW_YORK), weekdays=[], hours=[[12, 14]])  # "not at lunch"

    lunch = send(client, _local_new_york(12, 30), NEW_YORK)
    afternoon = send(client, _local_new_york(14, 0), NEW_YORK)
    sid = debtor_writes(client, _local_new_york(12, 40), NEW_YORK)
    reply = send(client, _local_new_york(12, 41), NEW_YORK, kind="reply", in_reply_to=sid)

    assert lunch["reasons"] == [BlockReason.INCONVENIENT_FOR_DEBTOR]
    assert afternoon["status"] == reply["status"] == "queued"


# Reg F 1006.14(h): a medium the debtor asked us not to use


def _refuse(session: Session, account_id: str, channels: list[str]) -> None:
    account = session.get(Account, account_id)
    assert account is not None
    session.add(
        ContactPreference(
            debtor_id=account.debtor_id,
            inconvenient_weekdays=[],
            inconvenient_hours=[],
            refused_channels=channels,
            preferred_channel="email",
        )
    )
    session.commit()


def test_1006_14_h_nothing_bot_initiated_by_sms_once_the_debtor_refused_texts(
    client: TestClient, session: Session
) -> None:
    _refuse(session, account_with(client, NEW_YORK), ["sms"])

    reminder = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)
    agent = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, kind="agent")

    assert (reminder["status"], reminder["reasons"]) == ("blocked", [BlockReason.CHANNEL_REFUSED])
    assert agent["reasons"] == [BlockReason.CHANNEL_REFUSED]


def test_1006_14_h_2_a_reply_to_what_the_debtor_wrote_on_the_refused_medium_may_go(
    client: TestClient, session: Session
) -> None:
    _refuse(session, account_with(client, NEW_YORK), ["sms"])
    sid = debtor_writes(client, MONDAY_NOON_NEW_YORK, NEW_YORK)

    reply = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, kind="reply", in_reply_to=sid)

    assert (reply["status"], reply["reasons"]) == ("queued", [])


def test_1006_14_h_refusing_email_leaves_texts_alone(client: TestClient, session: Session) -> None:
    _refuse(session, account_with(client, NEW_YORK), ["email"])

    assert send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)["status"] == "queued"


def test_1006_14_h_a_refused_medium_is_not_an_opt_out(client: TestClient, session: Session) -> None:
    _refuse(session, account_with(client, NEW_YORK), ["sms"])

    send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)
    reasons = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)["reasons"]

    assert BlockReason.OPTED_OUT not in reasons and BlockReason.REMINDERS_OPTED_OUT not in reasons


# Frequency cap (our SMS cadence cap, in the spirit of 1006.14(b)(2)'s 7-in-7)


def test_1006_14_b_cadence_cap_blocks_the_8th_bot_initiated_sms_within_7_days(
    client: TestClient, session: Session
) -> None:
    account_with(client, NEW_YORK)
    start = MONDAY_NOON_NEW_YORK
    for day in range(7):
        mark_sent(
            session, send(client, start + timedelta(days=day), NEW_YORK)["id"], start + timedelta(days=day)
        )

    eighth = send(client, start + timedelta(days=6, hours=1), NEW_YORK)
    a_week_after_the_first = send(client, start + timedelta(days=7, minutes=1), NEW_YORK)

    assert eighth["reasons"] == [BlockReason.FREQUENCY_CAP]
    assert a_week_after_the_first["status"] == "queued"


def test_1006_14_b_replies_are_not_capped(client: TestClient, session: Session) -> None:
    account_with(client, NEW_YORK)
    for day in range(7):
        at = MONDAY_NOON_NEW_YORK + timedelta(hours=day)
        mark_sent(session, send(client, at, NEW_YORK)["id"], at)
    sid = debtor_writes(client, MONDAY_NOON_NEW_YORK + timedelta(hours=8), NEW_YORK)

    reply = send(client, MONDAY_NOON_NEW_YORK + timedelta(hours=8), NEW_YORK, kind="reply", in_reply_to=sid)

    assert reply["status"] == "queued"


def test_1006_14_b_the_cap_is_configurable(client: TestClient, session: Session) -> None:
    account_with(client, NEW_YORK)
    mark_sent(session, send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)["id"], MONDAY_NOON_NEW_YORK)
    row = outbound_row(session, send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)["id"])
    strict = compliance.GateConfig(max_initiated_per_7_days={"sms": 1})

    decision = compliance.evaluate(session, outbox.candidate(row), MONDAY_NOON_NEW_YORK, config=strict)

    assert decision.reasons == (BlockReason.FREQUENCY_CAP,)


# Flags: attorney 1006.6(b)(2), cease communication 1006.6(c), bankruptcy, deceased


def _flag(client: TestClient, account_id: str, flag: str) -> None:
    response = client.post(f"/api/v1/accounts/{account_id}/flags", json={"flag": flag})
    assert response.status_code == 201, response.text


def _reply(client: TestClient, phone: str, **fields: str) -> dict[str, str]:
    sid = debtor_writes(client, MONDAY_NOON_NEW_YORK, phone)
    return send(client, MONDAY_NOON_NEW_YORK, phone, kind="reply", in_reply_to=sid, **fields)


def test_1006_6_c_after_cease_communication_collection_messages_stop(client: TestClient) -> None:
    _flag(client, account_with(client, NEW_YORK), "cease_communication")

    assert _reply(client, NEW_YORK, body="Your balance is $120.00.")["reasons"] == [
        "collection_stopped:cease_communication"
    ]
    assert send(client, MONDAY_NOON_NEW_YORK, NEW_YORK)["status"] == "blocked"


@pytest.mark.parametrize(
    "flag",
    [
        pytest.param("attorney", id="1006_6_b_2_attorney"),
        pytest.param("bankruptcy", id="bankruptcy_automatic_stay"),
        pytest.param("deceased", id="deceased"),
    ],
)
def test_1006_6_b_2_attorney_bankruptcy_and_death_stop_collection_messages(
    client: TestClient, flag: str
) -> None:
    _flag(client, account_with(client, NEW_YORK), flag)

    assert _reply(client, NEW_YORK)["reasons"] == [f"collection_stopped:{flag}"]


@pytest.mark.parametrize("purpose", compliance.CLIENT_PURPOSES)
def test_1006_6_c_only_the_permitted_messages_remain_after_a_flag(client: TestClient, purpose: str) -> None:
    _flag(client, account_with(client, NEW_YORK), "cease_communication")

    assert _reply(client, NEW_YORK, purpose=purpose, body="We have noted your request.")["status"] == "queued"


def test_1006_6_c_help_and_opt_out_answers_remain_after_a_flag(client: TestClient) -> None:
    _flag(client, account_with(client, NEW_YORK), "attorney")
    pin_clock(client, MONDAY_NOON_NEW_YORK)
    conversation = inbound(client, NEW_YORK, "HELP")["conversation_id"]
    inbound(client, NEW_YORK, "STOP")

    listed = client.get(OUTBOUND, params={"conversation_id": conversation}).json()

    assert {(m["purpose"], m["status"]) for m in listed} == {
        (Purpose.HELP, "queued"),
        (Purpose.OPT_OUT_CONFIRMATION, "queued"),
    }


def test_clients_cannot_declare_the_apis_own_purposes(client: TestClient) -> None:
    pin_clock(client, MONDAY_NOON_NEW_YORK)

    outbound(client, expect=422, to=NEW_YORK, purpose=Purpose.HELP)


# Disputes: 1006.38(d)(2)


def test_1006_38_d_2_collection_is_paused_until_validation_is_sent(
    client: TestClient, session: Session
) -> None:
    account_id = account_with(client, NEW_YORK)
    client.post(f"/api/v1/accounts/{account_id}/disputes", json={"reason": "wrong_amount"})

    paused = _reply(client, NEW_YORK, body="Shall we set up a plan?")
    validation = _reply(client, NEW_YORK, purpose=Purpose.VALIDATION_NOTICE, body="Here is what we have.")
    account = session.get(Account, account_id)
    assert account is not None
    collections.record_validation_sent(session, account, MONDAY.date())
    resumed = _reply(client, NEW_YORK, body="Shall we set up a plan?")

    assert paused["reasons"] == [BlockReason.DISPUTE_PENDING]
    assert validation["status"] == resumed["status"] == "queued"


# Language: FDCPA 806/807, Reg F 1006.14(d), 1006.18(c), 1006.26(b)


@pytest.mark.parametrize(
    ("body", "category"),
    [
        pytest.param(
            "Pay today or you could be arrested.", "threat_of_arrest", id="1006_18_c_threat_of_arrest"
        ),
        pytest.param("We will sue you next week.", "legal_threat", id="1006_18_c_threat_of_a_lawsuit"),
        pytest.param("Your wages may be garnished.", "garnishment", id="1006_18_c_garnishment"),
        pytest.param("FINAL NOTICE: your balance is due.", "false_urgency", id="1006_18_false_urgency"),
        pytest.param("Act now or lose this offer.", "false_urgency", id="1006_18_act_now_or"),
        pytest.param("Pay up, you deadbeat.", "profanity", id="1006_14_d_abusive_language"),
    ],
)
def test_1006_18_forbidden_language_never_goes_out(client: TestClient, body: str, category: str) -> None:
    account_with(client, NEW_YORK)

    assert _reply(client, NEW_YORK, body=body)["reasons"] == [f"forbidden_language:{category}"]


def test_1006_26_b_a_time_barred_debt_never_mentions_suing_or_court(client: TestClient) -> None:
    account_with(client, NEW_YORK, time_barred=True)
    account_with(client, LOS_ANGELES, time_barred=False)

    barred = _reply(client, NEW_YORK, body="This could end up in court.")
    not_barred = _reply(client, LOS_ANGELES, body="This could end up in court.")
    disclosure = _reply(
        client,
        NEW_YORK,
        body="The law limits how long you can be sued on a debt. "
        "Because of the age of your debt, we will not sue you for it.",
    )

    assert barred["reasons"] == ["forbidden_language:time_barred_legal_mention"]
    assert not_barred["status"] == disclosure["status"] == "queued"


# Electronic opt-out notice: 1006.6(e)


def test_1006_6_e_every_bot_initiated_sms_carries_the_opt_out_notice(
    client: TestClient, session: Session
) -> None:
    account_with(client, NEW_YORK)

    added = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, body="A reminder about your plan.")
    kept = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, body="A reminder. Text STOP to opt out.")

    assert outbound_row(session, added["id"]).body.endswith(" Reply STOP to opt out.")
    assert "Reply STOP" not in outbound_row(session, kept["id"]).body
    assert outbound_row(session, kept["id"]).body.startswith("A reminder. Text STOP to opt out.")


def test_1006_6_e_a_bot_initiated_sms_without_room_for_the_notice_is_blocked(client: TestClient) -> None:
    account_with(client, NEW_YORK)

    full = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, body="x" * 1600)

    assert full["reasons"] == ["missing_disclosure:mini_miranda", BlockReason.MISSING_OPT_OUT_NOTICE]


def test_1006_6_e_replies_are_left_as_written(client: TestClient, session: Session) -> None:
    account_with(client, NEW_YORK)

    reply = _reply(client, NEW_YORK, body="Thanks, noted.")

    assert outbound_row(session, reply["id"]).body == "Thanks, noted."


def test_tcpa_ctia_an_opted_out_number_gets_nothing_but_the_confirmation(client: TestClient) -> None:
    account_with(client, NEW_YORK)
    debtor_writes(client, MONDAY_NOON_NEW_YORK, NEW_YORK, "STOP")

    assert _reply(client, NEW_YORK)["reasons"] == [BlockReason.OPTED_OUT]


def test_1006_6_e_an_email_opt_out_stops_sms_reminders_but_not_replies(client: TestClient) -> None:
    account = account_with(client, NEW_YORK)
    pin_clock(client, MONDAY_NOON_NEW_YORK)
    email = {"account_id": account, "subject": "Reminder", "body": "Your payment is due."}
    conversation = _email_conversation(client, email)
    opted = client.post(
        "/api/v1/contacts/opt-out", json={"conversation_id": conversation, "channel": "email"}
    )
    assert opted.status_code == 200, opted.text

    reminder = send(client, MONDAY_NOON_NEW_YORK, NEW_YORK, account_id=account)

    assert reminder["reasons"] == [BlockReason.REMINDERS_OPTED_OUT]
    assert _reply(client, NEW_YORK)["status"] == "queued"


def _email_conversation(client: TestClient, email: dict[str, str]) -> str:
    """Queue an email (creating the debtor's email contact); its conversation id."""
    queued = client.post("/api/v1/messages/email", json=email)
    assert queued.status_code == 202, queued.text
    detail = client.get(f"/api/v1/messages/outbound/{queued.json()['id']}")
    return str(detail.json()["conversation_id"])


def test_every_rule_of_the_gate_is_covered_here() -> None:
    assert [rule.__name__ for rule in compliance.RULES] == [
        "opted_out",
        "email_undeliverable",
        "reminders_opted_out",
        "contact_hours",
        "debtor_inconvenient_times",
        "channel_refused",
        "frequency_cap",
        "collection_stopped",
        "dispute_pending",
        "forbidden_language",
        "client_disclosures",
        "opt_out_notice",
    ]
    assert all(rule.__doc__ for rule in compliance.RULES)
