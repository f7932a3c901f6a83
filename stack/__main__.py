"""`python -m stack run [process ...]` starts the Procfile under honcho with `.env` read correctly;
`python -m stack exec -- COMMAND ...` runs one command with the same environment (migrations, seeds).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from stack.services import ENV_FILE, PROCFILE, ROOT, ensure_runtime_directory, environment

HONCHO = ROOT / ".venv" / "bot" / "bin" / "honcho"


def run(procfile: Path, env: dict[str, str], processes: list[str]) -> None:
    """Replace this process with honcho; it gets the environment, and no file of its own to read."""
    ensure_runtime_directory()
    args = [str(HONCHO), "start", "--procfile", str(procfile), "--app-root", str(ROOT), "--env", os.devnull]
    os.execve(HONCHO, [*args, *processes], env)  # noqa: S606 (our own honcho, no shell)


def execute(command: list[str], env: dict[str, str]) -> None:
    """Replace this process with `command`, in the services' environment."""
    os.execvpe(command[0], command, env)  # noqa: S606 (the caller's command line)


def parser() -> argparse.ArgumentParser:
    """The command line: the two verbs and where the configuration comes from."""
    cli = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    cli.add_argument("--env-file", type=Path, default=ENV_FILE, help="default: .env")
    cli.add_argument("--procfile", type=Path, default=PROCFILE, help="default: Procfile")
    verbs = cli.add_subparsers(dest="verb", required=True)
    verbs.add_parser("run", help="start the Procfile's processes").add_argument("processes", nargs="*")
    verbs.add_parser("exec", help="run a command with the services' environment").add_argument(
        "command", nargs=argparse.REMAINDER
    )
    return cli


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and hand over to honcho or the command."""
    args = parser().parse_args(argv)
    env = environment(args.env_file)
    if args.verb == "run":
        run(args.procfile, env, args.processes)
    execute(args.command[1:] if args.command[:1] == ["--"] else args.command, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
