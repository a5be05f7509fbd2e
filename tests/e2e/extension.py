"""Driving the unpacked Chromium extension (dist/extension-chromium) in Debian's Chromium, for the
tests and the benchmark: a persistent profile, real carrier addresses routed to local fixture pages,
every request logged, and a way into the overlay's frame (an extension page, which page scripts cannot
read; Playwright reaches it through the DevTools protocol).

Requests are logged twice over: Playwright's log of every page and frame it drives (the popup, carrier
pages and the overlay's frames in them) with the service worker's own fetches, and Chromium's NetLog
(`--log-net-log`), which records every request its network stack starts, from any context, Playwright's
or not (the engine's offscreen document and its sandbox page are not): what could leave the machine."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from browser import CHROMIUM, QUIET_ARGS

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "dist" / "extension-chromium"
FIXTURES = ROOT / "tests" / "fixtures"
EXTENSION_ID = "kphhnloodpianabahpklekdcccemdmdh"  # pinned by the manifest's key
ORIGIN = f"chrome-extension://{EXTENSION_ID}/"
OVERLAY_URL = f"{ORIGIN}overlay/"  # each carrier's frame page, overlay/<id>.html
HOSTILE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'none'; img-src 'none'"

# Real carrier addresses (account, sign-in, billing and number-transfer pages) -> fixture page.
CARRIER_PAGES = {
    "https://account.t-mobile.com/signin/v2/": "account.html",
    "https://www.t-mobile.com/support/account/transfer-your-phone-number": "transfer-pin.html",
    "https://www.t-mobile.com/support/account/cancel-service": "hostile.html",
    "https://www.att.com/acctmgmt/login": "account.html",
    "https://www.att.com/support/article/my-account/KM1395721": "transfer-pin.html",
    "https://www.verizonwireless.com/my-verizon": "account.html",
    "https://www.verizon.com/digital/nsa/secure/ui/bill/viewbill": "account.html",
    "https://www.verizon.com/support/port-out-faqs/": "transfer-pin.html",
    "https://fi.google.com/account": "account.html",
    "https://tello.com/account/login": "account.html",
    "https://app.usmobile.com/dashboard/app/settings": "account.html",
    "https://www.cricketwireless.com/myaccount.html": "account.html",
    "https://my.ultramobile.com/account/summary": "transfer-pin.html",
}
# Hosts that mention a carrier but are not its: the extension must do nothing there.
LOOKALIKES = {
    "https://www.t-mobile.com.evil.example/account": "account.html",
    "https://t-mobile-login.example/": "account.html",
    "https://evil.example/?next=https://www.t-mobile.com/account": "account.html",
    "https://fi.google.com.evil.example/account": "account.html",
    "https://accounts.google.com/?continue=https://fi.google.com/": "account.html",
    "https://xatt.com/acctmgmt/login": "account.html",
    "https://verizon.com-login.example/my-verizon": "account.html",
}
ROUTED = {**CARRIER_PAGES, **LOOKALIKES}

# The overlay's host element once its checklist is painted (open or folded), as the page sees it.
OVERLAY_SHOWN = "#simexit-overlay[data-state=open], #simexit-overlay[data-state=collapsed]"
# Main-world probe: when the overlay is shown (its host element is there with a painted state: the frame
# has painted the checklist), relative to DOMContentLoaded.
TIMING_PROBE = """
(() => {
  const seen = () => {
    if (!window.__overlayAt && document.querySelector(SHOWN)) window.__overlayAt = performance.now();
  };
  new MutationObserver(seen).observe(document, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-state"],
  });
})();
""".replace("SHOWN", repr(OVERLAY_SHOWN))
# Logs the service worker's fetches (fetch is the only way it loads anything), installed before any
# page asks it something: it loads its files lazily, on the first message.
WORKER_FETCH_LOG = """(() => {
  const fetch = self.fetch;
  self.__fetched = [];
  self.fetch = (resource, ...rest) => {
    self.__fetched.push(new URL(String(resource?.url ?? resource), self.location.href).href);
    return fetch(resource, ...rest);
  };
})()"""
TIMING_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return { overlay: window.__overlayAt ?? null, dcl: nav ? nav.domContentLoadedEventStart : null };
}"""


def net_log_requests(path: Path) -> list[tuple[str, str | None]]:
    """(url, initiator) of every URL request in a Chromium NetLog file. One event per line: a file cut
    short (a crash) is read up to its last whole event."""
    text = path.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        whole = text[: text.rindex("},\n") + 1] if "},\n" in text else text
        log = json.loads(whole + "]}")
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        (event["params"]["url"], event["params"].get("initiator"))
        for event in log.get("events", [])
        if event["type"] == start and "url" in event.get("params", {})
    ]


class Overlay:
    """The overlay's checklist in a page: read and clicked inside its frame (overlay.html), which sits in
    the host element's closed shadow root. Each call finds the frame again: it is made anew when the
    overlay comes back (switched on again, another carrier)."""

    def __init__(self, page):
        self.page = page

    def frame(self):
        """The frame in the overlay's host (a page may embed frames of overlay.html of its own)."""
        for frame in self.page.frames:
            if not frame.url.startswith(OVERLAY_URL) or frame.is_detached():
                continue
            try:
                owner = frame.frame_element()
                if owner.evaluate("(el) => el.getRootNode().host?.id === 'simexit-overlay'"):
                    return frame
            except PlaywrightError:  # detached meanwhile
                continue
        return None

    def call(self, selector: str, function: str, arg: Any = None) -> list[Any]:
        """`function` (a JS function declaration; `this` is the element) on every match, by value."""
        for _ in range(20):
            frame = self.frame()
            if frame is None:
                time.sleep(0.05)
                continue
            try:
                return frame.locator(selector).evaluate_all(
                    f"(els, arg) => Promise.all(els.map((el) => ({function}).call(el, arg)))", arg
                )
            except PlaywrightError as e:  # the frame went away between finding and asking it
                if "detached" not in str(e).lower() and "destroyed" not in str(e).lower():
                    raise
                time.sleep(0.05)
        return []

    def text(self, selector: str) -> str:
        return "\n".join(self.call(selector, "function () { return this.textContent; }"))

    def count(self, selector: str) -> int:
        return len(self.call(selector, "function () { return 1; }"))

    def click(self, selector: str) -> None:
        assert self.call(selector, "function () { this.click(); return true; }")[:1] == [True], selector

    def visible(self, selector: str) -> bool:
        """Shown inside the frame, and the frame shown on the page."""
        found = self.call(
            selector,
            "function () { const r = this.getBoundingClientRect();"
            " return this.checkVisibility() && r.width > 0 && r.height > 0; }",
        )
        if not (found and all(found)):
            return False
        frame = self.frame()
        box = frame.frame_element().bounding_box() if frame else None
        host = self.page.locator("#simexit-overlay")
        return bool(box and box["width"] > 0 and box["height"] > 0) and host.evaluate(
            "(el) => getComputedStyle(el).visibility === 'visible'"
        )

    def ticked(self) -> list[str]:
        """The steps whose box is ticked, in the checklist's order."""
        kinds = self.call("input[data-tick]", "function () { return this.checked ? this.dataset.tick : ''; }")
        return [k for k in kinds if k]

    def steps(self) -> list[str]:
        return self.call("li[data-step]", "function () { return this.dataset.step; }")

    def wait(self, predicate, timeout: float = 10.0, what: str = "overlay state"):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.05)


class Extension:
    """A Chromium with the unpacked extension, on a persistent profile, with routed carrier pages."""

    def __init__(
        self,
        playwright,
        profile: Path,
        log: list[str] | None = None,
        net_log: bool = True,
        extension: Path = EXTENSION,
    ):
        self.playwright = playwright
        self.profile = profile
        self.extension = extension
        self.requests: list[str] = [] if log is None else log
        self.foreign: list[str] = []
        self.network: list[tuple[str, str | None]] = []  # (url, initiator) from the NetLog, once closed
        self.net_logs: list[Path] = []
        self.net_log = net_log
        self.worker_stopped = False
        self.context = None
        self.launch()

    def launch(self) -> None:
        args = [
            *QUIET_ARGS,
            f"--disable-extensions-except={self.extension}",
            f"--load-extension={self.extension}",
        ]
        if self.net_log:
            self.profile.mkdir(parents=True, exist_ok=True)
            self.net_logs.append(self.profile / f"netlog-{len(self.net_logs)}.json")
            args.append(f"--log-net-log={self.net_logs[-1]}")  # capture mode Default: URLs, no cookies
        self.context = self.playwright.chromium.launch_persistent_context(
            str(self.profile), headless=True, executable_path=CHROMIUM, args=args
        )
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.route(lambda url: url.startswith(("http://", "https://")), self._route)
        self.context.add_init_script(TIMING_PROBE)
        self.worker_stopped = False
        self.worker().evaluate(WORKER_FETCH_LOG)

    def _route(self, route) -> None:
        url = route.request.url
        name = ROUTED.get(url)
        if name is None:
            self.foreign.append(url)
            route.abort()
            return
        headers = {"content-security-policy": HOSTILE_CSP} if name == "hostile.html" else {}
        route.fulfill(
            status=200, content_type="text/html; charset=utf-8", headers=headers, path=FIXTURES / name
        )

    def worker(self):
        workers = [w for w in self.context.service_workers if w.url.startswith(ORIGIN)]
        return workers[0] if workers else self.context.wait_for_event("serviceworker", timeout=15_000)

    def worker_requests(self) -> list[str]:
        """What the service worker fetched (Playwright's request events do not show an extension
        worker's own fetches). A worker restarted by Chromium has no log (see stop_worker)."""
        if self.worker_stopped:
            return []
        return self.worker().evaluate("self.__fetched")

    def stop_worker(self, page) -> None:
        """Stops the service worker as Chromium does after 30 s idle; the next message restarts it.
        Its fetch log goes with it, and Playwright keeps no handle on the new one."""
        cdp = self.context.new_cdp_session(page)
        cdp.send("ServiceWorker.enable")
        cdp.send("ServiceWorker.stopAllWorkers")
        cdp.detach()
        self.worker_stopped = True

    def restart(self) -> None:
        self.close()
        self.launch()

    def close(self) -> None:
        self.requests += self.worker_requests()
        self.context.close()  # Chromium writes the end of its NetLog as it exits
        if self.net_log:
            self.network += net_log_requests(self.net_logs[-1])

    def left(self) -> list[str]:
        """Requests the network stack started for a page, frame or worker (the extension's pages and the
        sandbox's opaque origin included) other than the routed fixture pages: what left the machine,
        or would have. Chromium's own requests (its update and account services, no initiator) are not
        the extension's. Known once the browser is closed."""
        own = (None, "not an origin")
        return [url for url, initiator in self.network if initiator not in own and url not in ROUTED]

    def open(self, url: str, page=None):
        page = page or self.context.new_page()
        page.goto(url)
        return page

    def tab_id(self, url: str) -> int:
        """Chrome's id of the tab showing `url` (the worker sees carrier tabs' addresses)."""
        ids = self.worker().evaluate(
            "async (url) => (await chrome.tabs.query({})).filter(t => t.url === url).map(t => t.id)", url
        )
        assert ids, f"no tab shows {url}"
        return ids[-1]

    def popup(self, tab: int | None = None, page=None, ready: bool = True):
        """popup.html for `tab` (else the active tab) in a page of its own, once the engine has answered
        it (`ready`): the shell sets html[data-py-ready] then."""
        page = page or self.context.new_page()
        page.goto(f"{ORIGIN}popup.html" + (f"?tab={tab}" if tab is not None else ""))
        if ready:
            page.wait_for_selector("html[data-py-ready=true]", state="attached", timeout=90_000)
        return page

    def engine_documents(self) -> list[dict]:
        """The extension's offscreen documents (the engine's home), as chrome.runtime.getContexts
        gives them."""
        return self.worker().evaluate("chrome.runtime.getContexts({contextTypes: ['OFFSCREEN_DOCUMENT']})")

    def engine_opened(self, page, timeout_ms: int = 10_000) -> list[dict]:
        """The engine's documents once the worker has opened them and they have loaded (while one
        opens, Chromium may list it without an address yet): it opens them a few seconds after install
        or browser start (manifest/service-worker.js), not at once."""
        for _ in range(timeout_ms // 100):
            documents = self.engine_documents()
            if documents and all(d.get("documentUrl") for d in documents):
                return documents
            page.wait_for_timeout(100)
        return self.engine_documents()

    def storage(self) -> dict:
        return self.worker().evaluate("chrome.storage.local.get(null)")

    def badge(self, tab: int) -> str:
        return self.worker().evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab)
