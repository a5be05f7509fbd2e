"""The page's glue: browser events -> the simexit core -> the page. No business rules live here.

It runs on the page's main thread, so start-up is cut into short tasks (top-level `await breathe()`):
the prerendered checklist stays responsive, and what the person does meanwhile is recorded by boot.js
and applied once Python is ready (`replay`)."""
# ruff: noqa: E402, F704 (imports and awaits at top level, spread over tasks on purpose)

import asyncio
import contextlib
import time
from datetime import date, timedelta

from pyodide.ffi import create_proxy, to_js
from pyscript import document, when, window

_paused_at = time.perf_counter()
window.performance.mark("simexit:app")  # the boot's phases, for the benchmark


async def breathe(after_ms=40):
    """Yield to the browser (paint, input) once `after_ms` of work has run since the last pause."""
    global _paused_at
    if (time.perf_counter() - _paused_at) * 1000 >= after_ms:
        await asyncio.sleep(0)
        _paused_at = time.perf_counter()


# pydantic's modules, then our models, then the rest: each import its own task where it is long.
import pydantic

await breathe()
import pydantic._internal._model_construction

await breathe()
import pydantic._internal._generate_schema
import pydantic.types  # noqa: F401

await breathe()
import simexit.models  # noqa: F401

await breathe()
from simexit import catalog as catalog_mod

await breathe()
from simexit.assess import assess
from simexit.detect import detect
from simexit.i18n import t
from simexit.models import LogEntry, Situation

await breathe()
from simexit.page import app_html, apply_fragment, fragment, log_html, parse_fragment
from simexit.progress import ANSWER_FIELDS, STORAGE_KEY, merge, parse
from simexit.reminders import reminder_dates, to_ics
from simexit.render import LOG_FIELDS, STALE_AFTER_DAYS, to_html, to_markdown

window.performance.mark("simexit:imported")
await breathe()
with open("carriers.json", encoding="utf-8") as f:  # fetched from data/ by PyScript "files"
    for step in catalog_mod.Catalog.from_json_in_steps(f.read()):
        CATALOG = step  # the last step is the catalog
        await breathe()
catalog_mod.use(CATALOG)
CARRIERS = CATALOG.carriers
window.performance.mark("simexit:catalog")
APP = document.getElementById("app")
MONEY = ("device_balance_usd", "prepaid_balance_usd")
DATES = ("leave_date", "activation_date", "paid_off_date", "purchase_date", "paid_through")


def storage():
    """localStorage on the static page; in the extension's sandbox page, which has no storage of its
    own, the same two methods of window.simexitStore, kept by the popup in chrome.storage.local."""
    store = getattr(window, "simexitStore", None)
    return store if store is not None else window.localStorage


def load_saved():
    try:
        raw = storage().getItem(STORAGE_KEY)
    except Exception:  # storage blocked: behave as a first visit
        return None
    return raw if isinstance(raw, str) else None  # JS null arrives as pyodide's jsnull


def save():
    """Read, merge, write: another tab (or the extension's overlay) may have saved since we last read;
    what it changed is kept, what we changed last wins. A failed write is told once."""
    global progress, last_written
    raw = None
    try:
        store = storage()
        with contextlib.suppress(Exception):  # unreadable: ours is written over it
            raw = store.getItem(STORAGE_KEY)
            if isinstance(raw, str) and raw:
                progress = merge(progress, parse(raw, CARRIERS)[0])
        written = progress.dumps()
        store.setItem(STORAGE_KEY, written)
        # localStorage writes at once; the extension's popup writes later, in order, and relays the
        # change when it lands (unless nothing changed)
        in_extension = getattr(window, "simexitStore", None) is not None
        last_written = written if in_extension and written != raw else None
    except Exception:  # storage blocked or full: the page works, it just forgets
        save_failed()
    else:
        follow()


def save_failed(*_):
    """Tell the person once that nothing is being kept (quota, private mode, storage switched off)."""
    global notice, told_unsaved, last_written
    last_written = None  # it will never land
    if told_unsaved:
        return
    told_unsaved = True
    notice = "ui.save_failed"
    show_notice(notice)


def damage_notice(damage):
    """The notice for what could not be read: by carrier where only some were reset."""
    if not damage:
        return None
    if damage.reset and not damage.whole:
        return ("ui.notice_reset_carriers", tuple(damage.reset))
    return "ui.notice_corrupt"


progress, corrupt = parse(load_saved(), CARRIERS)
notice = damage_notice(corrupt)
told_unsaved = False
last_written = None  # the text of our last save

# The URL fragment (#carrier=…&plan=…&keep=…&leaving=…&lang=…) wins over what was saved; boot.js
# painted the same carrier and language.
hinted = parse_fragment(str(window.location.hash or ""), CARRIERS)
first = hinted.get("carrier") or progress.carrier or APP.dataset.carrier
carrier_id = first if first in CARRIERS else "tmobile"
lang = hinted.get("lang") or progress.lang or (APP.dataset.lang if APP.dataset.lang in ("en", "zh") else "en")
situation = apply_fragment(progress.situation(carrier_id, lang), hinted)
if hinted:
    progress.choose(carrier_id, lang)
undo_state = None  # (situation, ticks) before "Clear my answers", until the next change
# Ticks: what was saved, plus what the user ticked on the prerendered list while Python started.
ticks = set(progress.carriers[carrier_id].ticks) if carrier_id in progress.carriers else set()
ticks |= {box.getAttribute("data-tick") for box in APP.querySelectorAll("[data-tick]:checked")}


def today():
    now = window.Date.new()  # the browser's local date
    return date(now.getFullYear(), now.getMonth() + 1, now.getDate())


def show_fragment():
    """The situation's shareable part in the address bar (no amounts, dates or anything personal)."""
    with contextlib.suppress(Exception):
        window.history.replaceState(None, "", fragment(situation, CARRIERS[situation.carrier]))


def current():
    dated = situation.model_copy(update={"today": today()})
    return assess(CARRIERS[situation.carrier], dated, CATALOG.common)


def from_form():
    """The situation on screen, or None (with a notice) when the answers contradict each other."""
    try:
        return Situation(carrier=situation.carrier, lang=situation.lang, **read_form())
    except ValueError:  # the one check across answers: paid off before activation
        show_notice("ui.dates_out_of_order")
        return None


def remember():
    progress.remember(situation, sorted(ticks))
    save()
    show_fragment()


def follow():
    """Shows what the merged progress says for the carrier on screen, if another writer changed it."""
    global situation, ticks
    entry = progress.carriers.get(situation.carrier)
    if entry is None:
        return
    merged_ticks = set(entry.ticks)
    on_screen = situation.model_dump(mode="json", include=set(ANSWER_FIELDS), exclude_defaults=True)
    if entry.answers != on_screen:
        try:
            situation = progress.situation(situation.carrier, situation.lang)
        except ValueError:  # cannot happen for parsed answers; keep what is on screen
            return
        ticks = merged_ticks
        render_all()
    elif merged_ticks != ticks:
        ticks = merged_ticks
        for box in APP.querySelectorAll("[data-tick]"):
            box.checked = box.getAttribute("data-tick") in ticks


def on_storage(event):
    """Another tab saved (the `storage` event), or, in the extension, the popup relays a change of
    chrome.storage.local as the same event: merge it in, show it, and write back what it lacked."""
    global progress, last_written
    raw = event.newValue
    if event.key != STORAGE_KEY or not isinstance(raw, str):  # removed or cleared: ours is kept
        return
    if raw == last_written:
        last_written = None  # our last save has landed
    stored = parse(raw, CARRIERS)[0]
    merged = merge(progress, stored)
    progress = merged
    follow()
    # It lacks something of ours (a writer that did not merge, or our own older save arriving late):
    # write back, unless a save of ours that has it all is still to land after it.
    if merged != stored and (last_written is None or merged.dumps() != last_written):
        save()


def show_notice(key=None, text=None):
    """One notice (role=status) at a time, shown beside the control that caused it: on a phone the
    top of the page is out of view. A reset of unreadable saved progress concerns the whole page and
    is shown at the top."""
    box = document.getElementById("notice")
    if box is None:  # it sat in a part of the page that was redrawn since
        box = document.createElement("p")
        box.id, box.className, box.hidden = "notice", "notice", True
        box.setAttribute("role", "status")
        box.setAttribute("aria-live", "polite")
    page_level = key is not None and (isinstance(key, tuple) or key == "ui.notice_corrupt")
    if isinstance(key, tuple):  # ("ui.notice_reset_carriers", carrier ids)
        key, ids = key
        names = [getattr(CARRIERS[cid].name, situation.lang) for cid in ids if cid in CARRIERS]
        text = t(key, situation.lang, names=("、" if situation.lang == "zh" else ", ").join(names))
    message = text or (t(key, situation.lang) if key else "")
    # the control a notice is about; otherwise the one just used (a failed save, contradicting dates)
    about = {
        "ui.url_none": "detect-url",
        "ui.carrier_none": "f-carrier",
        "ui.copied": "copy-md",
        "ui.ics_none": "ics",
    }
    control = document.getElementById(about[key]) if key in about else document.activeElement
    anchor = (
        control.closest(".q, .actions, li, section")
        if control and control.closest and not page_level
        else None
    )
    if anchor and APP.contains(anchor):
        (anchor.append if anchor.tagName == "LI" else anchor.after)(box)
    elif message or not box.isConnected:
        document.querySelector("header.top").after(box)
    box.textContent = message
    box.hidden = not message


def render_all():
    """Form and checklist: after a change of carrier, language or a question that changes the form."""
    focused = document.activeElement
    focus_id = focused.id if focused and focused.id else None
    more = document.getElementById("more-q")
    APP.innerHTML = app_html(
        CARRIERS,
        CARRIERS[situation.carrier],
        situation,
        current(),
        frozenset(ticks),
        saved_log(),
        more_open=bool(more and more.open),
    )
    APP.dataset.carrier, APP.dataset.lang = situation.carrier, situation.lang
    document.documentElement.lang = "zh-CN" if situation.lang == "zh" else "en"
    enable()
    show_notice(notice)
    if focus_id and document.getElementById(focus_id):
        document.getElementById(focus_id).focus()


def saved_log():
    entry = progress.carriers.get(situation.carrier)
    return tuple(entry.log) if entry else ()


def enable():
    for control in ("answers", "copy-md", "reset", "ics", "log-add"):
        document.getElementById(control).disabled = False
    document.getElementById("loading").hidden = True


def render_checklist():
    """Only the checklist: after an answer that does not change which questions are asked."""
    started = time.perf_counter()
    document.getElementById("checklist").innerHTML = to_html(
        current(), frozenset(ticks), situation.leave_date
    )
    root = document.documentElement.dataset  # read by the benchmark and tests
    root.reassessMs = f"{(time.perf_counter() - started) * 1000:.2f}"
    root.reassessCount = str(int(document.documentElement.getAttribute("data-reassess-count") or 0) + 1)


def read_form():
    """The answers on screen as Situation fields; a value that does not validate is left out."""
    form = document.getElementById("situation")
    values = {}
    for name in ("plan", "scope", "keep_number", "port_lock_on"):
        chosen = form.querySelector(f'input[name="{name}"]:checked')
        if chosen:
            values[name] = chosen.value
    if "keep_number" in values:
        values["keep_number"] = values["keep_number"] == "yes"
    for name in ("role", "state"):
        field = form.querySelector(f'[name="{name}"]')
        if field:
            values[name] = field.value or None
    for name in DATES:
        field = form.querySelector(f'[name="{name}"]')
        if field and field.value:
            values[name] = field.value  # ISO dates; Situation validates them
    term = form.querySelector('[name="term_months"]')
    if term:
        values["term_months"] = int(term.value) if term.value.isdigit() else None
    day = form.querySelector('[name="bill_day"]')
    if day:
        values["bill_day"] = int(day.value) if day.value.isdigit() and 1 <= int(day.value) <= 31 else None
    for name in ("enrolled_online", "leaving_us"):
        field = form.querySelector(f'[name="{name}"]')
        if field:
            values[name] = bool(field.checked)
    for name in MONEY:
        field = form.querySelector(f'[name="{name}"]')
        if field:
            amount = _amount(field.value)
            field.setAttribute("aria-invalid", "false" if amount is not None else "true")
            if amount is not None:
                values[name] = amount
    return {k: v for k, v in values.items() if v is not None or k in ("state", "bill_day", "term_months")}


def _amount(text):
    try:
        value = float(text) if str(text).strip() else 0.0
    except ValueError:
        return None
    return value if 0 <= value <= 100_000 else None


def switch_carrier(new_id):
    global situation, ticks
    situation = progress.situation(new_id, situation.lang)
    ticks = set(progress.carriers[new_id].ticks) if new_id in progress.carriers else set()
    progress.choose(new_id, situation.lang)
    show_notice()
    render_all()
    remember()


def find_carrier(text, first=False):
    """A carrier id from what was typed, picked or pasted (an account page's address) in the carrier
    box: an exact name or alias, else the only match, or with `first` (Enter) the best match."""
    return catalog_mod.find_carrier(text, CARRIERS, first=first)


@when("keydown", "#app")
def on_keydown(event):
    """Enter in the carrier box picks the first match."""
    if event.key != "Enter" or event.target.id != "f-carrier":
        return
    event.preventDefault()
    found = find_carrier(event.target.value, first=True)
    if found:
        switch_carrier(found)
        document.getElementById("f-carrier").focus()
    else:
        show_notice("ui.carrier_none")


@when("change", "#app")
def on_change(event):
    global situation, notice
    target = event.target
    tick = target.getAttribute("data-tick")
    if tick:
        (ticks.add if target.checked else ticks.discard)(tick)
        remember()
        return
    name = target.getAttribute("name")
    if name == "carrier":
        found = find_carrier(target.value)
        if found:
            switch_carrier(found)
        else:
            show_notice("ui.carrier_none")
        return
    if name == "url" or not name or name.startswith("log_"):
        return
    updated = from_form()
    if updated is None:
        return
    situation, notice = updated, None
    show_notice()
    if name in ("plan", "keep_number"):
        render_all()  # these change which questions are asked
    else:
        render_checklist()
    remember()


@when("input", "#app")
def on_input(event):
    global situation
    if event.target.getAttribute("name") in (*MONEY, "bill_day"):
        updated = from_form()
        if updated is not None:
            situation = updated
            render_checklist()
            remember()


@when("click", "#app")
def on_click(event):
    global situation, ticks, notice, undo_state
    button = event.target.closest("button")
    if not button:
        return
    if button.classList.contains("copy-report"):  # "Report a wrong fact" while there is no tracker
        report = button.closest("details.report").querySelector(".report-text").textContent
        window.navigator.clipboard.writeText(report)
        show_notice("ui.report_copied")
    elif button.id == "lang-toggle":
        situation = situation.model_copy(update={"lang": "zh" if situation.lang == "en" else "en"})
        progress.choose(situation.carrier, situation.lang)
        render_all()
        remember()
    elif button.id == "detect-url":
        found = detect(document.getElementById("f-url").value, None, CARRIERS)
        if found:
            switch_carrier(found.carrier)
        else:
            show_notice("ui.url_none")
    elif button.id == "copy-md":
        window.navigator.clipboard.writeText(to_markdown(current(), frozenset(ticks), saved_log()))
        show_notice("ui.copied")
    elif button.id == "ics":
        result = current()
        if not reminder_dates(result, today()):
            show_notice("ui.ics_none")
            return
        blob = window.Blob.new(
            to_js([to_ics(result, today())]),
            to_js({"type": "text/calendar"}, dict_converter=window.Object.fromEntries),
        )
        link = document.createElement("a")
        link.href = window.URL.createObjectURL(blob)
        link.download = f"simexit-{situation.carrier}.ics"
        link.click()
        window.URL.revokeObjectURL(link.href)
    elif button.id == "log-add":
        values = {f: document.getElementById(f"log-{f}").value for f in LOG_FIELDS}
        if not any(v.strip() for v in values.values()):
            return
        remember()  # makes sure this carrier has a record to add to
        progress.carriers[situation.carrier].log.append(LogEntry(**values))
        save()
        document.getElementById("log").outerHTML = log_html(saved_log(), situation.lang, opened=True)
        document.getElementById("log-add").disabled = False
    elif button.id == "reset":  # asks first
        document.getElementById("reset-ask").hidden = False
        document.getElementById("reset-no").focus()
    elif button.id == "reset-no":
        document.getElementById("reset-ask").hidden = True
        document.getElementById("reset").focus()
    elif button.id == "reset-yes":
        # answers and ticks go (remember dates the change, so other tabs follow); the log stays
        undo_state = (situation, set(ticks))
        situation, ticks, notice = Situation(carrier=situation.carrier, lang=situation.lang), set(), None
        render_all()
        remember()
        document.getElementById("undo-box").hidden = False
        document.getElementById("undo").focus()
    elif button.id == "undo" and undo_state:
        situation, ticks = undo_state[0], set(undo_state[1])
        undo_state = None
        render_all()
        remember()
        document.getElementById("reset").focus()


def aged_since_build():
    """True when some fact of this carrier has become old since the prerendered page was built."""
    limit = today() - timedelta(days=STALE_AFTER_DAYS)
    sources = [*CARRIERS[situation.carrier].sources.values(), *CATALOG.common.sources.values()]
    return any(source.checked < limit for source in sources)


class Replayed:
    """The parts of a DOM event the handlers read, for an action recorded before Python was ready."""

    def __init__(self, target, key=""):
        self.target, self.key = target, key

    def preventDefault(self):
        pass


def replay(actions):
    """Apply what the person did while Python started (recorded by boot.js), in order, to the page as
    it is now: the same control gets the recorded value and its handler runs. Repeated input to one
    field (typing) counts once, with its last value."""
    handlers = {"change": on_change, "input": on_input, "keydown": on_keydown, "click": on_click}
    kept = [
        a
        for i, a in enumerate(actions)
        if i + 1 == len(actions)
        or (a["type"], a["id"]) != (actions[i + 1]["type"], actions[i + 1]["id"])
        or a["type"] == "click"
    ]
    for action in kept:
        target = document.getElementById(action["id"])
        if target is None or action["type"] not in handlers:
            continue
        if action["type"] in ("change", "input"):
            if target.type in ("checkbox", "radio"):
                target.checked = bool(action.get("checked"))
            else:
                target.value = str(action.get("value", ""))
        elif action["type"] == "keydown":
            target.value = str(action.get("value", ""))
        handlers[action["type"]](Replayed(target, action.get("key", "")))


await breathe(0)
on_screen = (APP.dataset.carrier, APP.dataset.lang) == (situation.carrier, situation.lang)
default = situation == Situation(carrier=situation.carrier, lang=situation.lang)
dated_today = APP.dataset.built == today().isoformat()  # the prerender is dated by the build
if on_screen and default and dated_today and not notice and not saved_log() and not aged_since_build():
    enable()  # the prerendered default is already what Python would render (boot.js restored the ticks)
else:
    render_all()
saved_ticks = progress.carriers[carrier_id].ticks if carrier_id in progress.carriers else []
if corrupt or hinted or ticks != set(saved_ticks):
    remember()  # replace the unreadable record with a valid one; keep ticks made before Python started


def on_hash(_event):
    """A new #carrier=… fragment (typed or followed): show that situation. In-page anchors are ignored."""
    global situation, ticks
    values = parse_fragment(str(window.location.hash or ""), CARRIERS)
    if not values:
        return
    new_id = values.get("carrier", situation.carrier)
    lang_now = values.get("lang", situation.lang)
    base = progress.situation(new_id, lang_now) if new_id != situation.carrier else situation
    situation = apply_fragment(base.model_copy(update={"lang": lang_now}), values)
    if new_id in progress.carriers and new_id != APP.dataset.carrier:
        ticks = set(progress.carriers[new_id].ticks)
    progress.choose(new_id, lang_now)
    render_all()
    remember()


window.addEventListener("hashchange", create_proxy(on_hash))
window.addEventListener("storage", create_proxy(on_storage))
window.addEventListener("simexit-save-failed", create_proxy(save_failed))  # the extension's popup
await breathe()
pending = getattr(window, "simexitPending", None)
if pending is not None and pending.length:
    replay(pending.to_py())
    pending.length = 0
root = document.documentElement.dataset
root.pyBootMs = str(round(window.performance.now()))  # navigation start -> Python interactive
root.pyReady = "true"


def warm_up(*_):
    """Once the page is idle: assess and render a situation with every answer given, and throw it away.
    Code that runs for the first time is slow in Pyodide (the first answer took 40-70 ms, later ones
    about 8); this way the person's first answer is not the first run."""
    with contextlib.suppress(Exception):  # only ever a head start: never an error for the person
        day = today()
        sample = situation.model_copy(
            update={
                "today": day,
                "keep_number": not situation.keep_number,
                "leaving_us": True,
                "device_balance_usd": 100.0,
                "prepaid_balance_usd": 10.0,
                "bill_day": 10,
                "leave_date": day + timedelta(days=30),
                "purchase_date": day - timedelta(days=5),
            }
        )
        to_html(assess(CARRIERS[sample.carrier], sample, CATALOG.common), frozenset(), sample.leave_date)
        root.warm = "done"  # for the tests: the sample still assesses


idle = getattr(window, "requestIdleCallback", None)  # not in every browser (Safari)
(idle or window.setTimeout)(create_proxy(warm_up))
