"""Property: whatever a debtor writes around a DOB, ZIP, phone number, SSN or card number, no digit of it
reaches the review (the ingest's debtor turn), even when NLU found no entity and no form question was open."""

from hypothesis import given, settings
from hypothesis import strategies as st

from api.insights.ingest import debtor_turn
from api.insights.models import ReviewConversation
from tests.api.insights.rasa_events import user

WORDS = st.sampled_from(["my", "is", "here", "ok", "it's", "the", "number", "please", "thanks", "so", "and"])
FILLER = st.lists(WORDS, max_size=5).map(" ".join)
MONTHS = st.sampled_from(["March", "mar", "december", "Sept"])


@st.composite
def secrets(draw: st.DrawFn) -> str:
    """An identity fact or contact detail in one of the ways people write it."""
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(1930, 2005))
    area, line = draw(st.integers(201, 989)), draw(st.integers(0, 9999))
    return draw(
        st.sampled_from(
            [
                f"{month:02d}/{day:02d}/{year}",
                f"{year}-{month:02d}-{day:02d}",
                f"{month}.{day}.{year % 100:02d}",
                f"{draw(MONTHS)} {day}, {year}",
                f"{day}th of {draw(MONTHS)} {year}",
                f"{draw(st.integers(10000, 99999))}",
                f"({area}) 555-{line:04d}",
                f"+1 {area} 555 {line:04d}",
                f"{area}555{line:04d}",
                f"{draw(st.integers(100, 899))}-{draw(st.integers(10, 99))}-{draw(st.integers(1000, 9999))}",
                "4111 1111 1111 1111",
                "5500-0000-0000-0004",
            ]
        )
    )


@settings(max_examples=300, deadline=None)
@given(before=FILLER, secret=secrets(), after=FILLER)
def test_no_identity_fact_or_contact_detail_is_ever_kept(before: str, secret: str, after: str) -> None:
    conversation = ReviewConversation(sender_id="s", requested_slot=None)
    turn = debtor_turn(conversation, user(f"{before} {secret} {after}".strip(), "inform_identity"), 0.6)

    digits = "".join(char for char in secret if char.isdigit())
    assert digits not in "".join(char for char in turn.text if char.isdigit())
    assert secret not in turn.text
