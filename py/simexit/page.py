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


# Answers folded under "More questions" (the first screen asks only what decides the answer).
MORE_DEFAULTS = {"role": "owner", "device_balance_usd": 0.0, "prepaid_balance_usd": 0.0, "state": None,
                 "enrolled_online": False, "port_lock_on": "unknown"}  # fmt: skip


def form_html(carriers: dict[str, Carrier], carrier: Carrier, s: Situation) -> str:
    """The questions: carrier, the number and the scope first, then the rest folded away."""
    L: Lang = s.lang
    options = "".join(
        f'<option value="{esc(carrier_label(c))}" data-id="{esc(c.id)}"></option>'
        for c in sorted(carriers.values(), key=lambda c: c.name.en.lower())
    )
    parts = [
        f'<h2 id="h-form">{esc(t("ui.form", L))}</h2>',
        '<div class="q q-carrier">'
        f'<label for="f-carrier">{esc(t("ui.carrier", L))}</label>'
        # Empty, so typing searches at once; the carrier shown is named in the placeholder (and the card).
        f'<input id="f-carrier" name="carrier" list="carrier-list" autocomplete="off" value=""'
        f' placeholder="{esc(carrier_label(carrier))}"'
        f' data-id="{esc(carrier.id)}" aria-describedby="carrier-hint">'
        f'<datalist id="carrier-list">{options}</datalist>'
        f'<small id="carrier-hint">{esc(t("ui.carrier_hint", L))}</small></div>',
    ]
    asked = questions(carrier, s)
    plan_id = s.plan or carrier.default_plan
    keep = [("yes", t("ui.keep.yes", L)), ("no", t("ui.keep.no", L))]
    parts.append(_radios("keep_number", t("ui.keep", L), keep, "yes" if s.keep_number else "no"))
    parts.append(_check("leaving_us", t("ui.leaving", L), s.leaving_us))
    parts.append(
        _radios("scope", t("ui.scope", L), [(v, t(f"ui.scope.{v}", L)) for v in ("line", "account")], s.scope)
    )
    more = [
        '<div class="q q-url">'
        f'<label for="f-url">{esc(t("ui.url", L))}</label>'
        '<div class="row"><input id="f-url" name="url" type="url" autocomplete="off" spellcheck="false">'
        f'<button type="button" id="detect-url">{esc(t("ui.url_button", L))}</button></div></div>',
    ]
    if "plan" in asked:
        plans = [(pid, p.label(L)) for pid, p in carrier.plans.items()]
        more.append(_radios("plan", t("ui.plan", L), plans, plan_id))
    roles = "".join(
        f'<option value="{r}"{" selected" if r == s.role else ""}>{esc(t(f"ui.role.{r}", L))}</option>'
        for r in ("owner", "manager", "authorized")
    )
    more.append(
        f'<div class="q q-role"><label for="f-role">{esc(t("ui.role", L))}</label>'
        f'<select id="f-role" name="role">{roles}</select></div>'
    )
    more.append(_money("device_balance_usd", t("ui.device_balance", L), s.device_balance_usd))
    if "prepaid_balance_usd" in asked:
        more.append(_money("prepaid_balance_usd", t("ui.prepaid_balance", L), s.prepaid_balance_usd))
    if "state" in asked:
        states = f'<option value="">{esc(t("ui.state.none", L))}</option>' + "".join(
            f'<option value="{code}"{" selected" if code == s.state else ""}>{code}</option>'
            for code in sorted(STATE_CODES)
        )
        more.append(
            f'<div class="q q-state"><label for="f-state">{esc(t("ui.state", L))}</label>'
            f'<select id="f-state" name="state">{states}</select></div>'
        )
    if "enrolled_online" in asked:
        more.append(_check("enrolled_online", t("ui.enrolled", L), s.enrolled_online))
    if "port_lock_on" in asked:
        locks = [(v, t(f"ui.port_lock.{v}", L)) for v in ("yes", "no", "unknown")]
        more.append(_radios("port_lock_on", t("ui.port_lock", L), locks, s.port_lock_on))
    dates = _dates(s, asked, carrier.plans[plan_id].terms.months or [])
    changed = any(getattr(s, k) != v for k, v in MORE_DEFAULTS.items()) or " open" in dates.split(">", 1)[0]
    opened = " open" if changed else ""
    parts.append(
        f'<details class="more-q" id="more-q"{opened}><summary>{esc(t("ui.more", L))}</summary>'
        f"{''.join(more)}{dates}</details>"
    )
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
    return f'<details class="dates" id="dates-q"{opened}><summary>{esc(t("ui.dates", L))}</summary>{"".join(fields)}</details>'


def log_html(entries: tuple[LogEntry, ...] | list[LogEntry], lang: Lang, opened: bool = False) -> str:
    """The user's record of calls and chats, and a form to add one (kept apart from the questions),
    folded behind how many entries it holds."""
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
    count = t("fold.log", L, count=len(entries)) if entries else t("fold.log_empty", L)
    return (
        f'<section id="log" class="log fold" aria-labelledby="h-log"><details{" open" if opened else ""}>'
        f'<summary><h2 id="h-log">{esc(t("label.log", L))}</h2> <span class="fold-line">{esc(count)}</span></summary>'
        f'<p class="hint">{esc(t("log.hint", L))}</p>{table}<div class="log-form">{fields}'
        f'<button type="button" id="log-add" disabled>{esc(t("log.add", L))}</button></div></details></section>'
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
            f'<a class="skip" href="#answer">{esc(t("ui.skip", L))}</a>',
            '<header class="top">',
            f"<h1>{esc(t('ui.title', L))}</h1>",
            f'<button type="button" id="lang-toggle" lang="{_HTML_LANG[other]}"'
            f' title="{esc(t("ui.lang_toggle_label", L))}">{esc(t("ui.lang_toggle", L))}</button>',
            f'<p class="tagline">{esc(t("ui.tagline", L))}</p>',
            "</header>",
            '<p id="notice" class="notice" role="status" aria-live="polite" hidden></p>',
            f'<p id="loading" class="loading" data-failed="{esc(t("ui.engine_failed", L))}">'
            f"{esc(t('ui.loading', L))}</p>",
            '<div class="layout">',
            f'<form id="situation" class="situation" aria-labelledby="h-form" data-carrier="{esc(carrier.id)}">',
            f'<fieldset id="answers">{form_html(carriers, carrier, s)}</fieldset>',
            "</form>",
            '<div class="results">',
            '<div class="actions">',
            f'<button type="button" id="copy-md" disabled>{esc(t("ui.copy_md", L))}</button>',
            f'<button type="button" id="print">{esc(t("ui.print", L))}</button>',
            f'<button type="button" id="ics" disabled>{esc(t("ui.ics", L))}</button>',
            f'<button type="button" id="reset" disabled>{esc(t("ui.reset", L))}</button>',
            '<p id="reset-ask" class="ask" role="group" aria-labelledby="reset-q" hidden>'
            f'<span id="reset-q">{esc(t("ui.reset_ask", L))}</span>'
            f' <button type="button" id="reset-yes">{esc(t("ui.reset_yes", L))}</button>'
            f' <button type="button" id="reset-no">{esc(t("ui.reset_no", L))}</button></p>',
            '<p id="undo-box" class="ask" role="status" hidden>'
            f"<span>{esc(t('ui.reset_done', L))}</span>"
            f' <button type="button" id="undo">{esc(t("ui.undo", L))}</button></p>',
            "</div>",
            f'<div id="checklist" data-testid="checklist" data-carrier="{esc(carrier.id)}" aria-live="polite">',
            to_html(a, ticked, s.leave_date),
            "</div>",
            log_html(log, L),
            "</div>",
            "</div>",
            f"<footer><p>{esc(t('ui.privacy', L))}</p></footer>",
        ]
    )


# The URL fragment the page reads its situation from: only these keys and values, never an amount, a
# date or anything personal; it is read in the browser and never sent anywhere.
FRAGMENT_KEYS = ("carrier", "plan", "keep", "leaving", "lang")


def parse_fragment(text: str, carriers: dict[str, Carrier]) -> dict[str, str]:
    """`#carrier=tmobile&plan=prepaid&keep=no&leaving=yes&lang=zh` as checked values; the rest is dropped."""
    out: dict[str, str] = {}
    for part in text.lstrip("#").split("&")[:10]:
        key, _, value = part.partition("=")
        value = value.strip().lower()
        if (
            (key == "carrier" and value in carriers)
            or (key == "plan" and value in ("postpaid", "prepaid"))
            or (key in ("keep", "leaving") and value in ("yes", "no"))
            or (key == "lang" and value in ("en", "zh"))
        ):
            out[key] = value
    if "plan" in out and ("carrier" not in out or out["plan"] not in carriers[out["carrier"]].plans):
        del out["plan"]  # a plan only means something with its carrier
    return out


def apply_fragment(s: Situation, values: dict[str, str]) -> Situation:
    """The situation with what the fragment says (carrier and language are chosen by the caller)."""
    update: dict[str, object] = {}
    if "plan" in values:
        update["plan"] = values["plan"]
    if "keep" in values:
        update["keep_number"] = values["keep"] == "yes"
    if "leaving" in values:
        update["leaving_us"] = values["leaving"] == "yes"
    return s.model_copy(update=update) if update else s


def fragment(s: Situation, carrier: Carrier) -> str:
    """The fragment for a situation (what can be shared: no amounts, dates or anything personal)."""
    plan = s.plan or carrier.default_plan
    yes = lambda v: "yes" if v else "no"  # noqa: E731
    return f"#carrier={s.carrier}&plan={plan}&keep={yes(s.keep_number)}&leaving={yes(s.leaving_us)}&lang={s.lang}"
