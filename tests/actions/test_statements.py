"""Reading circumstances from a debtor's words: the attorney's name and phone, the zone they moved to."""

import pytest

from actions.statements import parse_attorney_contact, parse_phone, parse_timezone


@pytest.mark.parametrize(
    ("text", "name", "phone"),
    [
        ("I have an attorney, John Smith, 202-555-0187", "John Smith", "+12025550187"),
        ("my lawyer is Dana Whitfield (202) 555 0187", "Dana Whitfield", "+12025550187"),
        ("my attorney's name is jane doe at 415.555.0123", "jane doe", "+14155550123"),
        ("I'm represented by Smith & Associates, call 2025550187", "Smith & Associates", "+12025550187"),
        (
            "My attorney is Robert O'Neil Jr. and his number is +1 312 555 0199",
            "Robert O'Neil Jr",
            "+13125550199",
        ),
        (
            "My attorney is handling this matter now. His name is Greg Patel, office number 202-555-0191.",
            "Greg Patel",
            "+12025550191",
        ),
        ("my attorney will contact you", None, None),
        ("talk to my lawyer", None, None),
        ("i have a lawyer", None, None),
    ],
)
def test_the_attorney_as_stated(text: str, name: str | None, phone: str | None) -> None:
    contact = parse_attorney_contact(text)
    assert (contact.name, contact.phone) == (name, phone)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sure. Tomas Herrera, 312-555-0147", "Tomas Herrera"),
        ("ok, her name is Dana Whitfield", "Dana Whitfield"),
        ("Yeah it's Marcus Oyelaran at Oyelaran Law", "Marcus Oyelaran"),
        ("Marcus Oyelaran, 202 555 0164", "Marcus Oyelaran"),
        ("did u get that? her number is 202 555 0164", None),
    ],
)
def test_the_attorney_named_after_we_asked(text: str, name: str | None) -> None:
    assert parse_attorney_contact(text, asked=True).name == name


def test_amounts_and_references_are_not_phone_numbers() -> None:
    assert parse_phone("i can pay 150 on the 15th, ref ACME-1001") is None


MOVED_TO = [
    ("I moved to Denver", "America/Denver"),
    ("I'm on Pacific time now", "America/Los_Angeles"),
    ("i moved to salt lake city last month", "America/Denver"),
    ("we're on eastern time", "America/New_York"),
    ("i'm in PST now", "America/Los_Angeles"),
    ("texts come at 6am my time, i'm on mountain", "America/Denver"),
    ("moved to LA", "America/Los_Angeles"),
    ("my time zone is pacific, your texts come too early", "America/Los_Angeles"),
    ("i moved out to phoenix", "America/Phoenix"),
    ("I live in central Florida", None),
    ("i moved", None),
    ("only text me after 6pm", None),
    ("pay on the 1st", None),
]
"""What debtors said about where they live now, and the zone it names (None: none)."""


@pytest.mark.parametrize(("text", "zone"), MOVED_TO)
def test_the_zone_a_debtor_moved_to(text: str, zone: str | None) -> None:
    assert parse_timezone(text) == zone
