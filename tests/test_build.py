"""The build's safety checks: pinned hashes enforced, reproducible simexit wheel, prerendered pages."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from simexit import build
from simexit.catalog import carrier_ids

from conftest import ROOT


def test_tampered_wheel_stops_the_build(tmp_path):
    wheel = tmp_path / "pydantic-2.14.3-py3-none-any.whl"
    wheel.write_bytes(b"not the pinned file")
    pinned = next(w for w in build.read_wheels_lock() if w["name"] == "pydantic")
    with pytest.raises(build.BuildError, match=r"sha256 mismatch for pydantic-2\.14\.3-py3-none-any\.whl"):
        build.check_hash(wheel, pinned["sha256"], "cache", "Delete it.")


def test_every_pinned_wheel_has_a_sha256_and_matches_the_dev_lock():
    dev_lock = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    for wheel in build.read_wheels_lock():
        assert len(wheel["sha256"]) == 64 and int(wheel["sha256"], 16) >= 0
        if wheel["file"].endswith("-py3-none-any.whl"):  # pure wheels are the same file on CPython
            assert f"--hash=sha256:{wheel['sha256']}" in dev_lock, wheel["file"]


def test_lock_entries_point_at_the_vendored_wheels():
    lock = {
        "packages": {
            w["lock_key"]: {"version": "0", "file_name": "old.whl", "sha256": "0"}
            for w in build.read_wheels_lock()
        }
    }
    compiled = {w["file"]: f"compiled-{w['file']}" for w in build.read_wheels_lock()}
    build.pin_lock_entries(lock, build.read_wheels_lock(), compiled)
    for w in build.read_wheels_lock():
        assert lock["packages"][w["lock_key"]]["file_name"] == w["file"]
        assert lock["packages"][w["lock_key"]]["sha256"] == f"compiled-{w['file']}"  # what is shipped
    with pytest.raises(build.BuildError, match=r"not in pyodide-lock\.json"):
        build.pin_lock_entries({"packages": {}}, build.read_wheels_lock(), compiled)


def test_the_page_lock_keeps_only_what_the_page_loads():
    lock = {
        "info": {"python": "3.14.2"},
        "packages": {
            "simexit": {"depends": ["pydantic"]},
            "pydantic": {"depends": ["pydantic_core", "typing-extensions"]},
            "pydantic-core": {"depends": []},
            "typing-extensions": {"depends": []},
            "numpy": {"depends": []},
        },
    }
    trimmed = build.trimmed_lock(lock, ["pydantic", "simexit"])
    assert sorted(trimmed["packages"]) == ["pydantic", "pydantic-core", "simexit", "typing-extensions"]
    assert trimmed["info"] == lock["info"]


def test_the_browser_wheel_carries_the_project_urls(tmp_path):
    """The page finds the public issue tracker ("report a wrong fact") in the wheel's metadata."""
    meta = {**build.project_metadata(), "urls": {"Issues": "https://example.org/simexit/issues"}}
    wheel = build.build_simexit_wheel(tmp_path, meta)
    info = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(info).decode()
    assert "Project-URL: Issues, https://example.org/simexit/issues\n" in text


def test_simexit_wheel_is_reproducible_and_leaves_the_build_tool_out(tmp_path):
    meta = build.project_metadata()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = build.build_simexit_wheel(tmp_path / "a", meta)
    two = build.build_simexit_wheel(tmp_path / "b", meta)
    assert hashlib.sha256(one.read_bytes()).digest() == hashlib.sha256(two.read_bytes()).digest()
    names = zipfile.ZipFile(one).namelist()
    assert "simexit/assess.py" in names and "simexit/build.py" not in names
    assert "simexit/cli.py" in names


def test_prerender_writes_every_carrier_in_both_languages(tmp_path):
    build.prerender(tmp_path)
    fragments = sorted(p.name for p in (tmp_path / "prerender").iterdir())
    assert fragments == sorted(f"{cid}.{lang}.html" for cid in carrier_ids() for lang in ("en", "zh"))
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'data-testid="checklist"' in index and 'data-carrier="tmobile"' in index
    assert "{app}" not in index and "{style}" not in index and '<html lang="en">' in index
    assert 'src="./boot.js"' in index and "{boot}" not in index
    # No preload hints for the runtime: the engine's worker, started first thing, fetches it; hints
    # made the first paint later (~200 -> ~150 ms cold) and gained nothing measurable.
    assert 'rel="preload"' not in index
    assert "modulepreload" not in index.replace('"modulepreload" href="./runtime/pyscript/core.js"', "")


def test_the_shipped_runtime_matches_its_committed_hashes(tmp_path):
    """Every npm file the build ships is checked against web/runtime.lock.json at every build, so a
    tampered node_modules is caught even when its package versions look right (F12)."""
    import shutil

    from simexit import build

    assert build.runtime_mismatches() == []  # what `make build` just verified
    copy = tmp_path / "node_modules"
    for f in build.shipped_npm_files():
        dest = copy / f.relative_to(build.NODE_MODULES)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dest)
    assert build.runtime_mismatches(copy) == []
    core = copy / "@pyscript" / "core" / "dist" / "core.js"
    core.write_text(core.read_text(encoding="utf-8") + "\n// injected\n", encoding="utf-8")
    (copy / "pyodide" / "python_stdlib.zip").unlink()
    assert build.runtime_mismatches(copy) == ["@pyscript/core/dist/core.js", "pyodide/python_stdlib.zip"]


# ---------------------------------------------------------------- the memory snapshot

RUNTIME = ROOT / "dist" / "web" / "runtime" / "pyodide"


def _snapshot_meta() -> dict:
    import json

    return json.loads((RUNTIME / "snapshot.json").read_text(encoding="utf-8"))


def test_the_snapshot_is_recorded_against_the_files_it_was_made_from():
    """restore.mjs trusts snapshot.json to tell a stale snapshot: what it records must be the files
    the build shipped beside it (wheels as the Pyodide lock pins them, the compiled module as the wheel
    holds it, engine.py and the data as the page fetches them)."""
    import gzip
    import json

    meta = _snapshot_meta()
    lock = json.loads((RUNTIME / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert meta["wheels"] == {p["file_name"]: p["sha256"] for p in lock["packages"].values()}
    for name, digest in meta["wheels"].items():
        assert hashlib.sha256((RUNTIME / name).read_bytes()).hexdigest() == digest, name
    native_wheel = next(n for n in meta["wheels"] if n.startswith("pydantic_core-"))
    assert all(not path.endswith(native_wheel) for path in meta["zipped"])  # linked, not zip-imported
    assert len(meta["zipped"]) == len(meta["wheels"]) - 1
    with zipfile.ZipFile(RUNTIME / native_wheel) as wheel:
        so = next(n for n in wheel.namelist() if n.endswith(".so"))
        assert meta["native"]["path"].endswith("/site-packages/" + so)
        native = gzip.decompress((RUNTIME / meta["native"]["file"]).read_bytes())
        assert native == wheel.read(so)
    assert hashlib.sha256(native).hexdigest() == meta["native"]["sha256"]
    site = ROOT / "dist" / "web"
    assert set(meta["site"]) == {"engine.py", "./data/carriers.json"}
    for name, digest in meta["site"].items():
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == digest, name
    # the standard library: FNV-1a of its central directory (every member's name, size, CRC-32, offset)
    stdlib = (RUNTIME / "python_stdlib.zip").read_bytes()
    directory = int.from_bytes(stdlib[stdlib.rindex(b"PK\x05\x06") + 16 :][:4], "little")
    fnv = 0x811C9DC5
    for byte in stdlib[directory:]:
        fnv = ((fnv ^ byte) * 0x01000193) & 0xFFFFFFFF
    major, minor = lock["info"]["python"].split(".")[:2]
    assert meta["stdlib"] == {"path": f"/lib/python{major}{minor}.zip", "fingerprint": f"{fnv:08x}"}
    image = gzip.decompress((RUNTIME / meta["snapshot"]["file"]).read_bytes())
    assert len(image) == meta["snapshot"]["bytes"] and image[-1] != 0  # trailing zeros trimmed


def test_only_the_restorer_ships_and_both_engines_load_it():
    """The page's PyScript worker and the extension's sandbox start Python through restore.mjs (which
    falls back to pyodide.mjs itself); the snapshot maker is build tooling."""
    import json

    site = ROOT / "dist" / "web"
    assert (RUNTIME / "restore.mjs").read_bytes() == (ROOT / "web" / "restore.mjs").read_bytes()
    assert not list(site.rglob("snapshot.mjs")) and not list(site.rglob("compile.mjs"))
    assert json.loads((site / "pyscript.json").read_text(encoding="utf-8"))["interpreter"] == (
        "./runtime/pyodide/restore.mjs"
    )
    assert 'version: here("./runtime/pyodide/restore.mjs")' in (site / "boot.js").read_text(encoding="utf-8")


def test_a_snapshot_that_does_not_restore_alike_stops_the_build(tmp_path):
    """web/snapshot.mjs restores its own snapshot under Node and compares the engine's answers; an
    engine whose answers differ after a restore must fail the build, not ship. Here engine.py counts
    how often it has run in this interpreter and says so: once in the interpreter the snapshot is
    taken from, twice in the restored one (the count is in the snapshot, and the page runs it again)."""
    import shutil

    site = tmp_path / "web"
    shutil.copytree(ROOT / "dist" / "web", site)
    engine = (site / "engine.py").read_text(encoding="utf-8")
    counting = engine.replace(
        "    return ENGINE.handle(client, text)",
        "    import json\n    return json.dumps(json.loads(ENGINE.handle(client, text)) + [{'runs': RUNS}])",
    )
    counting += "\nRUNS = globals().get('RUNS', 0) + 1\n"
    assert "RUNS" in counting and "[{'runs'" in counting
    (site / "engine.py").write_text(counting, encoding="utf-8")
    with pytest.raises(build.BuildError, match="memory snapshot"):
        build.take_snapshot(site)
