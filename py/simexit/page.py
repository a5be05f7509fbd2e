"""The page's own HTML: the questions that matter for a carrier, and the frame around the checklist.

Pure string building, shared by the build (prerendering on CPython) and the live page (Pyodide), so
the first paint and Python's later renders are the same markup.
"""

from __future__ import annotations

from .i18n import t
from .models import STATE_CODES, Assessment, Carrier, Lang, LogEntry, Situation
from .render import LOG_FIELDS, esc, to_html

_HTML_LANG = {"en": "en", "zh": "zh-CN"}


def questions(carrier: Carrier, situation: Situation) -> list[str]:
    """The Situation fields worth asking about for this carrier and these answers."""
    plan_id = situation.plan or carrier.default_plan
    plan = carrier.plans[plan_id]
    overrides = [o for rule in (plan.online.line, plan.online.account) for o in rule.when]
    asked = ["plan"] if len(carrier.plans) > 1 else []
    asked += ["scope", "keep_number", "role", "device_balance_usd"]
    if plan_id == "prepaid":
        asked.append("prepaid_balance_usd")
    if any(o.states is not None for o in overrides):
        asked.append("state")
    if any(o.enrolled_online is not None for o in overrides):
        asked.append("enrolled_online")
    if situation.keep_number:
        asked.append("port_lock_on")
    asked += ["leaving_us", *DATE_FIELDS]
    if plan.returns.known():
        asked.append("purchase_date")
    if plan_id == "prepaid" or (plan.terms.months and max(plan.terms.months) > 1):
        asked.append("paid_through")
    if plan.terms.months and max(plan.terms.months) > 1:
        asked.append("term_months")
    return asked


DATE_FIELDS = ("bill_day", "leave_date", "activation_date", "paid_off_date")
# Dates asked only where they matter (a return window, a prepaid or multi-month term).
EXTRA_DATES = ("purchase_date", "paid_through")


def _radios(name: str, legend: str, options: list[tuple[str, str]], current: str) -> str:
    items = "".join(
        f'<label><input type="radio" id="f-{name}-{esc(value)}" name="{name}" value="{esc(value)}"'
        f"{' checked' if value == current else ''}>"
        f" {esc(label)}</label>"
        for value, label in options
    )
    return f'<fieldset class="q q-{name}"><legend>{esc(legend)}</legend>{items}</fieldset>'


def _money(name: str, label: str, value: float) -> str:
    shown = f"{value:g}" if value else ""
    return (
        f'<div class="q q-{name}"><label for="f-{name}">{esc(label)}</label>'
        f'<input id="f-{name}" name="{name}" type="number" min="0" step="0.01" inputmode="decimal"'
        f' value="{shown}" placeholder="0"></div>'
    )


def _check(name: str, label: str, checked: bool) -> str:
    return (
        f'<div class="q q-{name}"><input id="f-{name}" name="{name}" type="checkbox"{" checked" if checked else ""}>'
        f' <label for="f-{name}">{esc(label)}</label></div>'
    )


def carrier_label(carrier: Carrier) -> str:
    en, zh = carrier.name.en, carrier.name.zh
    return en if en == zh else f"{en} / {zh}"


def form_html(carriers: dict[str, Carrier], carrier: Carrier, s: Situation) -> str:
    L: Lang = s.lang
    options = "".join(
        f'<option value="{esc(carrier_label(c))}" data-id="{esc(c.id)}"></option>'
        for c in sorted(carriers.values(), key=lambda c: c.name.en.lower())
    )
    parts = [
        f'<h2 id="h-form">{esc(t("ui.form", L))}</h2>',
        '<div class="q q-carrier">'
        f'<label for="f-carrier">{esc(t("ui.carrier", L))}</label>'
        f'<input id="f-carrier" name="carrier" list="carrier-list" autocomplete="off" value="{esc(carrier_label(carrier))}"'
        f' data-id="{esc(carrier.id)}" aria-describedby="carrier-hint">'
        f'<datalist id="carrier-list">{options}</datalist>'
        f'<small id="carrier-hint">{esc(t("ui.carrier_hint", L))}</small></div>',
        '<div class="q q-url">'
        f'<label for="f-url">{esc(t("ui.url", L))}</label>'
        '<div class="row"><input id="f-url" name="url" type="url" autocomplete="off" spellcheck="false">'
        f'<button type="button" id="detect-url">{esc(t("ui.url_button", L))}</button></div></div>',
    ]
    asked = questions(carrier, s)
    plan_id = s.plan or carrier.default_plan
    if "plan" in asked:
        plans = [(pid, p.label(L)) for pid, p in carrier.plans.items()]
        parts.append(_radios("plan", t("ui.plan", L), plans, plan_id))
    parts.append(
        _radios("scope", t("ui.scope", L), [(v, t(f"ui.scope.{v}", L)) for v in ("line", "account")], s.scope)
    )
    keep = [("yes", t("ui.keep.yes", L)), ("no", t("ui.keep.no", L))]
    parts.append(_radios("keep_number", t("ui.keep", L), keep, "yes" if s.keep_number else "no"))
    roles = "".join(
        f'<option value="{r}"{" selected" if r == s.role else ""}>{esc(t(f"ui.role.{r}", L))}</option>'
        for r in ("owner", "manager", "authorized")
    )
    parts.append(
        f'<div class="q q-role"><label for="f-role">{esc(t("ui.role", L))}</label>'
        f'<select id="f-role" name="role">{roles}</select></div>'
    )
    parts.append(_money("device_balance_usd", t("ui.device_balance", L), s.device_balance_usd))
    if "prepaid_balance_usd" in asked:
        parts.append(_money("prepaid_balance_usd", t("ui.prepaid_balance", L), s.prepaid_balance_usd))
    if "state" in asked:
        states = f'<option value="">{esc(t("ui.state.none", L))}</option>' + "".join(
            f'<option value="{code}"{" selected" if code == s.state else ""}>{code}</option>'
            for code in sorted(STATE_CODES)
        )
        parts.append(
            f'<div class="q q-state"><label for="f-state">{esc(t("ui.state", L))}</label>'
            f'<select id="f-state" name="state">{states}</select></div>'
        )
    if "enrolled_online" in asked:
        parts.append(_check("enrolled_online", t("ui.enrolled", L), s.enrolled_online))
    if "port_lock_on" in asked:
        locks = [(v, t(f"ui.port_lock.{v}", L)) for v in ("yes", "no", "unknown")]
        parts.append(_radios("port_lock_on", t("ui.port_lock", L), locks, s.port_lock_on))
    parts.append(_check("leaving_us", t("ui.leaving", L), s.leaving_us))
    parts.append(_dates(s, asked, carrier.plans[plan_id].terms.months or []))
    return "\n".join(parts)


def _dates(s: Situation, asked: list[str], terms: list[int]) -> str:
    """Optional dates for the calculators, folded away until wanted (open once any is filled in)."""
    L: Lang = s.lang
    bill_day = s.bill_day or ""
    fields = [
        f'<div class="q q-bill_day"><label for="f-bill_day">{esc(t("ui.bill_day", L))}</label>'
        f'<input id="f-bill_day" name="bill_day" type="number" min="1" max="31" step="1" inputmode="numeric"'
        f' value="{bill_day}"></div>'
    ]
    for name in ("leave_date", "activation_date", "paid_off_date", *(d for d in EXTRA_DATES if d in asked)):
        value = getattr(s, name) or ""
        fields.append(
            f'<div class="q q-{name}"><label for="f-{name}">{esc(t(f"ui.{name}", L))}</label>'
            f'<input id="f-{name}" name="{name}" type="date" value="{value}"></div>'
        )
    if "term_months" in asked:
        options = "".join(
            f'<option value="{m}"{" selected" if m == s.term_months else ""}>{esc(t("ui.months", L, months=m))}</option>'
            for m in sorted(set(terms))
        )
        fields.append(
            f'<div class="q q-term_months"><label for="f-term_months">{esc(t("ui.term_months", L))}</label>'
            f'<select id="f-term_months" name="term_months"><option value="">{esc(t("ui.state.none", L))}</option>'
            f"{options}</select></div>"
        )
    opened = " open" if any(getattr(s, f) for f in (*DATE_FIELDS, *EXTRA_DATES, "term_months")) else ""
    return f'<details class="dates"{opened}><summary>{esc(t("ui.dates", L))}</summary>{"".join(fields)}</details>'


def log_html(entries: tuple[LogEntry, ...] | list[LogEntry], lang: Lang) -> str:
    """The user's record of calls and chats, and a form to add one (kept apart from the questions)."""
    L = lang
    head = "".join(f'<th scope="col">{esc(t(f"log.{f}", L))}</th>' for f in LOG_FIELDS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(getattr(e, f))}</td>" for f in LOG_FIELDS) + "</tr>" for e in entries
    )
    table = (
        f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
        if rows
        else ""
    )
    inputs = {"date": "date", "time": "time", "channel": "text", "agent": "text", "confirmation": "text"}
    fields = "".join(
        f'<div class="q"><label for="log-{f}">{esc(t(f"log.{f}", L))}</label>'
        f'<input id="log-{f}" name="log_{f}" type="{kind}" maxlength="500"></div>'
        for f, kind in inputs.items()
    )
    fields += (
        f'<div class="q"><label for="log-notes">{esc(t("log.notes", L))}</label>'
        '<textarea id="log-notes" name="log_notes" rows="2" maxlength="500"></textarea></div>'
    )
    return (
        f'<section id="log" class="log" aria-labelledby="h-log"><h2 id="h-log">{esc(t("label.log", L))}</h2>'
        f'<p class="hint">{esc(t("log.hint", L))}</p>{table}<div class="log-form">{fields}'
        f'<button type="button" id="log-add" disabled>{esc(t("log.add", L))}</button></div></section>'
    )


def app_html(
    carriers: dict[str, Carrier],
    carrier: Carrier,
    s: Situation,
    a: Assessment,
    ticked: frozenset[str] = frozenset(),
    log: tuple[LogEntry, ...] | list[LogEntry] = (),
) -> str:
    """Everything inside <div id="app">: header, form, actions and the checklist."""
    L: Lang = s.lang
    other = "zh" if L == "en" else "en"
    return "\n".join(
        [
            '<header class="top">',
            f"<h1>{esc(t('ui.title', L))}</h1>",
            f'<button type="button" id="lang-toggle" lang="{_HTML_LANG[other]}"'
            f' title="{esc(t("ui.lang_toggle_label", L))}">{esc(t("ui.lang_toggle", L))}</button>',
            f'<p class="tagline">{esc(t("ui.tagline", L))}</p>',
            "</header>",
            '<p id="notice" class="notice" role="status" aria-live="polite" hidden></p>',
            f'<p id="loading" class="loading">{esc(t("ui.loading", L))}</p>',
            '<div class="layout">',
            f'<form id="situation" class="situation" aria-labelledby="h-form" data-carrier="{esc(carrier.id)}">',
            f'<fieldset id="answers" disabled>{form_html(carriers, carrier, s)}</fieldset>',
            "</form>",
            '<div class="results">',
            '<div class="actions">',
            f'<button type="button" id="copy-md" disabled>{esc(t("ui.copy_md", L))}</button>',
            f'<button type="button" id="print">{esc(t("ui.print", L))}</button>',
            f'<button type="button" id="ics" disabled>{esc(t("ui.ics", L))}</button>',
            f'<button type="button" id="reset" disabled>{esc(t("ui.reset", L))}</button>',
            "</div>",
            f'<div id="checklist" data-testid="checklist" data-carrier="{esc(carrier.id)}" aria-live="polite">',
            to_html(a, ticked),
            "</div>",
            log_html(log, L),
            "</div>",
            "</div>",
            f"<footer><p>{esc(t('ui.privacy', L))}</p></footer>",
        ]
    )
