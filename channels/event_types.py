"""Rasa's event class lookup by type name, remembered instead of rebuilt for every event.

Rasa 3.6's `Event.resolve_by_type` walks the whole `Event` class tree (`all_subclasses`, with an
`inspect.isabstract` check per class) for every event it deserialises; the Redis tracker store
deserialises every event of the conversation two or three times per turn, which made the walk about 5 %
of the Rasa process's busy time under load (issue 15). `resolve_by_type` here answers a type name it has
resolved before from a dict and asks Rasa's own lookup otherwise (unknown names, defaults and errors stay
Rasa's). `install()` runs in the Rasa server's launcher (channels/serve.py) before Rasa starts.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event  # type: ignore[import-untyped]

STOCK_RESOLVE = Event.resolve_by_type
"""Rasa's own lookup, kept for the names not resolved yet."""
_resolved: dict[str, Any] = {}


def resolve_by_type(type_name: str, default: Any = None) -> Any:
    """The event class named `type_name`, as Rasa's lookup finds it (its first match, kept)."""
    found = _resolved.get(type_name)
    if found is not None:
        return found
    found = STOCK_RESOLVE(type_name, default)
    if found is not None and found is not default:
        _resolved[type_name] = found
    return found


def install() -> None:
    """Make this process's `Event.resolve_by_type` remember what it resolved."""
    Event.resolve_by_type = staticmethod(resolve_by_type)


def installed() -> bool:
    """Whether this process's event lookup remembers."""
    return Event.resolve_by_type is resolve_by_type
