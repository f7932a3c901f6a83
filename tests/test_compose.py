"""docker-compose.yml stays the production profile `make run-prod` starts: each service runs its
Procfile.prod line verbatim, with the settings of the same names, and the images hold the environments
those lines name. (Images cannot be pulled here, so the file is checked, not run.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from stack.prod import PROD_PROCFILE
from stack.services import read_procfile

ROOT = Path(__file__).resolve().parents[1]
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


def container_command(service: dict[str, Any]) -> str:
    """What the container's shell runs: compose's `$$` is a `$` for it."""
    shell, flag, line = service["command"]
    assert (shell, flag) == ("/bin/sh", "-c")
    return str(line).replace("$$", "$")


def documented_names() -> set[str]:
    """Every setting .env.example and .env.prod.example name, commented out or not."""
    text = (ROOT / ".env.example").read_text() + (ROOT / ".env.prod.example").read_text()
    return set(_DOCUMENTED.findall(text))


def test_every_process_of_the_profile_is_a_service_running_its_procfile_line() -> None:
    services = compose()["services"]

    for name, line in read_procfile(PROD_PROCFILE).items():
        if name == "ready":  # prints addresses for a person; compose has healthchecks instead
            continue
        assert container_command(services[name]) == f"exec {line}", name


def test_every_variable_a_command_reads_is_set_by_the_same_name() -> None:
    env = compose()["x-env"]
    documented = documented_names()

    for name, line in read_procfile(PROD_PROCFILE).items():
        for variable in _VARIABLE.findall(line):
            assert variable in env or variable in documented, (name, variable)


def test_compose_sets_only_settings_the_env_files_document() -> None:
    assert set(compose()["x-env"]) - documented_names() == set()


def test_rasa_and_the_action_server_are_replicated_by_the_profiles_variables() -> None:
    services = compose()["services"]

    assert services["rasa"]["deploy"]["replicas"] == "${RASA_REPLICAS:-2}"
    assert services["actions"]["deploy"]["replicas"] == "${ACTIONS_REPLICAS:-2}"


def test_every_service_reads_the_same_env_files_and_only_nginx_publishes_a_port() -> None:
    services = compose()["services"]

    for name in read_procfile(PROD_PROCFILE):
        if name != "ready":
            assert services[name]["env_file"] == [".env", ".env.prod"], name
    assert [name for name, service in services.items() if "ports" in service] == ["nginx"]


def test_no_command_or_healthcheck_holds_a_secret() -> None:
    for name, service in compose()["services"].items():
        words = " ".join(map(str, service.get("command", []))) + str(service.get("healthcheck", ""))
        assert not re.search(r"TOKEN|SECRET|PASSWORD|KEY", words), name


def test_each_image_has_its_environment_where_the_commands_expect_it() -> None:
    for kind in ("api", "bot"):
        dockerfile = (ROOT / "deploy" / f"Dockerfile.{kind}").read_text()
        assert f"python -m venv .venv/{kind}" in dockerfile
        assert f"-r requirements/{kind}.lock" in dockerfile
        assert "WORKDIR /app" in dockerfile
        assert "COPY stack stack" in dockerfile  # the healthchecks' probes
    assert "COPY models models" in (ROOT / "deploy" / "Dockerfile.bot").read_text()


def test_nginx_gets_the_configuration_the_profile_renders() -> None:
    services = compose()["services"]

    assert "-m stack --env-file /dev/null nginx" in container_command(services["nginx-config"])
    assert services["nginx"]["volumes"] == services["nginx-config"]["volumes"]
    assert compose()["x-env"]["NGINX_PREFIX"] == services["nginx"]["volumes"][0].split(":")[1]
