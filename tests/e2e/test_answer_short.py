"""Short by default: on a phone the page before anything is unfolded fits in three screens, for the
four main situations in both languages; axe finds nothing serious on any of them."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .test_page import AXE, SITUATIONS, SIZES, open_situation, serious_violations

pytestmark = pytest.mark.browser
PHONE = SIZES["phone"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_default_page_is_at_most_three_phone_screens(browser, site_url, situation, lang):
    context = browser.new_context(viewport=PHONE)
    page = open_situation(context, site_url, situation, lang)
    height = page.evaluate("document.documentElement.scrollHeight")
    top = page.get_by_test_id("answer").evaluate("e => e.getBoundingClientRect().top")
    print(f"\nheight {situation} {lang}: {height}px, answer card top {top:.0f}px")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"short-{situation}-{lang}.png", full_page=True)
    context.close()
    assert height <= 3 * PHONE["height"], f"{height}px is more than three screens"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_no_serious_accessibility_violation_in_any_main_situation(browser, site_url, situation, lang):
    context = browser.new_context(viewport=PHONE)
    page = open_situation(context, site_url, situation, lang, init_script=AXE)
    assert page.locator("[data-step]").count() > 0  # the situation's checklist, not an empty page
    found = serious_violations(page)
    context.close()
    assert found == []
