"""The Firefox build in a real Firefox (Debian's firefox-esr, installed by `make firefox`): installed as a
temporary add-on on a fresh profile, the overlay on a carrier address (served locally through the
profile's proxy), nothing on a lookalike host, the popup painting the checklist without Python (Firefox
has no sandbox page for it: docs/permissions.md) with ticks shared with the overlay, and not one request
leaving the machine. Without firefox-esr this fails: `make test` installs it."""

from __future__ import annotations

import json
import time

import pytest

from simexit.assess import assess
from simexit.detect import detect
from simexit.i18n import t
from simexit.models import Situation

from .conftest import ARTIFACTS
from .extension import ROUTED
from .firefox import (
    ADDON_ID,
    EXTENSION,
    ORIGIN,
    Firefox,
    FixtureProxy,
    firefox_binary,
    firefox_version,
    throwaway_certificate,
)

pytestmark = pytest.mark.browser
TMO_TRANSFER = "https://www.t-mobile.com/support/account/transfer-your-phone-number"
LOOKALIKE = "https://www.t-mobile.com.evil.example/account"
SHOWN = "['open', 'collapsed'].includes(document.querySelector('#simexit-overlay')?.dataset.state)"
STEPS = "[...document.querySelectorAll('li[data-step]')].map((li) => li.dataset.step)"
TICKED = "[...document.querySelectorAll('input[data-tick]:checked')].map((box) => box.dataset.tick)"


@pytest.fixture(scope="module")
def firefox(tmp_path_factory):
    """One Firefox with the add-on for the module; at the end, every request of the session checked."""
    binary = firefox_binary()
    if binary is None:
        pytest.fail("firefox-esr is not installed: `make firefox` (run by `make test`) installs it")
    if not (EXTENSION / "manifest.json").is_file():
        pytest.fail("dist/extension-firefox is not built: run `make build` first")
    workdir = tmp_path_factory.mktemp("firefox")
    proxy = FixtureProxy(*throwaway_certificate(workdir))
    started = time.monotonic()
    browser = Firefox(binary, workdir, proxy)
    try:
        assert browser.install(EXTENSION) == ADDON_ID
        browser.version = firefox_version(binary)
        yield browser
    finally:
        browser.close()
        proxy.stop()
    check_requests(browser, proxy, time.monotonic() - started)


def check_requests(browser: Firefox, proxy: FixtureProxy, seconds: float) -> None:
    """Every request the pages made (BiDi's network events) and every connection Firefox opened (the
    proxy, its only way out) is logged; each must be a routed fixture page or the extension's own."""
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "firefox-requests.log").open("w", encoding="utf-8") as log:
        log.write(f"# {browser.version}, {seconds:.1f} s\n# pages (WebDriver BiDi network events)\n")
        log.write("".join(f"{u}\n" for u in browser.requests) + "# proxy (all of Firefox's traffic)\n")
        log.write("".join(f"{u}\n" for u in proxy.seen))
    assert browser.requests and proxy.seen, "no request was logged: the logger is broken"
    assert [u for u in browser.requests if not (u.startswith(ORIGIN) or u in ROUTED)] == []
    assert proxy.foreign == [] and set(proxy.seen) <= set(ROUTED)


def expected(catalog, url: str):
    found = detect(url, None, catalog.carriers)
    carrier = catalog.carriers[found.carrier]
    return found, carrier, assess(carrier, Situation(carrier=carrier.id, lang="en"), catalog.common)


def overlay_frame(firefox: Firefox, tab: str) -> str:
    """The overlay's frame (overlay/<carrier>.html, an extension page in the host's closed shadow root)."""
    frames = [f["context"] for f in firefox.frames(tab) if f["url"].startswith(f"{ORIGIN}overlay/")]
    assert len(frames) == 1, frames
    return frames[0]


def open_popup(firefox: Firefox, tab: str) -> str:
    """popup.html in a tab of its own, describing the carrier tab `tab`. WebDriver BiDi may not navigate
    to a moz-extension:// address, so the overlay's frame (an extension page) opens it; the popup then
    finds the carrier tab's id (host permissions show carrier tabs' addresses) and reloads with ?tab=."""
    url = firefox.eval(tab, "location.href")
    firefox.command(
        "script.evaluate",
        {
            "expression": "void window.open(chrome.runtime.getURL('popup.html'))",
            "target": {"context": overlay_frame(firefox, tab)},
            "awaitPromise": False,
            "userActivation": True,
        },
    )
    popup = None
    for _ in range(100):
        tops = firefox.command("browsingContext.getTree", {"maxDepth": 0})["contexts"]
        popup = next((c["context"] for c in tops if c["url"].startswith(f"{ORIGIN}popup.html")), None)
        if popup:
            break
        time.sleep(0.05)
    assert popup, "the popup page did not open"
    tab_id = firefox.wait(
        popup,
        f"chrome.tabs.query({{}}).then((tabs) => tabs.find((t) => t.url === {json.dumps(url)})?.id)",
        what="the carrier tab's id",
    )
    firefox.go(popup, f"{ORIGIN}popup.html?tab={tab_id}")
    return popup


def test_firefox_is_the_esr_the_makefile_installs(firefox):
    assert firefox.version.startswith("Mozilla Firefox") and "esr" in firefox.version, firefox.version


def test_overlay_shows_the_carrier_checklist_in_firefox(firefox, catalog):
    found, carrier, result = expected(catalog, TMO_TRANSFER)
    tab = firefox.new_tab()
    firefox.navigate(tab, TMO_TRANSFER)
    firefox.wait(tab, SHOWN, what="the overlay")
    host = firefox.eval(tab, "({...document.querySelector('#simexit-overlay').dataset})")
    assert host["carrier"] == carrier.id and host["page"] == (found.page or "")
    assert firefox.eval(tab, "document.querySelector('#simexit-overlay').shadowRoot") is None  # closed
    frame = overlay_frame(firefox, tab)
    firefox.wait(frame, f"{STEPS}.length > 0", what="the painted checklist")
    assert firefox.eval(frame, STEPS) == [s.kind for s in result.steps]
    verdict = firefox.eval(frame, "document.querySelector('.verdict-value')?.dataset.verdict")
    assert verdict == result.online_cancel
    assert carrier.name.en in firefox.eval(frame, "document.querySelector('.where').textContent")
    assert (
        firefox.eval(frame, "document.querySelectorAll('.panel :is(script, iframe, img, object)').length")
        == 0
    )


def test_lookalike_host_gets_nothing_in_firefox(firefox):
    tab = firefox.new_tab()
    firefox.navigate(tab, LOOKALIKE)
    time.sleep(1.0)  # the overlay shows within ~100 ms where it belongs
    assert firefox.eval(tab, "document.readyState") == "complete"
    assert firefox.eval(tab, "document.querySelector('#simexit-overlay') === null")
    assert not [f for f in firefox.frames(tab) if f["url"].startswith(ORIGIN)]


def test_popup_paints_the_checklist_without_python_and_shares_ticks(firefox, catalog):
    _, _, result = expected(catalog, TMO_TRANSFER)
    tab = firefox.new_tab()
    firefox.navigate(tab, TMO_TRANSFER)
    firefox.wait(tab, SHOWN, what="the overlay")
    popup = open_popup(firefox, tab)
    firefox.wait(popup, f"{STEPS}.length > 0", what="the popup's checklist")
    assert firefox.eval(popup, "document.documentElement.dataset.carrier") == "tmobile"
    assert firefox.eval(popup, "document.getElementById('status').textContent") == t("ext.popup_static", "en")
    assert firefox.eval(popup, STEPS) == [s.kind for s in result.steps]
    # No engine: no sandbox frame, no Python runtime in the Firefox build, none in the manifest.
    assert firefox.eval(popup, "document.querySelectorAll('iframe, script[type=py]').length") == 0
    assert firefox.eval(popup, "chrome.runtime.getManifest().sandbox ?? null") is None
    assert not (EXTENSION / "runtime").exists() and not (EXTENSION / "sandbox.html").exists()
    # The site switch, and a tick made in the popup reaching the overlay's frame on the carrier page.
    assert firefox.eval(popup, "document.getElementById('site').hidden") is False
    step = firefox.eval(popup, "document.querySelector('input[data-tick]').dataset.tick")
    firefox.eval(popup, f"document.querySelector('input[data-tick={json.dumps(step)}]').click()")
    frame = overlay_frame(firefox, tab)
    assert firefox.wait(frame, f"{TICKED}.includes({json.dumps(step)})", what="the tick in the overlay")
    firefox.navigate(tab, TMO_TRANSFER)  # and kept in storage: a new overlay shows it too
    firefox.wait(tab, SHOWN, what="the overlay again")
    assert firefox.wait(overlay_frame(firefox, tab), f"{TICKED}.includes({json.dumps(step)})", what="ticks")
