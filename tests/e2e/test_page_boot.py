"""The built static page (dist/web) boots Python offline and shows the plan, porting before cancelling."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "dist" / "web"
BOOT_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.browser


def _serve_module():
    spec = importlib.util.spec_from_file_location("simexit_web_serve", ROOT / "web" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    if not (SITE / "index.html").is_file():
        pytest.fail("dist/web is not built: run `make build` first")
    server = _serve_module().make_server(SITE, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_page_boots_offline_and_ports_before_cancelling(context, page, site_url):
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} {r.failure}"))

    page.goto(site_url)
    page.wait_for_selector("html[data-py-ready=true]", state="attached", timeout=BOOT_TIMEOUT_MS)

    text = page.get_by_test_id("checklist").inner_text()
    assert "T-Mobile" in text
    port = text.index("Start the number transfer")
    assert "do not cancel first" in text[port:].splitlines()[0]
    assert port < text.index("Confirm the account is closed")
    assert errors == []
    foreign = [u for u in requests if not u.startswith(site_url)]
    assert foreign == [], f"requests outside the local server: {foreign}"
    boot_ms = page.evaluate("document.documentElement.dataset.pyBootMs")
    print(f"\npage boot (navigation -> data-py-ready): {boot_ms} ms, {len(requests)} requests")
