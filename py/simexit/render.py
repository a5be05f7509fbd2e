"""An assessment as one ordered document, then as terminal text, Markdown or HTML. Pure strings.

`document()` decides what is said and in which order; the three renderers only format it, so they
cannot disagree (the Markdown has the port kit because the document has it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from . import report
from .i18n import channel_line, t
from .models import Assessment, Lang, LogEntry, SourceRef

# A fact read longer ago than this before the assessment's date is marked "may be out of date".
STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class Item:
    text: str  # may hold several lines
    sources: list[str] = field(default_factory=list)
    kind: str | None = None  # what the item is (a step, warning or advice kind), for the HTML hooks
    label: str | None = None  # for label: value rows (costs, the port kit)
    checked: date | None = None  # the oldest check date of its sources
    deadline: date | None = None
    stale: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    items: list[Item]
    numbered: bool = False  # the checklist


def _stale(a: Assessment, checked: date | None) -> bool:
    return bool(a.as_of and checked and checked < a.as_of - timedelta(days=STALE_AFTER_DAYS))


def _money(amount: float) -> str:
    return f"${abs(amount):,.2f}"  # never "$-0.00"


# The steps that decide each route: the "next action" falls back to the first of these.
_KEY_STEPS = ("activate_keep_plan", "port_out", "turn_off_autopay", "let_lapse", "cancel")


def leaving(a: Assessment) -> bool:
    return any(s.kind in ("activate_keep_plan", "test_codes_abroad") for s in a.steps)


def headline(a: Assessment) -> str:
    """The short answer to the person's question: what their way out is."""
    L, route = a.lang, a.timing.route
    if route == "port":
        return t("answer.port_leaving" if leaving(a) else "answer.port", L)
    if route == "lapse":
        day = a.timing.autopay_off_by
        return t("answer.lapse_by", L, day=day) if day else t("answer.lapse", L)
    key = f"answer.cancel_{a.online_cancel}"
    return t(key + ("_line" if a.scope == "line" else ""), L)


def next_step(a: Assessment):
    """The step to do next: the one with the earliest deadline, else the step that decides the route."""
    dated = [s for s in a.steps if s.deadline]
    if dated:
        return min(dated, key=lambda s: s.deadline)
    return next((s for k in _KEY_STEPS for s in a.steps if s.kind == k), a.steps[0] if a.steps else None)


def framing(a: Assessment) -> str | None:
    """The online-cancel verdict, put in terms of what the person is doing."""
    if a.timing.route == "port":
        return t("frame.port_closes" if a.port_kit.closes_line == "yes" else "frame.port", a.lang)
    if a.timing.route == "lapse":
        return t("frame.lapse", a.lang)
    return None


def answer_items(a: Assessment) -> list[Item]:
    L = a.lang
    out = [Item(headline(a), kind="headline")]
    step = next_step(a)
    if step:
        text = step.title
        choice = a.keep_choice
        if step.kind == "activate_keep_plan" and choice and choice.name and choice.yearly_usd:
            # the decision itself, not a list to research: which plan and what it costs a year
            text = t("answer.keep_with", L, step=text, name=choice.name, yearly=_money(choice.yearly_usd))
        out.append(Item(text, label=t("answer.next", L), kind="next", deadline=step.deadline))
    if a.timing.best_date:
        out.append(Item(a.timing.best_date.isoformat(), label=t("label.best_date", L), kind="best_date"))
    elif not step or not step.deadline:
        out.append(Item(t("answer.no_dates", L), kind="no_dates"))
    return out


def document(a: Assessment) -> list[Section]:
    """Everything the person is told, in reading order."""
    L: Lang = a.lang
    by_id = {s.id: s for s in a.sources}

    def checked(ids: list[str]) -> date | None:
        days = [by_id[i].checked for i in ids if i in by_id]
        return min(days) if days else None

    def item(text: str, ids: list[str], kind: str | None = None, when: date | None = None, **kw) -> Item:
        day = when or checked(ids)
        return Item(text, list(ids), kind, checked=day, stale=_stale(a, day), **kw)

    online = t(f"verdict.{a.online_cancel}", L) + (f" — {a.online_note}" if a.online_note else "")
    verdict_sources = next((c.sources for c in a.channels), [])
    c = a.costs
    blank = t("label.not_entered", L)  # an amount the person did not enter is not "$0.00"
    costs = [
        Item(
            _money(c.device_balance_due_usd) + f" ({t(f'due.{c.device_balance_due}', L)})"
            if c.device_balance_due_usd
            else blank,
            label=t("label.device_balance", L),
            kind="device_balance",
        ),
        Item(
            _money(c.prepaid_balance_forfeit_usd) if c.prepaid_balance_forfeit_usd else blank,
            label=t("label.prepaid_forfeit", L),
            kind="prepaid_forfeit",
        ),
        Item(t(f"label.tri.{c.last_cycle_prorated}", L), label=t("label.prorated", L), kind="prorated"),
    ]
    if c.restocking_fee_usd is not None:
        fee = _money(c.restocking_fee_usd)
        if c.restocking_fee_max_usd is not None and c.restocking_fee_max_usd != c.restocking_fee_usd:
            fee += f" – {_money(c.restocking_fee_max_usd)}"
        costs.append(Item(fee, label=t("label.restocking_fee", L), kind="restocking_fee"))
    if c.early_termination_max_usd is not None:
        costs.append(
            Item(_money(c.early_termination_max_usd), label=t("label.etf_max", L), kind="early_termination")
        )
    k = a.port_kit
    unknown = t("label.unknown", L)
    kit = [
        Item(k.credentials or unknown, label=t("label.credentials", L), kind="credentials"),
        Item(k.account_number or unknown, label=t("label.account_number", L), kind="account_number"),
        Item(
            "\n".join(channel_line(w, L) for w in k.pin_ways) or unknown,
            [s for w in k.pin_ways for s in w.sources],
            label=t("label.pin_ways", L),
            kind="pin_ways",
        ),
        Item(
            t("label.days", L, days=k.pin_validity_days) if k.pin_validity_days is not None else unknown,
            label=t("label.pin_validity", L),
            kind="pin_validity",
        ),
        Item(
            ", ".join(t(f"role.{r}", L) for r in k.pin_who) if k.pin_who else unknown,
            label=t("label.pin_who", L),
            kind="pin_who",
        ),
        Item(", ".join(k.locks) or t("label.none", L), label=t("label.locks", L), kind="locks"),
        Item(t(f"label.tri.{k.closes_line}", L), label=t("label.closes_line", L), kind="closes_line"),
    ]
    tm, u = a.timing, a.unlock
    timing = []
    if tm.best_date:
        timing.append(Item(tm.best_date.isoformat(), label=t("label.best_date", L), kind="best_date"))
    if tm.autopay_off_by:
        timing.append(
            Item(tm.autopay_off_by.isoformat(), label=t("label.autopay_off_by", L), kind="autopay_off_by")
        )
    if tm.return_by:
        timing.append(Item(tm.return_by.isoformat(), label=t("label.return_by", L), kind="return_by"))
    timing += [Item(r, kind="reason") for r in tm.reasoning]
    timing += [
        item(f"{b.text}: {_money(b.amount_usd)}" if b.amount_usd is not None else b.text, b.sources, b.kind)
        for b in tm.final_bill
    ]
    unlock = []
    if u.date:
        unlock.append(Item(u.date.isoformat(), label=t("label.unlock_date", L), kind="unlock_date"))
    unlock.append(item(u.rule, u.sources, "rule"))
    unlock += [Item(r, kind="reason") for r in u.reasoning]

    sections = [
        Section("answer", t("answer.heading", L), answer_items(a)),
        Section(
            "verdict",
            t("label.online", L),
            [item(online, [], a.online_cancel, when=checked(verdict_sources))]
            + ([Item(framing(a), kind="framing")] if framing(a) else []),
        ),
        Section(
            "channels",
            t("label.channels", L),
            [item(channel_line(ch, L), ch.sources, ch.kind) for ch in a.channels],
        ),
        Section(
            "steps",
            t("label.steps", L),
            [
                item(f"{s.title}\n{s.detail}", s.sources, s.kind, when=s.checked, deadline=s.deadline)
                for s in a.steps
            ],
            numbered=True,
        ),
        Section(
            "warnings",
            t("label.warnings", L),
            [item(w.text, w.sources, w.kind, when=w.checked) for w in a.warnings],
        ),
        Section("costs", t("label.costs", L), costs),
        Section("timing", t("label.timing", L), timing),
        Section("unlock", t("label.unlock", L), unlock),
        Section("port-kit", t("label.port_kit", L), kit),
    ]
    if a.script:
        sections.append(Section("script", t("label.script", L), [Item(f"{s.en}\n{s.zh}") for s in a.script]))
    if a.dependencies:
        sections.append(
            Section(
                "dependencies",
                t("label.dependencies", L),
                [item(d.text, d.sources, d.kind) for d in a.dependencies],
            )
        )
    if a.keep_options or a.keep_choice:
        sections.append(
            Section(
                "keep-options",
                t("label.keep_options", L),
                [*keep_choice(a, item), *(item(o.text, o.sources, o.kind) for o in a.keep_options)],
            )
        )
    sections.append(
        Section(
            "unknowns",
            t("label.unknowns", L),
            [
                item(
                    f"{x.text}: {t('unknown.text', L)}"
                    + (f"\n{t('label.lead', L)}: {x.lead}" if x.lead else ""),
                    x.sources,
                    x.topic,
                )
                for x in a.unknowns
            ],
        )
    )
    if a.myths:
        sections.append(
            Section(
                "myths",
                t("label.myths", L),
                [
                    item(
                        f"{t('label.claim', L)}: {m.claim}\n{t('label.truth', L)}: {m.truth}",
                        m.sources,
                        "myth",
                    )
                    for m in a.myths
                ],
            )
        )
    sections.append(Section("legal", t("label.legal", L), [item(a.legal.text, a.legal.sources, "legal")]))
    sections.append(
        Section(
            "glossary",
            t("label.glossary", L),
            [Item(g.definition, label=f"{g.term} ({g.other})", kind=g.key) for g in a.glossary],
        )
    )
    sections.append(
        Section(
            "sources",
            t("label.sources", L),
            [
                Item(
                    f"{s.title} — {s.url} — {t(f'confidence.{s.confidence}', L)}",
                    [s.id],
                    s.id,
                    checked=s.checked,
                    stale=_stale(a, s.checked),
                )
                for s in a.sources
            ],
        )
    )
    return sections


def keep_choice(a: Assessment, item) -> list[Item]:
    """The recommended way to keep the number abroad, first among the ways to keep it."""
    c = a.keep_choice
    return [item(t("label.keep_choice", a.lang, text=c.text), c.sources, "keep_choice")] if c else []


def _width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _refs(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]" if ids else ""


def _plain(it: Item, lang: Lang, section: str) -> str:
    """One item as plain lines: label, text, citations, deadline and freshness."""
    text = f"{it.label}: {it.text}" if it.label else it.text
    tail = []
    if it.deadline:
        tail.append(t("label.deadline", lang, day=it.deadline))
    if section == "sources":
        text = f"[{it.kind}] {text}, {t('label.checked', lang)} {it.checked}"
        return text + (f" · {t('label.stale', lang)}" if it.stale else "")
    if it.checked and it.sources:
        tail.append(f"{_refs(it.sources)} {t('label.checked', lang)} {it.checked}")
    elif it.sources:
        tail.append(_refs(it.sources))
    if it.stale:
        tail.append(t("label.stale", lang))
    return text + (
        "\n" + " · ".join(tail) if tail and "\n" in text else (" " + " · ".join(tail) if tail else "")
    )


def _title(a: Assessment) -> str:
    return f"{a.carrier_name} · {a.plan_label} · {t(f'scope.{a.scope}', a.lang)}"


def _dated_title(a: Assessment) -> str:
    return _title(a) + (f" · {a.as_of.isoformat()}" if a.as_of else "")


def to_text(a: Assessment) -> str:
    out = [_title(a), "=" * _width(_title(a))]
    for sec in document(a):
        out += ["", sec.heading, "-" * _width(sec.heading)]
        for i, it in enumerate(sec.items or [Item(t("label.none", a.lang))], 1):
            first, *rest = _plain(it, a.lang, sec.key).split("\n")
            bullet = f"[ ] {i}. " if sec.numbered else "- "
            out.append(bullet + first)
            out += [" " * len(bullet) + line for line in rest if line]
    out += ["", t("label.disclaimer", a.lang)]
    return "\n".join(out) + "\n"


LOG_FIELDS = ("date", "time", "channel", "agent", "confirmation", "notes")


def to_markdown(a: Assessment, ticked: frozenset[str] = frozenset(), log: tuple[LogEntry, ...] = ()) -> str:
    """Markdown for "copy as Markdown"; `ticked` holds the kinds of the steps already done, `log` the
    user's record of calls and chats."""
    L = a.lang
    heading = f"# {_title(a)}" + (f" — {a.as_of}" if a.as_of else "")
    out = [heading]
    for sec in document(a):
        out += ["", f"## {sec.heading}", ""]
        for it in sec.items or [Item(t("label.none", L))]:
            first, *rest = _plain(it, L, sec.key).split("\n")
            if sec.numbered:
                out.append(f"- [{'x' if it.kind in ticked else ' '}] **{first}**")
            else:
                out.append("- " + first)
            out += ["  " + line for line in rest if line]
    if log:
        cell = lambda v: v.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        out += ["", f"## {t('label.log', L)}", ""]
        out.append("| " + " | ".join(t(f"log.{f}", L) for f in LOG_FIELDS) + " |")
        out.append("|" + "---|" * len(LOG_FIELDS))
        out += ["| " + " | ".join(cell(getattr(e, f)) for f in LOG_FIELDS) + " |" for e in log]
    out += ["", f"_{t('label.disclaimer', L)}_"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML (page, popup, overlay)
# Every value is escaped: carrier data and user input never become markup.


def esc(value: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return escape(str(value), quote=True)


def _cite(ids: list[str], sources: dict[str, SourceRef]) -> str:
    links = ", ".join(
        f'<a href="#src-{esc(i)}" class="conf-{esc(sources[i].confidence)}">{esc(i)}</a>'
        for i in ids
        if i in sources
    )
    return f' <span class="cite">[{links}]</span>' if links else ""


def _fresh(it: Item, lang: Lang) -> str:
    """The check date beside the fact, and a marker when it is old."""
    if not it.checked:
        return ""
    out = f' <span class="checked">{esc(t("label.checked", lang))} <time datetime="{it.checked}">{it.checked}</time></span>'
    if it.stale:
        out += f' <span class="stale" data-stale="true">{esc(t("label.stale", lang))}</span>'
    return out


def _stale_mark(it: Item, lang: Lang) -> str:
    """The "may be out of date" marker on the line of a fact whose details are folded."""
    return f' <span class="stale" data-stale="true">{esc(t("label.stale", lang))}</span>' if it.stale else ""


def _lines(text: str) -> str:
    return "".join(f"<p>{esc(line)}</p>" for line in text.split("\n") if line)


def _section(sec: Section, body: str) -> str:
    return f'<section class="{esc(sec.key)}" aria-labelledby="h-{esc(sec.key)}"><h2 id="h-{esc(sec.key)}">{esc(sec.heading)}</h2>{body}</section>'


def _more(label: str, body: str, about: str | None = None) -> str:
    """A fact's explanation and sources folded behind a short summary (opens by keyboard: <summary>).
    Every such summary says the same, so `about` names the fact for screen readers."""
    named = f'<span class="visually-hidden">: {esc(about)}</span>' if about else ""
    return f'<details class="more"><summary>{esc(label)}{named}</summary><div class="detail">{body}</div></details>'


def _report(a: Assessment, group: str, key: str, value: str, ids: list[str], checked: date | None) -> str:
    """ "Report a wrong fact" for one shown fact: a prefilled public issue, or, while the project has no
    tracker, the report as text with a button to copy it (works offline; the overlay, which keeps no
    buttons, shows the text to select)."""
    urls = {s.id: s.url for s in a.sources}
    fact = report.Fact(
        a.carrier, f"plans.{a.plan}.{group}.{key}", value, tuple(urls[i] for i in ids if i in urls), checked
    )
    label = esc(t("report.link", a.lang))
    base = report.tracker()
    if base:
        return f' <a class="report" href="{esc(report.issue_url(fact, base))}" rel="noopener noreferrer">{label}</a>'
    return (
        f'<details class="report"><summary>{label}</summary><p class="hint">{esc(t("report.how", a.lang))}</p>'
        f'<code class="report-text">{esc(report.issue_text(fact))}</code>'
        f' <button type="button" class="copy-report">{esc(t("report.copy", a.lang))}</button></details>'
    )


def _html_steps(a: Assessment, sec: Section, src, ticked: frozenset[str]) -> str:
    """One line per step: tick, title, deadline; the how-to and its sources are folded under it."""
    L, rows = a.lang, []
    for i, (s, it) in enumerate(zip(a.steps, sec.items, strict=True)):
        box = f"tick-{i}-{s.kind}"
        checked = " checked" if s.kind in ticked else ""
        term = (
            f' <a class="term" href="#term-{esc(s.term)}">{esc(t("label.glossary", L))}</a>' if s.term else ""
        )
        deadline = (
            f' <strong class="deadline">{esc(t("label.deadline", L, day=s.deadline))}</strong>'
            if s.deadline
            else ""
        )
        fact = _report(a, "steps", s.kind, f"{s.title}\n{s.detail}", s.sources, it.checked)
        body = f"{_lines(s.detail)}{_cite(s.sources, src)}{_fresh(it, L)}{term}{fact}"
        rows.append(
            f'<li data-step="{esc(s.kind)}"><input type="checkbox" id="{esc(box)}" data-tick="{esc(s.kind)}"{checked}>'
            f' <label for="{esc(box)}">{esc(s.title)}</label>{deadline}{_stale_mark(it, L)}'
            f"{_more(t('more.details', L), body, s.title)}</li>"
        )
    return f'<ol class="checklist">{"".join(rows)}</ol>'


def _html_rows(sec: Section, src, lang: Lang, attr: str, facts: Assessment | None = None) -> str:
    """One row per item; with `facts` (the warnings) the text stays in view and its sources are
    folded with a way to report it."""
    if not sec.items:
        return f"<ul><li>{esc(t('label.none', lang))}</li></ul>"
    rows = []
    for it in sec.items:
        cited = _cite(it.sources, src) + _fresh(it, lang)
        if facts and cited:
            cited += _report(facts, sec.key, it.kind or "", it.text, it.sources, it.checked)
            cited = _stale_mark(it, lang) + _more(t("more.sources", lang), cited)
        rows.append(f'<li data-{attr}="{esc(it.kind or "")}">{_lines(it.text)}{cited}</li>')
    return f"<ul>{''.join(rows)}</ul>"


def _html_pairs(sec: Section, src, lang: Lang) -> str:
    """Label: value rows; rows without a label (reasons, bill items) follow as a list."""
    pairs = [it for it in sec.items if it.label]
    rest = [it for it in sec.items if not it.label]
    out = ""
    if pairs:
        cells = []
        for it in pairs:
            value = esc(it.text).replace("\n", "<br>")
            if it.kind in ("best_date", "unlock_date", "autopay_off_by", "return_by"):
                value = f'<time datetime="{esc(it.text)}">{value}</time>'
            if it.text == t("label.unknown", lang):
                value = f'<span class="unknown">{value}</span>'
            kind = esc(it.kind or "")
            cells.append(
                f'<dt>{esc(it.label)}</dt><dd class="{kind.replace("_", "-")}" data-row="{kind}">{value}{_cite(it.sources, src)}</dd>'
            )
        out += f"<dl>{''.join(cells)}</dl>"
    if rest:
        out += (
            "<ul>"
            + "".join(
                f'<li data-row="{esc(it.kind or "")}">{_lines(it.text)}{_cite(it.sources, src)}{_fresh(it, lang)}</li>'
                for it in rest
            )
            + "</ul>"
        )
    return out


# Sections folded on the page and in the overlay, with a one-line summary; the rest stay open.
FOLDED = ("channels", "costs", "timing", "unlock", "port-kit", "script", "dependencies", "keep-options",
          "unknowns", "myths", "legal", "glossary", "sources")  # fmt: skip
# Folded sections kept together inside one "Reference" fold at the end (what few people open).
REFERENCE = ("myths", "legal", "glossary")
# Where the jump links go, in reading order (only those present).
JUMPS = ("steps", "costs", "port-kit", "script", "sources")


def _summary(a: Assessment, sec: Section) -> str:
    """The one line shown on a folded section."""
    L = a.lang
    if sec.key == "costs":
        due = a.costs.device_balance_due_usd
        return t("fold.costs_due", L, amount=_money(due)) if due else t("fold.costs", L, count=len(sec.items))
    if sec.key == "timing" and a.timing.best_date:
        return f"{t('label.best_date', L)}: {a.timing.best_date.isoformat()}"
    if sec.key == "unlock" and a.unlock.date:
        return f"{t('label.unlock_date', L)}: {a.unlock.date.isoformat()}"
    if sec.key == "port-kit":
        return f"{t('label.credentials', L)}: {a.port_kit.credentials or t('label.unknown', L)}"
    return t("fold.count", L, count=len(sec.items))


def _fold(a: Assessment, sec: Section, body: str, opened: bool = False) -> str:
    """A section folded away behind its heading and a one-line summary (opens by keyboard: <summary>)."""
    key = esc(sec.key)
    return (
        f'<section class="{key} fold" id="sec-{key}" aria-labelledby="h-{key}">'
        f'<details{" open" if opened else ""}><summary><h2 id="h-{key}">{esc(sec.heading)}</h2>'
        f' <span class="fold-line">{esc(_summary(a, sec))}</span></summary>{body}</details></section>'
    )


def timeline_dates(a: Assessment, leave_date: date | None = None) -> list[tuple[str, date]]:
    """The dates that matter, in order: (kind, day). Today first when the assessment has one."""
    tm = a.timing
    dates = [
        ("today", a.as_of),
        ("return_by", tm.return_by),
        ("autopay_off_by", tm.autopay_off_by),
        ("best_date", tm.best_date),
        ("renewal", tm.next_bill_date),
        ("leave_date", leave_date),
        ("unlock_date", a.unlock.date),
    ]
    return sorted(((k, d) for k, d in dates if d), key=lambda kd: kd[1])


def _timeline(a: Assessment, leave_date: date | None) -> str:
    """The dates on one line: an inline SVG drawn for the eye, and the same dates as a list (the text
    alternative; the overlay, which keeps no SVG, shows only the list)."""
    L = a.lang
    dates = timeline_dates(a, leave_date)
    if len(dates) < 2:
        return ""
    first, last = dates[0][1], dates[-1][1]
    span = max((last - first).days, 1)
    width, pad = 600, 40
    marks = []
    for i, (kind, day) in enumerate(dates):
        x = pad + round((day - first).days / span * (width - 2 * pad))
        y = 22 if i % 2 == 0 else 70  # labels alternate above and below the line
        marks.append(
            f'<circle cx="{x}" cy="46" r="6" class="tl-{esc(kind)}"></circle>'
            f'<text x="{x}" y="{y}" text-anchor="middle">{esc(t(f"tl.{kind}", L))} {day.strftime("%m-%d")}</text>'
        )
    svg = (
        f'<svg class="timeline-svg" viewBox="0 0 {width} 84" aria-hidden="true" focusable="false">'
        f'<line x1="{pad}" y1="46" x2="{width - pad}" y2="46"></line>{"".join(marks)}</svg>'
    )
    rows = "".join(
        f'<li data-date="{esc(kind)}"><span>{esc(t(f"tl.{kind}", L))}</span>'
        f' <time datetime="{day.isoformat()}">{day.isoformat()}</time></li>'
        for kind, day in dates
    )
    return (
        f'<div class="timeline" data-testid="timeline">{svg}'
        f'<ol class="timeline-list" aria-label="{esc(t("tl.label", L))}">{rows}</ol></div>'
    )


def _answer(a: Assessment, sec: Section, leave_date: date | None) -> str:
    """The short answer card: the way out, the next action and its deadline, the dates on one line."""
    L = a.lang
    rows = []
    for it in sec.items:
        if it.kind == "headline":
            continue
        if it.kind == "next":
            by = (
                f' <strong class="by">{esc(t("label.deadline", L, day=it.deadline))}</strong>'
                if it.deadline
                else ""
            )
            rows.append(
                f'<p class="next" data-testid="next-action"><b>{esc(it.label)}:</b> {esc(it.text)}{by}</p>'
            )
        elif it.kind == "best_date":
            rows.append(
                f'<p class="act-by"><b>{esc(it.label)}:</b> <time datetime="{esc(it.text)}">{esc(it.text)}</time></p>'
            )
        else:
            rows.append(f'<p class="hint">{esc(it.text)}</p>')
    meta = _dated_title(a)
    return (
        f'<section id="answer" class="answer answer-{esc(a.timing.route)}" data-testid="answer"'
        f' data-route="{esc(a.timing.route)}" data-scope="{esc(a.scope)}" aria-labelledby="h-answer">'
        f'<p class="answer-for">{esc(meta)}</p>'
        f'<h2 id="h-answer"><span class="visually-hidden">{esc(sec.heading)}: </span>{esc(sec.items[0].text)}</h2>'
        f"{''.join(rows)}{_timeline(a, leave_date)}</section>"
    )


def _jumps(a: Assessment, present: set[str]) -> str:
    links = "".join(
        f'<a href="#{"h-steps" if k == "steps" else "sec-" + k}">{esc(t(f"jump.{k}", a.lang))}</a>'
        for k in JUMPS
        if k in present
    )
    return f'<nav class="jump" aria-label="{esc(t("jump.label", a.lang))}">{links}</nav>'


def to_html(a: Assessment, ticked: frozenset[str] = frozenset(), leave_date: date | None = None) -> str:
    """The answer, the checklist and everything around it, as an HTML fragment (no scripts, no styles).
    Short by default: what does not apply is left out, long sections are folded with a summary."""
    L: Lang = a.lang
    src = {s.id: s for s in a.sources}
    sections = document(a)
    if a.timing.route != "port":  # the transfer kit only matters when the number moves
        sections = [sec for sec in sections if sec.key != "port-kit"]
    present = {sec.key for sec in sections}
    # The printout starts by naming what it is about and when (hidden on screen by the page's CSS).
    heading = t("print.heading", L, what=_dated_title(a))
    page = [f'<p class="print-only print-heading" data-testid="print-heading">{esc(heading)}</p>']
    reference: list[str] = []
    for sec in sections:
        out = reference if sec.key in REFERENCE else page
        if sec.key == "answer":
            out.append(_answer(a, sec, leave_date))
            out.append(_jumps(a, present))
        elif sec.key == "verdict":
            it = sec.items[0]
            note = f"<p>{esc(a.online_note)}</p>" if a.online_note else ""
            frame = framing(a)
            framed = " verdict-framed" if frame else ""
            frame_html = f'<p class="framing">{esc(frame)}</p>' if frame else ""
            shown = t(f"verdict.{a.online_cancel}", L) + (f"\n{a.online_note}" if a.online_note else "")
            fact = _report(a, "online", a.scope, shown, next((c.sources for c in a.channels), []), it.checked)
            more = _stale_mark(it, L) + _more(t("more.details", L), note + _fresh(it, L) + fact)
            out.append(
                f'<section class="verdict verdict-{esc(a.online_cancel)}{framed}" aria-labelledby="h-online">'
                f'<h2 id="h-online">{esc(sec.heading)}</h2>'
                f'<p class="verdict-value" data-verdict="{esc(a.online_cancel)}">{esc(t(f"verdict.{a.online_cancel}", L))}</p>'
                f"{more}{frame_html}</section>"
            )
        elif sec.key == "channels":
            if sec.items:
                kinds = [ch.kind for ch in a.channels]  # a kind given twice is told apart by its place
                rows = "".join(
                    f'<li data-channel="{esc(it.kind)}">{esc(it.text)}{_cite(it.sources, src)}'
                    + _report(
                        a,
                        "channels",
                        ch.kind + (f".{kinds[:n].count(ch.kind) + 1}" if kinds.count(ch.kind) > 1 else ""),
                        it.text,
                        it.sources,
                        it.checked,
                    )
                    + "</li>"
                    for n, (ch, it) in enumerate(zip(a.channels, sec.items, strict=True))
                )
                out.append(
                    _fold(a, sec, f'<ul class="channels">{rows}</ul>', opened=a.timing.route == "cancel")
                )
        elif sec.key == "steps":
            out.append(_section(sec, _html_steps(a, sec, src, ticked)))
        elif sec.key == "unknowns":
            rows = "".join(
                f'<li data-unknown="{esc(u.topic)}">{esc(u.text)}: <span class="unknown">{esc(t("label.unknown", L))}</span>'
                + (
                    f'<br><span class="lead">{esc(t("label.lead", L))}: {esc(u.lead)}{_cite(u.sources, src)}{_fresh(it, L)}</span>'
                    if u.lead
                    else ""
                )
                + _report(a, "unknowns", u.topic, it.text, u.sources, it.checked)
                + "</li>"
                for u, it in zip(a.unknowns, sec.items, strict=True)
            )
            out.append(_fold(a, sec, f"<ul>{rows or '<li>' + esc(t('label.none', L)) + '</li>'}</ul>"))
        elif sec.key in ("warnings", "dependencies", "keep-options", "myths", "legal"):
            attr = {"warnings": "warning", "myths": "myth", "legal": "legal"}.get(sec.key, "advice")
            body = _html_rows(sec, src, L, attr, facts=a if sec.key == "warnings" else None)
            out.append(_section(sec, body) if sec.key == "warnings" else _fold(a, sec, body))
        elif sec.key in ("costs", "timing", "unlock", "port-kit"):
            out.append(_fold(a, sec, _html_pairs(sec, src, L)))
        elif sec.key == "script":
            rows = "".join(
                f'<li><p lang="en">{esc(s.en)}</p><p lang="zh-CN" class="gloss">{esc(s.zh)}</p></li>'
                for s in a.script
            )
            out.append(_fold(a, sec, f"<ol>{rows}</ol>"))
        elif sec.key == "glossary":
            rows = "".join(
                f'<dt id="term-{esc(g.key)}">{esc(g.term)} <small>{esc(g.other)}</small></dt><dd>{esc(g.definition)}</dd>'
                for g in a.glossary
            )
            out.append(_fold(a, sec, f"<dl>{rows}</dl>"))
        elif sec.key == "sources":
            rows = "".join(
                f'<li id="src-{esc(s.id)}"><a href="{esc(s.url)}" rel="noopener noreferrer">{esc(s.title)}</a>'
                + (f", {esc(s.published)}" if s.published else "")
                + f' <span class="badge conf-{esc(s.confidence)}">{esc(t(f"confidence.{s.confidence}", L))}</span>'
                + _fresh(it, L)
                + f" <code>{esc(s.id)}</code></li>"
                for s, it in zip(a.sources, sec.items, strict=True)
            )
            out.append(_fold(a, sec, f"<ol>{rows}</ol>"))
    page.append(_reference(a, reference, [sec.heading for sec in sections if sec.key in REFERENCE]))
    page.append(f'<p class="disclaimer">{esc(t("label.disclaimer", L))}</p>')
    return "\n".join(page)


def _reference(a: Assessment, folds: list[str], headings: list[str]) -> str:
    """The reference sections inside one fold, so the short page ends with one line for them."""
    line = " · ".join(headings)
    return (
        '<section class="reference fold" id="sec-reference" aria-labelledby="h-reference"><details><summary>'
        f'<h2 id="h-reference">{esc(t("label.reference", a.lang))}</h2> <span class="fold-line">{esc(line)}</span>'
        f"</summary>{''.join(folds)}</details></section>"
    )
