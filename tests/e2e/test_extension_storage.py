"""The extension's popup shares chrome.storage.local with the overlay (whose ticks the service worker
writes): the popup merges what others write instead of overwriting it, writes back what an overwrite
lost, and tells the person once when its progress cannot be saved."""

from __future__ import annotations

import json

import pytest

from .extension import Extension

pytestmark = pytest.mark.browser
VZ_ACCOUNT = "https://www.verizonwireless.com/my-verizon"


@pytest.fixture
def ext(playwright, tmp_path):
    ext = Extension(playwright, tmp_path / "profile")
    yield ext
    ext.close()


def saved(ext: Extension) -> dict:
    return json.loads(ext.storage().get("simexit.v1") or "{}")


def stored_ticks(ext: Extension, carrier: str = "verizon") -> list[str]:
    return saved(ext).get("carriers", {}).get(carrier, {}).get("ticks", [])


def wait_until(page, predicate, what: str, timeout_ms: int = 10_000) -> None:
    waited = 0
    while not predicate():
        if waited >= timeout_ms:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)
        waited += 100


def overlay_tick(ext: Extension, step: str, checked: bool = True) -> None:
    """What the overlay's tick does: the service worker edits "ticks" and keeps no times."""
    ext.worker().evaluate("([step, checked]) => tick({carrier: 'verizon', step, checked})", [step, checked])


def test_overlay_ticks_reach_the_open_popup_and_both_are_kept(ext):
    ext.open(VZ_ACCOUNT)
    popup = ext.popup(ext.tab_id(VZ_ACCOUNT))
    popup.locator('[data-tick="unlock_device"]').check()
    wait_until(popup, lambda: stored_ticks(ext) == ["unlock_device"], "the popup's tick")
    overlay_tick(ext, "confirm_closed")  # while the popup is open
    popup.locator('[data-tick="confirm_closed"]:checked').wait_for()  # relayed and merged: shown at once
    popup.locator('[data-tick="port_out"]').check()  # the popup's next save keeps the overlay's tick
    wait_until(
        popup, lambda: stored_ticks(ext) == ["confirm_closed", "port_out", "unlock_device"], "all three ticks"
    )
    overlay_tick(ext, "unlock_device", checked=False)  # the newest change of a step wins
    popup.locator('[data-tick="unlock_device"]:not(:checked)').wait_for()
    if popup.locator("#more-q:not([open])").count():  # the folded questions
        popup.locator("#more-q > summary").click()
    popup.get_by_label("Remaining phone installment balance (USD)").fill("300")
    popup.locator('[data-warning="device_balance_due"]').wait_for()
    wait_until(
        popup,
        lambda: saved(ext)["carriers"]["verizon"].get("answers", {}).get("device_balance_usd") == 300,
        "the answer",
    )
    assert stored_ticks(ext) == ["confirm_closed", "port_out"]


def test_a_tick_overwritten_by_another_writer_is_written_back(ext):
    ext.open(VZ_ACCOUNT)
    popup = ext.popup(ext.tab_id(VZ_ACCOUNT))
    popup.locator('[data-tick="confirm_closed"]').check()
    wait_until(popup, lambda: stored_ticks(ext) == ["confirm_closed"], "the popup's tick")
    before = ext.storage()["simexit.v1"]
    popup.locator('[data-tick="unlock_device"]').check()
    wait_until(popup, lambda: stored_ticks(ext) == ["confirm_closed", "unlock_device"], "the second tick")
    # a writer that did not merge puts back the older text (a lost update)…
    ext.worker().evaluate("(raw) => chrome.storage.local.set({'simexit.v1': raw})", before)
    # …and the popup, hearing of it, writes back the tick it lost
    wait_until(
        popup, lambda: stored_ticks(ext) == ["confirm_closed", "unlock_device"], "the tick written back"
    )


def test_a_failed_save_in_the_popup_is_told_once(ext):
    ext.open(VZ_ACCOUNT)
    popup = ext.popup(ext.tab_id(VZ_ACCOUNT))
    ext.worker().evaluate(
        "() => { chrome.storage.local.set = () =>"
        " Promise.reject(new Error('Resource::kQuotaBytes quota exceeded')); }"
    )
    popup.locator('[data-tick="confirm_closed"]').check()
    notice = popup.locator("#notice")
    notice.wait_for()
    assert "could not be saved" in notice.inner_text()
    if popup.locator("#more-q:not([open])").count():  # the folded questions
        popup.locator("#more-q > summary").click()
    popup.get_by_label("Remaining phone installment balance (USD)").fill("300")  # clears the notice…
    popup.locator('[data-warning="device_balance_due"]').wait_for()  # …the popup keeps working
    popup.locator('[data-tick="unlock_device"]').check()
    # Polled from here: the popup's policy forbids the eval wait_for_function needs once it must wait.
    for _ in range(300):
        if popup.evaluate("Number(document.documentElement.dataset.saves || 0)") >= 3:
            break
        popup.wait_for_timeout(50)
    else:
        raise AssertionError("the popup did not try three saves")
    popup.wait_for_timeout(300)
    assert notice.is_hidden()  # told once
    assert popup.locator('[data-tick="confirm_closed"]').is_checked()
