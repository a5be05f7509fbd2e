"""Golden snapshots of the real carriers' plans: what each checklist says, reviewed as a diff.

`python tests/golden.py` (or `make snapshots`) rewrites tests/golden/ from carriers/; test_golden.py
fails when the engine or the data says something else than the reviewed files. The JSON keeps the
plan (steps, warnings, money, dates, unknowns); the Markdown is the whole document for one situation.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "py"))

from simexit.assess import assess  # noqa: E402
from simexit.catalog import Catalog, load_dir  # noqa: E402
from simexit.models import Situation  # noqa: E402
from simexit.render import to_markdown  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
TODAY = date(2026, 11, 29)
# Typical situations: switching carriers, leaving the US and keeping the number (保号), leaving
# and dropping it, dropping one family line as a manager.
SITUATIONS: dict[str, dict[str, Any]] = {
    "switch": {"keep_number": True, "bill_day": 15},
    "leave-keep": {
        "keep_number": True,
        "leaving_us": True,
        "bill_day": 15,
        "leave_date": date(2026, 12, 20),
        "activation_date": date(2026, 6, 1),
        "paid_off_date": date(2026, 12, 1),
    },
    "leave-drop": {
        "keep_number": False,
        "leaving_us": True,
        "bill_day": 15,
        "leave_date": date(2026, 12, 20),
        "device_balance_usd": 300,
        "prepaid_balance_usd": 10,
    },
    "drop-line": {"keep_number": False, "scope": "line", "role": "manager"},
}
MARKDOWN_SITUATION = "leave-keep"
# Not plan logic: long lists copied from the data, covered by the per-carrier tests.
LEFT_OUT = ("sources", "glossary", "legal", "dependencies", "myths", "keep_options", "script")


def snapshots(catalog: Catalog) -> dict[str, str]:
    out = {}
    for cid, carrier in sorted(catalog.carriers.items()):
        for plan in carrier.plans:
            for name, fields in SITUATIONS.items():
                s = Situation(carrier=cid, plan=plan, today=TODAY, **fields)
                a = assess(carrier, s, catalog.common)
                data = a.model_dump(mode="json", exclude=set(LEFT_OUT))
                out[f"{cid}-{plan}-{name}.json"] = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
                if name == MARKDOWN_SITUATION:
                    out[f"{cid}-{plan}-{name}.md"] = to_markdown(a)
    return out


def write(directory: Path = GOLDEN) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    wanted = snapshots(load_dir())
    for old in directory.glob("*"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (directory / name).write_text(text, encoding="utf-8")
    return len(wanted)


if __name__ == "__main__":
    print(f"wrote {write()} snapshots to {GOLDEN.relative_to(ROOT)}")
