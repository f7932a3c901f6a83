"""Create .env from .env.example with fresh random secrets; later, add the variables a newer example has.

An existing value is never changed: only keys missing from .env are appended (with fresh secrets where the
example says `generate-me`), so pulling a change that needs a new variable keeps `make run` working.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from stack.envfile import materialise


def keys(lines: list[str]) -> set[str]:
    """Variable names assigned in these lines (comments and blanks skipped)."""
    return {
        line.partition("=")[0].strip() for line in lines if "=" in line and not line.lstrip().startswith("#")
    }


def main(root: Path) -> int:
    """Write root/.env, or append to it what the example added since."""
    target, template = root / ".env", root / ".env.example"
    example = template.read_text().splitlines()
    if not target.exists():
        target.write_text("\n".join(materialise(line) for line in example) + "\n")
        target.chmod(0o600)
        print(f"created {target} with fresh secrets")
        return 0
    present = keys(target.read_text().splitlines())
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
