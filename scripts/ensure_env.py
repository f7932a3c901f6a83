"""Create .env from .env.example with fresh random secrets, once; an existing .env is left alone."""

import secrets
import sys
from pathlib import Path

PLACEHOLDER = "generate-me"


def main(root: Path) -> int:
    """Write root/.env unless it exists."""
    target, template = root / ".env", root / ".env.example"
    if target.exists():
        return 0
    lines = []
    for line in template.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and value.strip() == PLACEHOLDER:
            line = f"{key}={secrets.token_urlsafe(32)}"
        lines.append(line)
    target.write_text("\n".join(lines) + "\n")
    target.chmod(0o600)
    print(f"created {target} with fresh secrets")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent.parent))
