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
    PORT_MARGIN_DAYS,
    Renewals,
    act_by,
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


def test_port_before_the_renewal_and_before_leaving():
    w = act_by(D("2026-11-24"), Renewals(bill_day=3), D("2026-12-20"), "port", 0, cycle_matters=True)
    assert w.renewal == D("2026-12-03")
    assert w.best == D("2026-12-03") - timedelta(days=PORT_MARGIN_DAYS)
    w = act_by(D("2026-11-24"), Renewals(bill_day=3), D("2026-11-26"), "port", 0, cycle_matters=True)
    # leaving in two days leaves less than the port's three: act today, never in the past
    assert w.best == D("2026-11-24") > D("2026-11-26") - timedelta(days=PORT_MARGIN_DAYS)


def test_too_late_for_this_cycle_aims_at_the_next():
    w = act_by(D("2026-12-01"), Renewals(bill_day=3), None, "port", 0, cycle_matters=True)
    assert w.renewal == D("2027-01-03") and w.best == D("2026-12-31")
    assert "too_late_this_cycle" in w.reasons


def test_lead_time_moves_the_deadline_earlier():
    plain = act_by(D("2026-11-24"), Renewals(bill_day=20), None, "cancel", 0, cycle_matters=True)
    lead = act_by(D("2026-11-24"), Renewals(bill_day=20), None, "cancel", 2, cycle_matters=True)
    assert plain.best - lead.best == timedelta(days=2)


def test_prorated_cancel_waits_until_leaving():
    w = act_by(D("2026-11-24"), Renewals(bill_day=3), D("2027-01-10"), "cancel", 0, cycle_matters=False)
    assert w.best == D("2027-01-10") and "prorated" in w.reasons
    assert act_by(D("2026-11-24"), Renewals(), None, "port", 0, True) is None


@pytest.mark.parametrize(
    ("paid_through", "term", "day", "expected"),
    [
        ("2027-02-14", 3, "2026-11-29", "2027-02-15"),
        ("2026-08-31", 3, "2026-11-29", "2026-12-01"),  # Sep 1 -> Dec 1
        ("2026-01-30", 1, "2026-02-27", "2026-02-28"),  # Jan 31 + 1 month falls on Feb 28
        ("2027-11-28", 12, "2026-11-29", "2027-11-29"),
    ],
)
def test_multi_month_renewals(paid_through, term, day, expected):
    assert Renewals(paid_through=D(paid_through), term_months=term).after(D(day)) == D(expected)


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D("2024-01-01"), max_value=D("2030-12-31")),
    st.one_of(st.none(), st.integers(1, 31)),
    st.one_of(st.none(), st.integers(-30, 400)),
    st.sampled_from(["port", "cancel", "lapse"]),
    st.integers(0, 5),
    st.booleans(),
)
def test_act_by_is_safe(today, bill_day, leave_in, route, lead, cycle):
    leave = None if leave_in is None else today + timedelta(days=leave_in)
    renewals = Renewals(bill_day=bill_day)
    w = act_by(today, renewals, leave, route, lead, cycle)
    if bill_day is None and leave is None:
        assert w is None
        return
    if w.best is None:
        return
    assert w.best >= today  # never in the past
    if route == "cancel" and leave is not None:
        assert w.best >= leave  # a cancellation never ends service before the leave date
    if route == "lapse" and leave is not None:
        assert w.renewal > leave  # the last paid day is on or after the leave date
    if (route != "cancel" or leave is None) and w.renewal is not None and (cycle or route == "lapse"):
        assert w.best <= w.renewal - timedelta(days=lead)  # nothing more is charged


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
    assert any("续费" in r for r in a.timing.reasoning)  # the reasoning is in the chosen language
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
    # renewal on Dec 3, minus AutoPay's 72-hour lead, minus 3 days for the port
    assert events["act"].decoded("DTSTART") == D("2026-11-27")
    assert events["unlock"].decoded("DTSTART") == D("2026-12-01")
    assert events["get_pin"].decoded("DTSTART") == D("2026-11-24")
    assert events["final_bill"].decoded("DTSTART") == D("2026-12-10")
    assert "T-Mobile" in str(events["act"]["SUMMARY"])
    assert "https://www.t-mobile.com/support/account/cancel-service" in str(events["act"]["DESCRIPTION"])
