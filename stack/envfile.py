"""Read a `.env` file the way pydantic-settings (python-dotenv) does: every value exactly as written.

honcho's own reader splits unquoted values on white space and joins the words, so "Acme Recovery
Services" reached the services as "AcmeRecoveryServices"; this reader keeps them whole.
"""

from __future__ import annotations

import re
import secrets
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path

PLACEHOLDER = "generate-me"
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.*)$")
_QUOTED = re.compile(r"""^(?P<quote>['"])(?P<body>.*)(?P=quote)\s*(?:#.*)?$""")
_INLINE_COMMENT = re.compile(r"\s+#.*$")
_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def interpolate(value: str, known: Mapping[str, str]) -> str:
    """`${NAME}` and `${NAME:-default}` replaced from the values known so far (python-dotenv's rule)."""
    return _REFERENCE.sub(lambda ref: known.get(ref["name"]) or ref["default"] or "", value)


def parse_value(raw: str, known: Mapping[str, str]) -> str:
    """One value: quotes removed, `${...}` expanded except in single quotes, an unquoted one up to ` #`."""
    quoted = _QUOTED.match(raw.strip())
    if quoted is None:
        return interpolate(_INLINE_COMMENT.sub("", raw).strip(), known)
    if quoted["quote"] == "'":
        return quoted["body"]
    body = quoted["body"].replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
    return interpolate(body, known)


def parse(
    text: str, base: Mapping[str, str] | None = None, defaults: Mapping[str, str] | None = None
) -> dict[str, str]:
    """KEY=value lines to a dict; comments, blank lines and anything else are skipped.

    References resolve against `base` (e.g. the environment, which wins over the file as it does for
    pydantic-settings and docker compose) first, then the file's earlier values, then `defaults` (the
    file an overlay lies over).
    """
    values: dict[str, str] = {}
    known = ChainMap(dict(base or {}), values, dict(defaults or {}))
    for line in text.splitlines():
        match = None if line.lstrip().startswith("#") else _ASSIGNMENT.match(line)
        if match:
            values[match["key"]] = parse_value(match["value"], known)
    return values


def materialise(line: str) -> str:
    """An example line with a fresh random secret in place of the `generate-me` placeholder."""
    key, sep, value = line.partition("=")
    if sep and value.strip() == PLACEHOLDER:
        return (
            f"{key}={secrets.token_hex(32)}"  # hex: never starts with "-", which CLIs would read as an option
        )
    return line


def read(
    path: Path, base: Mapping[str, str] | None = None, defaults: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The file's values, or nothing when it does not exist."""
    return parse(path.read_text(), base, defaults) if path.exists() else {}
