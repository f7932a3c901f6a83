"""Create .env from .env.example with fresh random secrets; later, add the variables a newer example has.

An existing value is never changed: only keys missing from .env are appended (with fresh secrets where the
example says `generate-me`), so pulling a change that needs a new variable keeps `make run` working. The one
exception is a value still equal to a default the example has since replaced (RETIRED): it would now point
somewhere wrong, so its line is commented out and the new default appended (after the variables it names).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from stack.envfile import materialise

RETIRED = {"PUBLIC_BASE_URL": ("http://localhost:${RASA_PORT}",)}
"""Old defaults of .env.example: the Twilio webhook moved from Rasa's port to TWILIO_ACK_PORT."""


def keys(lines: list[str]) -> set[str]:
    """Variable names assigned in these lines (comments and blanks skipped)."""
    return {
        line.partition("=")[0].strip() for line in lines if "=" in line and not line.lstrip().startswith("#")
    }


def retire(line: str) -> str:
    """The line commented out when it assigns a retired default, else unchanged."""
    key, sep, value = line.partition("=")
    if sep and value.strip() in RETIRED.get(key.strip(), ()):
        return f"# {line}  (an old default, replaced below)"
    return line


def main(root: Path) -> int:
    """Write root/.env, or append to it what the example added since."""
    target, template = root / ".env", root / ".env.example"
    example = template.read_text().splitlines()
    if not target.exists():
        target.write_text("\n".join(materialise(line) for line in example) + "\n")
        target.chmod(0o600)
        print(f"created {target} with fresh secrets")
        return 0
    current = target.read_text().splitlines()
    kept = [retire(line) for line in current]
    if kept != current:
        target.write_text("\n".join(kept) + "\n")
        print(f"replaced old defaults in {target}: {', '.join(sorted(set(keys(current)) - keys(kept)))}")
    present = keys(kept)
    missing = [
        materialise(line) for line in example if "=" in line and line.partition("=")[0].strip() not in present
    ]
    missing = [line for line in missing if not line.lstrip().startswith("#")]
    if missing:
        with target.open("a") as env:
            env.write("\n".join(missing) + "\n")
        print(f"added to {target}: {', '.join(line.partition('=')[0] for line in missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent.parent))
