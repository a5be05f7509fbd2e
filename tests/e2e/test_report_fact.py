"""'Report a wrong fact' on the page: with no public tracker configured it copies a report made from
carrier data only (never what the person entered), offline."""

from __future__ import annotations

import pytest

from .conftest import leaving, wait_for_python

pytestmark = pytest.mark.browser


def test_a_fact_report_is_copied_without_the_persons_answers_or_any_request(
    page, site_url, context, requests_seen
):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url + "#carrier=tmobile&plan=postpaid&keep=no&leaving=yes&lang=en")
    wait_for_python(page)
    page.locator("#more-q > summary").click()
    page.get_by_label("Remaining phone installment balance (USD)").fill("4321.87")
    page.locator("details.dates summary").click()
    page.get_by_label("Last day you need this service (e.g. your flight)").fill("2099-12-31")
    page.wait_for_selector('[data-warning="device_balance_due"]')
    assert page.locator("a.report").count() == 0  # no tracker configured: no invented address

    step = page.locator('[data-step="cancel"]')
    step.locator("details.more > summary").click()
    step.locator("details.report > summary").click()
    assert step.locator("details.report > summary").inner_text() == "Report a wrong fact"
    step.get_by_role("button", name="Copy report").click()
    page.wait_for_selector('[data-step="cancel"] #notice:not([hidden])')
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("[fact] tmobile: plans.postpaid.steps.cancel")
    assert "Carrier: tmobile" in text and "Checked: 20" in text and "https://" in text
    assert "4321" not in text and "4,321" not in text and "2099-12-31" not in text
    assert "4,321.87" in page.locator("#checklist").inner_text()  # the page itself shows it
    assert leaving(requests_seen, site_url) == []

    page.locator("#lang-toggle").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.locator('[data-step="cancel"] details.report > summary').text_content() == "报告错误信息"
