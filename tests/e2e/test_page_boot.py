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
    # what the page never uses is never fetched: PyScript's editor, terminal, game and helper plugins
    unused = ("py-editor", "py-terminal", "py-game", "donkey", "deprecations-manager", "micropython")
    assert [u for u in requests_seen if any(name in u for name in unused)] == []
    assert len([u for u in requests_seen if u.endswith(".whl")]) == 6  # simexit, pydantic and its 4
    # once idle, a throwaway assessment with every answer given runs the code a first answer needs
    page.wait_for_selector("html[data-warm=done]", state="attached")
    boot_ms = page.evaluate("document.documentElement.dataset.pyBootMs")
    print(f"\npage boot (navigation -> data-py-ready): {boot_ms} ms, {len(requests_seen)} requests")


def test_what_is_done_before_python_is_ready_is_kept(page, site_url, requests_seen):
    """Answers and ticks given while Python starts are applied once it is ready, not dropped."""
    held = []
    page.route("**/app.py", lambda route: held.append(route))  # Python waits for its glue
    page.goto(site_url)
    page.wait_for_function("window.simexitPending !== undefined")
    first = page.locator("[data-tick]").first
    kind = first.get_attribute("data-tick")
    first.check()
    page.get_by_label("No, let it go").check()
    assert page.locator("html[data-py-ready=true]").count() == 0
    assert page.evaluate("window.simexitPending.length") == 2
    page.wait_for_function("document.querySelectorAll('[data-step=\"update_2fa\"]').length === 0")
    while not held:
        page.wait_for_timeout(50)
    for route in held:
        route.continue_()
    page.unroute("**/app.py")
    wait_for_python(page)
    page.wait_for_selector('[data-step="update_2fa"]')  # the answer reached the engine
    assert page.locator("#f-keep_number-no").is_checked()
    assert page.locator(f'[data-tick="{kind}"]').is_checked()
    saved = page.evaluate("JSON.parse(localStorage.getItem('simexit.v1'))")
    entry = saved["carriers"]["tmobile"]
    assert entry["answers"]["keep_number"] is False and kind in entry["ticks"]
    assert [u for u in requests_seen if not u.startswith(site_url)] == []
