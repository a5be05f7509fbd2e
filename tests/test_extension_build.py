"""The built extensions (dist/extension-*): manifests generated from the carrier data with the least
permissions, a stable Chromium id, both languages, reproducible zips under the size target, and
`web-ext lint` on the Firefox build."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from simexit import build
from simexit.i18n import extension_strings, t
from simexit.models import PageKind

from conftest import ROOT

DIST = ROOT / "dist"
MANIFEST_SRC = ROOT / "manifest"
# The Chromium zip carries both ways to start Python: the memory snapshot (about 10 MB gzipped), which
# starts the engine in about a third of the time, and the wheels the normal boot falls back to.
MAX_ZIP_BYTES = 25_000_000
EXTENSION_PAGES_CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"


def built(browser: str) -> Path:
    path = DIST / f"extension-{browser}"
    if not (path / "manifest.json").is_file():
        pytest.fail(f"{path} is not built: run `make build` first")
    return path


def manifest(browser: str) -> dict:
    return json.loads((built(browser) / "manifest.json").read_text(encoding="utf-8"))


def extension_id(key: str) -> str:
    """Chromium's id for a manifest key: the first 128 bits of the key's sha256, in letters a-p."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def official_patterns(catalog) -> list[str]:
    domains = {d for c in catalog.carriers.values() for d in c.domains}
    return sorted(f"https://*.{d}/*" for d in domains)


@pytest.mark.parametrize("target", build.BROWSERS)
def test_matches_and_permissions_come_from_the_official_domains(catalog, target):
    m = manifest(target)
    patterns = official_patterns(catalog)
    assert m["host_permissions"] == patterns
    assert [s["matches"] for s in m["content_scripts"]] == [patterns]
    # Chromium also opens the engine's offscreen document (docs/permissions.md); Firefox has none.
    assert m["permissions"] == (["storage", "offscreen"] if target == "chromium" else ["storage"])
    text = json.dumps(m)
    assert "<all_urls>" not in text and "*://*/*" not in text and "http://" not in text
    # Only the overlay's frame pages, each only for its own carrier's pages: no other site can embed one
    # or probe it, and one carrier's site cannot load another's.
    assert m["web_accessible_resources"] == [
        {"resources": [f"overlay/{cid}.html"], "matches": sorted(f"https://*.{d}/*" for d in c.domains)}
        for cid, c in sorted(catalog.carriers.items())
    ]
    assert m["content_security_policy"]["extension_pages"] == EXTENSION_PAGES_CSP
    assert m["manifest_version"] == 3
    assert m["version"] == build.project_metadata()["version"]


def test_chromium_sandbox_is_the_only_place_that_may_eval():
    m = manifest("chromium")
    assert m["sandbox"] == {"pages": ["sandbox.html"]}
    sandbox_csp = m["content_security_policy"]["sandbox"]
    assert "'unsafe-eval'" in sandbox_csp  # Pyodide makes functions of compiled modules' JS snippets
    assert "'unsafe-eval'" not in m["content_security_policy"]["extension_pages"]
    directives = {d.split()[0]: " ".join(d.split()[1:]) for d in sandbox_csp.split(";") if d.strip()}
    assert directives["default-src"] == "'none'"  # nothing but scripts and fetches of its own files
    for directive in sandbox_csp.split(";"):  # nothing remote: only the extension's own files
        sources = directive.split()[1:]
        assert not any(re.match(r"^(https?:|\*|data:|blob:)", s) for s in sources)
    assert "connect-src 'self'" in sandbox_csp
    # It shows nothing and opens nothing (the popup does that): scripts only, no same-origin.
    assert sandbox_csp.startswith("sandbox allow-scripts;")


def test_chromium_id_is_pinned_by_the_committed_public_key():
    m = manifest("chromium")
    template = json.loads((MANIFEST_SRC / "manifest.json").read_text(encoding="utf-8"))
    assert m["key"] == template["key"]
    assert extension_id(m["key"]) == "kphhnloodpianabahpklekdcccemdmdh"
    assert "PRIVATE" not in "".join(
        p.read_text(encoding="utf-8", errors="ignore") for p in MANIFEST_SRC.rglob("*") if p.is_file()
    )


def test_firefox_manifest_differs_only_where_firefox_needs_it():
    chromium, firefox = manifest("chromium"), manifest("firefox")
    differing = {k for k in chromium.keys() | firefox.keys() if chromium.get(k) != firefox.get(k)}
    assert differing == {
        "key",
        "permissions",
        "minimum_chrome_version",
        "sandbox",
        "background",
        "browser_specific_settings",
        "content_security_policy",
    }
    assert firefox["background"] == {"scripts": ["detect.js", "files.js", "service-worker.js"]}
    assert firefox["content_security_policy"] == {"extension_pages": EXTENSION_PAGES_CSP}
    assert firefox["browser_specific_settings"]["gecko"]["id"]
    assert firefox["permissions"] == ["storage"]  # no offscreen documents in Firefox
    assert not (built("firefox") / "runtime").exists()  # no Python in Firefox's popup: no runtime
    assert not (built("firefox") / "offscreen.html").exists()


@pytest.mark.parametrize("target", build.BROWSERS)
def test_every_file_the_manifest_names_exists(target):
    m, root = manifest(target), built(target)
    named = [*m["icons"].values(), *m["action"]["default_icon"].values(), m["action"]["default_popup"]]
    named += [f for s in m["content_scripts"] for f in s["js"]]
    named += [*m["background"].get("scripts", []), m["background"].get("service_worker", "popup.html")]
    named += m.get("sandbox", {}).get("pages", [])
    named += [r for w in m["web_accessible_resources"] for r in w["resources"]]
    assert [n for n in named if not (root / n).is_file()] == []
    for lang in ("en", "zh"):
        for cid in json.loads((root / "data" / "detect.json").read_text(encoding="utf-8"))["carriers"]:
            assert (root / "prerender" / f"{cid['id']}.{lang}.html").is_file()


@pytest.mark.parametrize("target", build.BROWSERS)
def test_strings_and_locales_are_generated_from_the_catalogue(target):
    """The build writes the extension's words from simexit.i18n: strings/<lang>.json for its scripts, and
    _locales with just the messages the manifest names (no hand-written copy in manifest/)."""
    assert not (MANIFEST_SRC / "_locales").exists()
    root = built(target)
    named = set(re.findall(r"__MSG_(\w+)__", json.dumps(manifest(target))))
    assert named == {"name", "description"}
    for lang, locale in (("en", "en"), ("zh", "zh_CN")):
        texts = json.loads((root / "strings" / f"{lang}.json").read_text(encoding="utf-8"))
        assert texts == extension_strings(lang)
        messages = json.loads((root / "_locales" / locale / "messages.json").read_text(encoding="utf-8"))
        assert messages == {name: {"message": texts[name]} for name in sorted(named)}
        assert len(texts["name"]) <= 75 and len(texts["description"]) <= 132  # the stores' limits
    assert sorted(p.name for p in (root / "_locales").iterdir()) == ["en", "zh_CN"]


def test_a_manifest_message_missing_from_the_catalogue_stops_the_build(tmp_path):
    with pytest.raises(build.BuildError, match="nope"):
        build.write_strings(tmp_path, {"name": "__MSG_name__", "short_name": "__MSG_nope__"})


def test_page_steps_name_real_page_kinds_and_steps():
    for kind, steps in build.PAGE_STEPS.items():
        assert kind in PageKind.__args__
        for step in steps:
            assert t(f"step.{step}", "en") != f"step.{step}", step


def test_detect_index_is_the_carrier_data(catalog):
    index = json.loads((built("chromium") / "data" / "detect.json").read_text(encoding="utf-8"))
    assert index == json.loads(json.dumps(build.detect_index(catalog.carriers)))
    assert [c["id"] for c in index["carriers"]] == list(catalog.carriers)


@pytest.mark.parametrize("target", build.BROWSERS)
def test_zip_holds_the_unpacked_build_and_fits_the_size_target(target):
    root, archive = built(target), DIST / f"extension-{target}.zip"
    assert archive.stat().st_size <= MAX_ZIP_BYTES
    names = zipfile.ZipFile(archive).namelist()
    assert sorted(names) == sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert "manifest.json" in names


def test_zip_is_reproducible(tmp_path):
    root = built("firefox")
    one = build.zip_dir(root, tmp_path / "one.zip")
    two = build.zip_dir(root, tmp_path / "two.zip")
    assert one.read_bytes() == two.read_bytes()


def scripts_of(html: str) -> list[str]:
    return re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)


def test_engine_pages_run_only_their_own_script_and_the_page_s_engine():
    """The offscreen document runs offscreen.js (which frames sandbox.html); the sandbox page runs
    sandbox.js, which loads Pyodide and the static page's engine.py; neither shows anything."""
    root = built("chromium")
    for page, script in (("offscreen.html", "offscreen.js"), ("sandbox.html", "sandbox.js")):
        html = (root / page).read_text(encoding="utf-8")
        assert scripts_of(html) == [script], page
        assert "<script>" not in html and not re.search(r"\son[a-z]+=", html), page
    sandbox = (root / "sandbox.js").read_text(encoding="utf-8")
    assert re.findall(r'^import .* from "([^"]+)";', sandbox, re.M) == ["./runtime/pyodide/restore.mjs"]
    assert '"engine.py"' in sandbox and '"pyscript.json"' in sandbox  # the page's engine and config
    # One source for the engine and the shell: the static page's files, copied by the build.
    for name in ("engine.py", "shell.js", "pyscript.json", "style.css"):
        assert (root / name).read_bytes() == (DIST / "web" / name).read_bytes(), name
    assert (ROOT / "web" / "shell.js").read_bytes() == (root / "shell.js").read_bytes()
    # Pyodide only: PyScript (whose start-up needs the IndexedDB an opaque origin lacks) is not shipped.
    assert sorted(p.name for p in (root / "runtime").iterdir()) == ["pyodide"]


def test_popup_page_is_the_checklist_frame_with_no_engine_in_it():
    for target in build.BROWSERS:
        html = (built(target) / "popup.html").read_text(encoding="utf-8")
        assert scripts_of(html) == ["files.js", "paint.js", "popup.js"]
        assert "<iframe" not in html and "{" not in html  # the build filled in the template
        app = re.search(r'<div id="app"[^>]*>', html).group(0)
        assert f'data-carrier="{build.DEFAULT_CARRIER}"' in app and f'data-built="{build.built_day()}"' in app
    popup = (MANIFEST_SRC / "popup.js").read_text(encoding="utf-8")
    assert 'import("./shell.js")' in popup  # the page's shell, loaded only where the engine runs


def overlay_pages(root: Path) -> list[Path]:
    return sorted((root / "overlay").glob("*.html"))


def test_overlay_frame_pages_run_only_their_own_script(catalog):
    """The frame pages (overlay/<id>.html) are the only pages carrier sites may embed: each runs one script
    of the extension's own, overlay/frame.js (files.js, detect.js, paint.js and overlay.js joined), no
    inline script; and the content script on the carrier page carries no painter (nothing to paint there)."""
    joined = "\n".join((MANIFEST_SRC / name).read_text(encoding="utf-8") for name in build.OVERLAY_SCRIPTS)
    assert build.OVERLAY_SCRIPTS[-1] == "overlay.js"
    for target in build.BROWSERS:
        root, m = built(target), manifest(target)
        assert [p.stem for p in overlay_pages(root)] == sorted(catalog.carriers)
        assert (root / "overlay" / "frame.js").read_text(encoding="utf-8") == joined
        for page in overlay_pages(root):
            html = page.read_text(encoding="utf-8")
            scripts = re.findall(r"<script([^>]*)>", html)
            assert scripts == [' type="application/json" id="simexit-data"', ' src="/overlay/frame.js"'], page
            assert not re.search(r"\son[a-z]+=", html)  # no inline handler
            assert "<link" not in html  # its style is inlined
        assert [s["js"] for s in m["content_scripts"]] == [["content.js"]]
        assert not (root / "overlay.html").exists() and not (root / "overlay.js").exists()


def test_overlay_frame_page_holds_what_the_first_paint_needs(catalog):
    """A carrier's frame page brings the detection index, the UI strings and that carrier's prerendered
    checklist in both languages (the same as prerender/), so the frame fetches nothing to paint."""
    root = built("chromium")
    index = json.loads(json.dumps(build.detect_index(catalog.carriers)))
    for cid in catalog.carriers:
        html = (root / "overlay" / f"{cid}.html").read_text(encoding="utf-8")
        block = re.search(r'<script type="application/json" id="simexit-data">(.*?)</script>', html, re.S)
        data = json.loads(block.group(1))
        assert data == {"index": index, "strings": {lang: extension_strings(lang) for lang in ("en", "zh")}}
        for lang in ("en", "zh"):
            template = re.search(
                rf'<template id="checklist-{lang}" data-carrier="{cid}">\n(.*?)\n</template>', html, re.S
            )
            assert template.group(1) == (root / "prerender" / f"{cid}.{lang}.html").read_text(
                encoding="utf-8"
            )
        assert (MANIFEST_SRC / "overlay.css").read_text(encoding="utf-8") in html


def test_overlay_frame_page_inlines_nothing_that_could_end_its_element_early():
    template = (MANIFEST_SRC / "overlay.html").read_text(encoding="utf-8")
    data = {"name": "</script><script>alert(1)</script><!--"}
    page = build.overlay_page(template, "p {}", data, "x", {"en": "<p>one</p>"})
    block = re.search(r'<script type="application/json" id="simexit-data">(.*?)</script>', page, re.S)
    assert json.loads(block.group(1)) == data and "<" not in block.group(1)
    with pytest.raises(build.BuildError, match="</template"):
        build.overlay_page(template, "p {}", {}, "x", {"en": "<p>one</p></TEMPLATE><p>two</p>"})
    with pytest.raises(build.BuildError, match="</style"):
        build.overlay_page(template, "p {} </style>", {}, "x", {"en": ""})
    with pytest.raises(build.BuildError, match="exactly once"):
        build.overlay_page(template.replace(build.OVERLAY_CHECKLISTS, ""), "", {}, "x", {})


def test_no_source_map_or_remote_script_reference_ships():
    root = built("chromium")
    assert list(root.rglob("*.map")) == []
    for page in [root / "popup.html", root / "sandbox.html", root / "offscreen.html", *overlay_pages(root)]:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""\ssrc=["']?(?:https?:)?//""", html), page  # (source links are links)
        assert not re.search(r"""<link[^>]+href=["']?(?:https?:)?//""", html), page


def test_manifest_merge_removes_and_overrides():
    base = {"a": 1, "b": {"c": 2, "d": 3}, "e": [1]}
    assert build.merged(base, {"a": None, "b": {"c": None, "x": 4}, "e": [2]}) == {
        "b": {"d": 3, "x": 4},
        "e": [2],
    }


def test_icons_are_pngs_of_their_size():
    for size in build.ICON_SIZES:
        data = build._png(size)
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert int.from_bytes(data[16:20], "big") == size == int.from_bytes(data[20:24], "big")


def test_web_ext_lint_finds_no_error_in_the_firefox_build():
    web_ext = ROOT / "web" / "node_modules" / ".bin" / "web-ext"
    if not web_ext.exists() or shutil.which("node") is None:
        pytest.fail("web-ext is not installed: `make build` runs npm ci in web/")
    done = subprocess.run(
        [
            str(web_ext),
            "lint",
            "--source-dir",
            str(built("firefox")),
            "--output",
            "json",
            "--no-config-discovery",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT / "web",
        timeout=120,
    )
    report = json.loads(done.stdout)
    errors = [f"{e['code']}: {e['message']} ({e.get('file')})" for e in report["errors"]]
    assert errors == []
    print(f"\nweb-ext lint: {report['summary']}")


def test_every_copy_of_the_storage_key_is_the_one_python_uses():
    """The saved progress's key is defined once per context that cannot share a file (files.js for the
    extension's pages and worker; boot.js on the page's side), each the same as
    simexit.progress.STORAGE_KEY; nothing else spells it."""
    from simexit.progress import STORAGE_KEY

    copies = {}
    for path in [*sorted((ROOT / "manifest").glob("*.js")), *sorted((ROOT / "web").glob("*.js"))]:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r'^\s*const KEY = "([^"]*)";', text, re.M):
            copies[path.name] = m.group(1)
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
        assert code.count('"simexit.v1"') == (1 if path.name in copies else 0), path.name
    assert copies == {"files.js": STORAGE_KEY, "boot.js": STORAGE_KEY}
