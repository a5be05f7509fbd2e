"""Date arithmetic for the calculators: unlock eligibility and when to port or cancel. Pure functions.

Rules change, so they are data (carriers/*.toml `[[unlock]]` with `valid_from`); this module only
picks the rule that applies and counts days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .models import UnlockRule

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
        current = [r for r in dated if r.valid_until is None]
        return (current or dated)[-1]
    in_force = [
        r
        for r in dated
        if (r.valid_from is None or r.valid_from <= activation)
        and (r.valid_until is None or activation < r.valid_until)
    ]
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
            candidates.append(paid_off + timedelta(days=rule.payoff_wait_days or 0))
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


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day past the end of a shorter month falls on its last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Renewals:
    """The days a new period starts and is charged: monthly on a bill day, or every `term_months`
    from the day after the paid-through date (multi-month prepaid terms)."""

    bill_day: int | None = None
    paid_through: date | None = None
    term_months: int = 1

    def known(self) -> bool:
        return self.bill_day is not None or self.paid_through is not None

    def after(self, day: date) -> date | None:
        """The first renewal strictly after `day`."""
        if self.paid_through is not None:
            start = self.paid_through + timedelta(days=1)
            n = 0
            renewal = start
            while renewal <= day:  # dates are bounded (models.MAX_DATE), so this ends
                n += 1
                renewal = add_months(start, n * self.term_months)
            return renewal
        if self.bill_day is not None:
            return next_bill_date(day, self.bill_day)
        return None


@dataclass(frozen=True)
class Window:
    best: date | None  # the latest safe day to act ("act by")
    renewal: date | None  # the renewal the plan is timed against
    autopay_by: date | None  # AutoPay / auto-renew must be off by this day
    reasons: tuple[str, ...]  # keys of the reasoning, in order
    charged_before_leaving: bool = False  # service through the leave date costs one more renewal


Route = str  # "port" (the number moves), "cancel" (service ends when asked), "lapse" (not renewed)


def act_by(
    today: date,
    renewals: Renewals,
    leave: date | None,
    route: Route,
    lead_days: int,
    cycle_matters: bool,
) -> Window | None:
    """The latest safe day to act: service lasts through the leave date, nothing more is charged
    (AutoPay's lead time respected), the port or cancellation has time to go through. None when
    there is no date to plan from."""
    if not renewals.known() and leave is None:
        return None
    margin = PORT_MARGIN_DAYS if route == "port" else CANCEL_MARGIN_DAYS
    reasons: list[str] = []
    renewal = None
    charge_by = None  # the last day to act before the next charge
    if renewals.known() and (cycle_matters or route == "lapse"):
        # A lapse must keep service through the leave date: the last paid day is the day before the
        # renewal that is not paid, so that renewal must come after the leave date.
        start = max(today, leave) if (route == "lapse" and leave is not None) else today
        renewal = renewals.after(start)
        charge_by = renewal - timedelta(days=lead_days + margin)
        if charge_by < today:
            renewal = renewals.after(renewal)
            charge_by = renewal - timedelta(days=lead_days + margin)
            reasons.append("too_late_this_cycle")
        reasons.append("renewal")
        if lead_days:
            reasons.append("lead_time")
    elif renewals.known():
        renewal = renewals.after(today)
        reasons.append("prorated")

    charged_before_leaving = False
    if route == "lapse":
        best = charge_by
        if leave is not None:
            reasons.append("lapse_after_leaving")
    elif route == "port":
        deadlines = [d for d in (charge_by, leave and leave - timedelta(days=margin)) if d is not None]
        if leave is not None:
            reasons.append("before_leaving")
        best = max(today, min(deadlines)) if deadlines else None
    else:  # cancel: service ends the day it is cancelled
        if leave is not None:
            reasons.append("before_leaving")
            best = max(today, leave)
            if charge_by is not None and charge_by < leave:
                charged_before_leaving = True
                reasons.append("one_more_renewal")
        else:
            best = charge_by
    if best is None:
        reasons.append("any_day")
    else:
        reasons.append("port_margin" if route == "port" else "cancel_margin")
    autopay_by = None
    if route == "lapse":
        autopay_by = best  # stopping the renewal is the lapse itself
    elif renewal is not None and best is not None:
        # After a port or a cancellation the card stays on file: stop it before the next charge.
        nxt = renewal if renewal > best else renewals.after(best)
        autopay_by = max(today, nxt - timedelta(days=lead_days + CANCEL_MARGIN_DAYS))
    return Window(best, renewal, autopay_by, tuple(reasons), charged_before_leaving)
