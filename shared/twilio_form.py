"""Twilio's webhook form bodies, read the same way by the Rasa channel and the API's status callback."""

from __future__ import annotations

from urllib.parse import parse_qsl


class FormParams(dict[str, list[str]]):
    """Form fields with every value of repeated keys, as RequestValidator expects (it calls getall)."""

    def getall(self, key: str) -> list[str]:
        """Every value sent under `key`."""
        return self[key]

    def first(self, key: str) -> str | None:
        """The first value sent under `key`, or None."""
        values = self.get(key)
        return values[0] if values else None


def parse_form(body: bytes) -> FormParams:
    """An application/x-www-form-urlencoded body; invalid UTF-8 becomes U+FFFD rather than an error."""
    params = FormParams()
    text = body.decode("utf-8", errors="replace")
    for key, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"):
        params.setdefault(key, []).append(value)
    return params
