"""Browser tests run in Debian's Chromium (Playwright cannot download its own browsers here)."""

from __future__ import annotations

import pytest

CHROMIUM = "/usr/bin/chromium"
QUIET_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": QUIET_ARGS}


@pytest.fixture(scope="session")
def base_url():
    """Unused (each test serves dist/web itself). Replaces pytest-playwright 0.10's fallback fixture,
    an instance-method session fixture that pytest 9.2 warns about."""
    return None
