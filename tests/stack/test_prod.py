"""The production profile's one definition: Procfile.prod expanded to N copies, nginx's configuration from
the template with their ports, .env.prod over .env, and the readiness probes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared import heartbeat
from stack import probes
from stack.prod import (
    PROD_PROCFILE,
    TWILIO_ACK,
    ProfileError,
    expand,
    nginx_values,
    render_nginx,
    replica_ports,
    write_procfile,
)
from stack.services import ROOT, environment, read_procfile, spawn

PROFILE = {
    "API_PORT": "8000",
    "RASA_PORT": "5005",
    "ACTIONS_PORT": "5055",
    "RASA_REPLICA_BASE_PORT": "5100",
    "ACTIONS_REPLICA_BASE_PORT": "5150",
    "TWILIO_ACK_PORT": "5006",
    "TWILIO_ACK_REPLICA_BASE_PORT": "5200",
    "NGINX_LISTEN": "127.0.0.1:8080",
}


def test_the_profile_names_every_service_once() -> None:
    assert list(read_procfile(PROD_PROCFILE)) == [
        "api",
        "worker",
        "actions",
        "rasa",
        "campaigns",
        "beat",
        "nginx",
        "ready",
    ]


def test_rasa_and_the_action_server_run_as_two_copies_by_default_each_on_its_own_port() -> None:
    expanded = expand(read_procfile(PROD_PROCFILE), PROFILE)

    assert [name for name in expanded if name.startswith(("rasa", "actions"))] == [
        "actions1",
        "actions2",
        "rasa1",
        "rasa2",
    ]
    assert expanded["rasa2"].startswith("env RASA_PORT=5102 TWILIO_ACK_PORT=5202 /bin/sh -c ")
    assert expanded["actions1"].startswith("env ACTIONS_PORT=5151 /bin/sh -c ")
    assert expanded["api"] == read_procfile(PROD_PROCFILE)["api"]


def test_the_number_of_copies_comes_from_the_environment() -> None:
    assert replica_ports({**PROFILE, "RASA_REPLICAS": "3"}, "rasa") == [5101, 5102, 5103]
    with pytest.raises(ProfileError, match="RASA_REPLICAS"):
        replica_ports({**PROFILE, "RASA_REPLICAS": "0"}, "rasa")
    with pytest.raises(ProfileError, match="RASA_REPLICA_BASE_PORT"):
        replica_ports({"RASA_REPLICAS": "2"}, "rasa")


def test_a_copy_gets_its_ports_and_the_command_line_stays_the_procfiles(tmp_path: Path) -> None:
    """The copy's line runs the same command with its own ports in the environment (no secret added)."""
    show = "import os; print(os.environ['RASA_PORT'], os.environ['TWILIO_ACK_PORT'])"
    procfile = write_procfile(expand({"rasa": f'python3 -c "{show}"'}, PROFILE), tmp_path / "P")
    output = tmp_path / "out.log"

    with output.open("wb") as log:
        assert spawn("rasa2", {"PATH": "/usr/bin:/bin"}, log, procfile).wait(30) == 0

    assert output.read_text().strip() == "5102 5202"


def test_no_command_line_of_the_profile_holds_a_secret() -> None:
    secret_words = ("TOKEN", "SECRET", "PASSWORD", "KEY", "AUTH_", "DATABASE_URL")
    for name, command in expand(read_procfile(PROD_PROCFILE), PROFILE).items():
        assert not [word for word in secret_words if word in command], name


def test_nginx_sends_socketio_to_a_sticky_rasa_and_spreads_the_rest(tmp_path: Path) -> None:
    conf = render_nginx({**PROFILE, "NGINX_PREFIX": str(tmp_path)}).read_text()

    sticky = conf.split("upstream rasa_socketio {")[1].split("}")[0]
    assert "ip_hash;" in sticky
    assert "server 127.0.0.1:5101" in sticky and "server 127.0.0.1:5102" in sticky
    assert "location /socket.io/ {" in conf and "proxy_pass http://rasa_socketio;" in conf
    assert "location /webhooks/twilio/ {" in conf
    assert "listen 127.0.0.1:8080;" in conf and "listen 127.0.0.1:5005;" in conf
    assert "/webhooks/rest" not in conf  # Rasa's REST channel is only on the internal listener


def test_nginx_sends_the_twilio_webhook_to_each_copys_own_webhook_port_and_the_health_to_rasa(
    tmp_path: Path,
) -> None:
    conf = render_nginx({**PROFILE, "NGINX_PREFIX": str(tmp_path)}).read_text()

    acks = conf.split("upstream twilio_ack {")[1].split("}")[0]
    assert "server 127.0.0.1:5201" in acks and "server 127.0.0.1:5202" in acks
    webhook = conf.split("location = /webhooks/twilio/webhook {")[1].split("}")[0]
    assert "proxy_pass http://twilio_ack;" in webhook
    health = conf.split("location /webhooks/twilio/ {")[1].split("}")[0]
    assert "proxy_pass http://rasa;" in health


def test_the_webhook_ports_of_an_older_env_prod_default_to_5200_plus_i() -> None:
    older = {k: v for k, v in PROFILE.items() if k != "TWILIO_ACK_REPLICA_BASE_PORT"}

    assert replica_ports(older, "rasa", TWILIO_ACK) == [5201, 5202]


def test_compose_lists_its_upstreams_by_service_name() -> None:
    compose = {"RASA_UPSTREAMS": "rasa:5005", "TWILIO_ACK_UPSTREAMS": "rasa:5006", "API_UPSTREAM": "api:8000"}
    values = nginx_values({**PROFILE, **compose}, ROOT)

    assert values["rasa_servers"].strip() == "server rasa:5005 max_fails=1 fail_timeout=5s;"
    assert values["twilio_servers"].strip() == "server rasa:5006 max_fails=1 fail_timeout=5s;"
    assert values["api_server"] == "api:8000"


def test_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if nginx is None:
        pytest.skip("nginx is not installed (make nginx installs Debian's package)")
    render_nginx({**PROFILE, "NGINX_PREFIX": str(tmp_path)})

    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", "nginx.conf"], capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr


def test_the_overlay_wins_over_env_and_the_environment_over_both(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("API_PORT=8000\nREDIS_HOST=127.0.0.1\nLOCK_STORE_TYPE=in_memory\n")
    (tmp_path / ".env.prod").write_text(
        "LOCK_STORE_TYPE=redis\nAPI_PORT=9000\nACCOUNTS_API_URL=http://127.0.0.1:${API_PORT}\n"
        "TRACKER_STORE_REDIS_URL=redis://${REDIS_HOST}:6379/0\n"
    )

    env = environment(tmp_path / ".env", {"API_PORT": "9100"}, tmp_path / ".env.prod")

    assert env["LOCK_STORE_TYPE"] == "redis"
    assert env["API_PORT"] == "9100"
    assert env["ACCOUNTS_API_URL"] == "http://127.0.0.1:9100"
    assert env["TRACKER_STORE_REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_the_example_overlay_keeps_trackers_locks_and_celery_in_redis_and_the_api_on_postgresql() -> None:
    env = environment(ROOT / ".env.example", {}, ROOT / ".env.prod.example")

    assert env["TRACKER_STORE_TYPE"] == "redis"
    assert env["LOCK_STORE_TYPE"] == "channels.lock_store.AtomicRedisLockStore"  # Rasa's `redis`: one process
    assert env["CELERY_BROKER_URL"].startswith("redis://")
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["PUBLIC_BASE_URL"] == env["API_PUBLIC_URL"] == env["WEBCHAT_SOCKET_URL"] == env["PUBLIC_URL"]
    assert env["RASA_URL"].endswith(f":{env['RASA_PORT']}")


def test_a_process_without_a_port_is_ready_while_its_heartbeat_is_fresh(tmp_path: Path) -> None:
    env = {"HEARTBEAT_DIR": str(tmp_path), "HEARTBEAT_SECONDS": "15"}

    assert not probes.ready("worker", env)
    heartbeat.beat(tmp_path, "worker")
    assert probes.ready("worker", env)


def test_each_copy_is_probed_on_its_own_port_and_rasa_with_its_token() -> None:
    env = {**PROFILE, "RASA_TOKEN": "t/k+n"}

    assert probes.url("actions2", env) == "http://127.0.0.1:5152/health"
    assert probes.url("rasa1", env) == "http://127.0.0.1:5101/status?token=t%2Fk%2Bn"
    assert probes.url("api", env) == "http://127.0.0.1:8000/ready"
    assert probes.url("nginx", env) == "http://127.0.0.1:8080/nginx-health"


def test_rasa_is_ready_once_its_twilio_webhook_answers_too() -> None:
    env = {**PROFILE, "RASA_TOKEN": "t"}

    assert probes.urls("rasa2", env)[1] == "http://127.0.0.1:5202/webhooks/twilio/"
    # compose: one copy per container, on TWILIO_ACK_PORT
    assert probes.urls("rasa", env)[1] == "http://127.0.0.1:5006/webhooks/twilio/"
    assert probes.urls("actions1", env) == ["http://127.0.0.1:5151/health"]


def probe_exit(name: str, env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "stack", "--env-file", "/dev/null", "probe", name]
    return subprocess.run(command, cwd=ROOT, env={"PATH": "/usr/bin:/bin", **env}, timeout=60).returncode


def test_the_probe_command_exits_0_only_when_the_process_is_ready(tmp_path: Path) -> None:
    """docker compose's healthchecks run it: 1 before the worker's first heartbeat, 0 after."""
    env = {"HEARTBEAT_DIR": str(tmp_path)}

    before = probe_exit("worker", env)
    heartbeat.beat(tmp_path, "worker")

    assert (before, probe_exit("worker", env)) == (1, 0)


def test_waiting_names_what_is_not_ready_when_time_is_up(tmp_path: Path) -> None:
    env = {"HEARTBEAT_DIR": str(tmp_path)}
    heartbeat.beat(tmp_path, "campaigns")

    assert probes.wait(["worker", "beat", "ready"], env, 0) == ["worker"]
    assert probes.wait(["beat", "campaigns", "ready"], env, 5) == []
