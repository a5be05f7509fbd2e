"""The Chromium extension as a person uses it: the overlay on real carrier addresses (routed to local
fixture pages), the popup driven by the Python engine that runs once in the offscreen document's sandbox
page, storage shared between them, and not one request outside the extension and the routed pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from simexit.assess import assess
from simexit.detect import detect
from simexit.i18n import t
from simexit.models import Situation
from simexit.render import to_html

from .conftest import ARTIFACTS, settled
from .extension import CARRIER_PAGES, EXTENSION, LOOKALIKES, ORIGIN, ROUTED, TIMING_JS, Extension, Overlay

pytestmark = pytest.mark.browser
TMO_TRANSFER = "https://www.t-mobile.com/support/account/transfer-your-phone-number"
TMO_SIGNIN = "https://account.t-mobile.com/signin/v2/"
TMO_HOSTILE = "https://www.t-mobile.com/support/account/cancel-service"
VZ_ACCOUNT = "https://www.verizonwireless.com/my-verizon"
VZ_BILL = "https://www.verizon.com/digital/nsa/secure/ui/bill/viewbill"
ATT_LOGIN = "https://www.att.com/acctmgmt/login"
NOTHING_WAIT_MS = 1000  # the overlay shows within ~100 ms where it belongs; this long where it does not
SNOOP = Path(__file__).with_name("snoop.html")  # a carrier page that tries to read the overlay
# The panel has scrolled (itself, not the page) so that the step marked for this page is in view.
MARKED_STEP_IN_VIEW = """function () {
  const panel = this.getBoundingClientRect(), step = this.querySelector("li.here").getBoundingClientRect();
  return this.scrollTop > 0 && step.top >= panel.top && step.top < panel.bottom;
}"""
BALANCE, LEAVE = "321.57", "2026-12-30"  # a person's answers, as the checklist shows them


def check_requests(ext: Extension, name: str) -> None:
    """Every request of the session is logged; each must be the extension's or a routed fixture page,
    and Chromium's network stack started none for any page, frame or worker (the engine's included)."""
    ARTIFACTS.mkdir(exist_ok=True)
    unlogged = " (the restarted worker's own fetches are not in it)" if ext.worker_stopped else ""
    with (ARTIFACTS / "extension-requests.log").open("a", encoding="utf-8") as log:
        log.write(
            f"# {name}: {len(ext.requests)} requests{unlogged}\n" + "".join(f"{u}\n" for u in ext.requests)
        )
        log.write(
            f"# {name}: the network stack's {len(ext.network)} requests (initiator, address)\n"
            + "".join(f"{initiator} {url}\n" for url, initiator in ext.network)
        )
    assert ext.requests, "no request was logged: the logger is broken"
    outside = [u for u in ext.requests if not (u.startswith(ORIGIN) or u in ROUTED)]
    assert outside == [] and ext.foreign == []
    assert ext.left() == []


@pytest.fixture(scope="module")
def shared(playwright, tmp_path_factory):
    """One browser for the tests that only look (they never change storage)."""
    ext = Extension(playwright, tmp_path_factory.mktemp("profile"))
    yield ext
    ext.close()
    check_requests(ext, "shared browser")


@pytest.fixture
def ext(playwright, tmp_path, request):
    ext = Extension(playwright, tmp_path / "profile")
    yield ext
    ext.close()
    check_requests(ext, request.node.name)


def expected(catalog, url: str):
    found = detect(url, None, catalog.carriers)
    carrier = catalog.carriers[found.carrier]
    result = assess(carrier, Situation(carrier=carrier.id, lang="en"), catalog.common)
    return found, carrier, result


def wait_overlay(page, state: str = "open") -> Overlay:
    page.wait_for_selector(f"#simexit-overlay[data-state={state}]", state="attached", timeout=10_000)
    return Overlay(page)


def nothing_shows(page) -> bool:
    page.wait_for_load_state("load")
    page.wait_for_timeout(NOTHING_WAIT_MS)
    return page.locator("#simexit-overlay").count() == 0


def saved(ext: Extension) -> dict:
    return json.loads(ext.storage().get("simexit.v1") or "{}")


# ---------------------------------------------------------------- the overlay


@pytest.mark.parametrize("url", [u for u, f in CARRIER_PAGES.items() if f != "hostile.html"])
def test_overlay_shows_the_carrier_and_its_verdict_at_once(shared, catalog, url):
    found, carrier, result = expected(catalog, url)
    page = shared.open(url)
    try:
        overlay = wait_overlay(page)
        host = page.locator("#simexit-overlay")
        assert host.get_attribute("data-carrier") == carrier.id
        assert host.get_attribute("data-page") == (found.page or "")
        assert overlay.call(".verdict-value", "function () { return this.dataset.verdict; }") == [
            result.online_cancel
        ]
        assert overlay.steps() == [s.kind for s in result.steps]
        assert carrier.name.en in overlay.text(".where")
        assert overlay.visible(".panel") and overlay.visible(".panel-note")  # "the usual answers"
        assert overlay.count(".panel :is(script, iframe, img, object, embed)") == 0
        timing = page.evaluate(TIMING_JS)
        assert timing["overlay"] is not None and timing["overlay"] - timing["dcl"] < 1000, timing
        badge = "✓" if found.page else "·"  # set once the overlay is up
        assert overlay.wait(lambda: shared.badge(shared.tab_id(url)) == badge, what="the badge")
    finally:
        page.close()


def test_lookalike_hosts_get_nothing(shared):
    page = shared.open(TMO_TRANSFER)
    wait_overlay(page)
    tab = shared.tab_id(TMO_TRANSFER)
    assert Overlay(page).wait(lambda: shared.badge(tab) == "✓", what="the badge")
    for url in LOOKALIKES:
        page.goto(url)
        assert nothing_shows(page), url
    assert shared.badge(tab) == ""  # Chromium clears a tab's badge when it leaves the carrier
    page.close()


def test_overlay_wakes_a_stopped_worker(ext):
    page = ext.open(ATT_LOGIN)
    wait_overlay(page)
    ext.stop_worker(page)  # what Chromium does to an idle extension worker after 30 s
    page.goto(VZ_ACCOUNT)
    overlay = wait_overlay(page)
    assert page.locator("#simexit-overlay").get_attribute("data-carrier") == "verizon"
    assert overlay.steps()
    timing = page.evaluate(TIMING_JS)
    assert timing["overlay"] - timing["dcl"] < 1000, timing


def test_hostile_page_runs_nothing_and_cannot_break_the_panel(ext, catalog):
    _, carrier, result = expected(catalog, TMO_HOSTILE)
    page = ext.open(TMO_HOSTILE)
    overlay = wait_overlay(page)
    page.wait_for_function("window.attacked === true")
    assert page.evaluate("window.pwned") is None
    attacks = page.evaluate("window.attacks")
    assert "read shadowRoot: done" in attacks  # closed: the page sees no shadow root
    assert "attach another shadow: NotSupportedError" in attacks
    assert page.evaluate("document.title").startswith("<img src=/pwned2.png")  # the payload is there…
    panel = overlay.text(".panel")
    assert "pwned" not in panel and "fake checklist" not in panel  # …and never reaches the panel
    assert overlay.call(".verdict-value", "function () { return this.dataset.verdict; }") == [
        result.online_cancel
    ]
    assert overlay.steps() == [s.kind for s in result.steps]
    header = overlay.call("header", "function () { return getComputedStyle(this).backgroundColor; }")
    assert header == ["rgb(11, 110, 79)"]  # styled despite the page's CSP (style-src 'none')
    overlay.click(".collapse")
    assert overlay.wait(lambda: overlay.visible(".pill"), what="the folded panel")
    overlay.click(".pill")
    assert overlay.wait(lambda: overlay.visible(".panel"), what="the panel again")
    assert page.evaluate("window.pwned") is None
    assert carrier.id == "tmobile"


def save_answers(ext: Extension, catalog) -> None:
    """Verizon answers saved as the popup saves them: the progress and the checklist Python rendered."""
    carrier = catalog.carriers["verizon"]
    situation = Situation(
        carrier="verizon",
        device_balance_usd=float(BALANCE),
        leave_date=date.fromisoformat(LEAVE),
        bill_day=10,
        today=date(2026, 11, 20),
    )
    html = to_html(assess(carrier, situation, catalog.common))
    assert BALANCE in html and LEAVE in html
    answers = {"device_balance_usd": float(BALANCE), "leave_date": LEAVE, "bill_day": 10}
    progress = {"carrier": "verizon", "lang": "en", "carriers": {"verizon": {"answers": answers}}}
    progress["carriers"]["verizon"]["ticks"] = ["unlock_device"]
    ext.worker().evaluate(
        "(items) => chrome.storage.local.set(items)",
        {"simexit.v1": json.dumps(progress), "simexit.rendered": {"verizon": {"lang": "en", "html": html}}},
    )


def open_snooping_page(ext: Extension):
    """The carrier's billing page, served as snoop.html (its own script starts before the extension's)."""
    page = ext.context.new_page()
    page.route(
        VZ_BILL,
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", path=SNOOP),
    )
    page.goto(VZ_BILL)
    return page, wait_overlay(page)


def test_carrier_page_cannot_read_what_the_overlay_shows(ext, catalog):
    save_answers(ext, catalog)
    page, overlay = open_snooping_page(ext)
    found = page.evaluate("(secrets) => snoop(secrets)", [BALANCE, LEAVE])
    assert found["control"], found  # window.find() finds the page's own text…
    assert "find 321.57" in found["ways"] and "DOM walk" in found["ways"] and "observed" in found["ways"]
    assert found["leaks"] == [], found  # …and none of the person's answers, by any way the page has
    body = overlay.text(".body")  # while the person sees them in the overlay's frame
    assert f"${BALANCE}" in body and LEAVE in body
    assert overlay.visible(".panel") and not overlay.visible(".panel-note")  # their answers, not the usual
    assert overlay.call("li.here", "function () { return this.dataset.step; }") == ["pay_device_balance"]
    assert overlay.wait(lambda: overlay.call(".body", MARKED_STEP_IN_VIEW) == [True], what="the step in view")
    assert overlay.ticked() == ["unlock_device"]
    # What the page itself holds of the overlay: an empty host with a closed shadow root, and the state.
    host = page.locator("#simexit-overlay")
    assert host.evaluate("(el) => [el.shadowRoot, el.childNodes.length, el.innerText]") == [None, 0, ""]
    assert host.get_attribute("data-state") == "open" and host.get_attribute("data-carrier") == "verizon"
    overlay.click('input[data-tick="unlock_device"]')  # ticks still reach storage from the frame
    overlay.wait(lambda: saved(ext)["carriers"]["verizon"]["ticks"] == [])
    assert page.evaluate("(secrets) => snoop(secrets)", [BALANCE, LEAVE])["leaks"] == []


def test_carrier_page_cannot_steer_the_overlay_frame(ext, catalog):
    save_answers(ext, catalog)
    page, overlay = open_snooping_page(ext)
    assert page.evaluate("window.length") == 0  # the overlay's frame is out of the page's reach…
    # …so the page embeds frames of its own (Verizon's frame page is web-accessible on Verizon's sites):
    # one for another carrier's site, one for its own, and tells the content script to fold or drop the
    # overlay.
    page.evaluate(
        """(origin) => {
          for (const url of ["https://www.t-mobile.com/support/account/cancel-service", location.href]) {
            const frame = document.createElement("iframe");
            const hash = new URLSearchParams({ url, title: "", loaded: "1" });
            frame.src = `${origin}overlay/verizon.html#${hash}`;
            document.body.append(frame);
          }
          window.postMessage({ simexit: "state", state: "off", forged: 1 }, "*");
          window.postMessage({ simexit: "state", state: "collapsed", forged: 1 }, "*");
        }""",
        ORIGIN,
    )
    heard_js = """window.observed.filter((m) => m.startsWith('{"simexit"') && !m.includes("forged"))"""
    page.wait_for_function(f"new Set({heard_js}).size >= 3")
    heard = page.evaluate(heard_js)
    # Another site's page is refused in this site's frame; this site's is painted; all the page hears:
    assert sorted(set(heard)) == [
        '{"simexit":"state","state":"loading"}',
        '{"simexit":"state","state":"off"}',
        '{"simexit":"state","state":"open","carrier":"verizon","page":"billing"}',
    ], heard
    planted = [f for f in page.frames if f.url.startswith(ORIGIN) and f != overlay.frame()]
    assert len(planted) == 2
    planted.sort(key=lambda f: "verizon" in f.url)  # t-mobile's first
    planted[1].locator("li[data-step]").first.wait_for(state="attached")
    assert planted[0].locator(".body").inner_text() == ""
    assert BALANCE in planted[1].locator(".body").inner_text()
    found = page.evaluate("(secrets) => snoop(secrets)", [BALANCE, LEAVE])
    assert found["frames"] == 2 and "frames[1].document (error)" in found["ways"]
    assert found["leaks"] == [], found  # its own frames are as closed to it as the overlay's
    host = page.locator("#simexit-overlay")  # the forged messages moved nothing
    assert host.get_attribute("data-state") == "open" and overlay.visible(".panel")


def test_a_carrier_site_can_embed_only_its_own_carriers_frame_page(shared):
    """Each carrier's frame page (overlay/<id>.html, its checklists built in) is web-accessible on that
    carrier's sites and no others: a Verizon page can load Verizon's, not T-Mobile's."""
    page = shared.open(VZ_ACCOUNT)
    wait_overlay(page)
    page.evaluate(
        """(origin) => Promise.all(["overlay/tmobile.html", "overlay/verizon.html", "overlay.html"].map(
          (path) => new Promise((loaded) => {
            const frame = document.createElement("iframe");
            frame.onload = loaded;
            frame.src = `${origin}${path}#${new URLSearchParams({ url: location.href })}`;
            document.body.append(frame);
          }),
        ))""",
        ORIGIN,
    )
    urls = sorted(f.url.split("#")[0] for f in page.frames if f != page.main_frame)
    assert urls == ["chrome-error://chromewebdata/"] * 2 + [f"{ORIGIN}overlay/verizon.html"] * 2
    page.close()


def test_overlay_only_guides_never_touches_the_page(ext):
    page = ext.open(VZ_ACCOUNT)
    overlay = wait_overlay(page)
    history = page.evaluate("history.length")
    overlay.click('input[data-tick="unlock_device"]')
    overlay.wait(
        lambda: "unlock_device" in (saved(ext).get("carriers", {}).get("verizon", {}).get("ticks", []))
    )
    overlay.click('a[href^="#src-"]')  # a citation scrolls the panel, not the page
    overlay.click(".collapse")
    overlay.click(".pill")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pageEvents") == []
    assert page.evaluate("[user.value, pw.value, remember.checked]") == ["keep-me", "", False]
    assert page.url == VZ_ACCOUNT and page.evaluate("history.length") == history
    assert page.evaluate("window.scrollY") == 0
    links = overlay.call('a[href^="http"]', "function () { return [this.target, this.rel]; }")
    assert links and all(link == ["_blank", "noopener noreferrer"] for link in links)


def test_collapsed_panel_stays_small_and_folded_across_pages(ext):
    page = ext.open(TMO_TRANSFER)
    overlay = wait_overlay(page)
    overlay.click(".collapse")
    page.wait_for_selector("#simexit-overlay[data-state=collapsed]", state="attached")
    box = page.locator("#simexit-overlay").bounding_box()
    assert box["width"] < 260 and box["height"] < 60  # a small tab in the corner
    page.goto(TMO_SIGNIN)
    overlay = wait_overlay(page, "collapsed")
    assert not overlay.visible(".panel") and overlay.visible(".pill")
    overlay.click(".pill")
    wait_overlay(page, "open")


def test_off_switch_is_remembered_per_site(ext):
    page = ext.open(TMO_TRANSFER)
    overlay = wait_overlay(page)
    assert "t-mobile.com" in overlay.text(".off")
    overlay.click(".off")
    page.wait_for_selector("#simexit-overlay", state="detached")
    assert ext.storage()["simexit.off"] == {"t-mobile.com": True}
    page.reload()
    assert nothing_shows(page)
    page.goto(TMO_SIGNIN)  # another page of the same site
    assert nothing_shows(page)
    other = ext.open(ATT_LOGIN)
    wait_overlay(other)  # other carriers still get it
    popup = ext.popup(ext.tab_id(TMO_SIGNIN))
    switch = popup.locator("#site-on")
    assert popup.locator("#site-label").inner_text() == "Show the checklist on t-mobile.com"
    assert not switch.is_checked()
    switch.check()
    wait_overlay(page)  # back on the open tab at once, without a reload
    assert ext.storage()["simexit.off"] == {}


# ---------------------------------------------------------------- the popup and shared storage


def test_popup_assesses_the_detected_carrier_and_the_overlay_follows(ext):
    page = ext.open(VZ_ACCOUNT)
    wait_overlay(page)
    popup = ext.popup(ext.tab_id(VZ_ACCOUNT))
    assert popup.get_by_test_id("checklist").get_attribute("data-carrier") == "verizon"
    assert popup.locator("#site-label").inner_text() == "Show the checklist on verizonwireless.com"
    assert popup.locator("iframe").count() == 0  # the engine is not in the popup
    ready_ms = int(popup.evaluate("document.documentElement.dataset.pyBootMs"))
    if popup.locator("#more-q:not([open])").count():  # the folded questions
        popup.locator("#more-q > summary").click()
    popup.get_by_label("Remaining phone installment balance (USD)").fill("300")
    popup.locator('[data-warning="device_balance_due"]').wait_for()
    overlay = Overlay(page)
    overlay.wait(lambda: "pay_device_balance" in overlay.steps(), what="the overlay to follow the popup")
    assert not overlay.visible(".panel-note")  # the user's own answers now, not the usual ones
    assert "$300.00" in overlay.text('[data-warning="device_balance_due"]')
    stored = ext.storage()
    assert saved(ext)["carriers"]["verizon"]["answers"]["device_balance_usd"] == 300.0
    assert stored["simexit.rendered"]["verizon"]["lang"] == "en"
    page.goto(VZ_BILL)  # a billing page: the step that fits it is marked
    overlay = wait_overlay(page)
    assert overlay.call("li.here", "function () { return this.dataset.step; }") == ["pay_device_balance"]
    assert overlay.text(".here-note") == "This step fits the page you are on."
    assert overlay.visible("li.here")
    print(f"\npopup open -> Python interactive: {ready_ms} ms")
    popup.screenshot(path=ARTIFACTS / "extension-popup.png")
    page.screenshot(path=ARTIFACTS / "extension-overlay.png")


def test_ticks_survive_navigation_and_a_browser_restart(ext):
    page = ext.open(TMO_TRANSFER)
    overlay = wait_overlay(page)
    overlay.click('input[data-tick="backup"]')
    overlay.wait(lambda: saved(ext).get("carriers", {}).get("tmobile", {}).get("ticks") == ["backup"])
    page.goto(TMO_SIGNIN)
    overlay = wait_overlay(page)
    assert overlay.ticked() == ["backup"]
    popup = ext.popup(ext.tab_id(TMO_SIGNIN))
    assert popup.locator('[data-tick="backup"]').is_checked()
    popup.locator('[data-tick="unlock_device"]').check()  # ticked in the popup…
    overlay.wait(
        lambda: overlay.ticked() == ["backup", "unlock_device"], what="the tick to reach the overlay"
    )
    overlay.click('input[data-tick="backup"]')  # …and unticked in the overlay
    overlay.wait(lambda: saved(ext)["carriers"]["tmobile"]["ticks"] == ["unlock_device"])
    ext.restart()
    page = ext.open(TMO_TRANSFER)
    overlay = wait_overlay(page)
    assert overlay.ticked() == ["unlock_device"]
    popup = ext.popup(ext.tab_id(TMO_TRANSFER))
    assert popup.locator('[data-tick="unlock_device"]').is_checked()
    assert not popup.locator('[data-tick="backup"]').is_checked()


def test_language_follows_the_popup(ext, catalog):
    page = ext.open(TMO_TRANSFER)
    overlay = wait_overlay(page)
    popup = ext.popup(ext.tab_id(TMO_TRANSFER))
    popup.locator("#lang-toggle").click()
    popup.locator("html[lang=zh-CN]").wait_for(state="attached")
    overlay.wait(lambda: overlay.text(".title") == "simexit 清单", what="the Chinese overlay")
    assert overlay.call(":root", "function () { return this.lang; }") == ["zh-CN"]
    assert overlay.text(".verdict-value") == "不可以"
    kind = detect(TMO_TRANSFER, None, catalog.carriers).page  # the page kind comes from the data
    assert overlay.text(".where") == f"{catalog.carriers['tmobile'].name.zh} · {t(f'ext.page_{kind}', 'zh')}"
    assert "Checklist" not in overlay.text(".panel")
    other = ext.open(ATT_LOGIN)  # a carrier never opened in the popup: its prerendered Chinese list
    overlay = wait_overlay(other)
    assert overlay.text(".title") == "simexit 清单" and "登录页面" in overlay.text(".where")
    other.screenshot(path=ARTIFACTS / "extension-overlay-zh.png")


def test_popup_buttons_work(ext):
    page = ext.open(TMO_TRANSFER)
    wait_overlay(page)
    popup = ext.popup(ext.tab_id(TMO_TRANSFER))
    if popup.locator("#more-q:not([open])").count():
        popup.locator("#more-q > summary").click()
    popup.locator("details.dates summary").click()
    popup.get_by_label("Day of the month your bill starts a new cycle").fill("15")
    popup.get_by_label("Last day you need this service (e.g. your flight)").fill("2099-12-31")
    popup.locator(".best-date time").wait_for(state="attached")  # in the folded "When to act"
    with popup.expect_download() as download:
        popup.get_by_role("button", name="Add reminders to my calendar (.ics)").click()
    assert download.value.path().read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    popup.locator("#sec-reference > details > summary").click()  # the reference sections, folded…
    popup.locator("section.sources summary").click()  # …and the sources in them
    source = popup.locator(".sources a[href^='https://']").first
    href = source.get_attribute("href")
    with ext.context.expect_page() as opened:
        source.click()
    assert opened.value.url == href or href in ext.foreign  # a tab of its own (the router stops it)…
    popup.get_by_test_id("checklist").wait_for()  # …and the popup still shows the assessment
    assert popup.url.startswith(f"{ORIGIN}popup.html")
    ext.foreign = [u for u in ext.foreign if u != href]  # the user's own click, not the extension's
    ext.requests = [u for u in ext.requests if u != href]


def test_popup_without_a_carrier_tab_keeps_the_saved_carrier(ext):
    page = ext.open(VZ_ACCOUNT)
    wait_overlay(page)
    first = ext.popup(ext.tab_id(VZ_ACCOUNT))
    first.locator('[data-tick="unlock_device"]').check()  # something to save
    first.wait_for_selector("html[data-saves='1']", state="attached")
    first.close()
    popup = ext.popup()  # describes the active tab: the popup's own, no carrier there
    assert popup.locator("#site").is_hidden()
    assert popup.get_by_test_id("checklist").get_attribute("data-carrier") == "verizon"


def test_a_second_opening_of_the_popup_reuses_the_running_engine(ext):
    """Python starts once, in the offscreen document the service worker opens after install, and serves
    every opening of the popup after that: the second opening finds it running (the same start, in the
    same and only offscreen document) and no popup loads Python. Nothing leaves the machine meanwhile:
    check_requests reads Chromium's NetLog too, which sees the engine's documents as well."""
    page = ext.open(VZ_ACCOUNT)
    wait_overlay(page)
    tab = ext.tab_id(VZ_ACCOUNT)
    engine = ext.engine_opened(page)
    assert [d["documentUrl"] for d in engine] == [f"{ORIGIN}offscreen.html"]  # opened after install
    loaded: list[str] = []
    first = ext.context.new_page()
    first.on("request", lambda r: loaded.append(r.url))
    ext.popup(tab, page=first)
    started = first.evaluate("document.documentElement.dataset.engineStartedAt")
    assert started and first.locator("iframe").count() == 0
    first.close()
    second = ext.context.new_page()
    second.on("request", lambda r: loaded.append(r.url))
    ext.popup(tab, page=second)
    root = second.evaluate("({...document.documentElement.dataset})")
    assert root["engineStartedAt"] == started  # the same Python, not started again…
    assert ext.engine_documents() == engine  # …in the same offscreen document, the only one
    assert loaded and not [u for u in loaded if "/runtime/" in u or u.endswith(".py")]  # no popup loads it
    assert second.get_by_test_id("checklist").get_attribute("data-carrier") == "verizon"
    second.locator('[data-tick="unlock_device"]').check()  # and it answers this popup: the tick is saved
    settled(second)
    Overlay(page).wait(
        lambda: saved(ext).get("carriers", {}).get("verizon", {}).get("ticks") == ["unlock_device"]
    )
    print(f"\npopup, second opening -> Python interactive: {root['pyBootMs']} ms")


def test_a_popup_starts_a_missing_engine_and_keeps_what_was_done_meanwhile(ext):
    """Without the engine's document (closed, as Chromium may), the popup has the worker open it again;
    meanwhile its prerendered checklist is on screen and takes ticks, which reach Python once it is up."""
    page = ext.open(VZ_ACCOUNT)
    wait_overlay(page)
    assert ext.engine_opened(page)
    ext.worker().evaluate("chrome.offscreen.closeDocument()")
    assert ext.engine_documents() == []
    popup = ext.popup(ext.tab_id(VZ_ACCOUNT), ready=False)
    popup.wait_for_selector("html[data-painted]", state="attached")
    assert popup.get_by_test_id("checklist").get_attribute("data-carrier") == "verizon"
    popup.locator('[data-tick="unlock_device"]').check()
    assert popup.locator("html[data-py-ready]").count() == 0  # Python is starting again…
    popup.wait_for_selector("html[data-py-ready=true]", state="attached", timeout=90_000)
    settled(popup)
    assert len(ext.engine_documents()) == 1
    Overlay(page).wait(
        lambda: saved(ext).get("carriers", {}).get("verizon", {}).get("ticks") == ["unlock_device"]
    )
    assert popup.locator('[data-tick="unlock_device"]').is_checked()  # …and the tick made meanwhile is kept


def test_worker_detection_matches_python_on_the_examples(shared, catalog):
    urls = [p.example for c in catalog.carriers.values() for p in c.pages] + list(LOOKALIKES)
    got = shared.worker().evaluate(
        "async (urls) => { const index = await (await fetch('data/detect.json')).json();"
        " return urls.map(u => simexitDetect.detect(index, u, null)); }",
        urls,
    )
    for url, js in zip(urls, got, strict=True):
        py = detect(url, None, catalog.carriers)
        assert (js and (js["carrier"], js["page"])) == (py and (py.carrier, py.page)), url


# ---------------------------------------------------------------- the painter, on its own


PAINT = EXTENSION / "paint.js"


@pytest.mark.parametrize("given", ["text", "template"])
def test_painter_keeps_only_what_the_renderer_makes(page, given):
    """Markup given as text (the checklist Python saved) or as a <template>'s content (the overlay's
    frame page brings the prerendered ones so) is sanitized alike, before it reaches the document."""
    page.goto("about:blank")
    page.add_script_tag(path=PAINT)
    html = (
        '<div id="checklist"><section class="steps"><ol class="checklist">'
        '<li data-step="backup" onclick="window.pwned=1"><input type="checkbox" data-tick="backup">'
        '<label>ok</label><img src=x onerror="window.pwned=2"><script>window.pwned=3</script>'
        '<a href="javascript:window.pwned=4">js</a><a href="https://example.org/src">src</a>'
        '<a href="#src-x">cite</a><input type="text" value="no"><iframe src="about:blank"></iframe>'
        '<span style="color:red" data-x="1">s</span></li></ol></section></div>'
    )
    result = page.evaluate(
        """([html, given]) => {
          let source = html;
          if (given === "template") {
            const template = document.createElement("template");
            template.innerHTML = html;
            source = template.content;
          }
          const box = document.createElement("div");
          document.body.append(box);
          box.append(simexitPaint.checklistNodes(source, document));
          return box.innerHTML;
        }""",
        [html, given],
    )
    page.wait_for_timeout(100)  # an image that got through would have failed to load by now
    assert page.evaluate("window.pwned") is None
    for gone in ("onclick", "<img", "<script", "javascript:", "<iframe", 'type="text"', "style="):
        assert gone not in result
    assert 'href="https://example.org/src" target="_blank" rel="noopener noreferrer"' in result
    assert 'href="#src-x"' in result and 'data-tick="backup"' in result and 'data-x="1"' in result


def test_painter_marks_the_first_step_that_fits_the_page(page, catalog):
    fragment = (EXTENSION / "prerender" / "tmobile.en.html").read_text(encoding="utf-8")
    page.goto("about:blank")
    page.add_script_tag(path=PAINT)
    marked = page.evaluate(
        """([html, kinds]) => {
          const box = document.createElement("div");
          box.append(simexitPaint.checklistNodes(html, document));
          const step = simexitPaint.highlight(box, kinds, "here");
          simexitPaint.applyTicks(box, ["backup", 7, "nope"]);
          return [step && step.dataset.step, box.querySelectorAll(".here").length,
                  [...box.querySelectorAll("input:checked")].map(b => b.dataset.tick)];
        }""",
        [fragment, ["get_port_credentials", "port_out"]],
    )
    assert marked == ["get_port_credentials", 1, ["backup"]]
    # a transfer-PIN page on a carrier whose checklist has no credentials step falls back to port_out
    fallback = page.evaluate(
        """(html) => {
          const box = document.createElement("div");
          box.append(simexitPaint.checklistNodes(html, document));
          box.querySelector('[data-step="get_port_credentials"]').remove();
          return simexitPaint.highlight(box, ["get_port_credentials", "port_out"], "here").dataset.step;
        }""",
        fragment,
    )
    assert fallback == "port_out"


def test_a_burst_of_address_changes_reaches_the_worker_once(ext):
    """3,000 hash changes in a row (a page can do that in a blink) cost the worker one detection, not
    3,000 queued ones (F13)."""
    page = ext.open(TMO_TRANSFER)
    wait_overlay(page)
    worker = ext.worker()
    worker.evaluate(
        "() => { self.__pages = 0; chrome.runtime.onMessage.addListener((m) => {"
        " if (m && m.type === 'page') self.__pages += 1; }); }"
    )
    page.evaluate("() => { for (let i = 0; i < 3000; i += 1) location.hash = 'x' + i; }")
    page.wait_for_timeout(1500)
    assert 1 <= worker.evaluate("() => self.__pages") <= 3
