"""simexit.detect gives the same answers in the page's Python (Pyodide, run by Node) as in CPython here,
on the differential corpus of test_extension_detect.py (audit finding F10: urlsplit's answers changed
between Python versions, so the page missed carrier pages the command line found).

detect.py is loaded into Pyodide on its own, with the package's __init__.py: it must stay importable
without pydantic. The carriers reach it as the JSON index the extension uses (build.detect_index)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from simexit.build import detect_index
from simexit.detect import detect, host_of
from test_extension_detect import cases_for

from conftest import ROOT

PYODIDE = ROOT / "web" / "node_modules" / "pyodide"
SOURCES = ("__init__.py", "detect.py")  # what the page's detection needs of py/simexit

# Node: start Pyodide once, write the sources into its file system, run every case there.
RUNNER = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const dir = process.argv[1];
const { loadPyodide } = await import(pathToFileURL(dir + "/pyodide.mjs").href);
const input = readFileSync(0, "utf8");
const { files, program } = JSON.parse(input);
const pyodide = await loadPyodide({ indexURL: dir + "/" });
pyodide.FS.mkdirTree("/src/simexit");
for (const [name, text] of Object.entries(files)) pyodide.FS.writeFile("/src/simexit/" + name, text);
pyodide.globals.set("payload", input);
try {
  process.stdout.write(pyodide.runPython(program));
} catch (e) {
  process.stderr.write(e.message); // a Python error: its traceback
  process.exit(1);
}
"""

# Python, run inside Pyodide: the carriers as plain objects made from the index, then detect and
# host_of on every case.
PROGRAM = """
import json, sys
from types import SimpleNamespace
sys.path.insert(0, "/src")
from simexit.detect import detect, host_of

data = json.loads(payload)
carriers = {
    c["id"]: SimpleNamespace(
        id=c["id"], domains=c["domains"], pages=[SimpleNamespace(**p) for p in c["pages"]]
    )
    for c in data["index"]["carriers"]
}
results = []
for url, title in data["cases"]:
    found = detect(url, title, carriers)
    results.append([None if found is None else [found.carrier, found.page], host_of(url)])
json.dumps({"version": list(sys.version_info[:2]), "results": results})
"""


def run_pyodide(files: dict[str, str], index, cases):
    """[(python version), [[carrier, page] | None, [host, target] | None] per case] from Pyodide."""
    node = shutil.which("node")
    assert node is not None
    if not (PYODIDE / "pyodide.mjs").is_file():
        pytest.fail(f"{PYODIDE} is missing: run `npm ci` in web/")
    payload = json.dumps({"files": files, "program": PROGRAM, "index": index, "cases": cases})
    done = subprocess.run(
        [node, "--input-type=module", "-e", RUNNER, str(PYODIDE)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (
        "in Pyodide (detect.py must import without pydantic):\n" + done.stderr[-3000:]
    )
    out = json.loads(done.stdout)
    return tuple(out["version"]), out["results"]


def sources() -> dict[str, str]:
    package = ROOT / "py" / "simexit"
    return {name: (package / name).read_text(encoding="utf-8") for name in SOURCES}


def cpython_side(carriers, url, title):
    found = detect(url, title, carriers)
    parsed = host_of(url)
    return [None if found is None else [found.carrier, found.page], None if parsed is None else list(parsed)]


@pytest.mark.skipif(shutil.which("node") is None, reason="node not found (`make node` installs Node.js)")
def test_pyodide_detection_matches_cpython(catalog):
    cases = cases_for(catalog)
    version, results = run_pyodide(sources(), detect_index(catalog.carriers), cases)
    assert version != tuple(sys.version_info[:2]), "the point is two different Python versions"
    assert len(results) == len(cases)
    differences = []
    for (url, title), got in zip(cases, results, strict=True):
        expected = cpython_side(catalog.carriers, url, title)
        if got != expected:
            differences.append(f"{url!r} (title {title!r}): CPython {expected}, Pyodide {got}")
    assert differences == [], f"{len(differences)} of {len(cases)} differ:\n" + "\n".join(differences[:50])
    assert sum(1 for found, _ in results if found) > 100  # the cases do reach carriers
