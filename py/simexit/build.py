"""Build the static page: `python -m simexit.build [--out dist]` writes <out>/web/.

CPython-only tooling, never shipped to the browser. Every runtime piece is pinned and checked:
Pyodide and PyScript come from npm through web/package-lock.json (`npm ci` verifies their
integrity), the Pyodide wheels from PyPI through web/wheels.lock (sha256 verified here), and
simexit itself is zipped from this source tree into a wheel. Nothing is fetched by the page.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
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
BROWSER_EXCLUDED = {"build.py"}  # modules of simexit the browser never needs
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


def pin_lock_entries(pyodide_lock: dict[str, Any], wheels: list[dict[str, str]]) -> None:
    """Point Pyodide's own entries (older versions) at the vendored wheels."""
    for w in wheels:
        entry = pyodide_lock["packages"].get(w["lock_key"])
        if entry is None:
            raise BuildError(f"{w['lock_key']} is not in pyodide-lock.json; fix lock_key in web/wheels.lock")
        entry.update(version=w["version"], file_name=w["file"], sha256=w["sha256"])


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
    metadata = f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n{requires}"
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
    from simexit.catalog import Catalog, DataError, load_dir  # the one step needing pydantic

    try:
        bundle = load_dir().to_bundle()
        Catalog.from_bundle(bundle)  # what the browser will do; fail here rather than there
    except DataError as e:
        raise BuildError(f"invalid carrier data\n{e}") from None
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def copy_page(dest: Path, web: Path = WEB) -> None:
    for path in sorted(web.iterdir()):
        if path.is_file() and path.suffix in PAGE_SUFFIXES and path.name not in NOT_PAGE_FILES:
            shutil.copy2(path, dest / path.name)


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
            html = app_html(catalog.carriers, carrier, situation, assess(carrier, situation, catalog.common))
            (fragments / f"{cid}.{lang}.html").write_text(html, encoding="utf-8")
    template = (web / "index.html").read_text(encoding="utf-8")
    index = (
        template.replace("{style}", (web / "style.css").read_text(encoding="utf-8"))
        .replace("{html_lang}", "en")
        .replace("{carrier}", DEFAULT_CARRIER)
        .replace("{lang}", "en")
        .replace("{app}", (fragments / f"{DEFAULT_CARRIER}.en.html").read_text(encoding="utf-8"))
    )
    (site / "index.html").write_text(index, encoding="utf-8")


# ---------------------------------------------------------------- the whole build


def build(out: Path, cache: Path) -> Path:
    """Build in a staging directory that replaces <out>/web only when every step succeeded."""
    if npm_install_needed():
        npm_ci()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".web-", dir=out))
    staging.chmod(0o755)  # mkdtemp makes it private; a static server may run as another user
    try:
        fill_site(staging, cache)
    except BaseException:
        shutil.rmtree(staging)
        raise
    site = out / "web"
    if site.exists():
        shutil.rmtree(site)
    staging.rename(site)
    return site


def fill_site(site: Path, cache: Path) -> None:
    pyodide_dir = site / "runtime" / "pyodide"
    copy_pyodide(pyodide_dir)
    copy_pyscript(site / "runtime" / "pyscript")

    lock_path = pyodide_dir / "pyodide-lock.json"
    pyodide_lock = json.loads(lock_path.read_text(encoding="utf-8"))
    wheels = read_wheels_lock()
    download_wheels(wheels, cache, pip_platform_args(pyodide_lock))
    vendor_wheels(wheels, cache, pyodide_dir)
    pin_lock_entries(pyodide_lock, wheels)

    meta = project_metadata()
    add_lock_entry(pyodide_lock, build_simexit_wheel(pyodide_dir, meta), meta)
    lock_path.write_text(json.dumps(pyodide_lock, separators=(",", ":")), encoding="utf-8")

    write_carrier_bundle(site / "data" / "carriers.json")
    copy_page(site)
    prerender(site)


def summary(site: Path) -> str:
    files = [p for p in site.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1e6
    return f"{site}: {len(files)} files, {size:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m simexit.build", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "dist", help="output directory (default: dist)")
    p.add_argument(
        "--cache",
        type=Path,
        default=ROOT / "build" / "wheels",
        help="verified wheel cache (default: build/wheels)",
    )
    args = p.parse_args(argv)
    started = time.monotonic()
    try:
        site = build(args.out.resolve(), args.cache.resolve())
    except BuildError as e:
        print(f"simexit.build: error: {e}", file=sys.stderr)
        return 1
    print(f"{summary(site)}, built in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
