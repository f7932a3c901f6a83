"""shared.flag_words: a death, a bankruptcy or an attorney is a flag only with its words (issue 11)."""

import pytest

from shared.flag_words import names_the_flag


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("deceased", "my dad passed away in september"),
        ("deceased", "she's gone now, i'm handling her estate"),
        ("bankruptcy", "I filed chapter 7 last month"),
        ("bankruptcy", "i filed ch 13, case number 25-10432"),
        ("has_attorney", "my lawyer told me not to talk to you"),
        ("has_attorney", "talk to Rita Gomez at Gomez Law Group"),
        ("check_balance", "october 28"),
    ],
)
def test_a_flag_stands_with_its_words(intent: str, text: str) -> None:
    assert names_the_flag(intent, text)


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("deceased", "my husband is in the hospital"),
        ("bankruptcy", "october 28"),
        ("has_attorney", "ok thanks"),
    ],
)
def test_a_flag_without_its_words_is_a_misreading(intent: str, text: str) -> None:
    assert not names_the_flag(intent, text)
