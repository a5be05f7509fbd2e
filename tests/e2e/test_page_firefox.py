"""The static page in a real Firefox (Debian's firefox-esr, installed by `make firefox`): the page is for
every browser, and in Firefox too its Python starts from the build's memory snapshot. A module of its
own, so that it never runs beside the extension's Firefox of test_firefox.py."""

from __future__ import annotations

import pytest

from .conftest import SITE, serve
from .firefox import Firefox, FixtureProxy, firefox_binary, throwaway_certificate

pytestmark = pytest.mark.browser


def test_the_static_page_starts_from_the_snapshot_in_firefox(tmp_path):
    """The static page is for every browser: in Firefox too, Python comes back from the build's memory
    snapshot (pydantic-core's wheel is never fetched), answers, and nothing leaves the local server
    (all else still goes to the refusing proxy)."""
    binary = firefox_binary()
    if binary is None:
        pytest.fail("firefox-esr is not installed: `make firefox` (run by `make test`) installs it")
    server, url = serve(SITE)
    proxy = FixtureProxy(*throwaway_certificate(tmp_path))
    local = {"network.proxy.allow_hijacking_localhost": False, "network.proxy.no_proxies_on": "127.0.0.1"}
    browser = Firefox(binary, tmp_path, proxy, extra_prefs=local)
    try:
        tab = browser.new_tab()
        browser.go(tab, url)
        browser.wait(tab, "document.documentElement.dataset.pyReady === 'true'", timeout=60, what="Python")
        browser.eval(tab, "document.querySelector('input[name=keep_number][value=no]').click()")
        browser.wait(tab, "!!document.querySelector('[data-step=update_2fa]')", what="the engine's answer")
        browser.drain()
    finally:
        browser.close()
        proxy.stop()
        server.shutdown()
        server.server_close()
    fetched = [u.rsplit("/", 1)[-1] for u in browser.requests if "/runtime/pyodide/" in u]
    assert "snapshot.bin.gz" in fetched and not [n for n in fetched if n.startswith("pydantic_core")]
    assert [u for u in browser.requests if not u.startswith((url, "data:"))] == []
    assert proxy.foreign == []  # nor did anything try to go elsewhere
