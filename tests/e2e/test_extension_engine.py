"""The engine's relay, on its own: the offscreen document (offscreen.js) between the popups' Ports and the
sandbox page where Python runs. Served from a local directory with chrome.runtime stubbed and a stand-in
sandbox page that echoes what it is asked, so every message in both directions can be read: each popup
is a client of its own, messages wait until Python is up, a closed popup's session is dropped, and
only the extension's popup and the framed sandbox are heard. (The real engine, in the unpacked extension,
is driven by test_extension.py and test_extension_storage.py.) Also: the NetLog the extension tests
read sees the requests of contexts Playwright does not drive."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import serve
from .extension import EXTENSION, Extension

pytestmark = pytest.mark.browser

# chrome.runtime as the offscreen document has it, with Ports the test makes and reads.
CHROME_STUB = """
window.chrome = { runtime: {
  id: "simexit-test",
  getURL: (path) => new URL(path, location.href).href,
  onConnect: { addListener: (listener) => { window.connectListener = listener; } },
} };
window.connect = (url, name = "simexit-engine", id = "simexit-test") => {
  const port = { name, sender: { id, url }, sent: [], onMessage: [], onDisconnect: [] };
  port.postMessage = (message) => port.sent.push(message);
  port.onMessage.addListener = (listener) => port.onMessage.push(listener);
  port.onDisconnect.addListener = (listener) => port.onDisconnect.push(listener);
  window.connectListener(port);
  return port;
};
window.ports = {};
"""
# The stand-in for sandbox.js: says "ready" when the test says so, answers "handle" with an echo, and
# keeps every message it got.
SANDBOX = """<!doctype html><script>
window.got = [];
window.ready = () => parent.postMessage({ type: "ready", startedAt: 1234.5, bootMs: 99 }, "*");
addEventListener("message", (event) => {
  if (event.source !== parent) return;
  got.push(event.data);
  const { type, client, id, text } = event.data;
  if (type === "handle") {
    parent.postMessage({ type: "effects", client, id, text: JSON.stringify([{ client, text }]) }, "*");
  }
});
</script>"""


@pytest.fixture
def relay(page, tmp_path):
    for name in ("offscreen.html", "offscreen.js"):
        shutil.copy2(EXTENSION / name, tmp_path / name)
    (tmp_path / "sandbox.html").write_text(SANDBOX, encoding="utf-8")
    server, url = serve(tmp_path)
    page.add_init_script(CHROME_STUB)
    page.goto(f"{url}offscreen.html")
    page.wait_for_function("document.querySelector('iframe')?.contentWindow?.got !== undefined")
    yield page, url
    server.shutdown()
    server.server_close()


def sandbox(page):
    return next(f for f in page.frames if f.url.endswith("/sandbox.html"))


def test_offscreen_relay_serves_each_popup_as_a_client_of_its_own(relay):
    page, url = relay
    page.evaluate(
        """(url) => {
          ports.a = connect(`${url}popup.html?tab=7`);
          ports.a.onMessage.forEach((f) => f({ id: 1, text: "first" }));  // before Python is up: kept
          ports.b = connect(`${url}popup.html`);
        }""",
        url,
    )
    assert sandbox(page).evaluate("got") == []  # nothing reaches a sandbox that is not up yet
    sandbox(page).evaluate("ready()")
    page.wait_for_function("ports.a.sent.length === 2")
    sent = page.evaluate("ports.a.sent")
    assert sent[0] == {"type": "engine", "startedAt": 1234.5, "bootMs": 99}
    assert sent[1] == {"type": "effects", "id": 1, "text": '[{"client":"popup-1","text":"first"}]'}
    page.evaluate("ports.b.onMessage.forEach((f) => f({ id: 1, text: 'second' }))")
    page.wait_for_function("ports.b.sent.length === 2")
    assert page.evaluate("ports.b.sent[1].text") == '[{"client":"popup-2","text":"second"}]'
    assert page.evaluate("document.documentElement.dataset.clients") == "2"
    # A popup opened once Python is up is told so at once.
    page.evaluate("(url) => { ports.c = connect(`${url}popup.html`); }", url)
    assert page.evaluate("ports.c.sent") == [{"type": "engine", "startedAt": 1234.5, "bootMs": 99}]
    # Closing a popup drops its session in the engine.
    page.evaluate("ports.a.onDisconnect.forEach((f) => f())")
    page.wait_for_function("document.querySelector('iframe').contentWindow.got.length === 3")
    assert sandbox(page).evaluate("got.at(-1)") == {"type": "close", "client": "popup-1"}
    assert page.evaluate("document.documentElement.dataset.clients") == "2"


def test_offscreen_relay_hears_only_the_popup_and_its_own_sandbox(relay):
    page, url = relay
    sandbox(page).evaluate("ready()")
    page.evaluate(
        """(url) => {
          ports.other = connect(`${url}overlay.html`);  // another extension page
          ports.name = connect(`${url}popup.html`, "something-else");
          ports.foreign = connect(`${url}popup.html`, "simexit-engine", "another-extension");
          for (const port of [ports.other, ports.name, ports.foreign]) {
            port.onMessage.forEach((f) => f({ id: 1, text: "nope" }));
          }
          ports.a = connect(`${url}popup.html`);
          ports.a.onMessage.forEach((f) => f({ id: 1, text: "{}" }));
          ports.a.onMessage.forEach((f) => f({ id: "1", text: "{}" }));  // not a request
        }""",
        url,
    )
    page.wait_for_function("ports.a.sent.length === 2")
    assert [m["text"] for m in sandbox(page).evaluate("got")] == ["{}"]
    assert page.evaluate("[ports.other.sent, ports.name.sent, ports.foreign.sent]") == [[], [], []]
    # Effects forged by the page itself (or any window but the framed sandbox) reach no popup.
    page.evaluate(
        """() => {
          window.postMessage({ type: "effects", client: "popup-1", id: 1, text: "[]" }, "*");
          window.postMessage({ type: "ready", startedAt: 1, bootMs: 1 }, "*");
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("ports.a.sent.length") == 2


def test_the_net_log_sees_what_the_engine_s_document_requests(playwright, tmp_path):
    """The extension tests find the engine's requests in Chromium's NetLog, since Playwright drives
    neither the offscreen document nor its sandbox page: checked on a copy of the extension whose
    offscreen document fetches a closed loopback port (the request stays on this machine)."""
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    probe = "http://127.0.0.1:9/simexit-net-log-probe"
    with (copy / "offscreen.js").open("a", encoding="utf-8") as script:
        script.write(f"\nfetch({json.dumps(probe)}).catch(() => null);\n")
    ext = Extension(playwright, tmp_path / "profile", extension=copy)
    ext.popup()  # the engine is up: its document ran the probe
    ext.close()
    assert ext.left() == [probe]
    assert ext.foreign == []


# chrome.* as the popup has it, with an engine that could not start (Python failed in the sandbox).
POPUP_STUB = """
window.chrome = {
  runtime: {
    getManifest: () => ({ permissions: ["storage", "offscreen"] }),
    sendMessage: async (message) => (message.type === "save" ? { ok: true } : message.type === "engine" ? true : null),
    connect: () => ({
      postMessage() {},
      onMessage: { addListener: (listener) => setTimeout(() => listener({ type: "failed", error: "boom" }), 50) },
      onDisconnect: { addListener() {} },
    }),
  },
  storage: { local: { get: async () => ({}) }, onChanged: { addListener() {} } },
  tabs: { query: async () => [] },
  i18n: { getUILanguage: () => "en-US" },
};
"""


def test_popup_says_so_when_the_engine_could_not_start(page, tmp_path):
    """The engine failed in the offscreen document: the popup says so where "starting…" was and keeps
    the prerendered checklist, instead of waiting for ever."""
    shutil.copytree(EXTENSION, tmp_path / "ext")
    server, url = serve(tmp_path / "ext")
    try:
        page.add_init_script(POPUP_STUB)
        page.goto(f"{url}popup.html?tab=1")
        page.wait_for_selector("html[data-py-failed=true]", state="attached", timeout=10_000)
        loading = page.locator("#loading")
        assert loading.is_visible() and loading.inner_text() == loading.get_attribute("data-failed")
        assert page.get_by_test_id("checklist").is_visible()
        assert page.locator("html[data-py-ready=true]").count() == 0
    finally:
        server.shutdown()
        server.server_close()
