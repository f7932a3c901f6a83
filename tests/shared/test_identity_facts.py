"""shared.identity_facts: identity facts by their shape, for the amounts and the contact hours."""

from shared.identity_facts import in_identity_facts, without_identity_facts


def test_identity_facts_are_found_and_blanked() -> None:
    text = "ACME-1001 / 03-14-1985 / zip 20001, not before 9"
    assert in_identity_facts(text, text.index("14")) and in_identity_facts(text, text.index("2000"))
    assert not in_identity_facts(text, text.index("9", text.index("before")))
    assert without_identity_facts(text).split() == ["/", "/", ",", "not", "before", "9"]
