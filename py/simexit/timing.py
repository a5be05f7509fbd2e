"""Date arithmetic for the calculators: unlock eligibility and when to port or cancel. Pure functions.

Rules change, so they are data (carriers/*.toml `[[unlock]]` with `valid_from`); this module only
picks the rule that applies and counts days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .models import Tri, UnlockRule

# Days to leave before a deadline: an FCC "simple" port completes within one business day, and a
# weekend can sit in between; a cancellation needs a day for the carrier to process it.
PORT_MARGIN_DAYS = 3
CANCEL_MARGIN_DAYS = 1


def rule_for(rules: list[UnlockRule], activation: date | None) -> UnlockRule | None:
    """The rule that applies to a phone activated on `activation`: the newest one in force by then.

    With no activation date, the newest rule. Rules without `valid_from` count as the oldest.
    """
    if not rules:
        return None
    dated = sorted(rules, key=lambda r: r.valid_from or date.min)
    if activation is None:
        return dated[-1]
    in_force = [r for r in dated if r.valid_from is None or r.valid_from <= activation]
    return in_force[-1] if in_force else dated[0]


@dataclass(frozen=True)
class UnlockDate:
    date: date | None
    missing: tuple[str, ...]  # inputs the rule needs but were not given: "activation", "paid_off"


def unlock_date(rule: UnlockRule, activation: date | None, paid_off: date | None) -> UnlockDate:
    """The earliest unlock day: every condition of the rule met (days active, device paid off)."""
    candidates, missing = [], []
    if rule.days_active is not None:
        if activation is None:
            missing.append("activation")
        else:
            candidates.append(activation + timedelta(days=rule.days_active))
    if rule.paid_off:
        if paid_off is None:
            missing.append("paid_off")
        else:
            candidates.append(paid_off)
    if activation is not None:
        candidates.append(activation)  # never before the phone was in use
    if missing or (rule.days_active is None and not rule.paid_off):
        return UnlockDate(None, tuple(missing))
    return UnlockDate(max(candidates), ())


def billing_date(year: int, month: int, bill_day: int) -> date:
    """The bill date in a month: a bill day of 31 falls on the month's last day in shorter months."""
    return date(year, month, min(bill_day, calendar.monthrange(year, month)[1]))


def next_bill_date(today: date, bill_day: int) -> date:
    """The first bill date after today (a bill dated today has already started its cycle)."""
    this_month = billing_date(today.year, today.month, bill_day)
    if this_month > today:
        return this_month
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return billing_date(year, month, bill_day)


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    best: date
    next_bill: date | None
    reasons: tuple[str, ...]  # keys of the reasoning, in order


def action_window(
    today: date,
    bill_day: int | None,
    leave: date | None,
    keep_number: bool,
    prorated: Tri,
    prepaid: bool,
) -> Window | None:
    """When to act: before the next cycle is billed (unless the last cycle is prorated), and before
    you leave, leaving time for the port or the cancellation to go through. None without dates."""
    if bill_day is None and leave is None:
        return None
    margin = PORT_MARGIN_DAYS if keep_number else CANCEL_MARGIN_DAYS
    reasons: list[str] = []
    deadlines: list[date] = []
    next_bill = next_bill_date(today, bill_day) if bill_day is not None else None
    cycle_matters = prepaid or prorated != "yes"
    if next_bill is not None:
        if cycle_matters:
            deadline = next_bill - timedelta(days=margin)
            if deadline < today:  # too late for this cycle: aim at the next one
                next_bill = next_bill_date(next_bill, bill_day)
                deadline = next_bill - timedelta(days=margin)
                reasons.append("too_late_this_cycle")
            deadlines.append(deadline)
            reasons.append(
                "prepaid_cycle" if prepaid else ("full_cycle" if prorated == "no" else "cycle_unknown")
            )
        else:
            reasons.append("prorated")
    if leave is not None:
        deadlines.append(max(today, leave - timedelta(days=margin)))
        reasons.append("before_leaving")
    reasons.append("port_margin" if keep_number else "cancel_margin")
    if not deadlines:  # prorated with no leave date: any day works, earlier costs nothing extra
        return Window(today, today, today, next_bill, (*reasons, "any_day"))
    end = max(today, min(deadlines))
    return Window(today, end, end, next_bill, tuple(reasons))
