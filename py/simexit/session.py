"""One person's checklist, driven by messages: the engine behind the static page and the popup.

A shell (web/shell.js) sends what happened as plain data: an answer given, a tick, a click, a
change another tab saved. It gets back a list of effects to apply in order: HTML to show, a notice,
text to store, a fragment for the address bar, text for the clipboard, a file to download. The
session knows nothing of browsers, so the same code runs in the page's worker, in the extension's
engine and under CPython in the tests.

Every message carries `today` (the browser's local date) and `stored` (what storage holds now, or
null), since neither can be read from here.
"""

from __future__ import annotations

import functools
import json
import time
from datetime import date, timedelta
from typing import Any

from . import catalog as catalog_mod
from .assess import assess
from .catalog import Catalog, find_carrier
from .detect import detect
from .i18n import t
from .models import LogEntry, Situation
from .page import app_html, apply_fragment, fragment, log_html, parse_fragment
from .progress import ANSWER_FIELDS, Damage, merge, parse
from .reminders import reminder_dates, to_ics
from .render import LOG_FIELDS, STALE_AFTER_DAYS, to_html, to_markdown

Effect = dict[str, Any]
MONEY = ("device_balance_usd", "prepaid_balance_usd")
DATES = ("leave_date", "activation_date", "paid_off_date", "purchase_date", "paid_through")
# The warm-up: at most this many rounds of two sample situations, stopped after the budget.
WARM_ROUNDS = 4
WARM_BUDGET_S = 0.15
# The control a notice is about, where it is not simply the one just used.
NOTICE_ABOUT = {
    "ui.url_none": "detect-url",
    "ui.carrier_none": "f-carrier",
    "ui.copied": "copy-md",
    "ui.ics_none": "ics",
}


def read_form(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bool]]:
    """The answers on screen as Situation fields (a value that does not validate is left out), and
    for each amount field whether it is invalid. `form` has a key per field the form shows: the
    checked value of a radio group (absent when none is), a checkbox's state, other fields' text."""
    values: dict[str, Any] = {}
    for name in ("plan", "scope", "keep_number", "port_lock_on"):
        if isinstance(form.get(name), str):
            values[name] = form[name]
    if "keep_number" in values:
        values["keep_number"] = values["keep_number"] == "yes"
    for name in ("role", "state"):
        if name in form:
            values[name] = str(form[name] or "") or None
    for name in DATES:
        if isinstance(form.get(name), str) and form[name]:
            values[name] = form[name]  # ISO dates; Situation validates them
    if "term_months" in form:
        term = str(form["term_months"] or "")
        values["term_months"] = int(term) if term.isdigit() else None
    if "bill_day" in form:
        day = str(form["bill_day"] or "")
        values["bill_day"] = int(day) if day.isdigit() and 1 <= int(day) <= 31 else None
    for name in ("enrolled_online", "leaving_us"):
        if name in form:
            values[name] = bool(form[name])
    invalid = {}
    for name in MONEY:
        if name in form:
            amount = _amount(form[name])
            invalid[name] = amount is None
            if amount is not None:
                values[name] = amount
    kept = {k: v for k, v in values.items() if v is not None or k in ("state", "bill_day", "term_months")}
    return kept, invalid


def _amount(text: Any) -> float | None:
    try:
        value = float(text) if str(text).strip() else 0.0
    except ValueError:
        return None
    return value if 0 <= value <= 100_000 else None


def damage_notice(damage: Damage | None) -> Any:
    """The notice for what could not be read: by carrier where only some were reset."""
    if not damage:
        return None
    if damage.reset and not damage.whole:
        return ("ui.notice_reset_carriers", tuple(damage.reset))
    return "ui.notice_corrupt"


class Session:
    """What one view shows and remembers: the situation on screen, its ticks, the saved progress."""

    def __init__(self, catalog: Catalog, start: dict[str, Any]):
        """`start`: stored, hash, today, shown {carrier, lang, built} (the prerendered page), ticked
        (boxes ticked on it before the engine was ready), deferred (storage writes land later and
        come back as "stored", as in the extension)."""
        self.catalog = catalog
        self.carriers = catalog.carriers
        self.today = _day(start.get("today"))
        self.deferred = bool(start.get("deferred"))
        self.effects: list[Effect] = []
        self.told_unsaved = False
        self.last_written: str | None = None  # the text of our last deferred save, until it lands
        self.undo_state: tuple[Situation, set[str]] | None = None
        stored = start.get("stored")
        self.progress, corrupt = parse(stored if isinstance(stored, str) else None, self.carriers)
        self.notice = damage_notice(corrupt)
        shown = start.get("shown") or {}
        ticked = {str(x) for x in start.get("ticked") or []}
        # The URL fragment (#carrier=…&plan=…&lang=…) wins over what was saved.
        hinted = parse_fragment(str(start.get("hash") or ""), self.carriers)
        first = hinted.get("carrier") or self.progress.carrier or shown.get("carrier")
        carrier_id = first if first in self.carriers else next(iter(self.carriers))
        lang = hinted.get("lang") or self.progress.lang or shown.get("lang")
        lang = lang if lang in ("en", "zh") else "en"
        self.situation = apply_fragment(self.progress.situation(carrier_id, lang), hinted)
        if hinted:
            self.progress.choose(carrier_id, lang)
        saved_ticks = self.progress.carriers[carrier_id].ticks if carrier_id in self.progress.carriers else []
        # what was saved, plus what was ticked on the prerendered list while the engine started
        self.ticks = set(saved_ticks) | ticked
        self._started = (shown, hinted, corrupt, set(saved_ticks), ticked)

    # ------------------------------------------------------------------ messages

    def handle(self, message: dict[str, Any]) -> list[Effect]:
        """Apply one message from the shell; the effects to apply, in order."""
        self.effects = []
        if message.get("today"):
            self.today = _day(message["today"])
        kind = message.get("type")
        stored = message.get("stored")
        stored = stored if isinstance(stored, str) else None
        if kind == "start":
            self._start(stored)
        elif kind in ("change", "input", "enter", "click"):
            getattr(self, f"_on_{kind}")(message, stored)
        elif kind == "stored":
            self._on_stored(message.get("raw"), stored)
        elif kind == "hash":
            self._on_hash(str(message.get("hash") or ""), message, stored)
        elif kind == "save_failed":
            self._save_failed()
        elif kind == "warm":
            self._warm_up()
        return self.effects

    def _start(self, stored: str | None) -> None:
        shown, hinted, corrupt, saved_ticks, ticked = self._started
        s = self.situation
        on_screen = (shown.get("carrier"), shown.get("lang")) == (s.carrier, s.lang)
        default = s == Situation(carrier=s.carrier, lang=s.lang)
        dated_today = shown.get("built") == self.today.isoformat()  # the prerender is dated by the build
        if (
            on_screen
            and default
            and dated_today
            and not self.notice
            and not self._log()
            and not self._aged_since_build()
            and ticked == self.ticks  # the shell painted the saved ticks
        ):
            self.effects.append({"do": "enable"})  # the prerender is what we would render
        else:
            self._render_all()
        if corrupt or hinted or self.ticks != saved_ticks:
            self._remember(stored)  # replace an unreadable record; keep ticks made before we started

    def _on_change(self, message: dict[str, Any], stored: str | None) -> None:
        tick = message.get("tick")
        if tick:
            (self.ticks.add if message.get("checked") else self.ticks.discard)(str(tick))
            self._remember(stored)
            return
        name = message.get("name")
        if name == "carrier":
            found = find_carrier(str(message.get("value") or ""), self.carriers)
            if found:
                self._switch_carrier(found, stored)
            else:
                self._notice("ui.carrier_none")
            return
        if name == "url" or not name or str(name).startswith("log_"):
            return
        updated = self._from_form(message)
        if updated is None:
            return
        self.situation, self.notice = updated, None
        self._notice(None)
        if name in ("plan", "keep_number"):
            self._render_all()  # these change which questions are asked
        else:
            self._render_checklist()
        self._remember(stored)

    def _on_input(self, message: dict[str, Any], stored: str | None) -> None:
        if message.get("name") in (*MONEY, "bill_day"):
            updated = self._from_form(message)
            if updated is not None:
                self.situation = updated
                self._render_checklist()
                self._remember(stored)

    def _on_enter(self, message: dict[str, Any], stored: str | None) -> None:
        """Enter in the carrier box picks the first match."""
        found = find_carrier(str(message.get("value") or ""), self.carriers, first=True)
        if found:
            self._switch_carrier(found, stored)
        else:
            self._notice("ui.carrier_none")

    def _on_click(self, message: dict[str, Any], stored: str | None) -> None:
        button = message.get("button")
        s = self.situation
        if button == "copy-report":  # "Report a wrong fact" while there is no tracker
            self.effects.append({"do": "clipboard", "text": str(message.get("text") or "")})
            self._notice("ui.report_copied")
        elif button == "lang-toggle":
            self.situation = s.model_copy(update={"lang": "zh" if s.lang == "en" else "en"})
            self.progress.choose(s.carrier, self.situation.lang)
            self._render_all()
            self._remember(stored)
        elif button == "detect-url":
            found = detect(str(message.get("url") or ""), None, self.carriers)
            if found:
                self._switch_carrier(found.carrier, stored)
            else:
                self._notice("ui.url_none")
        elif button == "copy-md":
            text = to_markdown(self._current(), frozenset(self.ticks), self._log())
            self.effects.append({"do": "clipboard", "text": text})
            self._notice("ui.copied")
        elif button == "ics":
            result = self._current()
            if not reminder_dates(result, self.today):
                self._notice("ui.ics_none")
                return
            self.effects.append(
                {
                    "do": "download",
                    "name": f"simexit-{s.carrier}.ics",
                    "type": "text/calendar",
                    "text": to_ics(result, self.today),
                }
            )
        elif button == "log-add":
            values = {f: str((message.get("log") or {}).get(f) or "") for f in LOG_FIELDS}
            if not any(v.strip() for v in values.values()):
                return
            self.progress.remember(s, sorted(self.ticks))  # makes sure this carrier has a record
            self.progress.carriers[s.carrier].log.append(LogEntry(**values))
            self._save(stored)
            self._fragment()
            self.effects.append({"do": "log", "html": log_html(self._log(), s.lang, opened=True)})
        elif button == "reset":  # asks first
            self.effects += [{"do": "show", "id": "reset-ask"}, {"do": "focus", "id": "reset-no"}]
        elif button == "reset-no":
            self.effects += [{"do": "hide", "id": "reset-ask"}, {"do": "focus", "id": "reset"}]
        elif button == "reset-yes":
            # answers and ticks go (remember dates the change, so other tabs follow); the log stays
            self.undo_state = (s, set(self.ticks))
            self.situation, self.ticks, self.notice = Situation(carrier=s.carrier, lang=s.lang), set(), None
            self._render_all()
            self._remember(stored)
            self.effects += [{"do": "show", "id": "undo-box"}, {"do": "focus", "id": "undo"}]
        elif button == "undo" and self.undo_state:
            self.situation, ticks = self.undo_state
            self.ticks = set(ticks)
            self.undo_state = None
            self._render_all()
            self._remember(stored)
            self.effects.append({"do": "focus", "id": "reset"})

    def _on_stored(self, raw: Any, stored: str | None) -> None:
        """Another tab saved (the `storage` event), or, in the extension, a change of the stored
        progress was relayed: merge it in, show it, and write back what it lacked."""
        if not isinstance(raw, str):  # removed or cleared: ours is kept
            return
        if raw == self.last_written:
            self.last_written = None  # our last save has landed
        incoming = parse(raw, self.carriers)[0]
        merged = merge(self.progress, incoming)
        self.progress = merged
        self._follow()
        # It lacks something of ours (a writer that did not merge, or our own older save arriving
        # late): write back, unless a save of ours that has it all is still to land after it. Compared
        # by content: a merge sorts what a save wrote in the order it happened.
        pending = parse(self.last_written, self.carriers)[0] if self.last_written else None
        if merged != incoming and merged != pending:
            self._save(raw)

    def _on_hash(self, text: str, message: dict[str, Any], stored: str | None) -> None:
        """A new #carrier=… fragment (typed or followed): show that situation. In-page anchors are
        ignored."""
        values = parse_fragment(text, self.carriers)
        if not values:
            return
        s = self.situation
        new_id = values.get("carrier", s.carrier)
        lang_now = values.get("lang", s.lang)
        base = self.progress.situation(new_id, lang_now) if new_id != s.carrier else s
        self.situation = apply_fragment(base.model_copy(update={"lang": lang_now}), values)
        if new_id != s.carrier:  # that carrier's ticks: none when nothing is saved for it
            entry = self.progress.carriers.get(new_id)
            self.ticks = set(entry.ticks) if entry else set()
        self.progress.choose(new_id, lang_now)
        self._render_all()
        self._remember(stored)

    # ------------------------------------------------------------------ state

    def _current(self):
        dated = self.situation.model_copy(update={"today": self.today})
        return assess(self.carriers[self.situation.carrier], dated, self.catalog.common)

    def _log(self) -> tuple[LogEntry, ...]:
        entry = self.progress.carriers.get(self.situation.carrier)
        return tuple(entry.log) if entry else ()

    def _from_form(self, message: dict[str, Any]) -> Situation | None:
        """The situation with the one answer this message is about, or None: not an answer, or (with
        a notice) one that contradicts the others. Only that field is read from the form sent along:
        the others may already show answers typed later, whose own messages are still on their way."""
        name = str(message.get("name") or "")
        form = message.get("form") or {}
        if name not in ANSWER_FIELDS or name not in form:
            return None
        values, invalid = read_form({name: form[name]})
        if invalid:
            self.effects.append({"do": "invalid", "fields": invalid})
        answers = self.situation.model_dump()
        if not invalid.get(name):  # a half-typed or mistyped amount: the last good one stays in force
            answers[name] = values.get(name)  # absent: an emptied date
        try:
            return Situation.model_validate(answers)
        except ValueError:  # the one check across answers: paid off before activation
            self._notice("ui.dates_out_of_order")
            return None

    def _switch_carrier(self, new_id: str, stored: str | None) -> None:
        self.situation = self.progress.situation(new_id, self.situation.lang)
        self.ticks = set(self.progress.carriers[new_id].ticks) if new_id in self.progress.carriers else set()
        self.progress.choose(new_id, self.situation.lang)
        self._notice(None)
        self._render_all()
        self._remember(stored)

    def _remember(self, stored: str | None) -> None:
        self.progress.remember(self.situation, sorted(self.ticks))
        self._save(stored)
        self._fragment()

    def _save(self, stored: str | None) -> None:
        """Merge, then write: another tab (or the extension's overlay) may have saved since; what it
        changed is kept, what we changed last wins."""
        if stored:  # unreadable: parse gives nothing, and ours is written over it
            self.progress = merge(self.progress, parse(stored, self.carriers)[0])
        written = self.progress.dumps()
        self.effects.append({"do": "store", "raw": written})
        # Storage that writes later (the extension) relays the change when it lands, unless
        # nothing changed.
        self.last_written = written if self.deferred and written != stored else None
        self._follow()

    def _save_failed(self) -> None:
        """Tell the person once that nothing is being kept (quota, private mode, storage off)."""
        self.last_written = None  # it will never land
        if self.told_unsaved:
            return
        self.told_unsaved = True
        self.notice = "ui.save_failed"
        self._notice(self.notice)

    def _follow(self) -> None:
        """Shows what the merged progress says for the carrier on screen, if another writer changed it."""
        entry = self.progress.carriers.get(self.situation.carrier)
        if entry is None:
            return
        merged_ticks = set(entry.ticks)
        on_screen = self.situation.model_dump(mode="json", include=set(ANSWER_FIELDS), exclude_defaults=True)
        if entry.answers != on_screen:
            try:
                self.situation = self.progress.situation(self.situation.carrier, self.situation.lang)
            except ValueError:  # cannot happen for parsed answers; keep what is on screen
                return
            self.ticks = merged_ticks
            self._render_all()
        elif merged_ticks != self.ticks:
            self.ticks = merged_ticks
            self.effects.append({"do": "ticks", "ticks": sorted(self.ticks)})

    def _aged_since_build(self) -> bool:
        """True when some fact of this carrier has become old since the prerendered page was built."""
        limit = self.today - timedelta(days=STALE_AFTER_DAYS)
        carrier = self.carriers[self.situation.carrier]
        sources = [*carrier.sources.values(), *self.catalog.common.sources.values()]
        return any(source.checked < limit for source in sources)

    # ------------------------------------------------------------------ effects

    def _render_all(self) -> None:
        """Form and checklist: after a change of carrier, language or a question that changes the form."""
        s = self.situation
        html = app_html(
            self.carriers,
            self.carriers[s.carrier],
            s,
            self._current(),
            frozenset(self.ticks),
            self._log(),
        )
        self.effects.append({"do": "app", "html": html, "carrier": s.carrier, "lang": s.lang})
        self._notice(self.notice)

    def _render_checklist(self) -> None:
        """Only the checklist: after an answer that does not change which questions are asked."""
        started = time.perf_counter()
        html = to_html(self._current(), frozenset(self.ticks), self.situation.leave_date)
        ms = (time.perf_counter() - started) * 1000
        self.effects.append({"do": "checklist", "html": html, "ms": round(ms, 2)})

    def _notice(self, key: Any) -> None:
        """One notice at a time, beside the control it is about (`about`; else the one just used); a
        reset of unreadable saved progress concerns the whole page (`page`). No key: none shown."""
        page_level = key is not None and (isinstance(key, tuple) or key == "ui.notice_corrupt")
        lang = self.situation.lang
        if isinstance(key, tuple):  # ("ui.notice_reset_carriers", carrier ids)
            key, ids = key
            names = [getattr(self.carriers[c].name, lang) for c in ids if c in self.carriers]
            text = t(key, lang, names=("、" if lang == "zh" else ", ").join(names))
        else:
            text = t(key, lang) if key else ""
        self.effects.append(
            {"do": "notice", "text": text, "about": NOTICE_ABOUT.get(key), "page": page_level}
        )

    def _fragment(self) -> None:
        """The situation's shareable part for the address bar (nothing personal)."""
        s = self.situation
        self.effects.append({"do": "fragment", "value": fragment(s, self.carriers[s.carrier])})

    def _warm_up(self) -> None:
        """Assess and render situations with every answer given, and throw them away: code that runs
        for the first time is slow in Pyodide (40-70 ms, later about 8), and the browser compiles the
        interpreter's busiest code again, faster, only once it has run a while (after a start from the
        memory snapshot, little has). So the person's first answers are not the first runs."""
        day = self.today
        started = time.perf_counter()
        for keep_number in (not self.situation.keep_number, self.situation.keep_number) * WARM_ROUNDS:
            sample = self.situation.model_copy(
                update={
                    "today": day,
                    "keep_number": keep_number,
                    "leaving_us": True,
                    "device_balance_usd": 100.0,
                    "prepaid_balance_usd": 10.0,
                    "bill_day": 10,
                    "leave_date": day + timedelta(days=30),
                    "purchase_date": day - timedelta(days=5),
                }
            )
            assessment = assess(self.carriers[sample.carrier], sample, self.catalog.common)
            to_html(assessment, frozenset(), sample.leave_date)
            if time.perf_counter() - started > WARM_BUDGET_S:
                break  # an answer sent meanwhile waits for this message: keep it short
        self.effects.append({"do": "warm"})


class Engine:
    """The sessions of every caller (`client`: the page, or one popup) over one catalog; messages and
    effects as JSON text, as they cross from JavaScript. A "start" message begins a new session."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.sessions: dict[str, Session] = {}

    def handle(self, client: str, text: str) -> str:
        message = json.loads(text)
        if message.get("type") == "start":
            self.sessions[client] = Session(self.catalog, message)
        session = self.sessions.get(client)
        effects = session.handle(message) if session else []
        return json.dumps(effects, ensure_ascii=False)

    def close(self, client: str) -> None:
        """The caller has gone (a popup closed): forget its session."""
        self.sessions.pop(client, None)


@functools.cache
def engine_for(bundle: str) -> Engine:
    """The engine over a catalog bundle (JSON text), made once per interpreter and bundle: engine.py
    runs again in an interpreter restored from a memory snapshot, which already holds it."""
    catalog = Catalog.from_json(bundle)
    catalog_mod.use(catalog)
    return Engine(catalog)


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return date.today()


__all__ = ["Engine", "Session", "engine_for", "read_form"]
