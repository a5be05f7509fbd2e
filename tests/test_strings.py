"""One catalogue of UI strings: `simexit.i18n.STRINGS`. Nothing a person reads is written anywhere else.

The page and the popup's Python read the catalogue itself; the build writes from it what the extension's
scripts fetch (`strings/<lang>.json`, the `ext.` keys) and what the manifest names (`_locales/*/messages.json`).
These tests check the two languages and the generated files, and scan every script and HTML page the page
and the extension ship for words of their own: a JavaScript string literal (read with ESLint's parser,
espree) or an HTML text node or shown attribute fails if it holds Chinese, reads as prose, or is put
straight on screen (`el.textContent = "…"`), unless it is only the name "simexit" (the same in both
languages) or listed in ALLOWED with the reason it is not shown.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simexit.i18n import extension_strings
from simexit.models import PageKind

from conftest import ROOT

WEB = ROOT / "web"
SHIPPED_JS = sorted([*(ROOT / "manifest").glob("*.js"), *WEB.glob("*.js")])
SHIPPED_HTML = sorted([*(ROOT / "manifest").glob("*.html"), WEB / "index.html"])
# Python that writes the page's markup: its words come from the catalogue through i18n.t.
PAGE_PYTHON = [ROOT / "py" / "simexit" / name for name in ("session.py", "page.py", "render.py")]
BRAND = "simexit"
# Chinese characters and punctuation (CJK symbols, ideographs, full-width forms).
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Two words in a row, or a capitalised word: how text for people looks, and technical strings do not.
# (\b: a unit glued to a number, "24px calc", is no word.)
PROSE = re.compile(r"\b[A-Za-z]{2,}[,.;:!?]?\s+[A-Za-z]{2,}\b|(?<![A-Za-z])[A-Z][a-z]{2,}(?![A-Za-z])")
# Where a literal goes straight on screen: `el.<prop> = "…"`, `<call>("…")`, `{title: "…"}`.
SINK_PROPS = {"textContent", "innerText", "innerHTML", "outerHTML", "title", "placeholder", "alt",
              "ariaLabel", "label", "nodeValue"}  # fmt: skip
SINK_CALLS = {"createTextNode", "alert", "confirm", "prompt", "setTitle", "setBadgeText", "append",
              "prepend", "replaceChildren", "insertAdjacentText", "before", "after", "replaceWith"}  # fmt: skip
SINK_KEYS = {"title", "text"}
SHOWN_ATTRS = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
# Technical strings that look like words, by file: {text: why it is not shown}.
REL = {"noopener noreferrer": "a link's rel attribute"}
ALLOWED: dict[str, dict[str, str]] = {
    "manifest/paint.js": REL,
    "web/boot.js": {"simexit: the engine did not start:": "a console message for developers"},
    "manifest/popup.js": {
        **REL,
        "simexit popup: the engine did not start:": "a console message for developers",
    },
    "manifest/service-worker.js": {
        "runs the assessment engine (Python) in the sandbox page it frames, once for every popup": (
            "chrome.offscreen.createDocument's justification, for the store's review; never shown"
        ),
    },
    "web/shell.js": {
        "Enter": "the KeyboardEvent.key it waits for",
        ".q, .actions, li, section": "a CSS selector: where a notice goes",
    },
    "py/simexit/session.py": {
        "、": "the Chinese list comma between carrier names in a notice (i18n.join says 'or')"
    },
}
DIRECTIVES = {"use strict"}

# Prints every string and template literal of the files named, with the four tokens before it.
TOKENS_JS = """
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const espree = createRequire(process.argv[1] + "/")("espree");
const out = [];
for (const path of process.argv.slice(2)) {
  const options = { ecmaVersion: "latest", sourceType: "module", loc: true };
  const tokens = espree.tokenize(readFileSync(path, "utf8"), options);
  tokens.forEach((tok, i) => {
    if (tok.type !== "String" && tok.type !== "Template") return;
    const before = tokens.slice(Math.max(0, i - 4), i).map((t) => t.value);
    out.push({ path, line: tok.loc.start.line, raw: tok.value, before });
  });
}
console.log(JSON.stringify(out));
"""


def js_literals(paths: list[Path]) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (WEB / "node_modules" / "espree").is_dir():
        pytest.fail("node and web/node_modules are needed: `make build` runs npm ci in web/")
    done = subprocess.run(
        [node, "--input-type=module", "-e", TOKENS_JS, str(WEB / "node_modules"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def words(text: str) -> str:
    """The text without the brand name and template fields (`${…}`, the page template's `{name}`)."""
    return re.sub(r"\{\w*\}", "", text.replace(BRAND, ""))


def shown(text: str, in_sink: bool) -> bool:
    text = words(text)
    return bool(CJK.search(text) or PROSE.search(text) or (in_sink and re.search(r"[A-Za-z]", text)))


def in_sink(before: list[str]) -> bool:
    before = ["", "", "", "", *before]
    prev = before[-2:]
    return (
        (prev[1] == "=" and prev[0] in SINK_PROPS)
        or (prev[1] == "(" and prev[0] in SINK_CALLS)
        or (prev[1] == ":" and prev[0] in SINK_KEYS)
        or (
            before[-4:-2] == ["setAttribute", "("]
            and before[-1] == ","
            and before[-2].strip("\"'") in SHOWN_ATTRS
        )
    )


def js_text(raw: str) -> str:
    """A literal's text: quotes, backticks and the `${` `}` around a template's parts taken off."""
    if raw[0] in "\"'":
        return raw[1:-1]
    return raw.removeprefix("`").removeprefix("}").removesuffix("`").removesuffix("${")


def js_findings(paths: list[Path], root: Path = ROOT) -> list[str]:
    found = []
    for lit in js_literals(paths):
        path = Path(lit["path"]).relative_to(root).as_posix()
        text = js_text(lit["raw"])
        if text in DIRECTIVES and lit["raw"][0] != "`":
            continue
        if shown(text, in_sink(lit["before"])) and text not in ALLOWED.get(path, {}):
            found.append(f"{path}:{lit['line']}: {text!r}")
    return found


NOT_SHOWN = ("script", "style", "py-config", "mpy-config")  # code, style, PyScript's configs (JSON, hidden)


class _Texts(HTMLParser):
    """Text nodes (not in NOT_SHOWN) and the attributes a browser shows, with their line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[int, str]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in NOT_SHOWN
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and (name in SHOWN_ATTRS or (name == "content" and attrs.get("name") == "description")):
                self.texts.append((self.getpos()[0], value))

    def handle_endtag(self, tag):
        self.skip -= tag in NOT_SHOWN

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append((self.getpos()[0], data.strip()))


def html_findings(paths: list[Path], root: Path = ROOT) -> list[str]:
    found = []
    for path in paths:
        parser = _Texts()
        parser.feed(path.read_text(encoding="utf-8"))
        name = path.relative_to(root).as_posix()
        for line, text in parser.texts:
            if shown(text, in_sink=True) and text not in ALLOWED.get(name, {}):
                found.append(f"{name}:{line}: {text!r}")
    return found


def python_findings(paths: list[Path], root: Path = ROOT) -> list[str]:
    """Chinese in a string of the page's Python: its words come from i18n.t (docstrings aside)."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        name = path.relative_to(root).as_posix()
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) and id(node) not in docs else None
            if isinstance(text, str) and CJK.search(text) and text not in ALLOWED.get(name, {}):
                found.append(f"{name}:{node.lineno}: {text!r}")
    return found


def test_no_user_facing_string_outside_the_catalogue():
    assert js_findings(SHIPPED_JS) + html_findings(SHIPPED_HTML) + python_findings(PAGE_PYTHON) == []


def texts(findings: list[str]) -> list[str]:
    return [f.split(": ", 1)[1] for f in findings]


def test_the_scan_finds_planted_strings(tmp_path):
    """Each kind of string the scan is for, planted in a copy of a real file, is found."""
    plants = {
        'el.textContent = "Hello";': "'Hello'",  # on screen, a capitalised word
        'el.textContent = "hello";': "'hello'",  # on screen, whatever it looks like
        "box.title = `hi ${name}`;": "'hi '",  # a template's text
        'el.setAttribute("aria-label", "close");': "'close'",
        'const note = "Turn it off here";': "'Turn it off here'",  # prose, wherever it is
        'const note = "simexit 清单";': "'simexit 清单'",  # Chinese, wherever it is
        'document.body.append("nothing");': "'nothing'",
    }
    source = (ROOT / "manifest" / "popup.js").read_text(encoding="utf-8")
    assert js_findings([ROOT / "manifest" / "popup.js"]) == []
    for line, literal in plants.items():
        planted = tmp_path / "manifest" / "popup.js"
        planted.parent.mkdir(exist_ok=True)
        planted.write_text(f"{source}\n{line}\n", encoding="utf-8")
        assert texts(js_findings([planted], root=tmp_path)) == [literal], line

    page = (ROOT / "manifest" / "overlay.html").read_text(encoding="utf-8")
    for tag, text in (("<p>Hello</p>", "'Hello'"), ('<button title="close"></button>', "'close'")):
        planted = tmp_path / "manifest" / "overlay.html"
        planted.write_text(page.replace("</body>", f"{tag}</body>"), encoding="utf-8")
        assert texts(html_findings([planted], root=tmp_path)) == [text], tag

    planted = tmp_path / "py" / "simexit" / "session.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(f'{PAGE_PYTHON[0].read_text(encoding="utf-8")}\nnotice = "已复制"\n', encoding="utf-8")
    assert texts(python_findings([planted], root=tmp_path)) == ["'已复制'"]


def test_technical_strings_pass():
    for text in ("input[data-tick]", ':scope > details', "simexit.v1", "DOMContentLoaded", "0 6px 24px rgb(0 0 0)",
                 "overlay_title", "text/html", "simexit", "✓", "·"):  # fmt: skip
        assert not shown(text, in_sink=False), text
    assert not shown("simexit", in_sink=True) and not shown(" · ", in_sink=True)


def test_the_extension_has_each_string_it_uses_and_uses_each_it_has():
    en, zh = extension_strings("en"), extension_strings("zh")
    assert en.keys() == zh.keys()
    used = {"name", "description"}  # the manifest's (test_extension_build checks it names just these)
    for script in (ROOT / "manifest").glob("*.js"):
        used |= set(re.findall(r'"((?:overlay|popup|page)_[a-z_]+)"', script.read_text(encoding="utf-8")))
    used |= {f"page_{kind}" for kind in PageKind.__args__} | {"page_other"}  # `page_${kind}`
    assert used == en.keys()
