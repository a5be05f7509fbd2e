"""The built static page (dist/web) boots Python offline and shows the plan, porting before cancelling."""

from __future__ import annotations

import pytest

from .conftest import wait_for_python

pytestmark = pytest.mark.browser


def test_page_boots_offline_and_ports_before_cancelling(page, site_url, requests_seen):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} {r.failure}"))

    page.goto(site_url)
    wait_for_python(page)

    checklist = page.get_by_test_id("checklist")
    assert checklist.get_attribute("data-carrier") == "tmobile"
    assert page.locator(".verdict-value").inner_text() == "No"
    steps = page.locator("[data-step]").evaluate_all("els => els.map(e => e.dataset.step)")
    assert steps.index("get_port_credentials") < steps.index("port_out")
    assert "cancel" not in steps  # the port ends the line: nothing to cancel first
    assert "do not cancel first" in page.locator('[data-step="port_out"] label').inner_text()
    assert errors == []
    foreign = [u for u in requests_seen if not u.startswith(site_url)]
    assert foreign == [], f"requests outside the local server: {foreign}"
    boot_ms = page.evaluate("document.documentElement.dataset.pyBootMs")
    print(f"\npage boot (navigation -> data-py-ready): {boot_ms} ms, {len(requests_seen)} requests")
