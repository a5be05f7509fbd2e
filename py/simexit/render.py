"""An assessment as terminal text or Markdown, in its own language. Pure string building."""

from __future__ import annotations

from .i18n import t
from .models import Assessment, Lang


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
        parts = [t(f"channel.{c.kind}", L), *(v for v in (c.path, c.phone, c.code, c.url) if v)]
        line = parts[0] + (": " + " · ".join(parts[1:]) if len(parts) > 1 else "")
        if c.note:
            line += f" ({c.note})"
        channels.append(f"{line} {_refs(c.sources)}")
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
    return [
        (t("label.online", L), [online]),
        (t("label.channels", L), channels or [t("label.none", L)]),
        (t("label.steps", L), steps),
        (t("label.warnings", L), warnings or [t("label.none", L)]),
        (t("label.costs", L), costs),
        (t("label.unknowns", L), unknowns or [t("label.none", L)]),
        (t("label.sources", L), sources),
    ]


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


def to_markdown(a: Assessment, ticked: frozenset[int] = frozenset()) -> str:
    out = [f"# {_title(a)}"]
    for heading, items in _sections(a):
        out += ["", f"## {heading}", ""]
        numbered = heading == t("label.steps", a.lang)
        for i, item in enumerate(items, 1):
            first, *rest = item.split("\n")
            bullet = f"- [{'x' if i - 1 in ticked else ' '}] " if numbered else "- "
            out.append(bullet + (f"**{first}**" if numbered else first))
            out += ["  " + line for line in rest if line]
    out += ["", f"_{t('label.disclaimer', a.lang)}_"]
    return "\n".join(out) + "\n"
