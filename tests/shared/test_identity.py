"""shared.identity: the one rule for identity facts, at the agents' level and the review's stricter one."""

from shared import identity


def test_agents_still_read_the_account_reference_the_review_does_not() -> None:
    args = ("ACME-1001", "account_ref", None)
    assert identity.shown(identity.AGENT, *args) == "ACME-1001"
    assert identity.shown(identity.REVIEW, *args) == identity.IDENTITY_WITHHELD


def test_an_identity_entity_or_question_withholds_at_both_levels() -> None:
    dob = {"entities": [{"entity": "dob", "value": "x"}]}
    for level in (identity.AGENT, identity.REVIEW):
        assert identity.withholds(level, "it's the 14th of march", None, dob)
        assert identity.withholds(level, "20001", "zip_code", None)


def test_the_review_withholds_what_looks_like_a_fact_or_contact_detail() -> None:
    for text in ("born 3/14/85", "zip 20001", "call 555-867-5309", "me@example.com", "my name is Jo Smith"):
        assert identity.withholds(identity.REVIEW, text, None, None), text
    assert not identity.withholds(identity.REVIEW, "can i pay 50 a month", None, None)


def test_bot_messages_are_scrubbed_of_links_references_contacts_and_names() -> None:
    text = "Thanks Jordan, pay ACME-1001 at https://pay.example.org/p/tok3n or call +1 202 555 0100."
    scrubbed = identity.scrub(text, ["Jordan"])
    assert "Jordan" not in scrubbed and "tok3n" not in scrubbed and "ACME-1001" not in scrubbed
    assert "202 555" not in scrubbed and scrubbed.startswith("Thanks [identity details withheld], pay")


def test_ordinary_messages_stay_readable_for_the_review() -> None:
    ordinary = ("i am not able to pay", "i lost my job", "can i pay on december 15", "i am so sorry", "$665?")
    for text in ordinary:
        assert not identity.withholds(identity.REVIEW, text, None, None), text
