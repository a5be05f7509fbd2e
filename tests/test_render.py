"""Renderers: everything escaped, every citation resolvable, both languages, ticks restored."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from simexit.assess import assess
from simexit.models import Situation
from simexit.render import to_html, to_markdown, to_text

from conftest import has_cjk

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.hrefs, self.text = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.hrefs.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def tmobile(catalog):
    return assess(catalog.get("tmobile"), Situation(carrier="tmobile", device_balance_usd=99), catalog.common)


def poisoned(a):
    """The same assessment with hostile text in every free-text field."""
    return a.model_copy(
        update={
            "online_note": EVIL,
            "steps": [s.model_copy(update={"title": EVIL, "detail": EVIL + "\n" + EVIL}) for s in a.steps],
            "warnings": [w.model_copy(update={"text": EVIL}) for w in a.warnings],
            "channels": [
                c.model_copy(update={"path": EVIL, "note": EVIL, "url": "javascript:alert(3)"})
                for c in a.channels
            ],
            "sources": [s.model_copy(update={"title": EVIL}) for s in a.sources],
        }
    )


def test_html_escapes_everything(tmobile):
    html = to_html(poisoned(tmobile))
    parsed = Collect()
    parsed.feed(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "<script>" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert EVIL in "".join(parsed.text)  # shown as text, intact


def test_every_citation_points_at_a_listed_source(tmobile):
    parsed = Collect()
    parsed.feed(to_html(tmobile))
    anchors = [h[1:] for h in parsed.hrefs if h.startswith("#")]
    assert anchors and all(a in parsed.ids for a in anchors)
    assert {f"src-{s.id}" for s in tmobile.sources} <= parsed.ids


def test_ticks_are_restored_by_step_kind(tmobile):
    html = to_html(tmobile, frozenset({"port_out"}))
    assert html.count('" checked>') == 1
    assert 'data-tick="port_out" checked' in html


def test_unknowns_are_shown_as_unknown(catalog):
    a = assess(catalog.get("spectrum"), Situation(carrier="spectrum"), catalog.common)
    html = to_html(a)
    assert a.unknowns
    assert html.count('<span class="unknown">unknown</span>') >= len(a.unknowns)
    assert 'data-verdict="unknown"' in html


def test_chinese_html(catalog):
    a = assess(catalog.get("tmobile"), Situation(carrier="tmobile", lang="zh"), catalog.common)
    parsed = Collect()
    parsed.feed(to_html(a))
    headings = "".join(parsed.text)
    assert "能在网上取消吗？" in headings and "来源" in headings and has_cjk(headings)


def test_markdown_has_ticks_and_sources(tmobile):
    md = to_markdown(tmobile, frozenset({"backup"}))
    assert md.startswith("# T-Mobile · Postpaid")
    assert "- [x] **Save what you need" in md and "- [ ] **" in md
    assert "https://www.t-mobile.com/support/account/cancel-service" in md


def test_text_headings_are_underlined_to_their_width(catalog):
    a = assess(catalog.get("tmobile"), Situation(carrier="tmobile", lang="zh"), catalog.common)
    lines = to_text(a).split("\n")
    i = lines.index("能在网上取消吗？")
    assert lines[i + 1] == "-" * 16
