"""`.env` values reach the services exactly as written (honcho's reader joined words: issue 10, defect 7)."""

from __future__ import annotations

from pathlib import Path

from stack import envfile
from stack.envfile import materialise

ROOT = Path(__file__).resolve().parents[2]


def test_unquoted_values_keep_their_spaces_and_punctuation() -> None:
    values = envfile.parse(
        "SMS_SUPPORT_CONTACT=1-800-555-0100, Mon-Fri 8am-8pm ET\nNAME=Acme Recovery Services\n"
    )

    assert values == {
        "SMS_SUPPORT_CONTACT": "1-800-555-0100, Mon-Fri 8am-8pm ET",
        "NAME": "Acme Recovery Services",
    }


def test_quotes_comments_and_export_follow_dotenv() -> None:
    text = '# comment\nexport A=\'x  y\'\nB="two  words" # note\nC=plain # note\nD=\nE={"k": {"kind": "x"}}\n'

    assert envfile.parse(text) == {
        "A": "x  y",
        "B": "two  words",
        "C": "plain",
        "D": "",
        "E": '{"k": {"kind": "x"}}',
    }


def test_references_resolve_from_the_environment_first_then_the_file() -> None:
    text = "PORT=8000\nURL=http://localhost:${PORT}\nRAW='${PORT}'\nDEF=${MISSING:-fallback}\n"

    assert envfile.parse(text)["URL"] == "http://localhost:8000"
    assert envfile.parse(text, {"PORT": "9001"})["URL"] == "http://localhost:9001"
    assert envfile.parse(text)["RAW"] == "${PORT}"
    assert envfile.parse(text)["DEF"] == "fallback"


def test_the_example_file_gives_every_documented_value_whole() -> None:
    example = "\n".join(materialise(line) for line in (ROOT / ".env.example").read_text().splitlines())

    values = envfile.parse(example)

    assert values["SMS_COMPANY_NAME"] == "Acme Recovery Services"
    assert values["SMS_SUPPORT_CONTACT"] == "1-800-555-0100, Mon-Fri 8am-8pm ET"
    assert values["ACCOUNTS_API_URL"] == "http://127.0.0.1:8000"
    assert values["API_PUBLIC_URL"] == "http://localhost:8000"
    assert values["PUBLIC_BASE_URL"] == "http://localhost:5006"  # the webhook's own port, not Rasa's
    assert "generate-me" not in values.values()


def test_a_missing_file_reads_as_empty(tmp_path: Path) -> None:
    assert envfile.read(tmp_path / "absent.env") == {}
