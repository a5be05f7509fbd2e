"""The static page as a person uses it, in Debian's Chromium, with every request logged."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from .conftest import ARTIFACTS, ROOT, leaving, settled, wait_for_python

pytestmark = pytest.mark.browser
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"


def steps(page) -> list[str]:
    return page.locator("[data-step]").evaluate_all("els => els.map(e => e.dataset.step)")


def saved(page) -> dict:
    settled(page)
    return json.loads(page.evaluate("localStorage.getItem('simexit.v1')") or "null")


def test_checklist_is_on_screen_before_python(page, site_url):
    page.goto(site_url, wait_until="domcontentloaded")
    assert page.get_by_test_id("checklist").is_visible()
    assert page.locator("html[data-py-ready=true]").count() == 0  # the engine is still starting
    assert "get_port_credentials" in steps(page)
    assert page.locator("#f-role").is_enabled()  # answers are taken at once (kept until Python runs)
    assert page.locator("#copy-md").is_disabled()  # what needs the engine waits for it
    wait_for_python(page)
    assert page.locator("#copy-md").is_enabled()


def test_answers_change_the_checklist(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    page.get_by_label("No, let it go").check()
    page.wait_for_selector('[data-step="update_2fa"]')
    assert steps(page).index("update_2fa") < steps(page).index("cancel")
    assert page.locator('[data-warning="number_loss"]').count() == 1
    page.locator("#more-q > summary").click()  # the answers that do not decide the way out are folded
    page.get_by_label("Remaining phone installment balance (USD)").fill("321.5")
    page.wait_for_selector('[data-warning="device_balance_due"]')
    assert "$321.50" in page.locator('[data-warning="device_balance_due"]').inner_text()
    page.get_by_label("Your role on the account").select_option("authorized")
    page.wait_for_selector('[data-warning="authorization_required"]')
    reassess_ms = float(page.evaluate("document.documentElement.dataset.reassessMs"))
    assert reassess_ms > 0


def test_switching_to_chinese_translates_everything(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    page.locator("#lang-toggle").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.locator("h1:not(.print-only)").inner_text().startswith("simexit：")
    assert page.locator(".verdict-value").inner_text() == "不可以"
    assert "不要先销户" in page.locator('[data-step="port_out"] label').inner_text()
    body = page.locator("#app").inner_text()
    for english in ("Can I cancel online?", "Checklist, in this order", "Your situation", "Sources"):
        assert english not in body
    assert saved(page)["lang"] == "zh"


def test_ticks_survive_a_reload(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    page.locator('[data-tick="backup"]').check()
    page.locator('[data-tick="unlock_device"]').check()
    assert sorted(saved(page)["carriers"]["tmobile"]["ticks"]) == ["backup", "unlock_device"]
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector('[data-tick="backup"]:checked')  # restored by the boot glue, before Python
    wait_for_python(page)
    assert page.locator('[data-tick="backup"]').is_checked()
    assert page.locator('[data-tick="unlock_device"]').is_checked()
    assert not page.locator('[data-tick="port_out"]').is_checked()


def test_saved_carrier_and_language_are_painted_before_python(page, site_url):
    page.goto(site_url)
    page.evaluate(
        "localStorage.setItem('simexit.v1', JSON.stringify({carrier: 'tello', lang: 'zh',"
        " carriers: {tello: {answers: {keep_number: false}, ticks: ['update_2fa']}}}))"
    )
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="checklist"][data-carrier="tello"]')
    assert page.locator("html[data-py-ready=true]").count() == 0
    wait_for_python(page)
    assert page.get_by_test_id("checklist").get_attribute("data-carrier") == "tello"
    assert page.locator('[data-tick="update_2fa"]').is_checked()  # saved answers: not keeping the number
    assert page.locator(".verdict-value").inner_text() == "可以"


def test_a_later_visit_is_dated_by_the_browser_not_by_the_build(page, site_url):
    """The prerendered checklist is dated by the build; on another day Python dates it afresh."""
    page.goto(site_url)
    built = page.locator("#app").get_attribute("data-built")
    later = datetime.combine(date.fromisoformat(built) + timedelta(days=30), datetime.min.time())
    page.clock.install(time=later)
    page.clock.resume()
    page.reload()
    wait_for_python(page)
    day = page.evaluate("new Date().toLocaleDateString('en-CA')")  # the browser's local day, ISO
    assert day != built
    assert page.get_by_test_id("answer").locator(".answer-for").inner_text().endswith(day)


@pytest.mark.parametrize(
    "corrupt",
    ["{not json", '{"version": 1, "carriers": {"tmobile": {"answers": {"device_balance_usd": -5}}}}'],
)
def test_corrupt_saved_data_is_reset_with_a_notice(page, site_url, corrupt):
    page.goto(site_url)
    page.evaluate("value => localStorage.setItem('simexit.v1', value)", corrupt)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.reload()
    wait_for_python(page)
    notice = page.locator("#notice")
    assert notice.is_visible() and "could not be read" in notice.inner_text()
    assert saved(page)["carrier"] == "tmobile"  # replaced by a valid record
    assert errors == []


def test_first_visit_shows_no_notice(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    assert page.locator("#notice").is_hidden()


def test_pasted_account_url_selects_the_carrier(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    page.locator("#more-q > summary").click()
    page.get_by_label("…or paste the address of your carrier account page").fill(
        "https://fi.google.com/account"
    )
    page.get_by_role("button", name="Find carrier").click()
    page.wait_for_selector('[data-testid="checklist"][data-carrier="googlefi"]')
    assert page.locator(".verdict-value").inner_text() == "Yes"
    page.get_by_label("…or paste the address of your carrier account page").fill(
        "https://fi.google.com.evil.example/"
    )
    page.get_by_role("button", name="Find carrier").click()
    assert "not a page of a carrier" in page.locator("#notice").inner_text()
    assert page.get_by_test_id("checklist").get_attribute("data-carrier") == "googlefi"


def test_carrier_can_be_found_by_chinese_name(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    box = page.get_by_label("Carrier", exact=True)
    box.fill("Ｌｙｃａｍｏｂｉｌｅ（美国）")  # as a Chinese keyboard types it: full-width letters
    box.dispatch_event("change")
    page.wait_for_selector('[data-testid="checklist"][data-carrier="lycamobile"]')


def test_copy_as_markdown(page, site_url, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url)
    wait_for_python(page)
    page.locator('[data-tick="backup"]').check()
    page.get_by_role("button", name="Copy as Markdown").click()
    page.wait_for_selector("#notice:not([hidden])")
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert markdown.startswith("# T-Mobile")
    assert "- [x] **Save what you need" in markdown


def test_every_request_stays_on_the_local_server(page, site_url, requests_seen):
    page.goto(site_url)
    wait_for_python(page)
    page.locator("#lang-toggle").click()
    page.get_by_label("不要，放弃号码").check()
    page.wait_for_selector('[data-step="update_2fa"]')
    assert requests_seen, "no request was logged: the logger is broken"
    assert leaving(requests_seen, site_url) == []


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is (axe loaded as an init script)."""
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_accessibility_scan_and_screenshot(page, site_url, lang):
    # axe arrives as an init script: the page's policy rightly refuses an injected inline <script>.
    page.add_init_script(path=AXE)
    page.goto(site_url)
    wait_for_python(page)
    if lang == "zh":
        page.locator("#lang-toggle").click()
        page.wait_for_selector("html[lang=zh-CN]")
    assert serious_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"page-{lang}.png", full_page=True)


def test_phone_sized_screen_has_no_horizontal_scroll(browser, site_url):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(site_url)
    wait_for_python(page)
    for lang in ("en", "zh"):
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{lang}: {overflow}px of horizontal scroll"
        page.locator("#lang-toggle").click()
        page.wait_for_selector("html[lang=zh-CN]" if lang == "en" else "html[lang=en]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "page-phone.png", full_page=False)
    context.close()


def test_keyboard_only_use(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    page.locator("#f-carrier").focus()
    for _ in range(40):  # tab to the "No, let it go" radio group
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "keep_number":
            break
    page.keyboard.press("ArrowDown")  # moves the radio selection to "no"
    page.wait_for_selector('[data-step="update_2fa"]')
    assert page.evaluate("document.activeElement.name") == "keep_number"  # focus kept across re-render


def test_dates_give_a_best_date_and_a_calendar_file(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    page.locator("#more-q > summary").click()
    page.locator("details.dates summary").click()
    page.get_by_label("Day of the month your bill starts a new cycle").fill("15")
    page.get_by_label("Last day you need this service (e.g. your flight)").fill("2099-12-31")
    page.wait_for_selector("[data-testid=answer] .act-by time")
    best = page.locator("[data-testid=answer] .act-by time").get_attribute("datetime")
    assert best and best < "2099-12-31"
    with page.expect_download() as download:
        page.get_by_role("button", name="Add reminders to my calendar (.ics)").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and f"DTSTART;VALUE=DATE:{best.replace('-', '')}" in text
    page.get_by_label("When the phone was first used on this carrier").fill("2099-06-01")
    page.get_by_label("When the phone is (or will be) paid off").fill("2099-01-01")
    page.wait_for_selector("#notice:not([hidden])")
    assert "before the phone was activated" in page.locator("#notice").inner_text()
    page.locator("#lang-toggle").click()
    page.wait_for_selector("html[lang=zh-CN]")
    page.get_by_label("手机付清（或将付清）的日期").fill("2099-01-02")
    page.wait_for_selector("#notice:not([hidden])")
    assert "早于手机激活" in page.locator("#notice").inner_text()


def test_contact_log_is_saved_exported_and_kept_by_reset(page, site_url, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url)
    wait_for_python(page)
    assert "Nothing recorded yet" in page.locator("#log summary").inner_text()  # folded: one line
    page.locator("#log summary").click()
    page.get_by_label("Agent name or ID").fill("Sam <b>#42</b>")
    page.get_by_label("Confirmation number").fill("C-123|9")
    page.get_by_role("button", name="Add to my log").click()
    page.wait_for_selector("#log td")
    assert "Sam <b>#42</b>" in page.locator("#log table").inner_text()  # shown as text, not markup
    page.get_by_role("button", name="Clear my answers").click()
    page.get_by_role("button", name="Yes, clear").click()
    page.reload()
    wait_for_python(page)
    assert "Entries: 1" in page.locator("#log summary").inner_text()
    page.locator("#log summary").click()
    assert "C-123|9" in page.locator("#log table").inner_text()
    page.get_by_role("button", name="Copy as Markdown").click()
    page.wait_for_selector("#notice:not([hidden])")
    assert "| Sam <b>#42</b> | C-123\\|9 |" in page.evaluate("navigator.clipboard.readText()")


def test_facts_show_their_check_date_and_old_ones_are_marked(page, site_url, catalog):
    """Each fact shows the day it was checked; six months later the page marks it, in both languages."""
    page.goto(site_url)
    wait_for_python(page)
    step = page.locator('[data-step="port_out"] .checked time')
    checked = step.get_attribute("datetime")
    assert checked and checked >= "2026-01-01"
    assert page.locator("[data-stale]").count() == 0  # nothing is old yet

    oldest = min(s.checked for s in catalog.get("tmobile").sources.values())
    later = datetime.combine(oldest + timedelta(days=200), datetime.min.time())
    page.clock.install(time=later)  # the browser's "today" moves on; time keeps flowing
    page.clock.resume()
    page.reload()
    wait_for_python(page)
    # on the one line of a folded fact, not only inside its details
    page.wait_for_selector("[data-step] > [data-stale]")
    assert "may be out of date" in page.locator("[data-step] > [data-stale]").first.inner_text()
    page.locator("#lang-toggle").click()
    page.wait_for_selector("html[lang=zh-CN]")
    page.wait_for_selector("[data-step] > [data-stale]")
    assert "可能已过时" in page.locator("[data-step] > [data-stale]").first.inner_text()


@pytest.mark.parametrize(
    "corrupt",
    [
        '{"version": 1, "carriers": {"tmobile": {"answers": {"leave_date": "9999-12-31"}}}}',
        '{"version": 1, "carriers": {"tmobile": {"answers": {"activation_date": "0001-01-01"}}}}',
        '{"version": 1, "carriers": {"tmobile": {"answers": {"term_months": 0}}}}',
    ],
)
def test_out_of_range_saved_dates_are_reset_not_crashed(page, site_url, corrupt):
    page.goto(site_url)
    page.evaluate("value => localStorage.setItem('simexit.v1', value)", corrupt)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.reload()
    wait_for_python(page)
    assert "could not be read" in page.locator("#notice").inner_text()
    assert errors == []


def test_plan_terms_and_return_dates_are_asked_only_where_they_matter(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    page.locator("#more-q > summary").click()
    page.locator("details.dates summary").click()
    assert page.locator("#f-purchase_date").count() == 1  # T-Mobile postpaid: a return window exists
    assert page.locator("#f-term_months").count() == 0  # monthly plans only
    page.locator("#f-carrier").fill("Mint Mobile")
    page.locator("#f-carrier").dispatch_event("change")
    page.wait_for_selector('[data-testid="checklist"][data-carrier="mint"]')
    settled(page)
    assert page.locator("#more-q[open] #dates-q[open]").count() == 1  # what was open stays open
    assert page.locator("#f-term_months option").count() >= 3
    page.locator("#f-term_months").select_option("3")
    page.locator("#f-paid_through").fill("2099-02-14")
    page.wait_for_selector("[data-testid=answer] .act-by time")
    # act by the renewal the day after the paid-through date, never later
    assert page.locator("[data-testid=answer] .act-by time").get_attribute("datetime") <= "2099-02-15"
    page.locator("#f-activation_date").fill("2099-03-01")  # after the paid-through date: contradicts it
    page.wait_for_selector("#notice:not([hidden])")
    assert "contradict" in page.locator("#notice").inner_text()
    assert page.locator("#f-paid_through").input_value() == "2099-02-14"  # nothing lost


def test_what_the_person_opened_stays_open_when_the_page_is_redrawn(page, site_url):
    """Opening "More questions", the dates and a folded section, then answering: the redrawn form
    and checklist keep them open (they used to fold shut under the person's cursor)."""
    page.goto(site_url + "#carrier=tmobile&plan=postpaid&lang=en")
    wait_for_python(page)
    for summary in ("#more-q > summary", "#dates-q > summary", "#sec-costs > details > summary"):
        page.locator(summary).click()
    opened = "#more-q[open] #dates-q[open]", "#sec-costs > details[open]"
    page.locator("#f-carrier").fill("Mint Mobile")
    page.locator("#f-carrier").dispatch_event("change")  # a new form and checklist
    page.wait_for_selector('[data-testid="checklist"][data-carrier="mint"]')
    settled(page)
    assert [page.locator(o).count() for o in opened] == [1, 1]
    page.get_by_label("Remaining phone installment balance (USD)").fill("250")  # a new checklist
    page.wait_for_selector("#sec-costs .fold-line >> text=250")
    settled(page)
    assert [page.locator(o).count() for o in opened] == [1, 1]
    page.locator("#sec-costs > details > summary").click()  # what the person closes stays closed
    page.get_by_label("Remaining phone installment balance (USD)").fill("300")
    page.wait_for_selector("#sec-costs .fold-line >> text=300")
    settled(page)
    assert page.locator(opened[1]).count() == 0


def test_strict_content_security_policy_with_no_violations(page, site_url):
    """The page runs under its own strict policy (no remote origin, no inline script) with zero
    violation reports across a full use: boot, answers, language, a re-render."""
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(site_url)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'none'" in policy and "http" not in policy and "unsafe-inline" not in policy
    wait_for_python(page)
    page.get_by_label("No, let it go").check()
    page.wait_for_selector('[data-step="update_2fa"]')
    page.locator("#lang-toggle").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.evaluate("window.__csp") == []


def test_a_config_without_the_local_runtime_cannot_reach_a_cdn(page, context, tmp_path):
    """PyScript's default interpreter is a CDN URL; if the engine's start ever lost its local runtime,
    the page's policy (which its worker inherits) blocks that request before it leaves the machine."""
    import shutil

    from .conftest import SITE, serve

    site = tmp_path / "web"
    shutil.copytree(SITE, site)
    config = json.loads((site / "pyscript.json").read_text(encoding="utf-8"))
    del config["interpreter"]
    (site / "pyscript.json").write_text(json.dumps(config), encoding="utf-8")
    boot = (site / "boot.js").read_text(encoding="utf-8")
    local_runtime = 'version: here("./runtime/pyodide/restore.mjs"),'
    assert local_runtime in boot
    (site / "boot.js").write_text(boot.replace(local_runtime, ""), encoding="utf-8")
    failed: dict[str, str] = {}
    context.on("requestfailed", lambda r: failed.__setitem__(r.url, r.failure or ""))
    sent: list[str] = []
    context.on("request", lambda r: sent.append(r.url))
    server, url = serve(site)
    try:
        page.goto(url)
        assert page.get_by_test_id("checklist").is_visible()  # the prerendered checklist still helps
        page.wait_for_timeout(3000)
    finally:
        server.shutdown()
        server.server_close()
    foreign = [u for u in leaving(sent, url) if not u.startswith("data:")]
    assert foreign, "PyScript should have tried its default CDN runtime"
    assert all(failed.get(u) == "csp" for u in foreign), {u: failed.get(u) for u in foreign}


# The main situations a person comes with, as the URL fragment the page reads (scope is asked on screen).
SITUATIONS = {
    "leave-keep": ("#carrier=tmobile&plan=postpaid&keep=yes&leaving=yes", "account"),
    "leave-drop": ("#carrier=tmobile&plan=postpaid&keep=no&leaving=yes", "account"),
    "switch": ("#carrier=tmobile&plan=postpaid&keep=yes&leaving=no", "account"),
    "drop-line": ("#carrier=tmobile&plan=postpaid&keep=no&leaving=no", "line"),
}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def open_situation(context, site_url: str, situation: str, lang: str, init_script=None):
    """A new page showing one of the main situations in `lang`, scrolled to the top."""
    page = context.new_page()
    if init_script:
        page.add_init_script(path=init_script)
    hash_, scope = SITUATIONS[situation]
    page.goto(site_url + hash_ + f"&lang={lang}")
    wait_for_python(page)
    if scope == "line":
        page.locator("#f-scope-line").check()
        page.wait_for_selector("[data-testid=answer][data-scope=line]")
    page.evaluate("window.scrollTo(0, 0)")
    return page


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_answer_is_on_the_first_screen(browser, site_url, situation, lang, size):
    """The answer card and the next action sit inside the first viewport; a screenshot is kept."""
    context = browser.new_context(viewport=SIZES[size])
    page = open_situation(context, site_url, situation, lang)
    answer = page.get_by_test_id("answer")
    route = {"leave-keep": "port", "switch": "port"}.get(situation)
    if route:
        assert answer.get_attribute("data-route") == "port"
        assert page.locator(".verdict").get_attribute("class").count("verdict-framed") == 1
    bottom = page.get_by_test_id("next-action").evaluate("e => e.getBoundingClientRect().bottom")
    assert answer.evaluate("e => e.getBoundingClientRect().top") < SIZES[size]["height"]
    assert bottom <= SIZES[size]["height"], f"next action ends at {bottom}px"
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"answer-{situation}-{lang}-{size}.png"))
    context.close()


def test_folded_sections_open_by_keyboard_and_jump_links_open_them(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    costs = page.locator("#sec-costs details")
    assert costs.get_attribute("open") is None
    page.locator("#sec-costs summary").focus()
    page.keyboard.press("Enter")
    assert costs.get_attribute("open") is not None
    page.locator('.jump a[href="#sec-sources"]').click()
    assert page.locator("#sec-sources details").get_attribute("open") is not None


def test_timeline_dates_match_the_engine(page, site_url, catalog):
    from datetime import date

    from simexit.assess import assess
    from simexit.models import Situation

    page.goto(site_url + "#carrier=tmobile&keep=no&leaving=yes&lang=en")
    wait_for_python(page)
    page.locator("#more-q > summary").click()
    page.locator("details.dates summary").click()
    page.get_by_label("Day of the month your bill starts a new cycle").fill("15")
    page.get_by_label("Last day you need this service (e.g. your flight)").fill("2099-12-31")
    page.wait_for_selector('[data-testid=timeline] [data-date="leave_date"]')
    shown = dict(
        page.locator("[data-testid=timeline] li").evaluate_all(
            "els => els.map(e => [e.dataset.date, e.querySelector('time').getAttribute('datetime')])"
        )
    )
    today = date.fromisoformat(page.evaluate("new Date().toLocaleDateString('en-CA')"))
    s = Situation(
        carrier="tmobile",
        keep_number=False,
        leaving_us=True,
        bill_day=15,
        leave_date=date(2099, 12, 31),
        today=today,
    )
    a = assess(catalog.get("tmobile"), s, catalog.common)
    expected = {"today": today, "best_date": a.timing.best_date, "autopay_off_by": a.timing.autopay_off_by,
                "renewal": a.timing.next_bill_date, "leave_date": date(2099, 12, 31), "unlock_date": a.unlock.date,
                "return_by": a.timing.return_by}  # fmt: skip
    assert shown == {k: v.isoformat() for k, v in expected.items() if v}


def test_clearing_answers_asks_first_and_can_be_undone(page, site_url):
    page.goto(site_url + "#carrier=tmobile&keep=no&leaving=yes")
    wait_for_python(page)
    page.get_by_role("button", name="Clear my answers").click()
    page.get_by_role("button", name="Keep them").click()
    assert page.locator("#f-keep_number-no").is_checked()
    page.get_by_role("button", name="Clear my answers").click()
    page.get_by_role("button", name="Yes, clear").click()
    page.wait_for_selector("#f-keep_number-yes:checked")
    page.get_by_role("button", name="Undo").click()
    page.wait_for_selector("#f-keep_number-no:checked")
    assert page.locator("#f-leaving_us").is_checked()


def test_carrier_box_takes_a_pasted_address_and_enter_picks_the_first_match(page, site_url):
    page.goto(site_url)
    wait_for_python(page)
    box = page.get_by_label("Carrier", exact=True)
    box.fill("https://fi.google.com/account")
    box.dispatch_event("change")
    page.wait_for_selector('[data-testid="checklist"][data-carrier="googlefi"]')
    box = page.get_by_label("Carrier", exact=True)
    box.fill("veri")
    box.press("Enter")
    page.wait_for_selector('[data-testid="checklist"][data-carrier="verizon"]')
    assert "carrier=verizon" in page.evaluate("location.hash")
    assert "device" not in page.evaluate("location.hash")  # no amounts or dates in the address
