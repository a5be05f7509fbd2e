"""Byte-compile Python archives once at build time, so the browser never compiles source at start-up.

The npm Pyodide ships its standard library and PyPI wheels ship their modules as source only, and
Pyodide cannot cache bytecode between visits: every page load compiled each module it imported
again. Run inside the pinned Pyodide (by web/compile.mjs, from `simexit.build`), so the bytecode
matches the browser's interpreter; stdlib only, so it also runs on CPython for the tests.

Each `x.py` becomes `x.pyc` in place (the sourceless layout both zipimport and the path finder load),
as an unchecked hash-based pyc: no timestamp, so the same archive always gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import marshal
import sys
import zipfile
from pathlib import Path

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
RECORD_SUFFIX = ".dist-info/RECORD"


def pyc(source: bytes, filename: str) -> bytes:
    """An unchecked hash-based .pyc (PEP 552): the loader trusts it without reading any source."""
    code = compile(source, filename, "exec", dont_inherit=True)
    flags = 0b01  # hash-based, check_source off
    header = importlib.util.MAGIC_NUMBER + flags.to_bytes(4, "little") + importlib.util.source_hash(source)
    return header + marshal.dumps(code)


def compiled_entries(archive: bytes, prefix: str) -> dict[str, bytes]:
    """Every member of a zip archive, with each compilable .py replaced by its .pyc. `prefix` is where
    the archive's names will live in the browser (shown in tracebacks)."""
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            data = zf.read(info)
            if info.filename.endswith(".py"):
                try:
                    out[info.filename[:-3] + ".pyc"] = pyc(data, prefix + info.filename)
                    continue
                except (SyntaxError, ValueError):
                    pass  # e.g. test data written to be invalid: shipped as it was
            out[info.filename] = data
    return out


def _record(entries: dict[str, bytes], record_name: str) -> bytes:
    """A wheel's RECORD for its new members (installers and importlib.metadata read it)."""
    lines = []
    for name, data in entries.items():
        if name == record_name:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}\n")
    return ("".join(lines) + f"{record_name},,\n").encode()


def write_zip(entries: dict[str, bytes]) -> bytes:
    """A reproducible zip: the given order, fixed dates and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def compile_archive(src: Path, dest: Path, prefix: str) -> None:
    """Compile the stdlib zip or a wheel (whose RECORD is rewritten to list the .pyc files)."""
    entries = compiled_entries(src.read_bytes(), prefix)
    for name in entries:
        if name.endswith(RECORD_SUFFIX):
            entries[name] = _record(entries, name)
    dest.write_bytes(write_zip(entries))


def main(argv: list[str]) -> None:
    """compile SRC DEST PREFIX [SRC DEST PREFIX ...]"""
    for i in range(0, len(argv), 3):
        compile_archive(Path(argv[i]), Path(argv[i + 1]), argv[i + 2])


if __name__ == "__main__":
    main(sys.argv[1:])
