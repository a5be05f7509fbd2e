"""Benchmark (not a test) of the static page in headless Debian Chromium; prints its figures.

Runs the built page (dist/web) and, interleaved in the same run, a bare PyScript + pydantic page made
from the same pinned runtime (dist/bare), each cold (a new browser profile: empty disk cache) and warm
(the same profile, second visit: what a returning user gets). Reports medians of RUNS runs.
`make bench` builds first.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import shutil
import statistics
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from browser import CHROMIUM
from browser import QUIET_ARGS as ARGS
from simexit import build

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
READY = "html[data-py-ready=true]"

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare</title><link rel="icon" href="data:,">
<script type="module" src="./runtime/pyscript/core.js"></script></head>
<body><p id="out">…</p><script type="py" src="./main.py" config="./pyscript.json"></script></body></html>
"""
BARE_CONFIG = {
    "interpreter": "./runtime/pyodide/pyodide.mjs",
    "packages": ["pydantic"],
    "packages_cache": "passthrough",
}
BARE_MAIN = """from pydantic import BaseModel
from pyscript import document, window

class Answer(BaseModel):
    carrier: str
    keep_number: bool

document.getElementById("out").textContent = Answer(carrier="tmobile", keep_number=True).model_dump_json()
document.documentElement.dataset.pyBootMs = str(round(window.performance.now()))
document.documentElement.dataset.pyReady = "true"
"""

# First paint of the checklist: the first contentful paint, since the checklist is in the initial HTML.
PAINT_JS = "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime"
# Long main-thread tasks from the start of the document until Python is interactive (the boot).
LONGTASKS_INIT = """window.__longtasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]); })
  .observe({ type: "longtask", buffered: true });"""
BOOT_TASKS_JS = """(() => { const ready = +document.documentElement.dataset.pyBootMs;
  const tasks = window.__longtasks.filter(([start]) => start < ready);
  return { longest: Math.max(0, ...tasks.map(([, d]) => d)), blocking: tasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0) };
})()"""


def write_bare_page() -> None:
    """The anchor: a bare PyScript page on the stock npm runtime and PyPI wheels (as pinned, not
    byte-compiled: what a PyScript page gets without simexit's build)."""
    bare = DIST / "bare"
    if bare.exists():
        shutil.rmtree(bare)
    pyodide_dir = bare / "runtime" / "pyodide"
    build.copy_pyscript(bare / "runtime" / "pyscript")
    lock, wheels = build.stock_runtime(pyodide_dir, ROOT / "build" / "wheels")
    build.pin_lock_entries(lock, wheels, {w["file"]: w["sha256"] for w in wheels})
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
    (bare / "pyscript.json").write_text(json.dumps(BARE_CONFIG), encoding="utf-8")
    (bare / "main.py").write_text(BARE_MAIN, encoding="utf-8")


class Served:
    """Bytes the server has sent, counted at the server: the page's worker fetches what the page's own
    resource timing never lists."""

    total = 0
    lock = threading.Lock()


def serve(directory: Path):
    spec = importlib.util.spec_from_file_location("serve", ROOT / "web" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server = module.make_server(directory, port=0, quiet=True)
    handler = server.RequestHandlerClass  # a functools.partial of serve.py's handler class

    class Counting(handler.func):
        def copyfile(self, source, outputfile):
            body = source.read()
            with Served.lock:
                Served.total += len(body)
            outputfile.write(body)

    server.RequestHandlerClass = functools.partial(Counting, *handler.args, **handler.keywords)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def visit(page, url: str) -> dict[str, float]:
    before = Served.total
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=120_000)
    page.wait_for_timeout(100)  # let the observer deliver the last task
    tasks = page.evaluate(BOOT_TASKS_JS)
    return {
        "longest_ms": tasks["longest"],
        "blocking_ms": tasks["blocking"],
        "ready_ms": float(page.evaluate("document.documentElement.dataset.pyBootMs")),
        "paint_ms": float(page.evaluate(PAINT_JS)),
        "bytes": float(Served.total - before),  # bodies sent; headers and 304s left out
    }


def reassess_ms(page) -> list[float]:
    """Change one answer a few times; the page records each reassessment's time inside Pyodide."""
    times = []
    page.evaluate("document.getElementById('more-q').open = true")  # the amount is a folded question
    field = page.locator("#f-device_balance_usd")
    for amount in ("100", "250", "0", "75.5", "980", "12", "430"):
        count = page.evaluate("document.documentElement.dataset.reassessCount || '0'")
        field.fill(amount)
        # (the engine answers a moment after the input: wait for the count to move from what it was)
        page.wait_for_function(
            f"(document.documentElement.dataset.reassessCount || '0') !== {json.dumps(count)}"
        )
        times.append(float(page.evaluate("document.documentElement.dataset.reassessMs")))
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    if not (DIST / "web" / "index.html").is_file():
        raise SystemExit("dist/web is not built: run `make build` first")
    write_bare_page()
    server, base = serve(DIST)
    results: dict[str, list[dict[str, float]]] = {
        k: [] for k in ("page_cold", "page_warm", "bare_cold", "bare_warm")
    }
    reassess: list[float] = []
    with sync_playwright() as pw:
        for _ in range(args.runs):
            for name, url in (("page", f"{base}/web/"), ("bare", f"{base}/bare/")):  # interleaved
                with tempfile.TemporaryDirectory() as profile:
                    context = pw.chromium.launch_persistent_context(
                        profile, headless=True, executable_path=CHROMIUM, args=ARGS
                    )
                    context.add_init_script(LONGTASKS_INIT)
                    page = context.pages[0] if context.pages else context.new_page()
                    page.goto("about:blank")  # the profile is up; the cache is still empty
                    results[f"{name}_cold"].append(visit(page, url))
                    results[f"{name}_warm"].append(visit(page, url))
                    if name == "page":
                        reassess += reassess_ms(page)
                    context.close()
    server.shutdown()

    def med(key: str, field: str) -> float:
        return statistics.median(r[field] for r in results[key])

    print(
        f"static page benchmark, headless Chromium, median of {args.runs} runs (interleaved with the bare page)"
    )
    print(
        f"  navigation -> checklist painted:        {med('page_cold', 'paint_ms'):7.0f} ms cold, {med('page_warm', 'paint_ms'):.0f} ms warm"
    )
    for kind in ("cold", "warm"):
        ours, bare = med(f"page_{kind}", "ready_ms"), med(f"bare_{kind}", "ready_ms")
        print(
            f"  navigation -> Python interactive, {kind}: {ours:7.0f} ms; bare PyScript+pydantic {bare:.0f} ms; ratio {ours / bare:.2f}"
        )
    for kind in ("cold", "warm"):
        print(
            f"  boot main thread, {kind}: longest task {med(f'page_{kind}', 'longest_ms'):.0f} ms, total blocking"
            f" {med(f'page_{kind}', 'blocking_ms'):.0f} ms; bare: {med(f'bare_{kind}', 'longest_ms'):.0f} ms,"
            f" {med(f'bare_{kind}', 'blocking_ms'):.0f} ms"
        )
    print(
        f"  reassessment after one answer (in Pyodide): median {statistics.median(reassess):.1f} ms, max {max(reassess):.1f} ms over {len(reassess)} changes"
    )
    print(
        f"  bytes transferred, cold: page {med('page_cold', 'bytes') / 1e6:.1f} MB, bare {med('bare_cold', 'bytes') / 1e6:.1f} MB"
    )
    print(
        f"  bytes transferred, warm: page {med('page_warm', 'bytes') / 1e6:.2f} MB, bare {med('bare_warm', 'bytes') / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
