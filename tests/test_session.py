"""simexit.session, the engine behind the page's shell, on small made-up carriers: every message the
shell (web/shell.js) sends, and the effects that come back. Real carrier data is never needed."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from fixture_carriers import carrier, common
from simexit import progress as progress_mod
from simexit.assess import assess
from simexit.catalog import Catalog
from simexit.i18n import t
from simexit.models import Carrier, LogEntry, Situation
from simexit.page import app_html
from simexit.progress import Progress, parse
from simexit.render import to_markdown
from simexit.session import NOTICE_ABOUT, Session, read_form

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-30"  # the fixtures' facts were checked on 2026-11-01: fresh
SHOWN = {"carrier": "fixa", "lang": "en", "built": TODAY}  # the default prerender, built today
# The effect kinds web/shell.js applies: a kind without a case there would be dropped silently.
SHELL_CASES = set(re.findall(r'case "([a-z_]+)":', (ROOT / "web" / "shell.js").read_text(encoding="utf-8")))


def _two_plans(cid: str) -> Carrier:
    data = carrier(cid).model_dump(mode="json", exclude_none=True)
    data["plans"]["prepaid"] = data["plans"]["postpaid"]
    return Carrier.model_validate(data)


# fixa: one (postpaid) plan; fixb: postpaid and prepaid, so the plan is asked.
CATALOG = Catalog(carriers={"fixa": carrier("fixa"), "fixb": _two_plans("fixb")}, common=common())


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Saved progress is dated in ms; a clock that moves on by a second at each reading makes every
    change later than the one before, so merges never tie."""
    ticks = count(1_790_000_000_000, 1000)
    monkeypatch.setattr(progress_mod, "now_ms", lambda: next(ticks))


# ---------------------------------------------------------------------------------------- helpers


class FormValues(HTMLParser):
    """web/shell.js formValues() on HTML: each named field of form#situation, a radio group by its
    checked value (absent when none is), a checkbox by its state, the rest by their value."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, Any] = {}
        self.inside = False
        self.select: str | None = None
        self.chosen = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "situation":
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "radio":
                if "checked" in a:
                    self.values[name] = a["value"]
            elif kind == "checkbox":
                self.values[name] = "checked" in a
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select, self.chosen = name, False
        elif tag == "option" and self.select and not self.chosen:
            first = self.select not in self.values
            if first or "selected" in a:  # a select's value: its selected option, else its first
                self.values[self.select] = a.get("value") or ""
                self.chosen = "selected" in a

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_of(html: str) -> dict[str, Any]:
    return FormValues(html).values


def rendered(s: Situation) -> str:
    """What the session (or the build's prerender) draws for a situation, nothing ticked."""
    return app_html(
        CATALOG.carriers,
        CATALOG.carriers[s.carrier],
        s,
        assess(CATALOG.carriers[s.carrier], s, CATALOG.common),
    )


class Store:
    """localStorage's one key, shared by the tabs that use it."""

    def __init__(self, text: str | None = None):
        self.text = text


class Tab:
    """A stand-in for web/shell.js on the static page: each message carries `today` and what storage
    holds now; "store" effects are written at once; the form is the one the last "app" effect drew
    (the prerender before that), and answering edits it as a person would."""

    def __init__(self, store: Store | None = None, hash: str = "", shown=SHOWN, ticked=(), today=TODAY):
        self.store = store or Store()
        self.today = today
        known = shown["carrier"] in CATALOG.carriers
        self.form = (
            form_of(rendered(Situation(carrier=shown["carrier"], lang=shown["lang"]))) if known else {}
        )
        start = {"type": "start", "hash": hash, "shown": shown, "ticked": list(ticked)}
        self.session = Session(CATALOG, self._message(start))
        self.effects = self.send(**start)

    def _message(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {**fields, "today": self.today, "stored": self.store.text}

    def send(self, **fields: Any) -> list[dict[str, Any]]:
        effects = self.session.handle(self._message(fields))
        assert {e["do"] for e in effects} <= SHELL_CASES, effects
        for effect in effects:
            if effect["do"] == "store":
                self.store.text = effect["raw"]
            elif effect["do"] == "app":
                self.form = form_of(effect["html"])
        return effects

    def answer(self, name: str, value: Any, kind: str = "change") -> list[dict[str, Any]]:
        self.form[name] = value
        return self.send(type=kind, id=f"f-{name}", name=name, value=str(value), form=dict(self.form))

    def tick(self, step: str, checked: bool = True) -> list[dict[str, Any]]:
        return self.send(type="change", id=f"tick-{step}", tick=step, checked=checked, form=dict(self.form))

    def click(self, button: str, **fields: Any) -> list[dict[str, Any]]:
        return self.send(type="click", button=button, **fields)

    @property
    def saved(self) -> Progress:
        progress, damage = parse(self.store.text, CATALOG.carriers)
        assert not damage
        return progress


def kinds(effects) -> list[str]:
    return [e["do"] for e in effects]


def one(effects, kind: str) -> dict[str, Any]:
    found = [e for e in effects if e["do"] == kind]
    assert len(found) == 1, effects
    return found[0]


def notice(key: str, about: str | None = None, lang: str = "en") -> dict[str, Any]:
    """The effect that shows one of the notices said beside a control (never the page-level ones)."""
    return {"do": "notice", "text": t(key, lang), "about": about, "page": False}


def notice_texts(effects) -> list[str]:
    return [e["text"] for e in effects if e["do"] == "notice"]


def saved_doc(
    carriers: dict[str, dict[str, Any]], carrier_id: str = "fixa", lang: str = "en", at: int = 1
) -> str:
    """Stored progress as another writer left it, dated `at` (long before this test's clock)."""
    return json.dumps(
        {"version": 1, "carrier": carrier_id, "lang": lang, "chosen_at": at, "carriers": carriers}
    )


def answered(**answers: Any) -> str:
    """Stored progress with these answers for fixa."""
    return saved_doc({"fixa": {"answers": answers, "answers_at": 1}})


# ------------------------------------------------------------------------------------------ start


def test_start_keeps_the_prerender_when_it_is_what_the_session_would_render():
    tab = Tab()
    assert tab.effects == [{"do": "enable"}]  # nothing redrawn, nothing to save
    assert tab.session.situation == Situation(carrier="fixa", lang="en")
    assert tab.store.text is None


def test_start_keeps_the_prerender_with_the_saved_ticks_painted():
    tab = Tab(Store(saved_doc({"fixa": {"ticks": ["backup"]}})), ticked=["backup"])
    assert tab.effects == [{"do": "enable"}]
    assert tab.session.ticks == {"backup"}


@pytest.mark.parametrize(
    ("stored", "shown", "ticked", "today"),
    [
        # boot.js could not fetch the prerender of the saved carrier or language
        pytest.param(saved_doc({}), {**SHOWN, "carrier": "fixb"}, (), TODAY, id="other-carrier-shown"),
        pytest.param(saved_doc({}), {**SHOWN, "lang": "zh"}, (), TODAY, id="other-language-shown"),
        pytest.param(None, {**SHOWN, "built": "2026-11-29"}, (), TODAY, id="built-yesterday"),
        pytest.param(None, {**SHOWN, "built": None}, (), TODAY, id="undated-prerender"),
        pytest.param(answered(keep_number=False), SHOWN, (), TODAY, id="saved-answers"),
        pytest.param(saved_doc({"fixa": {"log": [{"agent": "Sam"}]}}), SHOWN, (), TODAY, id="saved-log"),
        pytest.param(saved_doc({"fixa": {"ticks": ["backup"]}}), SHOWN, (), TODAY, id="saved-tick-unpainted"),
        pytest.param("{", SHOWN, (), TODAY, id="notice"),
        # built today, but the facts were checked more than 180 days before: the page marks them stale
        pytest.param(None, {**SHOWN, "built": "2027-06-30"}, (), "2027-06-30", id="stale-facts"),
    ],
)
def test_start_redraws_when_the_prerender_is_not_what_the_session_would_render(stored, shown, ticked, today):
    tab = Tab(Store(stored), shown=shown, ticked=ticked, today=today)
    assert "enable" not in kinds(tab.effects)
    app = one(tab.effects, "app")
    s = tab.session.situation
    assert (app["carrier"], app["lang"]) == (s.carrier, s.lang) == ("fixa", "en")


def test_start_redraw_shows_the_saved_answers_and_log():
    tab = Tab(Store(saved_doc({"fixa": {"answers": {"keep_number": False}, "log": [{"agent": "Sam Q."}]}})))
    html = one(tab.effects, "app")["html"]
    assert tab.form["keep_number"] == "no"
    assert "Sam Q." in html


def test_start_uses_the_saved_carrier_and_language():
    tab = Tab(Store(saved_doc({"fixb": {"answers": {"plan": "prepaid"}}}, "fixb", "zh")))
    app = one(tab.effects, "app")
    assert (app["carrier"], app["lang"]) == ("fixb", "zh")
    assert tab.session.situation.plan == "prepaid"
    assert "store" not in kinds(tab.effects)  # nothing changed


def test_the_fragment_wins_over_what_was_saved():
    stored = saved_doc({"fixb": {"answers": {"plan": "prepaid"}, "ticks": ["backup"]}}, "fixa", "en")
    tab = Tab(Store(stored), hash="#carrier=fixb&plan=postpaid&keep=no&leaving=yes&lang=zh")
    app = one(tab.effects, "app")
    assert (app["carrier"], app["lang"]) == ("fixb", "zh")
    s = tab.session.situation
    assert (s.plan, s.keep_number, s.leaving_us) == ("postpaid", False, True)
    assert tab.session.ticks == {"backup"}  # that carrier's ticks
    saved = tab.saved
    assert (saved.carrier, saved.lang) == ("fixb", "zh")  # the next visit starts there
    assert saved.carriers["fixb"].answers == {"plan": "postpaid", "keep_number": False, "leaving_us": True}
    assert one(tab.effects, "fragment")["value"] == "#carrier=fixb&plan=postpaid&keep=no&leaving=yes&lang=zh"


def test_a_fragment_naming_no_known_carrier_is_ignored_at_start():
    tab = Tab(hash="#carrier=nosuch&lang=fr")
    assert tab.effects == [{"do": "enable"}]


def test_an_unknown_carrier_on_the_prerender_falls_back_to_the_first_carrier():
    tab = Tab(shown={**SHOWN, "carrier": "gone"})
    assert one(tab.effects, "app")["carrier"] == "fixa"


def test_ticks_made_on_the_prerender_before_start_are_kept_and_saved():
    tab = Tab(Store(saved_doc({"fixa": {"ticks": ["backup"]}})), ticked=["backup", "port_out"])
    assert kinds(tab.effects) == ["enable", "store", "fragment"]  # the boxes are already on screen
    assert tab.session.ticks == {"backup", "port_out"}
    assert tab.saved.carriers["fixa"].ticks == ["backup", "port_out"]


def test_corrupt_stored_progress_is_replaced_and_told_on_the_whole_page():
    tab = Tab(Store("{not json"))
    notice = one(tab.effects, "notice")
    assert notice == {"do": "notice", "text": t("ui.notice_corrupt", "en"), "about": None, "page": True}
    assert kinds(tab.effects).index("app") < kinds(tab.effects).index("store")
    assert (tab.saved.carrier, tab.saved.lang) == ("fixa", "en")  # readable now
    assert tab.saved.carriers["fixa"].answers == {}


@pytest.mark.parametrize(("lang", "names"), [("en", "Fixture fixb"), ("zh", "中文：Fixture fixb")])
def test_partly_corrupt_progress_names_the_carriers_reset(lang, names):
    stored = saved_doc(
        {"fixa": {"ticks": ["backup"]}, "fixb": {"answers": {"device_balance_usd": -3}, "ticks": ["backup"]}},
        lang=lang,
    )
    tab = Tab(Store(stored), shown={**SHOWN, "lang": lang})
    notice = one(tab.effects, "notice")
    assert notice["text"] == t("ui.notice_reset_carriers", lang, names=names)
    assert notice["page"] is True
    saved = tab.saved
    assert saved.carriers["fixa"].ticks == ["backup"]  # the readable carrier is kept
    assert "fixb" not in saved.carriers  # the unreadable one is gone from storage too


def test_the_corrupt_notice_stays_through_a_redraw_until_an_answer_is_given():
    tab = Tab(Store("[]"))
    assert notice_texts(tab.click("lang-toggle")) == [t("ui.notice_corrupt", "zh")]
    assert notice_texts(tab.answer("leaving_us", True)) == [""]
    assert notice_texts(tab.click("lang-toggle")) == [""]


# ---------------------------------------------------------------------------------------- answers


def test_an_answer_redraws_the_checklist_only_and_is_saved():
    tab = Tab()
    effects = tab.answer("leaving_us", True)
    assert kinds(effects) == ["notice", "checklist", "store", "fragment"]  # no amount was read
    assert one(effects, "notice")["text"] == ""
    assert "<li" in one(effects, "checklist")["html"]
    assert isinstance(one(effects, "checklist")["ms"], float)
    assert tab.session.situation.leaving_us is True
    assert tab.saved.carriers["fixa"].answers == {"leaving_us": True}
    assert one(effects, "fragment")["value"] == "#carrier=fixa&plan=postpaid&keep=yes&leaving=yes&lang=en"


def test_keep_number_redraws_the_form():
    tab = Tab()
    assert "port_lock_on" in tab.form
    effects = tab.answer("keep_number", "no")
    assert "checklist" not in kinds(effects)
    one(effects, "app")
    assert "port_lock_on" not in tab.form  # asked only when the number is kept
    assert tab.saved.carriers["fixa"].answers == {"keep_number": False}


def test_the_plan_redraws_the_form():
    tab = Tab(hash="#carrier=fixb")
    assert tab.form["plan"] == "postpaid" and "prepaid_balance_usd" not in tab.form
    effects = tab.answer("plan", "prepaid")
    one(effects, "app")
    assert "prepaid_balance_usd" in tab.form
    assert tab.session.situation.plan == "prepaid"


def test_contradicting_dates_are_told_and_keep_the_old_situation():
    tab = Tab()
    tab.answer("activation_date", "2026-05-01")
    before, saved_before = tab.session.situation, tab.store.text
    effects = tab.answer("paid_off_date", "2026-01-01")
    assert effects[-1] == notice("ui.dates_out_of_order")
    assert kinds(effects) == ["notice"]  # nothing redrawn, nothing saved
    assert tab.session.situation == before
    assert tab.store.text == saved_before


def test_each_answer_is_taken_on_its_own_though_the_form_already_shows_later_ones():
    """A person types faster than the engine answers: when the activation date's change is sent, the
    form already shows the paid-off date typed after it. The activation date is taken (nothing
    contradicts it yet); the paid-off date is told as out of order when its own change comes, and
    the activation date survives the next redraw."""
    tab = Tab()
    tab.form.update(activation_date="2026-05-01", paid_off_date="2026-01-01")
    first = tab.send(
        type="change", id="f-activation_date", name="activation_date", value="2026-05-01", form=dict(tab.form)
    )
    assert t("ui.dates_out_of_order", "en") not in notice_texts(first)
    assert tab.session.situation.activation_date == date(2026, 5, 1)
    second = tab.send(
        type="change", id="f-paid_off_date", name="paid_off_date", value="2026-01-01", form=dict(tab.form)
    )
    assert second[-1] == notice("ui.dates_out_of_order")
    assert tab.session.situation.paid_off_date is None
    tab.click("lang-toggle")
    assert tab.form["activation_date"] == "2026-05-01" and tab.form["paid_off_date"] == ""


def test_the_dates_notice_goes_with_the_next_good_answer():
    tab = Tab()
    tab.answer("activation_date", "2026-05-01")
    tab.answer("paid_off_date", "2026-01-01")
    effects = tab.answer("paid_off_date", "2026-06-01")
    assert notice_texts(effects) == [""]
    assert tab.session.situation.paid_off_date.isoformat() == "2026-06-01"


def test_a_good_amount_is_taken_and_marked_valid():
    tab = Tab()
    effects = tab.answer("device_balance_usd", "12.5", "input")
    assert kinds(effects) == ["invalid", "checklist", "store", "fragment"]
    assert one(effects, "invalid")["fields"] == {"device_balance_usd": False}
    assert tab.session.situation.device_balance_usd == 12.5
    assert tab.saved.carriers["fixa"].answers == {"device_balance_usd": 12.5}
    assert "$12.50" in one(effects, "checklist")["html"]


@pytest.mark.parametrize("bad", ["-1", "100001", "abc"])
def test_a_bad_amount_is_marked_invalid_and_the_last_good_one_stays(bad):
    tab = Tab()
    tab.answer("device_balance_usd", "120", "input")
    effects = tab.answer("device_balance_usd", bad, "input")
    assert one(effects, "invalid")["fields"] == {"device_balance_usd": True}
    # a mistyped amount never erases the one given before, on screen or saved
    assert tab.session.situation.device_balance_usd == 120
    assert tab.saved.carriers["fixa"].answers == {"device_balance_usd": 120.0}
    assert "$120" in one(effects, "checklist")["html"]


def test_typing_in_a_field_that_is_not_an_amount_does_nothing():
    tab = Tab()
    assert tab.answer("leave_date", "2026-12-2", "input") == []
    assert tab.send(type="input", name="carrier", value="Fix", form=dict(tab.form)) == []


def test_the_bill_day_is_taken_while_typing():
    tab = Tab()
    effects = tab.answer("bill_day", "12", "input")
    assert kinds(effects) == ["checklist", "store", "fragment"]
    assert tab.session.situation.bill_day == 12


@pytest.mark.parametrize("name", ["url", "log_agent", None])
def test_changes_the_session_has_no_use_for_do_nothing(name):
    tab = Tab()
    assert tab.send(type="change", name=name, value="x", form=dict(tab.form)) == []


def test_a_tick_and_an_untick_are_saved():
    tab = Tab()
    effects = tab.tick("backup")
    assert kinds(effects) == ["store", "fragment"]  # the box is already ticked on screen
    assert tab.session.ticks == {"backup"}
    assert tab.saved.carriers["fixa"].ticks == ["backup"]
    tab.tick("backup", checked=False)
    assert tab.session.ticks == set()
    saved = tab.saved.carriers["fixa"]
    assert saved.ticks == [] and saved.marks["backup"].on is False  # the untick is dated, for merging


def test_copy_markdown_copies_the_checklist_with_its_ticks():
    tab = Tab()
    assert "- [x]" not in one(tab.click("copy-md"), "clipboard")["text"]
    tab.tick("backup")
    effects = tab.click("copy-md")
    text = one(effects, "clipboard")["text"]
    s = tab.session.situation.model_copy(update={"today": date.fromisoformat(TODAY)})
    assert text == to_markdown(assess(CATALOG.carriers["fixa"], s, CATALOG.common), frozenset({"backup"}))
    assert text.count("- [x]") == 1
    assert one(effects, "notice") == notice("ui.copied", "copy-md")


def test_copy_markdown_includes_the_log():
    tab = Tab()
    tab.click("log-add", log={"agent": "Agent 47", "confirmation": "CONF-9"})
    text = one(tab.click("copy-md"), "clipboard")["text"]
    assert "Agent 47" in text and "CONF-9" in text


# --------------------------------------------------------------------------------------- carriers


def test_a_carrier_typed_is_switched_to():
    tab = Tab()
    effects = tab.answer("carrier", "Fixture fixb")
    app = one(effects, "app")
    assert (app["carrier"], app["lang"]) == ("fixb", "en")
    assert notice_texts(effects) == ["", ""]  # cleared, and the redraw shows none
    assert tab.saved.carrier == "fixb"
    assert one(effects, "fragment")["value"].startswith("#carrier=fixb&")


def test_a_carrier_not_found_is_told_beside_the_carrier_box():
    tab = Tab()
    effects = tab.answer("carrier", "Nobody Mobile")
    assert effects == [notice("ui.carrier_none", "f-carrier")]
    assert tab.session.situation.carrier == "fixa" and tab.store.text is None


def test_an_ambiguous_name_picks_nothing_but_enter_picks_the_first_match():
    tab = Tab(hash="#carrier=fixb")
    assert notice_texts(tab.answer("carrier", "Fixture")) == [t("ui.carrier_none", "en")]
    effects = tab.send(type="enter", id="f-carrier", value="Fixture")
    assert one(effects, "app")["carrier"] == "fixa"  # "Fixture fixa" sorts first


def test_enter_with_no_match_is_told():
    tab = Tab()
    effects = tab.send(type="enter", id="f-carrier", value="zzz")
    assert effects == [notice("ui.carrier_none", "f-carrier")]


def test_switching_carrier_shows_that_carriers_own_answers_and_ticks():
    stored = saved_doc(
        {"fixa": {"ticks": ["backup"]}, "fixb": {"answers": {"keep_number": False}, "ticks": ["cancel"]}}
    )
    tab = Tab(Store(stored), ticked=["backup"])
    tab.answer("carrier", "Fixture fixb")
    assert tab.session.ticks == {"cancel"}
    assert tab.session.situation.keep_number is False
    tab.answer("carrier", "Fixture fixa")
    assert tab.session.ticks == {"backup"}
    assert tab.session.situation.keep_number is True


def test_switching_to_a_carrier_with_nothing_saved_starts_it_afresh():
    tab = Tab()
    tab.tick("backup")
    tab.answer("keep_number", "no")
    tab.answer("carrier", "Fixture fixb")
    assert tab.session.ticks == set()
    assert tab.session.situation == Situation(carrier="fixb", lang="en")


# ----------------------------------------------------------------------------------------- clicks


def test_the_language_toggle_redraws_in_the_other_language_and_is_saved():
    tab = Tab()
    effects = tab.click("lang-toggle")
    app = one(effects, "app")
    assert (app["carrier"], app["lang"]) == ("fixa", "zh")
    assert t("ui.title", "zh") in app["html"]
    assert tab.saved.lang == "zh"
    assert one(effects, "fragment")["value"].endswith("&lang=zh")
    assert one(tab.click("lang-toggle"), "app")["lang"] == "en"
    assert tab.saved.lang == "en"


def test_an_account_page_address_switches_to_its_carrier():
    tab = Tab()
    effects = tab.click("detect-url", url="https://www.fixb.example.com/account/close")
    assert one(effects, "app")["carrier"] == "fixb"
    assert tab.saved.carrier == "fixb"


def test_an_address_of_no_carrier_is_told_beside_its_button():
    tab = Tab()
    effects = tab.click("detect-url", url="https://example.org/")
    assert effects == [notice("ui.url_none", "detect-url")]
    assert tab.session.situation.carrier == "fixa"


def test_calendar_reminders_download_once_there_is_a_date():
    tab = Tab()
    tab.answer("leave_date", "2026-12-20")
    effects = tab.click("ics")
    download = one(effects, "download")
    assert (download["name"], download["type"]) == ("simexit-fixa.ics", "text/calendar")
    assert download["text"].startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in download["text"]
    assert "notice" not in kinds(effects)


def test_each_message_brings_the_day_the_page_is_on():
    tab = Tab()
    tab.answer("leave_date", "2026-12-20")
    tab.today = "2026-12-02"  # past midnight, the page still open
    assert "DTSTAMP:20261202T000000Z" in one(tab.click("ics"), "download")["text"]


def test_calendar_reminders_without_a_date_are_told():
    tab = Tab()
    assert tab.click("ics") == [notice("ui.ics_none", "ics")]


def test_an_empty_log_entry_is_ignored():
    tab = Tab()
    assert tab.click("log-add", log={"agent": "  ", "notes": ""}) == []
    assert tab.click("log-add") == []
    assert tab.store.text is None


def test_a_log_entry_is_saved_and_shown():
    tab = Tab()
    effects = tab.click("log-add", log={"date": "2026-11-29", "agent": "Sam <Q>", "notes": "said yes"})
    assert kinds(effects) == ["store", "fragment", "log"]
    assert tab.saved.carriers["fixa"].log == [LogEntry(date="2026-11-29", agent="Sam <Q>", notes="said yes")]
    html = one(effects, "log")["html"]
    assert "Sam &lt;Q&gt;" in html and "<details open>" in html
    again = Tab(tab.store)  # the next visit
    assert "Sam &lt;Q&gt;" in one(again.effects, "app")["html"]


def test_the_reset_question_asks_first_and_no_puts_it_away():
    tab = Tab()
    tab.answer("leaving_us", True)
    assert tab.click("reset") == [{"do": "show", "id": "reset-ask"}, {"do": "focus", "id": "reset-no"}]
    assert tab.click("reset-no") == [{"do": "hide", "id": "reset-ask"}, {"do": "focus", "id": "reset"}]
    assert tab.session.situation.leaving_us is True


def test_reset_clears_answers_and_ticks_keeps_the_log_and_undo_restores_them():
    tab = Tab()
    tab.answer("keep_number", "no")
    tab.answer("device_balance_usd", "50", "input")
    tab.tick("backup")
    tab.click("log-add", log={"agent": "Sam"})
    answered_before = tab.session.situation

    effects = tab.click("reset-yes")
    assert kinds(effects)[-2:] == ["show", "focus"] and effects[-1] == {"do": "focus", "id": "undo"}
    assert tab.session.situation == Situation(carrier="fixa", lang="en")
    assert tab.session.ticks == set()
    saved = tab.saved.carriers["fixa"]
    assert (saved.answers, saved.ticks, [e.agent for e in saved.log]) == ({}, [], ["Sam"])
    assert tab.form["keep_number"] == "yes"

    effects = tab.click("undo")
    assert effects[-1] == {"do": "focus", "id": "reset"}
    assert tab.session.situation == answered_before
    assert tab.session.ticks == {"backup"}
    saved = tab.saved.carriers["fixa"]
    assert saved.answers == {"keep_number": False, "device_balance_usd": 50.0}
    assert saved.ticks == ["backup"] and [e.agent for e in saved.log] == ["Sam"]
    assert tab.click("undo") == []  # once only


def test_reset_keeps_the_language():
    tab = Tab()
    tab.click("lang-toggle")
    tab.answer("leaving_us", True)
    tab.click("reset-yes")
    assert tab.session.situation == Situation(carrier="fixa", lang="zh")


def test_copy_report_copies_the_reports_text():
    tab = Tab()
    effects = tab.click("copy-report", text="Wrong fact: X")
    assert effects == [
        {"do": "clipboard", "text": "Wrong fact: X"},
        notice("ui.report_copied"),
    ]


def test_an_unknown_button_does_nothing():
    assert Tab().click("print") == []


# ---------------------------------------------------------------------------------------- storage


def test_every_save_merges_what_another_tab_stored():
    store = Store()
    first, second = Tab(store), Tab(store)
    second.tick("port_out")
    effects = first.tick("backup")
    assert first.saved.carriers["fixa"].ticks == ["backup", "port_out"]  # the other tab's tick kept
    assert one(effects, "ticks")["ticks"] == ["backup", "port_out"]  # and shown
    assert first.session.ticks == {"backup", "port_out"}


def test_a_tick_stored_by_another_tab_is_merged_and_shown():
    store = Store()
    first, second = Tab(store), Tab(store)
    first.tick("backup")
    second.tick("port_out")  # merged: the store has both
    effects = first.send(type="stored", raw=store.text)
    assert effects == [{"do": "ticks", "ticks": ["backup", "port_out"]}]  # nothing lacking: no write
    assert first.session.ticks == {"backup", "port_out"}


def test_answers_stored_by_another_tab_redraw_the_page():
    store = Store()
    first, second = Tab(store), Tab(store)
    second.answer("keep_number", "no")
    effects = first.send(type="stored", raw=store.text)
    assert first.session.situation.keep_number is False
    one(effects, "app")
    assert first.form["keep_number"] == "no"
    assert "store" not in kinds(effects)


def test_a_stored_change_that_lacks_ours_is_written_back():
    store = Store()
    tab = Tab(store)
    tab.tick("backup")
    # a writer that does not merge (the extension's service worker): its own tick, ours missing
    theirs = saved_doc({"fixa": {"ticks": ["port_out"]}})
    store.text = theirs
    effects = tab.send(type="stored", raw=theirs)
    assert one(effects, "store")
    assert tab.saved.carriers["fixa"].ticks == ["backup", "port_out"]
    assert tab.session.ticks == {"backup", "port_out"}


def test_a_corrupt_stored_change_is_written_over():
    store = Store()
    tab = Tab(store)
    tab.tick("backup")
    store.text = "garbage"
    effects = tab.send(type="stored", raw="garbage")
    assert kinds(effects) == ["store"]
    assert tab.saved.carriers["fixa"].ticks == ["backup"]


@pytest.mark.parametrize("raw", [None, 3])
def test_a_removed_or_cleared_store_keeps_ours(raw):
    store = Store()
    tab = Tab(store)
    tab.tick("backup")
    store.text = None
    assert tab.send(type="stored", raw=raw) == []
    assert tab.session.ticks == {"backup"}


def test_a_failed_save_is_told_once():
    tab = Tab()
    tab.tick("backup")
    effects = tab.send(type="save_failed")
    assert effects == [notice("ui.save_failed")]
    tab.tick("port_out")
    assert tab.send(type="save_failed") == []
    assert notice_texts(tab.click("lang-toggle")) == [t("ui.save_failed", "zh")]  # still true


class Deferred:
    """A session whose saves land later (the extension) and come back as "stored" messages."""

    def __init__(self):
        self.stored: str | None = None
        self.session = Session(CATALOG, {"type": "start", "today": TODAY, "shown": SHOWN, "deferred": True})
        self.session.handle({"type": "start", "today": TODAY, "stored": None})

    def tick(self, step: str) -> str:
        """Tick; the text it asked to store (storage does not hold it yet)."""
        effects = self.session.handle(
            {"type": "change", "tick": step, "checked": True, "stored": self.stored}
        )
        return one(effects, "store")["raw"]

    def lands(self, raw: str) -> list[dict[str, Any]]:
        self.stored = raw
        return self.session.handle({"type": "stored", "raw": raw, "stored": raw})


def test_deferred_our_own_save_coming_back_is_not_written_again():
    engine = Deferred()
    written = engine.tick("backup")
    assert engine.session.last_written == written
    assert engine.lands(written) == []
    assert engine.session.last_written is None


def test_deferred_an_older_save_landing_late_is_not_written_back():
    engine = Deferred()
    older = engine.tick("backup")
    newer = engine.tick("port_out")  # before the first has landed
    assert engine.lands(older) == []  # it lacks port_out, but the newer save that has it is on its way
    assert engine.session.ticks == {"backup", "port_out"}
    assert engine.lands(newer) == []
    assert engine.session.last_written is None


def test_deferred_an_older_save_is_not_written_back_whatever_order_the_steps_were_ticked_in():
    engine = Deferred()
    older = engine.tick("port_out")
    newer = engine.tick("backup")  # its marks are in the order ticked, a merge sorts them
    assert engine.lands(older) == []
    assert engine.lands(newer) == []


def test_deferred_a_save_on_its_way_holds_back_the_write_back():
    engine = Deferred()
    engine.tick("backup")
    # an older document lands (it lacks the tick), but the save that has it all lands after it
    assert engine.lands(saved_doc({})) == []
    assert engine.session.ticks == {"backup"}


def test_deferred_a_failed_save_is_no_longer_on_its_way():
    engine = Deferred()
    engine.tick("backup")
    engine.session.handle({"type": "save_failed"})
    assert engine.session.last_written is None
    effects = engine.lands(saved_doc({}))
    assert json.loads(one(effects, "store")["raw"])["carriers"]["fixa"]["ticks"] == ["backup"]


def test_not_deferred_nothing_is_awaited():
    tab = Tab()
    tab.tick("backup")
    assert tab.session.last_written is None


# ------------------------------------------------------------------------------------------- hash


def test_a_new_fragment_switches_carrier_and_answers():
    stored = saved_doc({"fixb": {"answers": {"leaving_us": True}, "ticks": ["backup"]}})
    tab = Tab(Store(stored))
    effects = tab.send(type="hash", hash="#carrier=fixb&plan=prepaid&keep=no")
    app = one(effects, "app")
    assert (app["carrier"], app["lang"]) == ("fixb", "en")
    s = tab.session.situation
    assert (s.plan, s.keep_number, s.leaving_us) == ("prepaid", False, True)
    assert tab.session.ticks == {"backup"}
    assert tab.saved.carrier == "fixb"
    assert tab.saved.carriers["fixb"].answers == {"plan": "prepaid", "keep_number": False, "leaving_us": True}


def test_a_fragment_for_the_same_carrier_keeps_the_other_answers_and_ticks():
    tab = Tab()
    tab.answer("device_balance_usd", "40", "input")
    tab.tick("backup")
    tab.send(type="hash", hash="#carrier=fixa&keep=no&lang=zh")
    s = tab.session.situation
    assert (s.keep_number, s.device_balance_usd, s.lang) == (False, 40.0, "zh")
    assert tab.session.ticks == {"backup"}


def test_a_fragment_for_a_carrier_with_nothing_saved_brings_no_ticks_along():
    tab = Tab()
    tab.tick("backup")
    tab.send(type="hash", hash="#carrier=fixb")
    assert tab.session.ticks == set()
    assert tab.saved.carriers["fixb"].ticks == []
    assert tab.saved.carriers["fixa"].ticks == ["backup"]


@pytest.mark.parametrize("anchor", ["#answer", "#step-backup", "", "#"])
def test_an_in_page_anchor_does_nothing(anchor):
    tab = Tab()
    tab.answer("leaving_us", True)
    before = tab.session.situation
    assert tab.send(type="hash", hash=anchor) == []
    assert tab.session.situation == before


# -------------------------------------------------------------------------------------- read_form


def test_the_form_as_drawn_reads_back_as_the_situation_it_shows():
    s = Situation(
        carrier="fixb",
        plan="prepaid",
        scope="line",
        keep_number=False,
        role="manager",
        device_balance_usd=12.5,
        prepaid_balance_usd=3,
        leaving_us=True,
        bill_day=9,
        leave_date="2026-12-20",
        activation_date="2026-01-02",
        paid_off_date="2026-06-01",
        paid_through="2026-12-01",
    )
    values, invalid = read_form(form_of(rendered(s)))
    assert Situation(carrier="fixb", **values) == s
    assert invalid == {"device_balance_usd": False, "prepaid_balance_usd": False}


def test_radio_groups_absent_are_left_out_and_present_are_read():
    assert read_form({})[0] == {}
    values, _ = read_form({"plan": "prepaid", "scope": "line", "port_lock_on": "no"})
    assert values == {"plan": "prepaid", "scope": "line", "port_lock_on": "no"}
    assert "scope" not in read_form({"scope": None})[0]


@pytest.mark.parametrize(("value", "kept"), [("yes", True), ("no", False)])
def test_keep_number(value, kept):
    assert read_form({"keep_number": value})[0] == {"keep_number": kept}


def test_empty_dates_are_left_out():
    values, _ = read_form({"leave_date": "", "activation_date": "2026-01-02", "paid_through": None})
    assert values == {"activation_date": "2026-01-02"}


@pytest.mark.parametrize(
    ("text", "day"), [("1", 1), ("31", 31), ("0", None), ("32", None), ("", None), ("x", None), ("-3", None)]
)
def test_bill_day_is_a_day_of_the_month_or_none(text, day):
    assert read_form({"bill_day": text})[0] == {"bill_day": day}  # None kept: it clears the answer


@pytest.mark.parametrize(("text", "months"), [("12", 12), ("", None), ("twelve", None)])
def test_term_months(text, months):
    assert read_form({"term_months": text})[0] == {"term_months": months}


def test_role_and_state_empty_become_none():
    assert read_form({"role": "", "state": ""})[0] == {"state": None}  # role None: left out
    assert read_form({"role": "manager", "state": "CA"})[0] == {"role": "manager", "state": "CA"}


def test_checkboxes():
    assert read_form({"enrolled_online": True, "leaving_us": False})[0] == {
        "enrolled_online": True,
        "leaving_us": False,
    }


@pytest.mark.parametrize(
    ("text", "amount"),
    [("", 0.0), ("  ", 0.0), ("12.5", 12.5), ("0", 0.0), ("100000", 100000.0), ("abc", None), ("-1", None),
     ("100001", None), ("nan", None), ("inf", None)],
)  # fmt: skip
def test_money(text, amount):
    values, invalid = read_form({"device_balance_usd": text})
    assert invalid == {"device_balance_usd": amount is None}
    assert values.get("device_balance_usd") == amount


def test_money_fields_not_shown_are_not_judged():
    assert read_form({"prepaid_balance_usd": "5"}) == (
        {"prepaid_balance_usd": 5.0},
        {"prepaid_balance_usd": False},
    )


# ------------------------------------------------------------------------------------------- warm


def test_warm_up_changes_nothing_and_saves_nothing():
    tab = Tab()
    tab.answer("leaving_us", True)
    before, saved, ticks = tab.session.situation, tab.store.text, set(tab.session.ticks)
    progress = tab.session.progress.model_copy(deep=True)
    assert tab.send(type="warm") == [{"do": "warm"}]
    assert tab.session.situation == before and tab.session.ticks == ticks
    assert tab.session.progress == progress and tab.store.text == saved


# ---------------------------------------------------------------------------------------- effects


def test_every_effect_kind_the_session_makes_has_a_case_in_the_shell():
    source = (ROOT / "py" / "simexit" / "session.py").read_text(encoding="utf-8")
    made = set(re.findall(r'"do": "([a-z_]+)"', source))
    assert {"app", "enable", "checklist", "store", "notice", "warm"} <= made  # the pattern still finds them
    assert made <= SHELL_CASES, made - SHELL_CASES


def test_each_notice_is_placed_beside_a_control_the_page_has():
    html = rendered(Situation(carrier="fixa"))
    for control in NOTICE_ABOUT.values():
        assert f'id="{control}"' in html


def test_an_unknown_message_does_nothing():
    tab = Tab()
    assert tab.send(type="bogus") == []


# ---------------------------------------------------------------- the engine: every caller's session


def test_the_engine_keeps_one_session_per_caller_until_it_closes():
    from simexit.session import Engine

    engine = Engine(CATALOG)
    start = {"type": "start", "today": TODAY, "stored": None, "shown": SHOWN}
    assert engine.handle("popup-1", json.dumps({**start, "hint": {"lang": "zh"}}))
    assert engine.handle("page", json.dumps(start))
    assert set(engine.sessions) == {"popup-1", "page"}
    assert engine.sessions["popup-1"] is not engine.sessions["page"]
    engine.close("popup-1")
    assert set(engine.sessions) == {"page"}
    assert json.loads(engine.handle("popup-1", json.dumps({"type": "warm", "today": TODAY}))) == []


def test_engine_for_a_bundle_is_made_once_per_interpreter(monkeypatch):
    """engine.py runs again after a restore from the memory snapshot: it must find the engine the
    snapshot holds, not validate the catalog again; another bundle is another engine."""
    from simexit import catalog as catalog_mod
    from simexit.session import engine_for

    monkeypatch.setattr(catalog_mod, "_default", catalog_mod._default)  # engine_for sets it
    bundle = json.dumps(CATALOG.to_bundle())
    first = engine_for(bundle)
    assert catalog_mod.default() is first.catalog  # what detect and assess look carriers up in
    assert engine_for(str(bundle)) is first
    assert set(first.catalog.carriers) == {"fixa", "fixb"}
    other = json.loads(bundle)
    del other["carriers"]["fixb"]
    assert set(engine_for(json.dumps(other)).catalog.carriers) == {"fixa"}
