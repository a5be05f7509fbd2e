"""On a phone a notice appears beside the control that caused it, inside the screen; a reset of
unreadable saved progress is about the whole page and stays at the top."""

from __future__ import annotations

import pytest

from .conftest import wait_for_python
from .test_page import SIZES
from .test_page_storage import FULL_STORAGE

pytestmark = pytest.mark.browser
PHONE = SIZES["phone"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def in_view(page) -> bool:
    box = page.locator("#notice").bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_a_bad_address_is_told_beside_the_address_box(phone, site_url):
    phone.goto(site_url)
    wait_for_python(phone)
    phone.locator("#more-q > summary").click()
    phone.locator("#f-url").fill("https://fi.google.com.evil.example/")
    phone.locator("#detect-url").click()
    phone.wait_for_selector(".q-url + #notice:not([hidden])")
    notice = phone.locator("#notice")
    assert "not a page of a carrier" in notice.inner_text()
    assert notice.get_attribute("role") == "status" and notice.get_attribute("aria-live") == "polite"
    assert in_view(phone)


def test_an_unknown_carrier_is_told_beside_the_carrier_box(phone, site_url):
    phone.goto(site_url + "#lang=zh")
    wait_for_python(phone)
    phone.locator("#f-carrier").fill("zzzz")
    phone.locator("#f-carrier").press("Enter")
    phone.wait_for_selector(".q-carrier + #notice:not([hidden])")
    assert "没有与该名称匹配的运营商" in phone.locator("#notice").inner_text()
    assert in_view(phone)


def test_a_failed_save_is_told_beside_the_tick_far_down_the_page(phone, site_url):
    phone.add_init_script(FULL_STORAGE)
    phone.goto(site_url)
    wait_for_python(phone)
    tick = phone.locator('[data-tick="confirm_closed"]')
    tick.scroll_into_view_if_needed()
    tick.check()
    phone.wait_for_selector('[data-step="confirm_closed"] > #notice:not([hidden])')
    assert "could not be saved" in phone.locator("#notice").inner_text()
    assert in_view(phone)


def test_a_reset_of_unreadable_progress_stays_at_the_top(phone, site_url):
    phone.goto(site_url)
    phone.evaluate("localStorage.setItem('simexit.v1', '{not json')")
    phone.reload()
    wait_for_python(phone)
    assert phone.locator("header.top + #notice").is_visible()
    assert "could not be read" in phone.locator("#notice").inner_text()
