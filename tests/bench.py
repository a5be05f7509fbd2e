"""Benchmark (not a test): assessments per second on CPython, over every carrier and varied situations.

Prints its figures; run with `make bench`.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "py"))

from simexit.assess import assess  # noqa: E402
from simexit.catalog import load_dir  # noqa: E402
from simexit.detect import detect  # noqa: E402
from simexit.models import Situation  # noqa: E402
from simexit.render import to_text  # noqa: E402


def main() -> None:
    t0 = time.perf_counter()
    catalog = load_dir(ROOT / "carriers")
    load_ms = (time.perf_counter() - t0) * 1000

    cases = []
    for carrier in catalog.carriers.values():
        for plan, keep, scope, role, lang in itertools.product(
            carrier.plans, (True, False), ("line", "account"), ("owner", "authorized"), ("en", "zh")
        ):
            situation = Situation(
                carrier=carrier.id,
                plan=plan,
                keep_number=keep,
                scope=scope,
                role=role,
                lang=lang,
                device_balance_usd=120.0,
                prepaid_balance_usd=15.0,
            )
            cases.append((carrier, situation))

    def rate(fn, rounds=5, seconds=0.4) -> float:
        per_round = []
        for _ in range(rounds):
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                fn(*cases[n % len(cases)])
                n += 1
            per_round.append(n / (time.perf_counter() - start))
        return statistics.median(per_round)

    assess_rate = rate(lambda c, s: assess(c, s, catalog.common))
    render_rate = rate(lambda c, s: to_text(assess(c, s, catalog.common)))
    urls = [p.example for c in catalog.carriers.values() for p in c.pages] + [
        "https://evil.example/?x=t-mobile.com"
    ]
    t0, n = time.perf_counter(), 0
    while time.perf_counter() - t0 < 0.5:
        detect(urls[n % len(urls)], None, catalog.carriers)
        n += 1
    detect_rate = n / (time.perf_counter() - t0)

    print(f"carriers: {len(catalog.carriers)}, situations cycled: {len(cases)}")
    print(f"load + validate carriers/: {load_ms:.1f} ms")
    print(f"assess: {assess_rate:,.0f} assessments/s (median of 5)")
    print(f"assess + render text: {render_rate:,.0f} /s (median of 5)")
    print(f"detect: {detect_rate:,.0f} URLs/s")


if __name__ == "__main__":
    main()
