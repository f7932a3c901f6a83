"""`.env` is made once with fresh secrets, and later only gains the variables a newer example adds."""

from stack import envfile
from tests.scripts import load_script

ensure_env = load_script("ensure_env")


def test_a_new_env_gets_fresh_secrets_and_every_documented_variable(tmp_path):
    (tmp_path / ".env.example").write_text("# a comment\nAPI_TOKEN=generate-me\nPORT=8000\n")
    ensure_env.main(tmp_path)
    lines = (tmp_path / ".env").read_text().splitlines()
    token = lines[1].partition("=")[2]
    assert len(token) >= 32 and token != "generate-me"
    assert lines[2] == "PORT=8000"
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0


def test_an_existing_env_keeps_its_values_and_gains_only_what_is_missing(tmp_path):
    (tmp_path / ".env.example").write_text(
        "API_TOKEN=generate-me\nWEBCHAT_JWT_SECRET=generate-me\nPORT=8000\n"
    )
    (tmp_path / ".env").write_text("API_TOKEN=mine\nPORT=9000\n")
    ensure_env.main(tmp_path)
    env = dict(line.split("=", 1) for line in (tmp_path / ".env").read_text().splitlines())
    assert env["API_TOKEN"] == "mine" and env["PORT"] == "9000"
    assert len(env["WEBCHAT_JWT_SECRET"]) >= 32
    ensure_env.main(tmp_path)
    assert (tmp_path / ".env").read_text().count("WEBCHAT_JWT_SECRET") == 1


def test_a_retired_default_is_replaced_after_the_variables_it_now_names(tmp_path):
    """An .env from before the webhook's own port posted SMS to Rasa's port, which no longer takes them."""
    (tmp_path / ".env.example").write_text(
        "RASA_PORT=5005\nTWILIO_ACK_PORT=5006\nPUBLIC_BASE_URL=http://localhost:${TWILIO_ACK_PORT}\n"
    )
    (tmp_path / ".env").write_text("RASA_PORT=5005\nPUBLIC_BASE_URL=http://localhost:${RASA_PORT}\n")
    ensure_env.main(tmp_path)
    values = envfile.read(tmp_path / ".env")
    assert values["PUBLIC_BASE_URL"] == "http://localhost:5006"
    ensure_env.main(tmp_path)
    assert (tmp_path / ".env").read_text().count("\nPUBLIC_BASE_URL=") == 1


def test_a_public_url_of_ones_own_is_kept(tmp_path):
    (tmp_path / ".env.example").write_text("PUBLIC_BASE_URL=http://localhost:${TWILIO_ACK_PORT}\n")
    (tmp_path / ".env").write_text("PUBLIC_BASE_URL=https://sms.example.org\n")
    ensure_env.main(tmp_path)
    assert (tmp_path / ".env").read_text() == "PUBLIC_BASE_URL=https://sms.example.org\n"
