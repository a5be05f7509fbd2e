"""Shared fixtures: the real carrier data, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from simexit.catalog import Catalog, load_dir

ROOT = Path(__file__).resolve().parents[1]
CARRIER_DIR = ROOT / "carriers"
CARRIER_FILES = sorted(p for p in CARRIER_DIR.glob("*.toml") if not p.name.startswith("_"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_dir(CARRIER_DIR)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
