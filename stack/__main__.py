"""`python -m stack run [process ...]` starts the Procfile under honcho with `.env` read correctly;
`python -m stack exec -- COMMAND ...` runs one command with the same environment (migrations, seeds).

The production profile (stack/prod.py), with `--overlay .env.prod` over `.env`:
`run-prod` starts Procfile.prod with Rasa and the action server N times behind nginx; `nginx` only writes
nginx's configuration; `probe NAME` exits 0 when process NAME is ready (healthchecks); `wait` waits for
every process of Procfile.prod, prints where the stack answers, and stays up (Procfile.prod's `ready`).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path

from stack import probes
from stack.prod import PROD_PROCFILE, ProfileError, expand, prepare, render_nginx
from stack.services import ENV_FILE, PROCFILE, ROOT, ensure_runtime_directory, environment, read_procfile

HONCHO = ROOT / ".venv" / "bot" / "bin" / "honcho"


def run(procfile: Path, env: dict[str, str], processes: list[str]) -> None:
    """Replace this process with honcho; it gets the environment, and no file of its own to read."""
    ensure_runtime_directory()
    args = [str(HONCHO), "start", "--procfile", str(procfile), "--app-root", str(ROOT), "--env", os.devnull]
    os.execve(HONCHO, [*args, *processes], env)  # noqa: S606 (our own honcho, no shell)


def execute(command: list[str], env: dict[str, str]) -> None:
    """Replace this process with `command`, in the services' environment."""
    os.execvpe(command[0], command, env)  # noqa: S606 (the caller's command line)


def wait_for_profile(env: Mapping[str, str]) -> int:
    """Procfile.prod's `ready`: every process ready, then the addresses; 1 when one is not in time."""
    names = list(expand(read_procfile(PROD_PROCFILE), env))
    pending = probes.wait(names, env, float(env.get("READY_TIMEOUT_SECONDS") or "420"))
    if pending:
        print(f"not ready in time: {', '.join(pending)}", flush=True)
        return 1
    public = env.get("API_PUBLIC_URL", "")
    print(
        f"\nAll {len(probes.probed(names))} processes are ready behind nginx:\n"
        f"  Webchat        {public}/chat\n  Agent console  {public}/console\n"
        f"  Twilio webhook {env.get('PUBLIC_BASE_URL', '')}/webhooks/twilio/webhook\n"
        f"  Rasa (internal: REST, HTTP API) {env.get('RASA_URL', '')}\nPress Ctrl-C to stop everything.",
        flush=True,
    )
    signal.pause()
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line: the verbs and where the configuration comes from."""
    cli = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    cli.add_argument("--env-file", type=Path, default=ENV_FILE, help="default: .env")
    cli.add_argument("--overlay", type=Path, help="an env file over --env-file (the production profile's)")
    cli.add_argument("--procfile", type=Path, default=PROCFILE, help="default: Procfile")
    verbs = cli.add_subparsers(dest="verb", required=True)
    verbs.add_parser("run", help="start the Procfile's processes").add_argument("processes", nargs="*")
    verbs.add_parser("exec", help="run a command with the services' environment").add_argument(
        "command", nargs=argparse.REMAINDER
    )
    verbs.add_parser("run-prod", help="start Procfile.prod: N Rasa and action servers behind nginx")
    verbs.add_parser("nginx", help="write nginx's configuration from deploy/nginx.conf.template")
    verbs.add_parser("probe", help="exit 0 when the process is ready").add_argument("name")
    verbs.add_parser("wait", help="wait for every process of Procfile.prod, then stay up")
    return cli


def dispatch(args: argparse.Namespace, env: dict[str, str]) -> int:
    """Carry out one verb (those that return; `run`, `run-prod` and `exec` replace this process)."""
    if args.verb == "run":
        run(args.procfile, env, args.processes)
    if args.verb == "run-prod":
        run(prepare(env), env, [])
    if args.verb == "nginx":
        print(render_nginx(env))
        return 0
    if args.verb == "probe":
        return 0 if probes.ready(args.name, env) else 1
    if args.verb == "wait":
        return wait_for_profile(env)
    execute(args.command[1:] if args.command[:1] == ["--"] else args.command, env)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and hand over to honcho, the command or the verb."""
    args = parser().parse_args(argv)
    env = environment(args.env_file, overlay=args.overlay)
    try:
        return dispatch(args, env)
    except ProfileError as error:
        print(f"python -m stack: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
