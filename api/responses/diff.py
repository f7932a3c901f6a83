"""What changed between two versions of a response, line by line, as a reviewer reads it."""

import difflib
from dataclasses import dataclass
from typing import Literal

import yaml

from api.responses.rendering import Variation

LineKind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class DiffLine:
    """One line of the comparison."""

    kind: LineKind
    text: str


def as_lines(variations: list[Variation]) -> list[str]:
    """The variations as domain.yml would show them (YAML, keys in their order)."""
    dumped = yaml.safe_dump(variations, sort_keys=False, allow_unicode=True, width=100)
    return dumped.splitlines()


def _kind(prefix: str) -> LineKind:
    """The kind of a difflib.ndiff line from its prefix."""
    return {"+": "added", "-": "removed"}.get(prefix, "same")  # type: ignore[return-value]


def compare(old: list[Variation], new: list[Variation]) -> list[DiffLine]:
    """Every line of both versions, marked added, removed or unchanged."""
    lines = difflib.ndiff(as_lines(old), as_lines(new))
    return [DiffLine(_kind(line[0]), line[2:]) for line in lines if not line.startswith("?")]
