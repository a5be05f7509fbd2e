"""Build the static page and the browser extension: `python -m simexit.build [--out dist]` writes
<out>/web/, <out>/extension-chromium/, <out>/extension-firefox/ and a zip of each extension.

CPython-only tooling, never shipped to the browser. Every runtime piece is pinned and checked:
Pyodide and PyScript come from npm through web/package-lock.json (`npm ci` verifies
their integrity), the Pyodide wheels from PyPI through web/wheels.lock (sha256 verified here), and
simexit itself is zipped from this source tree into a wheel. The extension reuses the files copied for
the page; nothing is fetched twice, and nothing is fetched by the page or the extension.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
import zlib
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
MANIFEST = ROOT / "manifest"
PACKAGE_DIR = ROOT / "py" / "simexit"
WHEELS_LOCK = WEB / "wheels.lock"
NODE_MODULES = WEB / "node_modules"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PAGE_SUFFIXES = {".html", ".css", ".py", ".json", ".js"}
# Tooling in web/, not the site; index.html is a template that `prerender` fills.
NOT_PAGE_FILES = {"package.json", "package-lock.json", "serve.py", "index.html"}
DEFAULT_CARRIER = "tmobile"  # the checklist index.html opens with (boot.js swaps in a saved choice)
BROWSER_EXCLUDED = {"build.py", "bytecode.py"}  # modules of simexit the browser never needs
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same source gives the same wheel hash


class BuildError(Exception):
    """A build step that cannot go on; the message says what to do."""


# ---------------------------------------------------------------- npm: Pyodide and PyScript


def npm_install_needed(web: Path = WEB) -> bool:
    """True unless every package in package-lock.json is installed at its locked version."""
    lock = json.loads((web / "package-lock.json").read_text(encoding="utf-8"))
    for where, entry in lock["packages"].items():
        if not where:
            continue
        installed = web / where / "package.json"
        if not installed.is_file():
            return True
        if json.loads(installed.read_text(encoding="utf-8")).get("version") != entry.get("version"):
            return True
    return False


def npm_ci(web: Path = WEB) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm not found: install Node.js and npm (Debian: apt-get install -y nodejs npm)")
    cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    if subprocess.run(cmd, cwd=web).returncode != 0:
        raise BuildError(
            f"`npm ci` failed in {web} (see npm's message above); a tampered or changed package "
            "fails npm's integrity check against web/package-lock.json"
        )


RUNTIME_LOCK = WEB / "runtime.lock.json"  # sha256 of every npm file the build ships
BYTECODE_LOCK = WEB / "bytecode.lock.json"  # sha256 of the byte-compiled stdlib and PyPI wheels


def shipped_npm_files(node_modules: Path = NODE_MODULES) -> list[Path]:
    """The files of node_modules that end up in dist/ (the runtime), for the integrity check."""
    files = [node_modules / "pyodide" / name for name in PYODIDE_FILES]
    files += sorted(p for p in (node_modules / "@pyscript" / "core" / "dist").rglob("*") if p.is_file())
    return [f for f in files if not f.name.endswith((".map", ".d.ts"))]


def runtime_hashes(node_modules: Path = NODE_MODULES) -> dict[str, str]:
    return {
        str(f.relative_to(node_modules)): sha256_of(f) if f.is_file() else "missing"
        for f in shipped_npm_files(node_modules)
    }


def runtime_mismatches(node_modules: Path = NODE_MODULES, lock: Path = RUNTIME_LOCK) -> list[str]:
    """Shipped npm files whose content differs from web/runtime.lock.json (or that are missing/extra).
    npm ci checks a package when it installs it; this checks what is on disk at every build."""
    expected = json.loads(lock.read_text(encoding="utf-8"))
    actual = runtime_hashes(node_modules)
    return sorted(name for name in expected.keys() | actual.keys() if expected.get(name) != actual.get(name))


def verified_runtime() -> None:
    """node_modules as locked: installed by `npm ci` when missing, reinstalled once when any shipped
    file differs from the committed hashes, and refused if it still differs."""
    if npm_install_needed() or runtime_mismatches():
        npm_ci()
    bad = runtime_mismatches()
    if bad:
        raise BuildError(
            "the npm runtime differs from web/runtime.lock.json after `npm ci`: "
            + ", ".join(bad[:5])
            + (" …" if len(bad) > 5 else "")
            + " (if web/package-lock.json changed on purpose: python -m simexit.build --update-runtime-lock)"
        )


def copy_pyodide(dest: Path, node_modules: Path = NODE_MODULES) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(node_modules / "pyodide" / name, dest / name)


def copy_pyscript(dest: Path, node_modules: Path = NODE_MODULES) -> None:
    """PyScript's dist/ without source maps (lazy chunks like the editor stay: core.js imports them)."""
    src = node_modules / "@pyscript" / "core" / "dist"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.map"))


# ---------------------------------------------------------------- wheels from PyPI


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_wheels_lock(path: Path = WHEELS_LOCK) -> list[dict[str, str]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["wheel"]


def pip_platform_args(pyodide_lock: dict[str, Any]) -> list[str]:
    """pip's target-platform flags, taken from the pinned Pyodide so the two cannot drift apart."""
    info = pyodide_lock["info"]
    major, minor = info["python"].split(".")[:2]
    return [
        "--only-binary=:all:",
        "--platform",
        f"pyemscripten_{info['abi_version']}_{info['arch']}",
        "--python-version",
        f"{major}.{minor}",
        "--implementation",
        "cp",
        "--abi",
        f"cp{major}{minor}",
        "--no-deps",
    ]


def check_hash(path: Path, expected: str, origin: str, advice: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise BuildError(
            f"sha256 mismatch for {path.name} ({origin}: {path}):\n"
            f"  expected {expected} (web/wheels.lock)\n  got      {actual}\n"
            f"The file is not the pinned one; the build stops. {advice}"
        )


def download_wheels(wheels: list[dict[str, str]], cache: Path, pip_args: list[str]) -> None:
    """Fetch the wheels missing from the cache; only files that pass their hash enter the cache."""
    missing = [w for w in wheels if not (cache / w["file"]).is_file()]
    if not missing:
        return
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        specs = [f"{w['name']}=={w['version']}" for w in missing]
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", tmp, *pip_args, *specs]
        if subprocess.run(cmd).returncode != 0:
            raise BuildError(f"pip could not download {', '.join(specs)} (see pip's message above)")
        for w in missing:
            got = Path(tmp) / w["file"]
            if not got.is_file():
                found = ", ".join(sorted(p.name for p in Path(tmp).iterdir())) or "nothing"
                raise BuildError(f"pip did not fetch {w['file']} (it fetched: {found})")
            check_hash(got, w["sha256"], "fresh download", "It was not cached.")
            got.replace(cache / w["file"])


def vendor_wheels(wheels: list[dict[str, str]], cache: Path, dest: Path) -> None:
    for w in wheels:
        check_hash(cache / w["file"], w["sha256"], "cache", "Delete it to download it again.")
        shutil.copy2(cache / w["file"], dest / w["file"])


def pin_lock_entries(
    pyodide_lock: dict[str, Any], wheels: list[dict[str, str]], compiled: dict[str, str]
) -> None:
    """Point Pyodide's own entries (older versions) at the vendored wheels, by their compiled hashes
    (Pyodide checks a package's sha256 when it loads it)."""
    for w in wheels:
        entry = pyodide_lock["packages"].get(w["lock_key"])
        if entry is None:
            raise BuildError(f"{w['lock_key']} is not in pyodide-lock.json; fix lock_key in web/wheels.lock")
        entry.update(version=w["version"], file_name=w["file"], sha256=compiled[w["file"]])


# ---------------------------------------------------------------- bytecode


STDLIB_ZIP = "python_stdlib.zip"
# Where the archives' modules live in the browser's file system (Pyodide's sys.path), for tracebacks.
STDLIB_PREFIX = "/lib/python{v}.zip/"
SITE_PREFIX = "/lib/python{v}/site-packages/"


def compile_archives(jobs: list[tuple[Path, Path, str]], cache: Path) -> None:
    """Byte-compile (src, dest, prefix) archives with the pinned Pyodide under Node (web/compile.mjs);
    the result for an input is cached by the hashes of the input, the compiler and the interpreter."""
    compiler = hashlib.sha256()
    for part in (
        PACKAGE_DIR / "bytecode.py",
        WEB / "compile.mjs",
        NODE_MODULES / "pyodide" / "pyodide.asm.wasm",
    ):
        compiler.update(part.read_bytes())
    todo, cached = [], []
    for src, dest, prefix in jobs:
        key = hashlib.sha256(compiler.digest() + prefix.encode() + src.read_bytes()).hexdigest()[:32]
        hit = cache / f"{key}-{src.name}"
        (cached if hit.is_file() else todo).append((src, dest, prefix, hit))
    if todo:
        cache.mkdir(parents=True, exist_ok=True)
        node = shutil.which("node")
        if node is None:
            raise BuildError("node not found: install Node.js (Debian: apt-get install -y nodejs npm)")
        args = [str(a) for src, _, prefix, hit in todo for a in (src.resolve(), hit.resolve(), prefix)]
        cmd = [node, str(WEB / "compile.mjs"), str(PACKAGE_DIR / "bytecode.py"), *args]
        if subprocess.run(cmd, cwd=WEB).returncode != 0:
            for *_, hit in todo:
                hit.unlink(missing_ok=True)
            raise BuildError("byte-compiling the Python archives failed (see Node's message above)")
    for _, dest, _, hit in cached + todo:
        shutil.copyfile(hit, dest)


def compile_runtime(
    pyodide_dir: Path, wheels: list[Path], pyodide_lock: dict[str, Any], cache: Path
) -> dict[str, str]:
    """Compile the stdlib and `wheels` in place; returns the sha256 of each compiled file by name."""
    major, minor = pyodide_lock["info"]["python"].split(".")[:2]
    stdlib = pyodide_dir / STDLIB_ZIP
    jobs = [(stdlib, stdlib, STDLIB_PREFIX.format(v=major + minor))]
    jobs += [(w, w, SITE_PREFIX.format(v=f"{major}.{minor}")) for w in wheels]
    compile_archives(jobs, cache)
    return {path.name: sha256_of(path) for path, _, _ in jobs}


def stock_runtime(pyodide_dir: Path, cache: Path) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Pyodide as npm ships it and the pinned PyPI wheels beside it (downloaded into `cache` if
    missing, hash-checked): (Pyodide's lock, web/wheels.lock's entries). Nothing compiled yet."""
    copy_pyodide(pyodide_dir)
    pyodide_lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheels = read_wheels_lock()
    download_wheels(wheels, cache, pip_platform_args(pyodide_lock))
    vendor_wheels(wheels, cache, pyodide_dir)
    return pyodide_lock, wheels


def record_bytecode(cache: Path, lock: Path = BYTECODE_LOCK) -> None:
    """Write the lock of compiled files from a fresh compilation of the pinned stdlib and wheels."""
    with tempfile.TemporaryDirectory() as tmp:
        pyodide_dir = Path(tmp)
        pyodide_lock, wheels = stock_runtime(pyodide_dir, cache)
        files = [pyodide_dir / w["file"] for w in wheels]
        hashes = compile_runtime(pyodide_dir, files, pyodide_lock, cache.parent / "bytecode")
    lock.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def check_bytecode(hashes: dict[str, str], lock: Path = BYTECODE_LOCK) -> None:
    """The compiled stdlib and PyPI wheels must be byte for byte the reviewed ones (compilation is
    deterministic); a change means the runtime or a wheel changed, or the compiler misbehaved."""
    expected = json.loads(lock.read_text(encoding="utf-8"))
    bad = sorted(n for n in expected.keys() | hashes.keys() if expected.get(n) != hashes.get(n))
    if bad:
        raise BuildError(
            f"byte-compiled files differ from {lock.name}: {', '.join(bad)} (after a reviewed runtime or"
            " wheel change: python -m simexit.build --update-runtime-lock)"
        )


# ---------------------------------------------------------------- simexit's own wheel


def project_metadata(root: Path = ROOT) -> dict[str, Any]:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def package_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    files = [*package_dir.glob("*.py"), package_dir / "py.typed"]
    return sorted(p for p in files if p.name not in BROWSER_EXCLUDED)


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def dist_info_files(meta: dict[str, Any]) -> dict[str, bytes]:
    requires = "".join(f"Requires-Dist: {d}\n" for d in meta.get("dependencies", []))
    # [project.urls] too: the page reads the public issue tracker from here (report.tracker)
    urls = "".join(f"Project-URL: {label}, {url}\n" for label, url in meta.get("urls", {}).items())
    metadata = f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n{requires}{urls}"
    wheel = "Wheel-Version: 1.0\nGenerator: simexit.build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return {"METADATA": metadata.encode(), "WHEEL": wheel.encode()}


def build_simexit_wheel(dest: Path, meta: dict[str, Any]) -> Path:
    """A pure-Python wheel zipped straight from py/simexit (reproducible: fixed order and dates)."""
    name, version = meta["name"], meta["version"]
    info = f"{name}-{version}.dist-info"
    entries = {f"{name}/{p.name}": p.read_bytes() for p in package_files()}
    entries |= {f"{info}/{k}": v for k, v in dist_info_files(meta).items()}
    record = "".join(f"{arc},{_record_hash(data)},{len(data)}\n" for arc, data in entries.items())
    entries[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    path = dest / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arc, data in entries.items():
            zi = zipfile.ZipInfo(arc, ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)
    return path


def lock_key(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def trimmed_lock(pyodide_lock: dict[str, Any], roots: list[str]) -> dict[str, Any]:
    """Only the packages the page loads (the roots and what they depend on): Pyodide reads the whole
    lock at start, and the stock one lists ~300 packages the page never uses."""
    keep: list[str] = []
    todo = [lock_key(r) for r in roots]
    while todo:
        key = todo.pop()
        if key not in keep:
            keep.append(key)
            todo += [lock_key(d) for d in pyodide_lock["packages"][key]["depends"]]
    return {**pyodide_lock, "packages": {k: pyodide_lock["packages"][k] for k in sorted(keep)}}


def add_lock_entry(pyodide_lock: dict[str, Any], wheel: Path, meta: dict[str, Any]) -> None:
    """Make the simexit wheel a Pyodide package, so `"packages": ["simexit"]` loads it and pydantic."""
    pyodide_lock["packages"][meta["name"]] = {
        "name": meta["name"],
        "version": meta["version"],
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": sha256_of(wheel),
        "package_type": "package",
        "imports": [meta["name"]],
        "depends": ["pydantic"],
        "unvendored_tests": False,
        "tool": {},
    }


# ---------------------------------------------------------------- data and page


def write_carrier_bundle(dest: Path) -> None:
    from simexit import sourcing
    from simexit.catalog import Catalog, DataError, load_dir  # the one step needing pydantic

    try:
        catalog = load_dir()
        bundle = catalog.to_bundle()
        Catalog.from_json(json.dumps(bundle))  # what the browser will do; fail here rather than there
    except DataError as e:
        raise BuildError(f"invalid carrier data\n{e}") from None
    problems = sourcing.all_problems(catalog.carriers, catalog.common, "carriers")
    if problems:
        raise BuildError("carrier data breaks the source rules\n" + "\n".join(map(str, problems)))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def copy_page(dest: Path, web: Path = WEB) -> None:
    for path in sorted(web.iterdir()):
        if path.is_file() and path.suffix in PAGE_SUFFIXES and path.name not in NOT_PAGE_FILES:
            shutil.copy2(path, dest / path.name)


def built_day() -> str:
    """The day the prerendered checklists are dated: the build's."""
    return date.today().isoformat()


def prerender(site: Path, web: Path = WEB) -> None:
    """Each carrier's default checklist in both languages, made by the same engine on CPython, so a
    checklist is on screen before Pyodide has started; index.html opens with the default carrier's."""
    from simexit.assess import assess
    from simexit.catalog import load_dir
    from simexit.models import LANGS, Situation
    from simexit.page import app_html

    catalog = load_dir()
    fragments = site / "prerender"
    fragments.mkdir(parents=True, exist_ok=True)
    for cid, carrier in catalog.carriers.items():
        for lang in LANGS:
            situation = Situation(carrier=cid, lang=lang)
            # Dated by the build: facts read long before it are marked "may be out of date".
            dated = situation.model_copy(update={"today": date.today()})
            html = app_html(catalog.carriers, carrier, situation, assess(carrier, dated, catalog.common))
            (fragments / f"{cid}.{lang}.html").write_text(html, encoding="utf-8")
    (site / "index.html").write_text(page_html(site, web, with_policy=True), encoding="utf-8")


def content_security_policy(style: str) -> str:
    """The static page's policy: nothing from another origin, no inline script, only our own inline
    style (by hash). Pyodide needs 'wasm-unsafe-eval' to compile its WebAssembly and 'unsafe-eval'
    because Emscripten turns the EM_ASM snippets of compiled extension modules (pydantic-core) into
    functions with eval at load time; both apply only to code served from this origin."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
            f"style-src 'self' 'sha256-{digest}'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )


def page_html(site: Path, web: Path = WEB, with_policy: bool = False) -> str:
    """web/index.html filled with the default carrier's prerendered checklist, started by boot.js. The
    static page carries its own Content-Security-Policy (with_policy)."""
    template = (web / "index.html").read_text(encoding="utf-8")
    style = (web / "style.css").read_text(encoding="utf-8")
    policy = (
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(style)}">'
        if with_policy
        else ""
    )
    return (
        template.replace("{policy}", policy)
        .replace("{style}", style)
        .replace("{html_lang}", "en")
        .replace("{carrier}", DEFAULT_CARRIER)
        .replace("{lang}", "en")
        .replace("{built}", built_day())
        .replace("{app}", (site / "prerender" / f"{DEFAULT_CARRIER}.en.html").read_text(encoding="utf-8"))
    )


# ---------------------------------------------------------------- the browser extension

BROWSERS = ("chromium", "firefox")
# Glue shared by both browsers (manifest/), and popup.html (a template: fill_extension); popup.js
# decides at run time whether Python can run.
EXTENSION_FILES = (
    "service-worker.js",
    "detect.js",
    "files.js",
    "paint.js",
    "content.js",
    "overlay.css",
    "popup.js",
    "popup.css",
)
# Chromium only: the engine's offscreen document and the sandbox page in it where Pyodide runs the static
# page's engine.py, and what they and the popup need from the built site (the popup runs the page's
# shell.js and style). Firefox has no manifest sandbox pages, so it gets none of this (no Python).
ENGINE_FILES = ("offscreen.html", "offscreen.js", "sandbox.html", "sandbox.js")
SITE_FILES_FOR_ENGINE = (
    "shell.js",
    "engine.py",
    "pyscript.json",
    "style.css",
    "data/carriers.json",
)
# The checklist steps that fit a kind of carrier page, best first: the overlay marks the first one the
# checklist has (on a transfer-PIN page: get the port-out credentials, or else the port itself).
PAGE_STEPS: dict[str, list[str]] = {
    "transfer_pin": ["get_port_credentials", "port_out"],
    "cancel": ["cancel", "let_lapse"],
    "billing": ["pay_device_balance", "turn_off_autopay"],
}
ICON_SIZES = (16, 32, 48, 128)


def host_patterns(domains: list[str]) -> list[str]:
    """Match patterns for the official domains: https://*.d/* covers d itself and its subdomains.
    Only reviewed carrier-owned domains get a pattern: a data change cannot widen the permissions."""
    from simexit.sourcing import REVIEWED_DOMAINS

    unreviewed = sorted(set(domains) - REVIEWED_DOMAINS)
    if unreviewed:
        raise BuildError(
            "host permissions refused for domains not on the reviewed list (sourcing.REVIEWED_DOMAINS): "
            + ", ".join(unreviewed)
        )
    return [f"https://*.{d}/*" for d in sorted(set(domains))]


def detect_index(carriers: dict[str, Any]) -> dict[str, Any]:
    """What the service worker's detect.js needs, in detect.detect's order: domains and page patterns
    per carrier (from carriers/*.toml), names for the badge, and the step each page kind fits."""
    return {
        "carriers": [
            {
                "id": c.id,
                "name": {"en": c.name.en, "zh": c.name.zh},
                "domains": list(c.domains),
                "pages": [
                    {"host": p.host, "path": p.path, "kind": p.kind, "title": p.title} for p in c.pages
                ],
            }
            for c in carriers.values()
        ],
        "page_steps": PAGE_STEPS,
    }


def merged(base: Any, over: Any) -> Any:
    """`over` laid over `base`: dicts merge key by key, a None value removes the key."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    out = dict(base)
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merged(base.get(key), value)
    return out


def _without_comments(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_comments(v) for k, v in value.items() if not k.startswith("//")}
    return value


def manifest_for(
    browser: str, domains: dict[str, list[str]], version: str, src: Path = MANIFEST
) -> dict[str, Any]:
    """manifest/manifest.json (plus manifest/firefox.json for Firefox) with the generated parts;
    `domains` are each carrier's official domains, by carrier id."""
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    if browser == "firefox":
        manifest = merged(manifest, json.loads((src / "firefox.json").read_text(encoding="utf-8")))
    manifest = _without_comments(manifest)
    patterns = host_patterns([d for ds in domains.values() for d in ds])
    manifest["version"] = version
    manifest["host_permissions"] = patterns
    for script in manifest["content_scripts"]:
        script["matches"] = patterns
    # Each carrier's overlay frame page may be embedded by that carrier's own pages and no others
    # (content.js finds its page by these patterns).
    manifest["web_accessible_resources"] = [
        {"resources": [overlay_page_path(cid)], "matches": host_patterns(ds)}
        for cid, ds in sorted(domains.items())
        if ds
    ]
    return manifest


def overlay_page_path(carrier_id: str) -> str:
    return f"overlay/{carrier_id}.html"


# The overlay frame's one script, overlay/frame.js: these files of manifest/, joined in this order (each
# is a strict-mode function that sets one global or, last, runs the frame), so the frame waits for one
# load, not four.
OVERLAY_SCRIPTS = ("files.js", "detect.js", "paint.js", "overlay.js")


# Where manifest/overlay.html takes what the build puts in it.
OVERLAY_STYLE = '<link rel="stylesheet" href="/overlay.css">'
OVERLAY_DATA = '<script type="application/json" id="simexit-data">{}</script>'
OVERLAY_CHECKLISTS = "<!-- checklists -->"


def overlay_page(
    template: str, css: str, data: dict[str, Any], carrier_id: str, checklists: dict[str, str]
) -> str:
    """One carrier's overlay frame page from the template: overlay.css inlined, the data block filled
    (`data`: the detection index and the UI strings) and the carrier's prerendered checklist in each
    language (`checklists`, {lang: html}) as an inert <template>, so the frame needs no fetch to paint.
    Everything inlined is the build's own output; it is checked not to end its element early."""
    for marker in (OVERLAY_STYLE, OVERLAY_DATA, OVERLAY_CHECKLISTS):
        if template.count(marker) != 1:
            raise BuildError(f"manifest/overlay.html must hold {marker!r} exactly once")
    if "</style" in css.lower():
        raise BuildError("overlay.css must not hold '</style'")
    for lang, html in checklists.items():
        if "</template" in html.lower():
            raise BuildError(f"the prerendered {carrier_id}.{lang} checklist holds '</template'")
    # In a data block only "</script" (or "<!--") could end it early: no "<" is left as is.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    templates = "\n".join(
        f'<template id="checklist-{lang}" data-carrier="{carrier_id}">\n{html}\n</template>'
        for lang, html in checklists.items()
    )
    return (
        template.replace(OVERLAY_STYLE, f"<style>\n{css}</style>")
        .replace(OVERLAY_DATA, f'<script type="application/json" id="simexit-data">{text}</script>')
        .replace(OVERLAY_CHECKLISTS, templates)
    )


def write_overlay_pages(ext: Path, site: Path, carriers: dict[str, Any]) -> None:
    """overlay/<carrier id>.html for every carrier (see overlay_page), from the prerendered checklists
    already in `site`."""
    from simexit.i18n import extension_strings

    (ext / "overlay").mkdir(exist_ok=True)
    (ext / "overlay" / "frame.js").write_text(
        "\n".join((MANIFEST / name).read_text(encoding="utf-8") for name in OVERLAY_SCRIPTS), encoding="utf-8"
    )
    template = (MANIFEST / "overlay.html").read_text(encoding="utf-8")
    css = (MANIFEST / "overlay.css").read_text(encoding="utf-8")
    data = {
        "index": detect_index(carriers),
        "strings": {lang: extension_strings(lang) for lang in ("en", "zh")},
    }
    for cid in carriers:
        checklists = {
            lang: (site / "prerender" / f"{cid}.{lang}.html").read_text(encoding="utf-8")
            for lang in ("en", "zh")
        }
        (ext / overlay_page_path(cid)).write_text(
            overlay_page(template, css, data, cid, checklists), encoding="utf-8"
        )


def _png(size: int) -> bytes:
    """The toolbar icon, drawn here so no binary is committed: a SIM card on a green square."""
    scale = 4  # supersampling for smooth edges

    def covered(x: float, y: float) -> int:
        u, v = x / size, y / size
        radius = 0.2
        cx, cy = min(max(u, radius), 1 - radius), min(max(v, radius), 1 - radius)
        if (u - cx) ** 2 + (v - cy) ** 2 > radius**2:
            return 0  # outside the rounded square
        in_card = 0.27 <= u <= 0.73 and 0.17 <= v <= 0.83 and (u - 0.73) + (0.17 - v) < -0.13
        in_chip = 0.37 <= u <= 0.63 and 0.46 <= v <= 0.72
        return 2 if in_card and not in_chip else 1

    colours = {0: (0, 0, 0, 0), 1: (11, 110, 79, 255), 2: (255, 255, 255, 255)}
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            hits = [
                colours[covered(x + (i + 0.5) / scale, y + (j + 0.5) / scale)]
                for i in range(scale)
                for j in range(scale)
            ]
            row += bytes(round(sum(h[k] for h in hits) / len(hits)) for k in range(4))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def write_strings(ext: Path, manifest: dict[str, Any]) -> None:
    """The extension's words, from the one catalogue (simexit.i18n): strings/<lang>.json for its scripts
    (files.js), and _locales/<locale>/messages.json with just the messages the manifest names
    (__MSG_x__), which only chrome.i18n can fill in. Never hand-written: a text changes in i18n.py."""
    from simexit.i18n import extension_strings

    named = sorted(set(re.findall(r"__MSG_(\w+)__", json.dumps(manifest))))
    for lang, locale in {"en": "en", "zh": "zh_CN"}.items():  # chrome.i18n's folder per language
        texts = extension_strings(lang)
        missing = [name for name in named if name not in texts]
        if missing:
            raise BuildError(f"the manifest names {missing}: add ext.<name> to py/simexit/i18n.py")
        (ext / "strings").mkdir(exist_ok=True)
        (ext / "strings" / f"{lang}.json").write_text(
            json.dumps(texts, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        messages = {name: {"message": texts[name]} for name in named}
        (ext / "_locales" / locale).mkdir(parents=True, exist_ok=True)
        (ext / "_locales" / locale / "messages.json").write_text(
            json.dumps(messages, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def fill_extension(ext: Path, site: Path, browser: str) -> None:
    """One browser's unpacked extension, from manifest/ and the files already built into `site`."""
    from simexit.catalog import load_dir

    carriers = load_dir().carriers
    manifest = manifest_for(
        browser, {c.id: list(c.domains) for c in carriers.values()}, project_metadata()["version"]
    )
    ext.mkdir(parents=True, exist_ok=True)
    (ext / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_strings(ext, manifest)
    for name in EXTENSION_FILES:
        shutil.copy2(MANIFEST / name, ext / name)
    # The popup opens on the default carrier's checklist, dated like the prerendered ones, until it
    # knows the tab's carrier.
    popup = (MANIFEST / "popup.html").read_text(encoding="utf-8")
    popup = popup.replace("{carrier}", DEFAULT_CARRIER).replace("{built}", built_day())
    (ext / "popup.html").write_text(popup, encoding="utf-8")
    (ext / "data").mkdir()
    (ext / "data" / "detect.json").write_text(
        json.dumps(detect_index(carriers), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    shutil.copytree(site / "prerender", ext / "prerender")
    write_overlay_pages(ext, site, carriers)
    (ext / "icons").mkdir()
    for size in ICON_SIZES:
        (ext / "icons" / f"{size}.png").write_bytes(_png(size))
    if "sandbox" not in manifest:
        return
    for name in ENGINE_FILES:
        shutil.copy2(MANIFEST / name, ext / name)
    for name in SITE_FILES_FOR_ENGINE:
        shutil.copy2(site / name, ext / name)
    shutil.copytree(site / "runtime" / "pyodide", ext / "runtime" / "pyodide")  # no PyScript: sandbox.js


def zip_dir(src: Path, dest: Path) -> Path:
    """A reproducible zip of `src` (sorted names, fixed dates): what a store upload takes."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in src.rglob("*") if p.is_file()):
            zi = zipfile.ZipInfo(path.relative_to(src).as_posix(), ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, path.read_bytes(), compresslevel=9)
    return dest


# ---------------------------------------------------------------- the whole build

OUTPUTS = ("web", *(f"extension-{b}" for b in BROWSERS), *(f"extension-{b}.zip" for b in BROWSERS))


def build(out: Path, cache: Path) -> list[Path]:
    """Build everything in a staging directory; <out>'s outputs are replaced only when every step
    succeeded."""
    verified_runtime()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    staging.chmod(0o755)  # mkdtemp makes it private; a static server may run as another user
    try:
        site = staging / "web"
        site.mkdir()
        fill_site(site, cache)
        for browser in BROWSERS:
            ext = staging / f"extension-{browser}"
            fill_extension(ext, site, browser)
            zip_dir(ext, staging / f"extension-{browser}.zip")
    except BaseException:
        shutil.rmtree(staging)
        raise
    for name in OUTPUTS:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        (staging / name).rename(target)
    staging.rmdir()
    return [out / name for name in OUTPUTS]


def fill_site(site: Path, cache: Path) -> None:
    pyodide_dir = site / "runtime" / "pyodide"
    copy_pyscript(site / "runtime" / "pyscript")
    pyodide_lock, wheels = stock_runtime(pyodide_dir, cache)
    meta = project_metadata()
    own = build_simexit_wheel(pyodide_dir, meta)
    compiled = compile_runtime(
        pyodide_dir,
        [pyodide_dir / w["file"] for w in wheels] + [own],
        pyodide_lock,
        cache.parent / "bytecode",
    )
    check_bytecode({name: digest for name, digest in compiled.items() if name != own.name})
    pin_lock_entries(pyodide_lock, wheels, compiled)
    add_lock_entry(pyodide_lock, own, meta)
    page_lock = trimmed_lock(pyodide_lock, json.loads((WEB / "pyscript.json").read_text("utf-8"))["packages"])
    (pyodide_dir / "pyodide-lock.json").write_text(
        json.dumps(page_lock, separators=(",", ":")), encoding="utf-8"
    )

    write_carrier_bundle(site / "data" / "carriers.json")
    copy_page(site)
    prerender(site)
    shutil.copy2(WEB / "restore.mjs", pyodide_dir / "restore.mjs")
    take_snapshot(site)


def take_snapshot(site: Path) -> None:
    """The interpreter's memory after the engine's imports, for runtime/pyodide/restore.mjs: made by
    web/snapshot.mjs with the site's own Pyodide, wheels, data and engine.py under Node."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("node not found: install Node.js (Debian: apt-get install -y nodejs npm)")
    if subprocess.run([node, str(WEB / "snapshot.mjs"), str(site.resolve())], cwd=WEB).returncode != 0:
        raise BuildError("taking the memory snapshot failed (see Node's message above)")


def summary(path: Path) -> str:
    if path.is_file():
        return f"{path}: {path.stat().st_size / 1e6:.1f} MB"
    files = [p for p in path.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1e6
    return f"{path}: {len(files)} files, {size:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m simexit.build", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "dist", help="output directory (default: dist)")
    p.add_argument(
        "--cache",
        type=Path,
        default=ROOT / "build" / "wheels",
        help="verified wheel cache (default: build/wheels)",
    )
    p.add_argument(
        "--update-runtime-lock",
        action="store_true",
        help="after a reviewed change of web/package-lock.json: npm ci, then record the shipped files' hashes",
    )
    args = p.parse_args(argv)
    if args.update_runtime_lock:
        npm_ci()
        RUNTIME_LOCK.write_text(
            json.dumps(runtime_hashes(), indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {RUNTIME_LOCK}")
        record_bytecode(args.cache.resolve())
        print(f"wrote {BYTECODE_LOCK}")
        return 0
    started = time.monotonic()
    try:
        outputs = build(args.out.resolve(), args.cache.resolve())
    except BuildError as e:
        print(f"simexit.build: error: {e}", file=sys.stderr)
        return 1
    for path in outputs:
        print(summary(path))
    print(f"built in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
