"""One definition of the services: the Procfile's lines, started with one env file's values, as
`make run` (honcho) and the tests both start them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from stack.__main__ import HONCHO
from stack.services import PROCFILE, environment, read_procfile, spawn

PROBE = "import os; print(os.environ['SMS_SUPPORT_CONTACT']); print(os.environ['API_PORT'])"
PRINT_ENV = f'{sys.executable} -c "{PROBE}"'


def test_the_procfile_names_every_service_of_make_run() -> None:
    assert list(read_procfile()) == [
        "api",
        "worker",
        "actions",
        "rasa",
        "campaigns",
        "beat",
        "sms",
        "mail",
        "ready",
    ]


def test_rasa_adds_no_cors_header_of_its_own() -> None:
    """The socket.io server sets Access-Control-Allow-Origin itself; Rasa's --cors doubled it (defect 1)."""
    assert "--cors" not in read_procfile()["rasa"]


def test_every_service_listens_where_the_env_file_says() -> None:
    commands = read_procfile()

    assert '"$API_PORT"' in commands["api"]
    assert '"$ACTIONS_PORT"' in commands["actions"]
    assert '"$RASA_PORT"' in commands["rasa"]


def test_no_command_line_holds_a_secret() -> None:
    """`ps` shows every user a process's command line: secrets reach the services in their environment."""
    secret_words = ("TOKEN", "SECRET", "PASSWORD", "KEY", "AUTH_")
    for name, command in read_procfile().items():
        variables = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", command)
        assert not [v for v in variables if any(word in v for word in secret_words)], name


def test_the_environment_wins_over_the_file_and_references_follow_it(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("API_PORT=8000\nACCOUNTS_API_URL=http://localhost:${API_PORT}\nNAME=Acme Recovery\n")

    env = environment(env_file, {"API_PORT": "9100"})

    assert (env["API_PORT"], env["ACCOUNTS_API_URL"], env["NAME"]) == (
        "9100",
        "http://localhost:9100",
        "Acme Recovery",
    )
    assert env["PYTHONPATH"] == str(PROCFILE.parent)


def test_a_spawned_process_gets_each_value_exactly_as_written(tmp_path: Path) -> None:
    procfile, env_file = probe_files(tmp_path)
    output = tmp_path / "probe.log"

    with output.open("wb") as log:
        assert spawn("probe", environment(env_file, {"PATH": "/usr/bin:/bin"}), log, procfile).wait(30) == 0

    assert output.read_text().splitlines() == ["1-800-555-0100, Mon-Fri 8am-8pm ET", "8000"]


def probe_files(tmp_path: Path) -> tuple[Path, Path]:
    procfile, env_file = tmp_path / "Procfile", tmp_path / ".env"
    procfile.write_text(f"probe: {PRINT_ENV}\n")
    env_file.write_text("SMS_SUPPORT_CONTACT=1-800-555-0100, Mon-Fri 8am-8pm ET\nAPI_PORT=8000\n")
    return procfile, env_file


def launch(tmp_path: Path, *verb: str) -> str:
    procfile, env_file = probe_files(tmp_path)
    command = [sys.executable, "-m", "stack", "--env-file", str(env_file), "--procfile", str(procfile), *verb]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def test_make_run_under_honcho_passes_each_value_exactly_as_written(tmp_path: Path) -> None:
    """`make run` is `python -m stack run`: honcho starts the processes with the values whole."""
    if not HONCHO.exists():
        pytest.skip("honcho is installed in the bot environment by `make install`")

    output = launch(tmp_path, "run", "probe")

    assert "| 1-800-555-0100, Mon-Fri 8am-8pm ET" in output
    assert "| 8000" in output


def test_exec_runs_a_command_in_the_services_environment(tmp_path: Path) -> None:
    output = launch(
        tmp_path, "exec", "--", sys.executable, "-c", "import os; print(os.environ['SMS_SUPPORT_CONTACT'])"
    )

    assert output.strip() == "1-800-555-0100, Mon-Fri 8am-8pm ET"
