"""Renderers: everything escaped, every citation resolvable, both languages, ticks restored."""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simexit import report
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
    for key in ("myths", "legal", "glossary"):
        assert f'id="sec-{key}"' in reference
    assert 'id="sec-sources"' not in reference  # its own line: cited everywhere
    warnings = html.split('<section class="warnings"', 1)[1].split("</section>", 1)[0]
    for w in tmobile.warnings:  # the warning text is on its line, only its sources are folded
        assert escape(w.text) in "".join(re.split(r"<details.*?</details>", warnings))


def test_the_printout_starts_with_carrier_plan_and_date(catalog):
    from datetime import date

    s = Situation(carrier="tmobile", lang="zh", today=date(2099, 3, 4))
    html = to_html(assess(catalog.get("tmobile"), s, catalog.common))
    first = html.split("\n", 1)[0]
    assert first.startswith('<p class="print-only print-heading"')
    assert "T-Mobile" in first and "后付费" in first and "2099-03-04" in first


# ---------------------------------------------------------------- "Report a wrong fact"
FORM = Path(__file__).resolve().parents[1] / ".github" / "ISSUE_TEMPLATE" / "wrong-fact.yml"
TRACKER = "https://github.com/example-org/example-repo/issues"


def personal(catalog, plan: str):
    """An assessment whose situation is full of personal values, and the values that must never be
    reported: what was entered and every date the engine derived from it."""
    from datetime import date

    s = Situation(
        carrier="tmobile", plan=plan, keep_number=False, leaving_us=True, role="manager", state="CA",
        device_balance_usd=4321.87, prepaid_balance_usd=765.43, today=date(2031, 1, 15),
        activation_date=date(2030, 2, 3), purchase_date=date(2031, 1, 4), paid_off_date=date(2031, 5, 6),
        bill_day=17, leave_date=date(2031, 9, 10), paid_through=date(2031, 2, 16),
    )  # fmt: skip
    a = assess(catalog.get("tmobile"), s, catalog.common)
    tm = a.timing
    days = [s.today, s.activation_date, s.purchase_date, s.paid_off_date, s.leave_date, s.paid_through,
            tm.best_date, tm.autopay_off_by, tm.return_by, tm.next_bill_date, a.unlock.date,
            *(st.deadline for st in a.steps)]  # fmt: skip
    secret = {"4321", "4,321", "765.43", "765", *(d.isoformat() for d in days if d)}
    return a, secret


def reports(html: str) -> list[str]:
    """Every report in the HTML: the copy texts, and the issue addresses decoded."""
    from urllib.parse import unquote

    texts = re.findall(r'<code class="report-text">(.*?)</code>', html, re.S)
    links = re.findall(r'<a class="report" href="(.*?)"', html)
    return [unescape(x) for x in texts] + [unquote(unescape(x)) for x in links]


@pytest.mark.parametrize("tracker", [None, TRACKER])
@pytest.mark.parametrize("plan", ["postpaid", "prepaid"])
def test_reports_never_carry_the_persons_answers(catalog, monkeypatch, plan, tracker):
    monkeypatch.setattr(report, "tracker", lambda: tracker)
    a, secret = personal(catalog, plan)
    html = to_html(a)
    # the page itself shows them, so a report made from what is shown would leak them
    assert "4,321.87" in html and any(d in html for d in secret if "-" in d)
    found = reports(html)
    cited = [
        w for w in a.warnings if w.sources or w.checked
    ]  # a warning with no source has no fact to report
    assert len(found) == 1 + len(a.steps) + len(cited) + len(a.channels) + len(a.unknowns)
    for text in found:
        assert not [x for x in secret if x in text], text
        assert "tmobile" in text and f"plans.{plan}." in text and "simexit " in text


def test_each_shown_fact_has_one_report_with_its_id_source_and_check_date(tmobile):
    html = to_html(tmobile)
    found = reports(html)
    cited = [w for w in tmobile.warnings if w.sources or w.checked]
    assert len(found) == 1 + len(tmobile.channels) + len(tmobile.steps) + len(cited) + len(tmobile.unknowns)
    port = next(x for x in found if "Fact: plans.postpaid.steps.port_out" in x)
    step = next(s for s in tmobile.steps if s.kind == "port_out")
    src = {s.id: s for s in tmobile.sources}
    assert f"Checked: {step.checked}" in port and src[step.sources[0]].url in port
    assert "report.link" not in html and "Report a wrong fact" in html
    assert "/issues/new" not in html  # no tracker configured: nothing is invented


def test_the_issue_address_fills_the_form_by_its_field_ids(tmobile, monkeypatch):
    from urllib.parse import parse_qs, urlsplit

    monkeypatch.setattr(report, "tracker", lambda: TRACKER)
    ids = set(re.findall(r"^    id: ([\w-]+)$", FORM.read_text(encoding="utf-8"), re.M))
    assert {"carrier", "fact", "current", "url"} <= ids
    links = [unescape(x) for x in re.findall(r'<a class="report" href="(.*?)"', to_html(tmobile))]
    assert links
    for link in links:
        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == TRACKER + "/new"
        query = parse_qs(parts.query)
        assert query.pop("template") == ["wrong-fact.yml"] and query.pop("title")[0].startswith(
            "[fact] tmobile: "
        )
        assert set(query) <= ids and query["carrier"] == ["tmobile"]
        assert query["url"][0].startswith("https://")


def test_reports_are_escaped_and_capped(tmobile, monkeypatch):
    huge = poisoned(tmobile).model_copy(
        update={"steps": [s.model_copy(update={"detail": EVIL + "号" * 20_000}) for s in tmobile.steps]}
    )
    for tracker in (None, TRACKER):
        monkeypatch.setattr(report, "tracker", lambda tracker=tracker: tracker)
        html = to_html(huge)
        parsed = Collect()
        parsed.feed(html)
        assert "script" not in parsed.tags and "img" not in parsed.tags
        found = reports(html)
        assert found and all(len(x) <= report.MAX_CHARS for x in found)
        assert any("号号号…" in x for x in found)  # cut, and says so
    links = re.findall(r'<a class="report" href="(.*?)"', html)
    assert all(len(unescape(x)) <= report.MAX_CHARS and " " not in unescape(x) for x in links)


def test_the_tracker_comes_from_the_project_urls_only(monkeypatch):
    import importlib.metadata
    import tomllib

    urls = tomllib.loads((FORM.parents[2] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    report.tracker.cache_clear()
    assert report.tracker() == (urls.get("urls", {}).get("Issues") or None)  # none yet: nothing invented

    class Meta:
        def get_all(self, _name):
            return ["Homepage, https://example.org", f"Issues, {TRACKER}/"]

    monkeypatch.setattr(importlib.metadata, "metadata", lambda _name: Meta())
    report.tracker.cache_clear()
    assert report.tracker() == TRACKER
    report.tracker.cache_clear()
