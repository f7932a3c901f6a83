"""Twilio request signatures: the published twilio-python vectors, and our form parsing."""

import json
from typing import Any

import pytest

from api.messaging.twilio import signature_valid
from shared.twilio_form import FormParams, parse_form
from tests.api.alembic_helpers import REPO_ROOT

VECTORS_FILE = (
    REPO_ROOT.parent / "shared" / "eval-data" / "twilio_webhook" / ("request_validator_vectors.json")
)


def _data() -> dict[str, Any]:
    if not VECTORS_FILE.exists():
        pytest.skip(f"{VECTORS_FILE} not present")
    return dict(json.loads(VECTORS_FILE.read_text()))


def _vectors() -> list[dict[str, Any]]:
    return list(_data()["vectors"])


def _params(vector: dict[str, Any]) -> FormParams:
    pairs = vector.get("params_list") or list(vector["params"].items())
    params = FormParams()
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def test_every_form_vector_validates_and_a_wrong_token_does_not() -> None:
    token = _data()["auth_token"]
    form_vectors = [v for v in _vectors() if "body" not in v]
    assert len(form_vectors) == 6

    for vector in form_vectors:
        params = _params(vector)
        assert signature_valid(token, vector["url"], params, vector["expected_signature"])
        assert not signature_valid("54321", vector["url"], params, vector["expected_signature"])


def test_a_changed_parameter_invalidates_a_vector() -> None:
    vector = _vectors()[0]
    params = _params(vector)
    params["Digits"] = ["9999"]

    assert not signature_valid("12345", vector["url"], params, vector["expected_signature"])


@pytest.mark.parametrize("signature", [None, ""])
def test_a_missing_signature_is_invalid(signature: str | None) -> None:
    assert not signature_valid("12345", "https://example.org/x", FormParams(), signature)


def test_forms_keep_repeated_keys_blank_values_and_replace_invalid_utf8() -> None:
    params = parse_form(b"Digits=5678&Digits=1234&Body=&Text=caf%C3%A9%FF")

    assert params.getall("Digits") == ["5678", "1234"]
    assert params.first("Body") == ""
    assert params.first("Text") == "café\ufffd"
    assert params.first("Missing") is None
