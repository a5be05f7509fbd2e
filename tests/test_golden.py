"""The real carriers' plans match the reviewed snapshots in tests/golden/ (regenerate: make snapshots)."""

from __future__ import annotations

import pytest

from golden import GOLDEN, snapshots


@pytest.fixture(scope="module")
def current(catalog):
    return snapshots(catalog)


def test_every_snapshot_is_current_and_none_is_missing_or_extra(current):
    on_disk = {p.name for p in GOLDEN.glob("*")}
    assert on_disk == set(current), "run `make snapshots` and review the diff"


def test_snapshot_contents(current):
    stale = [name for name, text in current.items() if (GOLDEN / name).read_text(encoding="utf-8") != text]
    assert not stale, (
        f"{len(stale)} snapshots differ (e.g. {stale[:3]}): run `make snapshots` and review the diff"
    )
