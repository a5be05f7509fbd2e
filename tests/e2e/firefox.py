"""Driving the Firefox build (dist/extension-firefox) in Debian's firefox-esr, for the tests: a fresh
profile, the extension installed as a temporary add-on, carrier addresses served by a local proxy.

Firefox is driven over WebDriver BiDi, which it speaks itself (--remote-debugging-port): a small client
on the pinned `websockets` package, no geckodriver, nothing downloaded. Every http(s) request Firefox
makes goes to `FixtureProxy` (the profile's only proxy, for every host, localhost too): the routed
carrier addresses get their fixture page over TLS with a throwaway self-signed certificate (the BiDi
session accepts it: `acceptInsecureCerts`), anything else is refused and logged. So nothing can leave
the machine, and the proxy's log is the proof; BiDi's network events log what the pages asked for."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import socketserver
import ssl
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

from .extension import FIXTURES, HOSTILE_CSP, ROUTED

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "dist" / "extension-firefox"
ADDON_ID = "simexit@simexit.invalid"  # browser_specific_settings.gecko.id (manifest/firefox.json)
UUID = "5e1e7c1a-7e57-4f1e-9a11-000000000001"  # the moz-extension:// host, pinned by a profile pref
ORIGIN = f"moz-extension://{UUID}/"
STARTUP_TIMEOUT = 60.0

# A fresh profile that asks nothing of the network by itself, sends every request to the proxy, and
# gives the add-on a known internal UUID. (Firefox's remote agent adds its own recommended prefs too.)
PREFS: dict[str, Any] = {
    "network.proxy.type": 1,
    "network.proxy.share_proxy_settings": True,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": True,
    "network.trr.mode": 5,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "network.http.speculative-parallel-limit": 0,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.update.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "app.update.enabled": False,
    "app.normandy.enabled": False,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.startup.page": 0,
    "browser.shell.checkDefaultBrowser": False,
    "browser.chrome.site_icons": False,
    # Remote Settings (blocklists, certificates...) asks firefox.settings.services.mozilla.com at start;
    # release builds take another server only with MOZ_REMOTE_SETTINGS_DEVTOOLS=1 (see ENV).
    "services.settings.server": "data:,#remote-settings-dummy/v1",
    "extensions.blocklist.enabled": False,
    "extensions.webextensions.uuids": json.dumps({ADDON_ID: UUID}),
}


ENV = {"MOZ_REMOTE_SETTINGS_DEVTOOLS": "1", "MOZ_CRASHREPORTER_DISABLE": "1"}


def firefox_binary() -> str | None:
    return shutil.which("firefox-esr") or shutil.which("firefox")


def firefox_version(binary: str) -> str:
    return subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()


def throwaway_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the proxy's TLS (made per run, never committed or trusted)."""
    cert, key = directory / "proxy.pem", directory / "proxy.key"
    args = "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=simexit-test".split()
    subprocess.run(
        ["openssl", *args, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


class FixtureProxy(socketserver.ThreadingTCPServer):
    """An HTTP proxy on 127.0.0.1 that answers the routed carrier addresses itself (CONNECT, then TLS,
    then the fixture page) and refuses everything else. `seen` logs every request, `foreign` what was
    refused."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, cert: Path, key: Path):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        self.routed_hosts = {re.match(r"https://([^/]+)", u).group(1) for u in ROUTED}
        self.seen: list[str] = []
        self.foreign: list[str] = []
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def log(self, what: str, refused: bool) -> None:
        with self.lock:
            self.seen.append(what)
            if refused:
                self.foreign.append(what)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _ProxyHandler(socketserver.StreamRequestHandler):
    server: FixtureProxy

    def handle(self) -> None:
        line = self.rfile.readline(65536).decode("latin-1").strip()
        if not line:
            return  # a connection closed before asking anything
        _read_headers(self.rfile)
        method, target, _ = [*line.split(" "), "", ""][:3]
        host = target.rsplit(":", 1)[0]
        if method != "CONNECT" or not target.endswith(":443") or host not in self.server.routed_hosts:
            self.server.log(f"{method} {target}", refused=True)
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        try:
            tls = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with tls, tls.makefile("rb") as rfile:
            request = rfile.readline(65536).decode("latin-1").split(" ")
            _read_headers(rfile)
            url = f"https://{host}{request[1] if len(request) > 1 else '/'}"
            name = ROUTED.get(url)
            self.server.log(url, refused=name is None)
            if name is None:
                tls.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            body = (FIXTURES / name).read_bytes()
            csp = f"Content-Security-Policy: {HOSTILE_CSP}\r\n" if name == "hostile.html" else ""
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"{csp}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            tls.sendall(head.encode("latin-1") + body)


def _read_headers(rfile) -> None:
    while rfile.readline(65536) not in (b"\r\n", b"\n", b""):
        pass


class BidiError(RuntimeError):
    pass


class Firefox:
    """firefox-esr, headless, on a fresh profile in `workdir`, driven over WebDriver BiDi."""

    def __init__(
        self, binary: str, workdir: Path, proxy: FixtureProxy, extra_prefs: dict[str, Any] | None = None
    ):
        self.profile = workdir / "profile"
        self.profile.mkdir(parents=True)
        prefs = {**PREFS, **(extra_prefs or {})}
        prefs |= {"network.proxy.http": "127.0.0.1", "network.proxy.http_port": proxy.port}
        prefs |= {"network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": proxy.port}
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()),
            encoding="utf-8",
        )
        self.stderr = (workdir / "firefox.log").open("w+", encoding="utf-8", errors="replace")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-remote",
                "--profile",
                str(self.profile),
                "--remote-debugging-port=0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            env={**os.environ, **ENV},
        )
        self.ids = itertools.count(1)
        self.requests: list[str] = []  # every network.beforeRequestSent of the session
        self.console: list[str] = []
        self.ws = connect(self._bidi_url() + "/session", max_size=None, open_timeout=30, legacy=True)
        self.command("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
        self.command("session.subscribe", {"events": ["network.beforeRequestSent", "log.entryAdded"]})

    def _bidi_url(self) -> str:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            self.stderr.seek(0)
            found = re.search(r"WebDriver BiDi listening on (ws://[\d.:\[\]a-z]+)", self.stderr.read())
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stderr.seek(0)
        raise BidiError(f"Firefox did not start its WebDriver BiDi server:\n{self.stderr.read()[-3000:]}")

    # ------------------------------------------------------------ protocol

    def command(self, method: str, params: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == ident:
                if message.get("type") == "error":
                    raise BidiError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]
            self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        params = message.get("params", {})
        if message.get("method") == "network.beforeRequestSent":
            self.requests.append(params["request"]["url"])
        elif message.get("method") == "log.entryAdded":
            self.console.append(f"{params.get('level')}: {params.get('text')}")

    def drain(self) -> None:
        """Events still on the wire (requests logged after the last command)."""
        with contextlib.suppress(TimeoutError):
            while True:
                self._event(json.loads(self.ws.recv(timeout=0.3)))

    # ------------------------------------------------------------ browser

    def install(self, path: Path) -> str:
        """A temporary add-on from an unpacked directory, as about:debugging loads one."""
        result = self.command(
            "webExtension.install", {"extensionData": {"type": "path", "path": str(path)}}, timeout=60
        )
        return result["extension"]

    def new_tab(self) -> str:
        return self.command("browsingContext.create", {"type": "tab"})["context"]

    def navigate(self, context: str, url: str) -> None:
        self.command("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})

    def go(self, context: str, url: str) -> None:
        """Navigation by the page itself, where BiDi may not navigate (to moz-extension:// addresses)."""
        self.command(
            "script.evaluate",
            {
                "expression": f"location.replace({json.dumps(url)})",
                "target": {"context": context},
                "awaitPromise": False,
            },
        )
        self.wait(context, f"location.href === {json.dumps(url)} && document.readyState === 'complete'")

    def frames(self, context: str) -> list[dict[str, Any]]:
        """The frames inside a tab (each with its context id and url)."""
        tree = self.command("browsingContext.getTree", {"root": context})["contexts"]
        out, todo = [], list(tree[0].get("children") or [])
        while todo:
            frame = todo.pop()
            out.append(frame)
            todo += frame.get("children") or []
        return out

    def eval(self, context: str, expression: str) -> Any:
        """`expression` (awaited) in the context's page, returned through JSON."""
        result = self.command(
            "script.evaluate",
            {
                "expression": f"(async () => JSON.stringify(await ({expression})))()",
                "target": {"context": context},
                "awaitPromise": True,
            },
        )
        if result.get("type") == "exception":
            raise BidiError(f"{expression}: {result['exceptionDetails'].get('text')}")
        value = result["result"]
        return json.loads(value["value"]) if value.get("type") == "string" else None

    def wait(self, context: str, expression: str, timeout: float = 15.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(BidiError):
                value = self.eval(context, expression)
                if value:
                    return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or expression}")
            time.sleep(0.1)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.drain()
            self.command("session.end", {}, timeout=5)
        with contextlib.suppress(Exception):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()
