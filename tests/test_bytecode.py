"""Build-time byte-compilation (simexit.bytecode): sourceless, loadable, reproducible, and locked.

The logic runs here on CPython (the build runs it inside the pinned Pyodide, whose bytecode the
browser loads); the built dist/ is checked against web/bytecode.lock.json."""

from __future__ import annotations

import importlib
import json
import sys
import zipfile

import pytest

from simexit import build, bytecode

from conftest import ROOT


def _archive(tmp_path, files: dict[str, str], name="lib.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for arc, text in files.items():
            zf.writestr(arc, text)
    return path


def test_compiled_archive_imports_without_its_sources(tmp_path, monkeypatch):
    src = _archive(tmp_path, {"pkg/__init__.py": "X = 1\n", "pkg/mod.py": "from . import X\nY = X + 41\n"})
    out = tmp_path / "out.zip"
    bytecode.compile_archive(src, out, str(out) + "/")
    names = zipfile.ZipFile(out).namelist()
    assert sorted(names) == ["pkg/__init__.pyc", "pkg/mod.pyc"]  # no source is shipped
    monkeypatch.syspath_prepend(str(out))
    monkeypatch.delitem(sys.modules, "pkg", raising=False)
    mod = importlib.import_module("pkg.mod")
    try:
        assert mod.Y == 42 and mod.__file__.endswith("mod.pyc")
    finally:
        sys.modules.pop("pkg.mod", None)
        sys.modules.pop("pkg", None)


def test_compilation_is_reproducible_and_keeps_what_it_cannot_compile(tmp_path):
    src = _archive(tmp_path, {"a.py": "A = 1\n", "bad.py": "def (:\n", "data.txt": "x"})
    one, two = tmp_path / "1.zip", tmp_path / "2.zip"
    bytecode.compile_archive(src, one, "/lib/")
    bytecode.compile_archive(src, two, "/lib/")
    assert one.read_bytes() == two.read_bytes()
    assert sorted(zipfile.ZipFile(one).namelist()) == ["a.pyc", "bad.py", "data.txt"]
    header = zipfile.ZipFile(one).read("a.pyc")[:8]
    assert header[4:8] == (0b01).to_bytes(4, "little")  # hash-based, unchecked: no timestamp


def test_a_wheel_record_lists_the_compiled_files(tmp_path):
    src = _archive(
        tmp_path,
        {
            "m/__init__.py": "",
            "m-1.dist-info/METADATA": "Name: m\n",
            "m-1.dist-info/RECORD": "m/__init__.py,,\n",
        },
        "m-1-py3-none-any.whl",
    )
    out = tmp_path / "m.whl"
    bytecode.compile_archive(src, out, "/lib/site/")
    record = zipfile.ZipFile(out).read("m-1.dist-info/RECORD").decode()
    assert "m/__init__.pyc,sha256=" in record and "m/__init__.py," not in record
    assert record.endswith("m-1.dist-info/RECORD,,\n")


def test_compiled_files_that_differ_from_the_lock_stop_the_build(tmp_path):
    lock = tmp_path / "bytecode.lock.json"
    lock.write_text(json.dumps({"python_stdlib.zip": "a" * 64}), encoding="utf-8")
    build.check_bytecode({"python_stdlib.zip": "a" * 64}, lock)
    with pytest.raises(build.BuildError, match=r"python_stdlib\.zip.*--update-runtime-lock"):
        build.check_bytecode({"python_stdlib.zip": "b" * 64}, lock)
    with pytest.raises(build.BuildError, match=r"extra\.whl"):
        build.check_bytecode({"python_stdlib.zip": "a" * 64, "extra.whl": "c" * 64}, lock)


def test_the_built_runtime_is_compiled_as_locked():
    """What `make build` shipped: the locked bytecode, and the Pyodide lock pointing at it."""
    pyodide_dir = ROOT / "dist" / "web" / "runtime" / "pyodide"
    expected = json.loads((ROOT / "web" / "bytecode.lock.json").read_text(encoding="utf-8"))
    for name, digest in expected.items():
        assert build.sha256_of(pyodide_dir / name) == digest, name
    stdlib = zipfile.ZipFile(pyodide_dir / "python_stdlib.zip").namelist()
    assert "json/__init__.pyc" in stdlib and "json/__init__.py" not in stdlib
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert "numpy" not in lock["packages"]  # trimmed to what the page loads
    shipped = {entry["file_name"]: entry["sha256"] for entry in lock["packages"].values()}
    for name in expected.keys() - {"python_stdlib.zip"}:
        assert shipped[name] == expected[name]
    own = next(e for e in lock["packages"].values() if e["name"] == "simexit")
    assert build.sha256_of(pyodide_dir / own["file_name"]) == own["sha256"]
    assert "simexit/assess.pyc" in zipfile.ZipFile(pyodide_dir / own["file_name"]).namelist()
