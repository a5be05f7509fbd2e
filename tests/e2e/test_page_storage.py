"""Saved progress in the static page when storage is shared or fails: two tabs merge their ticks instead
of overwriting them, a bad part of the saved record costs only its own carrier, and a failed save is
told once while the page keeps working."""

from __future__ import annotations

import json

import pytest

from .conftest import settled, wait_for_python

pytestmark = pytest.mark.browser


def saved(page) -> dict:
    settled(page)
    return json.loads(page.evaluate("localStorage.getItem('simexit.v1')") or "null")


def ticked(page) -> list[str]:
    return page.locator("[data-tick]:checked").evaluate_all("els => els.map(e => e.dataset.tick).sort()")


def test_two_tabs_ticking_different_steps_keep_both(context, site_url):
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        tab.goto(site_url)
        wait_for_python(tab)
    errors: list[str] = []
    for tab in (first, second):
        tab.on("pageerror", lambda e: errors.append(str(e)))
    first.locator('[data-tick="backup"]').check()
    second.locator('[data-tick="unlock_device"]').check()  # this tab never reloaded since the first tick
    # the other tab follows at once, through the storage event
    first.wait_for_selector('[data-tick="unlock_device"]:checked')
    second.wait_for_selector('[data-tick="backup"]:checked')
    assert saved(first)["carriers"]["tmobile"]["ticks"] == ["backup", "unlock_device"]
    first.locator('[data-tick="backup"]').uncheck()  # the newest change of a step wins
    second.wait_for_selector('[data-tick="backup"]:not(:checked)')
    second.locator('[data-tick="port_out"]').check()
    first.wait_for_selector('[data-tick="port_out"]:checked')
    for tab in (first, second):
        tab.reload()
        wait_for_python(tab)
        assert ticked(tab) == ["port_out", "unlock_device"]
    stored = saved(first)["carriers"]["tmobile"]
    assert stored["ticks"] == ["port_out", "unlock_device"]
    assert stored["marks"]["backup"]["on"] is False and stored["marks"]["port_out"]["on"] is True
    assert errors == []


def test_a_tab_that_missed_the_storage_event_still_merges_when_it_saves(context, site_url):
    """Even without the event (it arrives late, or a tab was busy), saving reads and merges first."""
    first, second = context.new_page(), context.new_page()
    second.add_init_script(  # the second tab hears nothing
        "const add = window.addEventListener.bind(window);"
        " window.addEventListener = (type, ...rest) => (type === 'storage' ? undefined : add(type, ...rest));"
    )
    for tab in (first, second):
        tab.goto(site_url)
        wait_for_python(tab)
    first.locator('[data-tick="backup"]').check()
    second.wait_for_timeout(300)
    assert not second.locator('[data-tick="backup"]').is_checked()
    second.get_by_label("No, let it go").check()  # an answer: the second tab saves
    second.wait_for_selector('[data-step="update_2fa"]')
    second.wait_for_selector('[data-tick="backup"]:checked')  # what the save merged in is shown
    stored = saved(second)["carriers"]["tmobile"]
    assert stored["ticks"] == ["backup"] and stored["answers"]["keep_number"] is False


def test_answers_changed_in_one_tab_show_in_the_other(context, site_url):
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        tab.goto(site_url)
        wait_for_python(tab)
    first.locator("#more-q > summary").click()  # the balance is among the "more questions"
    first.get_by_label("Remaining phone installment balance (USD)").fill("321.5")
    first.wait_for_selector('[data-warning="device_balance_due"]')
    second.wait_for_selector('[data-warning="device_balance_due"]', state="attached")
    assert second.get_by_label("Remaining phone installment balance (USD)").input_value() in (
        "321.5",
        "321.50",
    )
    second.locator('[data-tick="backup"]').check()  # a tick does not undo the other tab's answers
    first.wait_for_selector('[data-tick="backup"]:checked')
    assert saved(first)["carriers"]["tmobile"]["answers"]["device_balance_usd"] == 321.5


def test_older_saved_data_without_times_still_loads(page, site_url):
    page.goto(site_url)
    page.evaluate(
        "localStorage.setItem('simexit.v1', JSON.stringify({version: 1, carrier: 'tmobile', lang: 'en',"
        " carriers: {tmobile: {answers: {keep_number: false}, ticks: ['backup']}}}))"
    )
    page.reload()
    wait_for_python(page)
    assert page.locator("#notice").is_hidden()
    assert page.locator('[data-tick="backup"]').is_checked()
    assert page.locator('[data-step="update_2fa"]').count() == 1  # the saved answer: not keeping the number
    page.locator('[data-tick="unlock_device"]').check()
    stored = saved(page)["carriers"]["tmobile"]
    assert stored["ticks"] == ["backup", "unlock_device"] and set(stored["marks"]) == {
        "backup",
        "unlock_device",
    }


def test_one_bad_carrier_is_reset_alone_with_a_notice_naming_it(page, site_url):
    page.goto(site_url)
    page.evaluate(
        "localStorage.setItem('simexit.v1', JSON.stringify({version: 1, carrier: 'tmobile', lang: 'en',"
        " carriers: {tmobile: {answers: {keep_number: false}, ticks: ['backup']},"
        " verizon: {answers: {leave_date: '9999-12-31'}, ticks: ['backup'], log: [{agent: 'Sam'}]}}}))"
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.reload()
    wait_for_python(page)
    notice = page.locator("#notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "Verizon" in text and "could not be read" in text and "T-Mobile" not in text
    assert page.locator('[data-tick="backup"]').is_checked()  # T-Mobile's record is kept
    assert page.locator('[data-step="update_2fa"]').count() == 1
    stored = saved(page)["carriers"]
    assert stored["tmobile"]["ticks"] == ["backup"] and stored["tmobile"]["answers"] == {"keep_number": False}
    assert stored["verizon"].get("answers", {}) == {} and stored["verizon"].get("ticks", []) == []
    assert stored["verizon"]["log"] == [{"agent": "Sam"}]  # the evidence is kept
    page.locator("#lang-toggle").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert "无法读取" in notice.inner_text()
    assert errors == []


def test_deeply_nested_saved_data_does_not_crash_the_page(page, site_url):
    page.goto(site_url)
    page.evaluate(
        'localStorage.setItem(\'simexit.v1\', \'{"carriers": {"tmobile": {"answers": {"state": \''
        " + '['.repeat(200000) + ']'.repeat(200000) + '}}}}')"
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.reload()
    wait_for_python(page)
    assert "could not be read" in page.locator("#notice").inner_text()
    page.locator('[data-tick="backup"]').check()
    assert saved(page)["carriers"]["tmobile"]["ticks"] == ["backup"]
    assert errors == []


FULL_STORAGE = """
(() => {
  const real = Storage.prototype.setItem;
  window.__setItemCalls = 0;
  Storage.prototype.setItem = function (key, value) {
    window.__setItemCalls += 1;
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  };
})();
"""


def test_a_failed_save_is_told_once_and_the_page_keeps_working(page, site_url):
    page.add_init_script(FULL_STORAGE)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url)
    wait_for_python(page)
    notice = page.locator("#notice")
    assert notice.is_hidden()  # nothing to save yet: nothing to tell
    page.locator('[data-tick="backup"]').check()
    page.wait_for_selector("#notice:not([hidden])")
    assert "could not be saved" in notice.inner_text()
    assert page.evaluate("window.__setItemCalls") >= 1
    page.get_by_label("No, let it go").check()  # the page keeps working…
    page.wait_for_selector('[data-step="update_2fa"]')
    assert page.locator('[data-tick="backup"]').is_checked()
    page.locator('[data-tick="unlock_device"]').check()
    page.wait_for_function("window.__setItemCalls >= 3")
    assert notice.is_hidden() or "could not be saved" not in notice.inner_text()  # …and says it once
    assert errors == []


def test_the_save_failure_notice_is_in_chinese_too(page, site_url):
    page.add_init_script(FULL_STORAGE)
    page.goto(site_url)
    wait_for_python(page)
    page.locator("#lang-toggle").click()  # this first save fails
    page.wait_for_selector("html[lang=zh-CN]")
    page.wait_for_selector("#notice:not([hidden])")
    assert "无法在本浏览器中保存进度" in page.locator("#notice").inner_text()


def test_storage_blocked_altogether_is_told_and_the_page_works(page, site_url):
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});"
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url)
    wait_for_python(page)
    page.locator('[data-tick="backup"]').check()
    page.wait_for_selector("#notice:not([hidden])")
    assert "could not be saved" in page.locator("#notice").inner_text()
    page.get_by_label("No, let it go").check()
    page.wait_for_selector('[data-step="update_2fa"]')
    assert errors == []
