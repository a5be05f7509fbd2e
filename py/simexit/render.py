"""An assessment as terminal text or Markdown, in its own language. Pure string building."""

from __future__ import annotations

from html import escape

from .i18n import channel_line, t
from .models import Assessment, Lang, LogEntry, SourceRef


def _width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _refs(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]" if ids else ""


def _sections(a: Assessment) -> list[tuple[str, list[str]]]:
    """(heading, items) in reading order; items are plain text, possibly multi-line."""
    L: Lang = a.lang
    online = t(f"verdict.{a.online_cancel}", L)
    if a.online_note:
        online += f" — {a.online_note}"
    channels = []
    for c in a.channels:
        channels.append(f"{channel_line(c, L)} {_refs(c.sources)}")
    steps = [f"{s.title}\n{s.detail}\n{_refs(s.sources)}" for s in a.steps]
    warnings = [f"{w.text} {_refs(w.sources)}".rstrip() for w in a.warnings]
    c = a.costs
    costs = [
        f"{t('label.device_balance', L)}: ${c.device_balance_due_usd:,.2f}"
        + (f" ({t(f'due.{c.device_balance_due}', L)})" if c.device_balance_due_usd else ""),
        f"{t('label.prepaid_forfeit', L)}: ${c.prepaid_balance_forfeit_usd:,.2f}",
        f"{t('label.prorated', L)}: {t(f'label.tri.{c.last_cycle_prorated}', L)}",
    ]
    unknowns = [
        f"{u.text}: {t('unknown.text', L)}"
        + (f"\n{t('label.lead', L)}: {u.lead} {_refs(u.sources)}" if u.lead else "")
        for u in a.unknowns
    ]
    sources = [
        f"[{s.id}] {s.title} — {s.url} — {t(f'confidence.{s.confidence}', L)}, {t('label.checked', L)} {s.checked}"
        for s in a.sources
    ]
    myths = [
        f"{t('label.claim', L)}: {m.claim} {_refs(m.claimed_by)}\n{t('label.truth', L)}: {m.truth} {_refs(m.sources)}"
        for m in a.myths
    ]
    u = a.unlock
    unlock = [f"{u.rule} {_refs(u.sources)}", *u.reasoning]
    timing = [*a.timing.reasoning, *(_bill_line(item, L) for item in a.timing.final_bill)]
    script = [f"{line.en}\n{line.zh}" for line in a.script]
    terms = [f"{g.term} ({g.other}): {g.definition}" for g in a.glossary]
    return [
        (t("label.online", L), [online]),
        (t("label.channels", L), channels or [t("label.none", L)]),
        (t("label.steps", L), steps),
        (t("label.warnings", L), warnings or [t("label.none", L)]),
        (t("label.costs", L), costs),
        (t("label.timing", L), timing),
        (t("label.unlock", L), ["\n".join(unlock)]),
        *([(t("label.script", L), script)] if script else []),
        *(
            [(t("label.dependencies", L), [f"{d.text} {_refs(d.sources)}" for d in a.dependencies])]
            if a.dependencies
            else []
        ),
        *(
            [(t("label.keep_options", L), [f"{k.text} {_refs(k.sources)}" for k in a.keep_options])]
            if a.keep_options
            else []
        ),
        (t("label.unknowns", L), unknowns or [t("label.none", L)]),
        *([(t("label.myths", L), myths)] if myths else []),
        (t("label.legal", L), [f"{a.legal.text} {_refs(a.legal.sources)}"]),
        (t("label.glossary", L), terms),
        (t("label.sources", L), sources),
    ]


def _bill_line(item, lang: Lang) -> str:
    amount = f": ${item.amount_usd:,.2f}" if item.amount_usd is not None else ""
    return f"{item.text}{amount} {_refs(item.sources)}".rstrip()


def _title(a: Assessment) -> str:
    return f"{a.carrier_name} · {a.plan_label} · {t(f'scope.{a.scope}', a.lang)}"


def to_text(a: Assessment) -> str:
    out = [_title(a), "=" * _width(_title(a))]
    for heading, items in _sections(a):
        out += ["", heading, "-" * _width(heading)]
        numbered = heading == t("label.steps", a.lang)
        for i, item in enumerate(items, 1):
            first, *rest = item.split("\n")
            bullet = f"[ ] {i}. " if numbered else "- "
            out.append(bullet + first)
            out += [" " * len(bullet) + line for line in rest if line]
    out += ["", t("label.disclaimer", a.lang)]
    return "\n".join(out) + "\n"


LOG_FIELDS = ("date", "time", "channel", "agent", "confirmation", "notes")


def to_markdown(a: Assessment, ticked: frozenset[str] = frozenset(), log: tuple[LogEntry, ...] = ()) -> str:
    """Markdown for "copy as Markdown"; `ticked` holds the kinds of the steps already done, `log` the
    user's record of calls and chats."""
    out = [f"# {_title(a)}"]
    for heading, items in _sections(a):
        out += ["", f"## {heading}", ""]
        numbered = heading == t("label.steps", a.lang)
        for i, item in enumerate(items):
            first, *rest = item.split("\n")
            done = numbered and a.steps[i].kind in ticked
            bullet = f"- [{'x' if done else ' '}] " if numbered else "- "
            out.append(bullet + (f"**{first}**" if numbered else first))
            out += ["  " + line for line in rest if line]
    if log:
        cell = lambda v: v.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        out += ["", f"## {t('label.log', a.lang)}", ""]
        out.append("| " + " | ".join(t(f"log.{f}", a.lang) for f in LOG_FIELDS) + " |")
        out.append("|" + "---|" * len(LOG_FIELDS))
        out += ["| " + " | ".join(cell(getattr(e, f)) for f in LOG_FIELDS) + " |" for e in log]
    out += ["", f"_{t('label.disclaimer', a.lang)}_"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML (page, popup, overlay)
# Every value is escaped: carrier data and user input never become markup.


def esc(value: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return escape(str(value), quote=True)


def _cite(ids: list[str], sources: dict[str, SourceRef], lang: Lang) -> str:
    if not ids:
        return ""
    links = ", ".join(
        f'<a href="#src-{esc(i)}" class="conf-{esc(sources[i].confidence)}">{esc(i)}</a>'
        for i in ids
        if i in sources
    )
    return f' <span class="cite">[{links}]</span>'


def _lines(text: str) -> str:
    return "".join(f"<p>{esc(line)}</p>" for line in text.split("\n") if line)


def to_html(a: Assessment, ticked: frozenset[str] = frozenset()) -> str:
    """The checklist and everything around it, as an HTML fragment (no scripts, no styles)."""
    L: Lang = a.lang
    src = {s.id: s for s in a.sources}
    out = [f'<section class="verdict verdict-{esc(a.online_cancel)}" aria-labelledby="h-online">']
    out.append(f'<h2 id="h-online">{esc(t("label.online", L))}</h2>')
    out.append(
        f'<p class="verdict-value" data-verdict="{esc(a.online_cancel)}">{esc(t(f"verdict.{a.online_cancel}", L))}</p>'
    )
    if a.online_note:
        out.append(f"<p>{esc(a.online_note)}</p>")
    if a.channels:
        out.append(f'<h3>{esc(t("label.channels", L))}</h3><ul class="channels">')
        for c in a.channels:
            parts = [esc(v) for v in (c.path, c.phone, c.code) if v]
            if c.url:
                parts.append(f'<a href="{esc(c.url)}" rel="noopener noreferrer">{esc(c.url)}</a>')
            note = f" <span class='note'>({esc(c.note)})</span>" if c.note else ""
            kind = esc(t(f"channel.{c.kind}", L))
            out.append(
                f'<li data-channel="{esc(c.kind)}"><strong>{kind}</strong> {" · ".join(parts)}{note}{_cite(c.sources, src, L)}</li>'
            )
        out.append("</ul>")
    out.append("</section>")

    out.append('<section class="steps" aria-labelledby="h-steps">')
    out.append(f'<h2 id="h-steps">{esc(t("label.steps", L))}</h2><ol class="checklist">')
    for i, s in enumerate(a.steps):
        box = f"tick-{i}-{s.kind}"
        checked = " checked" if s.kind in ticked else ""
        term = (
            f' <a class="term" href="#term-{esc(s.term)}">{esc(t("label.glossary", L))}</a>' if s.term else ""
        )
        out.append(
            f'<li data-step="{esc(s.kind)}"><input type="checkbox" id="{esc(box)}" data-tick="{esc(s.kind)}"{checked}>'
            f' <label for="{esc(box)}">{esc(s.title)}</label>'
            f'<div class="detail">{_lines(s.detail)}{_cite(s.sources, src, L)}{term}</div></li>'
        )
    out.append("</ol></section>")

    out.append('<section class="warnings" aria-labelledby="h-warn">')
    out.append(f'<h2 id="h-warn">{esc(t("label.warnings", L))}</h2><ul>')
    for w in a.warnings:
        out.append(f'<li data-warning="{esc(w.kind)}">{esc(w.text)}{_cite(w.sources, src, L)}</li>')
    if not a.warnings:
        out.append(f"<li>{esc(t('label.none', L))}</li>")
    out.append("</ul></section>")

    c = a.costs
    due = f" ({esc(t(f'due.{c.device_balance_due}', L))})" if c.device_balance_due_usd else ""
    out.append(
        f'<section class="costs" aria-labelledby="h-costs"><h2 id="h-costs">{esc(t("label.costs", L))}</h2><dl>'
    )
    out.append(f"<dt>{esc(t('label.device_balance', L))}</dt><dd>${c.device_balance_due_usd:,.2f}{due}</dd>")
    out.append(f"<dt>{esc(t('label.prepaid_forfeit', L))}</dt><dd>${c.prepaid_balance_forfeit_usd:,.2f}</dd>")
    out.append(
        f"<dt>{esc(t('label.prorated', L))}</dt><dd>{esc(t(f'label.tri.{c.last_cycle_prorated}', L))}</dd>"
    )
    out.append("</dl></section>")

    out += _timing_html(a, src)
    k = a.port_kit
    unknown = f'<span class="unknown">{esc(t("label.unknown", L))}</span>'
    ways = "".join(f"<li>{esc(channel_line(w, L))}</li>" for w in k.pin_ways)
    rows = [
        ("label.credentials", esc(k.credentials) if k.credentials else unknown),
        ("label.account_number", esc(k.account_number) if k.account_number else unknown),
        ("label.pin_ways", f"<ul>{ways}</ul>" if ways else unknown),
        (
            "label.pin_validity",
            esc(t("label.days", L, days=k.pin_validity_days)) if k.pin_validity_days is not None else unknown,
        ),
        ("label.pin_who", esc(", ".join(t(f"role.{r}", L) for r in k.pin_who)) if k.pin_who else unknown),
        ("label.locks", esc(", ".join(k.locks)) if k.locks else esc(t("label.none", L))),
        ("label.closes_line", esc(t(f"label.tri.{k.closes_line}", L))),
    ]
    out.append(
        f'<section class="port-kit" aria-labelledby="h-kit"><h2 id="h-kit">{esc(t("label.port_kit", L))}</h2><dl>'
    )
    out += [f"<dt>{esc(t(key, L))}</dt><dd>{value}</dd>" for key, value in rows]
    out.append("</dl></section>")

    out.append(
        f'<section class="unknowns" aria-labelledby="h-unk"><h2 id="h-unk">{esc(t("label.unknowns", L))}</h2><ul>'
    )
    for u in a.unknowns:
        lead = (
            f'<br><span class="lead">{esc(t("label.lead", L))}: {esc(u.lead)}{_cite(u.sources, src, L)}</span>'
            if u.lead
            else ""
        )
        out.append(f'<li data-unknown="{esc(u.topic)}">{esc(u.text)}: {unknown}{lead}</li>')
    if not a.unknowns:
        out.append(f"<li>{esc(t('label.none', L))}</li>")
    out.append("</ul></section>")

    if a.myths:
        out.append(
            f'<section class="myths" aria-labelledby="h-myths"><h2 id="h-myths">{esc(t("label.myths", L))}</h2><ul>'
        )
        for m in a.myths:
            out.append(
                f"<li><p><s>{esc(m.claim)}</s>{_cite(m.claimed_by, src, L)}</p>"
                f"<p><strong>{esc(t('label.truth', L))}:</strong> {esc(m.truth)}{_cite(m.sources, src, L)}</p></li>"
            )
        out.append("</ul></section>")

    out += _script_and_terms_html(a, src)
    out.append(
        f'<section class="sources" aria-labelledby="h-src"><h2 id="h-src">{esc(t("label.sources", L))}</h2><ol>'
    )
    for s in a.sources:
        published = f", {esc(s.published)}" if s.published else ""
        out.append(
            f'<li id="src-{esc(s.id)}"><a href="{esc(s.url)}" rel="noopener noreferrer">{esc(s.title)}</a>{published}'
            f' <span class="badge conf-{esc(s.confidence)}">{esc(t(f"confidence.{s.confidence}", L))}</span>'
            f' <span class="checked">{esc(t("label.checked", L))} <time datetime="{s.checked}">{s.checked}</time></span>'
            f" <code>{esc(s.id)}</code></li>"
        )
    out.append("</ol></section>")
    out.append(f'<p class="legal">{esc(a.legal.text)}{_cite(a.legal.sources, src, L)}</p>')
    out.append(f'<p class="disclaimer">{esc(t("label.disclaimer", L))}</p>')
    return "\n".join(out)


def _script_and_terms_html(a: Assessment, src: dict[str, SourceRef]) -> list[str]:
    L: Lang = a.lang
    out = []
    for key, items, css in (
        ("label.dependencies", a.dependencies, "dependencies"),
        ("label.keep_options", a.keep_options, "keep-options"),
    ):
        if items:
            out.append(
                f'<section class="{css}" aria-labelledby="h-{css}"><h2 id="h-{css}">{esc(t(key, L))}</h2><ul>'
            )
            out += [
                f'<li data-advice="{esc(i.kind)}">{esc(i.text)}{_cite(i.sources, src, L)}</li>' for i in items
            ]
            out.append("</ul></section>")
    if a.script:
        out.append(
            f'<section class="script" aria-labelledby="h-script"><h2 id="h-script">{esc(t("label.script", L))}</h2><ol>'
        )
        out += [
            f'<li><p lang="en">{esc(line.en)}</p><p lang="zh-CN" class="gloss">{esc(line.zh)}</p></li>'
            for line in a.script
        ]
        out.append("</ol></section>")
    out.append(
        f'<section class="glossary" aria-labelledby="h-terms"><h2 id="h-terms">{esc(t("label.glossary", L))}</h2><dl>'
    )
    for g in a.glossary:
        out.append(
            f'<dt id="term-{esc(g.key)}">{esc(g.term)} <small>{esc(g.other)}</small></dt><dd>{esc(g.definition)}</dd>'
        )
    out.append("</dl></section>")
    return out


def _timing_html(a: Assessment, src: dict[str, SourceRef]) -> list[str]:
    L: Lang = a.lang
    tm, u = a.timing, a.unlock
    out = [
        f'<section class="timing" aria-labelledby="h-timing"><h2 id="h-timing">{esc(t("label.timing", L))}</h2>'
    ]
    if tm.best_date:
        out.append(
            f'<p class="best-date"><strong>{esc(t("label.best_date", L))}:</strong> <time datetime="{tm.best_date}">{tm.best_date}</time></p>'
        )
    out.append("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in tm.reasoning) + "</ul>")
    out.append("<ul class='final-bill'>")
    for item in tm.final_bill:
        amount = f": ${item.amount_usd:,.2f}" if item.amount_usd is not None else ""
        out.append(
            f'<li data-bill="{esc(item.kind)}">{esc(item.text)}{amount}{_cite(item.sources, src, L)}</li>'
        )
    out.append("</ul></section>")
    out.append(
        f'<section class="unlock" aria-labelledby="h-unlock"><h2 id="h-unlock">{esc(t("label.unlock", L))}</h2>'
    )
    if u.date:
        out.append(
            f'<p class="unlock-date"><strong>{esc(t("label.unlock_date", L))}:</strong> <time datetime="{u.date}">{u.date}</time></p>'
        )
    out.append(f"<p>{esc(u.rule)}{_cite(u.sources, src, L)}</p>")
    out.append("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in u.reasoning) + "</ul></section>")
    return out
