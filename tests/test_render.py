"""Renderers: everything escaped, every citation resolvable, both languages, ticks restored."""

from __future__ import annotations

import re
from html import escape
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


def _step_rows(html: str) -> list[str]:
    return html.split('<ol class="checklist">', 1)[1].split("</ol>", 1)[0].split("<li ")[1:]


def test_each_step_is_one_line_with_its_details_folded(catalog):
    """Title, deadline and tick stay on the line; the how-to, sources and check date are folded."""
    from datetime import date

    s = Situation(carrier="tmobile", bill_day=15, leave_date=date(2099, 12, 31), today=date(2099, 11, 1))
    a = assess(catalog.get("tmobile"), s, catalog.common)
    rows = _step_rows(to_html(a))
    assert len(rows) == len(a.steps)
    for step, row in zip(a.steps, rows, strict=True):
        line, folded = row.split('<details class="more">', 1)
        assert 'data-tick="' in line and escape(step.title) in line
        assert escape(step.detail.split("\n")[0]) in folded and 'class="checked"' in folded
        assert escape(step.detail.split("\n")[0]) not in line
        if step.deadline:
            assert f"Do this by {step.deadline}" in line
    assert any(st.deadline for st in a.steps)


def test_an_old_fact_is_marked_on_its_line_not_only_in_its_details(tmobile):
    later = tmobile.model_copy(update={"as_of": max(s.checked for s in tmobile.sources).replace(year=2099)})
    for row in _step_rows(to_html(later)):
        line, _, folded = row.partition("<details")
        assert 'data-stale="true"' in line and folded


def test_reference_sections_share_one_fold_and_warnings_stay_in_view(tmobile):
    html = to_html(tmobile)
    reference = html.split('id="sec-reference"', 1)[1]
    for key in ("myths", "legal", "glossary", "sources"):
        assert f'id="sec-{key}"' in reference
    warnings = html.split('<section class="warnings"', 1)[1].split("</section>", 1)[0]
    for w in tmobile.warnings:  # the warning text is on its line, only its sources are folded
        assert escape(w.text) in "".join(re.split(r"<details.*?</details>", warnings))


def test_the_printout_starts_with_carrier_plan_and_date(catalog):
    from datetime import date

    s = Situation(carrier="tmobile", lang="zh", today=date(2099, 3, 4))
    html = to_html(assess(catalog.get("tmobile"), s, catalog.common))
    first = html.split("\n", 1)[0]
    assert first.startswith('<h1 class="print-only"')
    assert "T-Mobile" in first and "后付费" in first and "2099-03-04" in first
