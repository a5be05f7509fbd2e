"""Printing: the printout opens every fold (shell.js's wirePage, on beforeprint) and starts with a
heading naming the carrier, the plan and the date; the screen folds back after."""

from __future__ import annotations

from datetime import date

import pytest

from .conftest import ARTIFACTS, wait_for_python

pytestmark = pytest.mark.browser


def shown(locator) -> bool:
    """Rendered for the eye (Playwright's is_visible counts text inside a closed <details>)."""
    return locator.evaluate("e => e.checkVisibility()")


def test_print_shows_folded_content_under_a_dated_heading(page, site_url):
    page.goto(site_url + "#carrier=tmobile&plan=postpaid&keep=yes&leaving=no&lang=en")
    wait_for_python(page)
    how = page.locator('[data-step="port_out"] .detail p').first
    source = page.locator("#sec-sources li").first
    heading = page.get_by_test_id("print-heading")
    assert not shown(how) and not shown(source) and not shown(heading)

    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert shown(how) and shown(source)
    assert page.locator("details:not([open])").count() == 0
    assert shown(heading)
    today = page.evaluate("new Date().toLocaleDateString('en-CA')")
    assert date.fromisoformat(today)
    assert heading.inner_text() == f"simexit exit plan: T-Mobile · Postpaid · the whole account · {today}"
    top = page.evaluate(
        "[...document.body.querySelectorAll('*')].find(e => e.offsetParent !== null && e.innerText?.trim())"
        ".getBoundingClientRect().top"
    )
    assert heading.evaluate("e => e.getBoundingClientRect().top") <= top  # the printout starts with it

    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert not shown(how) and not shown(source)
    assert page.locator("#sec-sources details").get_attribute("open") is None
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=ARTIFACTS / "print.pdf")  # Chromium's own print events: folded again after
    assert page.locator("#sec-sources details").get_attribute("open") is None
