"""Browser tests run in Debian's Chromium (Playwright cannot download its own browsers here)."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

from browser import CHROMIUM, QUIET_ARGS

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "dist" / "web"
ARTIFACTS = ROOT / "test-results"
BOOT_TIMEOUT_MS = 90_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": QUIET_ARGS}


@pytest.fixture(scope="session")
def base_url():
    """Unused (each test serves dist/web itself). Replaces pytest-playwright 0.10's fallback fixture,
    an instance-method session fixture that pytest 9.2 warns about."""
    return None


def _serve_module():
    spec = importlib.util.spec_from_file_location("simexit_web_serve", ROOT / "web" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """dist/web served on a free loopback port for the whole session."""
    if not (SITE / "index.html").is_file():
        pytest.fail("dist/web is not built: run `make build` first")
    server = _serve_module().make_server(SITE, port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def serve(directory: Path) -> tuple[object, str]:
    """A static server for `directory` on a free loopback port, in a thread: (server, url)."""
    server = _serve_module().make_server(directory, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def leaving(requests: list[str], site_url: str) -> list[str]:
    """The requests that would leave the machine: all but the local server's, and the engine's worker,
    which starts from an in-memory blob: URL of the page's own origin."""
    return [u for u in requests if not u.startswith((site_url, f"blob:{site_url.rstrip('/')}/"))]


@pytest.fixture
def requests_seen(context) -> list[str]:
    """Every request the page makes, for the no-network assertions."""
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    return seen


def wait_for_python(page) -> None:
    page.wait_for_selector("html[data-py-ready=true]", state="attached", timeout=BOOT_TIMEOUT_MS)


# What a test reads of a page waits, like the person, for the engine's answer to what was just done:
# the engine runs in a worker (or the extension's engine page), so its answer lands a moment after
# the event, while the shell marks the page html[data-busy]. (Not `count`: tests count that marker.)
WAITING_READS = ("inner_text", "text_content", "is_checked", "is_visible", "is_hidden", "get_attribute",
                 "input_value", "evaluate_all", "all_inner_texts")  # fmt: skip


@pytest.fixture(autouse=True, scope="session")
def reads_wait_for_the_engine() -> Iterator[None]:
    originals = {name: getattr(Locator, name) for name in WAITING_READS}

    def waiting(read):
        @functools.wraps(read)
        def after_the_engine(self, *args, **kwargs):
            with contextlib.suppress(PlaywrightError):  # a page closing, a frame gone: just read
                self.page.wait_for_selector("html:not([data-busy])", state="attached", timeout=10_000)
            return read(self, *args, **kwargs)

        return after_the_engine

    for name, read in originals.items():
        setattr(Locator, name, waiting(read))
    yield
    for name, read in originals.items():
        setattr(Locator, name, read)


def settled(page) -> None:
    """What the person did has reached the engine and its answer is on the page (the engine runs in
    a worker: the answer comes a moment after the event)."""
    page.wait_for_selector("html:not([data-busy])", state="attached", timeout=10_000)
