"""The built static page (dist/web) boots Python offline and shows the plan, porting before cancelling."""

from __future__ import annotations

import json

import pytest

from .conftest import SITE, leaving, wait_for_python

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
    foreign = leaving(requests_seen, site_url)
    assert foreign == [], f"requests outside the local server: {foreign}"
    # what the page never uses is never fetched: PyScript's editor, terminal, game and helper plugins
    unused = ("py-editor", "py-terminal", "py-game", "donkey", "deprecations-manager", "micropython")
    assert [u for u in requests_seen if any(name in u for name in unused)] == []
    # Python came back from the build's memory snapshot: the pure wheels (simexit, pydantic and three
    # of its dependencies) are written back for later imports, pydantic-core's compiled module is
    # linked again, and its wheel (what a normal boot unpacks) is never fetched
    fetched = [u.rsplit("/", 1)[-1] for u in requests_seen if "/runtime/pyodide/" in u]
    assert len([name for name in fetched if name.endswith(".whl")]) == 5
    assert {"snapshot.json", "snapshot.bin.gz", "native.so.gz"} <= set(fetched)
    assert not [name for name in fetched if name.startswith("pydantic_core")]
    # once idle, a throwaway assessment with every answer given runs the code a first answer needs
    page.wait_for_selector("html[data-warm=done]", state="attached")
    boot_ms = page.evaluate("document.documentElement.dataset.pyBootMs")
    print(f"\npage boot (navigation -> data-py-ready): {boot_ms} ms, {len(requests_seen)} requests")


def test_what_is_done_before_python_is_ready_is_kept(page, context, site_url, requests_seen):
    """Answers and ticks given while Python starts are applied once it is ready, not dropped."""
    held = []
    context.route("**/engine.py", lambda route: held.append(route))  # the engine waits for its code
    page.goto(site_url)
    page.wait_for_function("performance.getEntriesByName('simexit:engine-start').length > 0")
    first = page.locator("[data-tick]").first
    kind = first.get_attribute("data-tick")
    first.check()
    page.get_by_label("No, let it go").check()
    assert page.locator("html[data-py-ready=true]").count() == 0
    assert leaving(requests_seen, site_url) == []  # no fallback to anywhere else either
    assert page.locator("html[data-busy]").count() == 1  # both are kept for the engine
    page.wait_for_function("document.querySelectorAll('[data-step=\"update_2fa\"]').length === 0")
    while not held:
        page.wait_for_timeout(50)
    for route in held:
        route.continue_()
    context.unroute("**/engine.py")
    wait_for_python(page)
    page.wait_for_selector('[data-step="update_2fa"]')  # the answer reached the engine
    assert page.locator("#f-keep_number-no").is_checked()
    assert page.locator(f'[data-tick="{kind}"]').is_checked()
    saved = page.evaluate("JSON.parse(localStorage.getItem('simexit.v1'))")
    entry = saved["carriers"]["tmobile"]
    assert entry["answers"]["keep_number"] is False and kind in entry["ticks"]
    assert leaving(requests_seen, site_url) == []


@pytest.mark.parametrize("broken", ["missing", "raises"])
def test_an_engine_that_cannot_start_is_told_and_the_checklist_stays(
    page, context, site_url, requests_seen, broken
):
    """If Python cannot start (its code missing or failing), the page says so where "starting…" was,
    and the prerendered checklist stays readable; nothing is left waiting forever."""
    if broken == "missing":
        context.route("**/engine.py", lambda route: route.fulfill(status=404, body="not found"))
    else:
        context.route("**/engine.py", lambda route: route.fulfill(status=200, body="raise RuntimeError('x')"))
    page.goto(site_url)
    page.wait_for_selector("html[data-py-failed=true]", state="attached", timeout=60_000)
    loading = page.locator("#loading")
    assert loading.is_visible() and loading.inner_text() == loading.get_attribute("data-failed")
    assert "could not start" in loading.inner_text()
    assert page.get_by_test_id("checklist").is_visible()
    assert page.locator("html[data-py-ready=true]").count() == 0
    assert leaving(requests_seen, site_url) == []  # no fallback to anywhere else either


def test_saved_ticks_are_shown_only_on_their_own_carriers_checklist(page, context, site_url):
    """The saved carrier's prerendered checklist cannot be fetched: the default one stays, and the
    ticks saved for the other carrier are not put on it."""
    page.goto(site_url)
    page.evaluate(
        "localStorage.setItem('simexit.v1', JSON.stringify({carrier: 'verizon', lang: 'en',"
        " carriers: {verizon: {ticks: ['backup'], answers: {}}}}))"
    )
    held = []
    context.route("**/engine.py", lambda route: held.append(route))  # the page before Python
    context.route("**/prerender/verizon.*", lambda route: route.fulfill(status=404, body=""))
    page.reload()
    page.wait_for_function("performance.getEntriesByName('simexit:engine-start').length > 0")
    page.wait_for_timeout(300)  # boot.js has painted what it could
    assert page.get_by_test_id("checklist").get_attribute("data-carrier") == "tmobile"
    assert not page.locator('[data-tick="backup"]').is_checked()
    for route in held:
        route.continue_()


def _snapshot_meta() -> dict:
    return json.loads((SITE / "runtime" / "pyodide" / "snapshot.json").read_text(encoding="utf-8"))


def _with_meta(change):
    meta = _snapshot_meta()
    change(meta)
    return {"path": "**/runtime/pyodide/snapshot.json", "body": json.dumps(meta).encode()}


def _corrupt_snapshot() -> dict:
    data = bytearray((SITE / "runtime" / "pyodide" / "snapshot.bin.gz").read_bytes())
    data[len(data) // 2] ^= 0xFF  # gzip's checksum (or the deflate stream itself) gives it away
    return {"path": "**/runtime/pyodide/snapshot.bin.gz", "body": bytes(data)}


def _data_changed() -> dict:
    return {"path": "**/data/carriers.json", "body": (SITE / "data" / "carriers.json").read_bytes() + b"\n"}


def _wheel_changed(meta: dict) -> None:
    simexit_wheel = next(name for name in meta["wheels"] if name.startswith("simexit-"))
    meta["wheels"][simexit_wheel] = "0" * 64


# Each way a snapshot can be unusable, as what the server sends instead of the build's file, and what
# restore.mjs says about it in the console (None: the browser's own words, gzip's or the stream's).
UNUSABLE = {
    "missing": (
        lambda: {"path": "**/runtime/pyodide/snapshot.bin.gz", "status": 404, "body": b"not found"},
        "snapshot.bin.gz: 404",
    ),
    "corrupt": (_corrupt_snapshot, None),
    "stale-wheel": (lambda: _with_meta(_wheel_changed), "changed since the snapshot"),
    "stale-compiled-module": (
        lambda: _with_meta(lambda m: m["native"].update(sha256="0" * 64)),
        "the compiled module changed",
    ),
    "stale-data": (_data_changed, "carriers.json is not the file the snapshot was made with"),
    "stale-stdlib": (
        lambda: _with_meta(lambda m: m["stdlib"].update(fingerprint="00000000")),
        "the standard library changed since the snapshot",
    ),
    # a record naming a file elsewhere is refused before anything is fetched from there
    "names-a-foreign-file": (
        lambda: _with_meta(lambda m: m["site"].update({"https://example.invalid/x": "0" * 64})),
        "https://example.invalid/x is not one of the site's files",
    ),
    "cannot-be-placed": (
        lambda: _with_meta(lambda m: m["native"].update(memoryBase=m["native"]["memoryBase"] + 64)),
        "could not be placed where it was",
    ),
}


@pytest.mark.parametrize("unusable", UNUSABLE)
def test_without_a_usable_snapshot_python_boots_the_normal_way(
    page, context, site_url, requests_seen, unusable
):
    """A missing, corrupt, stale or failing memory snapshot costs time, nothing else: Python boots from
    the wheels instead, the person gets the same checklist and no alarming message, and nothing is
    fetched from anywhere but the page's own server."""
    make, reason = UNUSABLE[unusable]
    served = make()
    context.route(
        served["path"], lambda route: route.fulfill(status=served.get("status", 200), body=served["body"])
    )
    notes: list[str] = []
    page.on("console", lambda m: notes.append(m.text))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url)
    wait_for_python(page)
    assert page.locator(".verdict-value").inner_text() == "No"
    page.get_by_label("No, let it go").check()  # the engine answers, as after a normal boot
    page.wait_for_selector('[data-step="update_2fa"]')
    fetched = [u.rsplit("/", 1)[-1] for u in requests_seen if "/runtime/pyodide/" in u]
    assert [name for name in fetched if name.startswith("pydantic_core")], "the normal boot unpacks it"
    said = [note for note in notes if "started without the memory snapshot" in note]
    assert len(said) == 1 and (reason is None or reason in said[0]), notes
    assert page.locator("html[data-py-failed]").count() == 0 and not page.locator("#notice").is_visible()
    assert errors == []
    assert leaving(requests_seen, site_url) == []
