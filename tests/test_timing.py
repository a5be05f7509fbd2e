"""Calculators against hand-checked cases (month ends, leap days, rule changes) and as properties."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simexit.assess import assess
from simexit.models import Situation, UnlockRule
from simexit.reminders import to_ics
from simexit.timing import (
    CANCEL_MARGIN_DAYS,
    PORT_MARGIN_DAYS,
    action_window,
    next_bill_date,
    rule_for,
    unlock_date,
)

D = date.fromisoformat


def rule(days=None, paid_off=None, since=None):
    return UnlockRule(
        text={"en": "r", "zh": "规则"}, days_active=days, paid_off=paid_off, valid_from=since, sources=["s"]
    )


@pytest.mark.parametrize(
    ("today", "bill_day", "expected"),
    [
        ("2026-11-24", 3, "2026-12-03"),
        ("2026-11-02", 3, "2026-11-03"),
        ("2026-11-03", 3, "2026-12-03"),  # a bill dated today has already started its cycle
        ("2026-01-30", 31, "2026-01-31"),
        ("2026-01-31", 31, "2026-02-28"),  # the 31st falls on February's last day
        ("2028-01-31", 30, "2028-02-29"),  # leap year
        ("2028-02-29", 30, "2028-03-30"),
        ("2026-12-15", 1, "2027-01-01"),  # year end
    ],
)
def test_next_bill_date(today, bill_day, expected):
    assert next_bill_date(D(today), bill_day) == D(expected)


def test_the_rule_that_applies_follows_the_activation_date():
    old, new = rule(60, since=None), rule(365, since=D("2026-01-20"))
    assert rule_for([new, old], D("2025-12-01")) is old
    assert rule_for([new, old], D("2026-01-20")) is new  # the change day itself
    assert rule_for([new, old], None) is new
    assert rule_for([], D("2026-01-01")) is None
    only_new = rule(365, since=D("2026-01-20"))
    assert rule_for([only_new], D("2025-01-01")) is only_new  # nothing older is known


@pytest.mark.parametrize(
    ("days", "paid", "activation", "paid_off", "expected", "missing"),
    [
        (40, True, "2026-01-01", "2026-01-15", "2026-02-10", ()),  # days decide
        (40, True, "2026-01-01", "2026-03-01", "2026-03-01", ()),  # payoff decides
        (365, None, "2027-02-28", None, "2028-02-28", ()),  # across a leap day (2028-02-29 not reached)
        (365, None, "2028-02-29", None, "2029-02-28", ()),
        (60, True, "2026-01-01", None, None, ("paid_off",)),
        (60, None, None, None, None, ("activation",)),
        (None, True, None, "2026-05-05", "2026-05-05", ()),
        (None, None, "2026-01-01", None, None, ()),  # a rule with no counted condition gives no date
    ],
)
def test_unlock_date(days, paid, activation, paid_off, expected, missing):
    got = unlock_date(rule(days, paid), activation and D(activation), paid_off and D(paid_off))
    assert got.date == (expected and D(expected))
    assert got.missing == missing


def test_window_for_a_full_cycle_before_leaving():
    w = action_window(D("2026-11-24"), 3, D("2026-12-20"), keep_number=True, prorated="no", prepaid=False)
    assert w.next_bill == D("2026-12-03")
    assert w.best == D("2026-12-03") - timedelta(days=PORT_MARGIN_DAYS)
    w = action_window(D("2026-11-24"), 3, D("2026-11-26"), keep_number=False, prorated="no", prepaid=False)
    assert w.best == D("2026-11-26") - timedelta(days=CANCEL_MARGIN_DAYS)  # leaving comes first


def test_window_when_this_cycle_is_already_too_late():
    w = action_window(D("2026-12-01"), 3, None, keep_number=True, prorated="no", prepaid=False)
    assert w.next_bill == D("2027-01-03") and w.best == D("2026-12-31")
    assert "too_late_this_cycle" in w.reasons


def test_prorated_plans_wait_until_leaving():
    w = action_window(D("2026-11-24"), 3, D("2027-01-10"), keep_number=False, prorated="yes", prepaid=False)
    assert w.best == D("2027-01-09") and "prorated" in w.reasons
    assert action_window(D("2026-11-24"), None, None, True, "no", False) is None


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D("2024-01-01"), max_value=D("2030-12-31")),
    st.integers(0, 800),
    st.integers(0, 400),
    st.integers(0, 400),
    st.booleans(),
)
def test_unlock_date_properties(activation, days, pay_after, later, paid):
    r = rule(days, paid or None)
    first = unlock_date(r, activation, activation + timedelta(days=pay_after))
    assert first.date is not None and first.date >= activation  # never before activation
    second = unlock_date(r, activation, activation + timedelta(days=pay_after + later))
    assert second.date >= first.date  # paying off later never unlocks earlier


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D("2024-01-01"), max_value=D("2030-12-31")),
    st.one_of(st.none(), st.integers(1, 31)),
    st.one_of(st.none(), st.integers(-30, 120)),
    st.booleans(),
    st.sampled_from(["yes", "no", "unknown"]),
    st.booleans(),
)
def test_best_date_is_inside_the_window(today, bill_day, leave_in, keep, prorated, prepaid):
    leave = None if leave_in is None else today + timedelta(days=leave_in)
    w = action_window(today, bill_day, leave, keep, prorated, prepaid)
    if bill_day is None and leave is None:
        assert w is None
        return
    assert w.start <= w.best <= w.end and w.start == today
    if w.next_bill is not None and (prepaid or prorated != "yes"):
        assert w.best < w.next_bill  # never into a cycle you would pay for in full


def test_engine_surfaces_unlock_timing_script_and_glossary(catalog):
    s = Situation(
        carrier="verizon",
        plan="prepaid",
        keep_number=True,
        today=D("2026-11-24"),
        bill_day=10,
        leave_date=D("2026-12-30"),
        activation_date=D("2026-02-01"),
        lang="zh",
    )
    a = assess(catalog.get("verizon"), s, catalog.common)
    assert a.unlock.valid_from == D("2026-01-27") and a.unlock.date == D("2027-02-01")  # 365 days
    assert a.timing.best_date == D("2026-12-07") and a.timing.next_bill_date == D("2026-12-10")
    assert any("最佳日期" in r for r in a.timing.reasoning)
    assert {g.key for g in a.glossary} >= {"transfer_pin", "port_out"}
    old = assess(
        catalog.get("verizon"), s.model_copy(update={"activation_date": D("2025-06-01")}), catalog.common
    )
    assert old.unlock.valid_from == D("2025-04-01") and old.unlock.date == D("2025-07-31")  # 60 days


def test_call_script_only_where_a_person_must_be_reached(catalog):
    tmo = assess(catalog.get("tmobile"), Situation(carrier="tmobile"), catalog.common)
    assert tmo.script and tmo.script[0].en.startswith("Hi, I'm moving my number") and tmo.script[0].zh
    fi = assess(catalog.get("googlefi"), Situation(carrier="googlefi"), catalog.common)
    assert fi.script == []  # cancelled online


def test_ics_parses_and_has_the_right_dates(catalog):
    s = Situation(
        carrier="tmobile",
        today=D("2026-11-24"),
        bill_day=3,
        leave_date=D("2026-12-20"),
        activation_date=D("2025-09-01"),
        paid_off_date=D("2026-12-01"),
    )
    a = assess(catalog.get("tmobile"), s, catalog.common)
    cal = icalendar.Calendar.from_ical(to_ics(a, s.today))
    events = {str(e["UID"]).split("-tmobile-")[0]: e for e in cal.walk("VEVENT")}
    assert events["act"].decoded("DTSTART") == D("2026-11-30")
    assert events["unlock"].decoded("DTSTART") == D("2026-12-01")
    assert events["get_pin"].decoded("DTSTART") == D("2026-11-24")
    assert events["final_bill"].decoded("DTSTART") == D("2026-12-10")
    assert "T-Mobile" in str(events["act"]["SUMMARY"])
    assert "https://www.t-mobile.com/support/account/cancel-service" in str(events["act"]["DESCRIPTION"])
