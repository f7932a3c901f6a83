"""The portal's pages escape every value they show (Jinja2 autoescaping)."""

from decimal import Decimal

from api.core.config import Settings
from api.portal import pages
from api.portal.card_form import FormResult

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


def _view(text: str) -> pages.AccountView:
    return pages.AccountView(text, text, Decimal("10.00"), "USD", Decimal("10.00"))


def test_a_value_with_a_script_tag_is_escaped_in_the_form(settings: Settings) -> None:
    result = FormResult(None, errors={"name": SCRIPT}, amount_text=SCRIPT, name_text=SCRIPT)

    page = pages.form_page(_view(SCRIPT), settings, result)

    assert "<script" not in page
    assert page.count(ESCAPED) == 6  # reference, creditor, amount, name, error summary, field error


def test_a_value_with_a_script_tag_is_escaped_in_the_problem_page(settings: Settings) -> None:
    page = pages.problem_page(SCRIPT, SCRIPT, settings)

    assert "<script" not in page and ESCAPED in page


def test_the_inlined_stylesheet_is_the_one_the_policy_hashes(settings: Settings) -> None:
    page = pages.problem_page("Gone", "This link has expired", settings)

    assert f"<style>{pages.stylesheet()}</style>" in page
