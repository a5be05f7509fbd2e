"""Situation + carrier facts -> a safe, ordered, sourced plan. Pure: no I/O, no clock, no randomness.

The plan is built by small section builders, one per concern, each a function of the plan's facts
and the situation that returns its steps, warnings and unknowns; `assess` puts them in order. The
rules that hold for every carrier:
- keeping the number: switch off port locks, get the transfer credentials, port, and never cancel
  before the port; a card on file is stopped *after* the port (a port closes the line, not the card);
- not keeping it: warn that the number is lost, move logins off it first, then cancel or, where the
  carrier documents it for the chosen scope, let the plan lapse (AutoPay off first);
- a device still inside its return window is returned before anything is paid off;
- leaving the US before the phone can be unlocked is warned; keeping a number abroad gets its own
  steps (2FA off the number anyway, the cheap plan active before the old one renews, codes tested,
  renewal reminders);
- a step's confidence is the lowest among the carrier facts it rests on; every step cites a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from pydantic import BaseModel

from .glossary import STEP_TERMS, glossary
from .i18n import channel_line, join, t
from .models import (
    CONFIDENCE_RANK,
    Advice,
    Assessment,
    BillItem,
    Carrier,
    Channel,
    ChannelOut,
    Common,
    Costs,
    Fact,
    Info,
    KeepChoice,
    Lang,
    MythOut,
    Note,
    OnlineRule,
    Option,
    Plan,
    PortKit,
    Role,
    ScriptLine,
    Situation,
    Source,
    SourceRef,
    Step,
    Term,
    Timing,
    Unknown,
    UnlockOut,
    Verdict,
    Warning,
    fact_confidence,
)
from .script import call_script
from .timing import Renewals, act_by, rule_for, unlock_date


class SituationError(ValueError):
    """A situation that does not fit the carrier (e.g. a plan type it does not sell)."""


def online_verdict(rule: OnlineRule, situation: Situation) -> tuple[Verdict, Fact]:
    """The verdict for this situation: the first override whose conditions all hold, else the rule."""
    for override in rule.when:
        if override.states is not None and situation.state not in override.states:
            continue
        if override.enrolled_online is not None and override.enrolled_online != situation.enrolled_online:
            continue
        return override.verdict, override
    return rule.verdict, rule


# ---------------------------------------------------------------- what every builder reads


@dataclass(frozen=True)
class Ctx:
    carrier: Carrier
    common: Common
    s: Situation
    plan_id: str
    plan: Plan

    @property
    def lang(self) -> Lang:
        return self.s.lang

    @property
    def name(self) -> str:
        return self.carrier.name(self.lang)

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {**self.common.sources, **self.carrier.sources}

    @cached_property
    def channels(self) -> list[Channel]:
        """The ways to end this scope; a lapse only where the carrier documents it for this scope."""
        fits = [c for c in self.plan.channels if c.scope in (self.s.scope, "both")]
        return [c for c in fits if c.kind != "lapse" or self.lapse_route_exists]

    @cached_property
    def lapse_route_exists(self) -> bool:
        lapse = self.plan.lapse
        return lapse.value == "yes" and self.s.scope in (lapse.closes or [])

    @cached_property
    def route(self) -> str:
        if self.s.keep_number:
            return "port"
        return "lapse" if self.lapse_route_exists else "cancel"

    @cached_property
    def window(self):
        s, plan = self.s, self.plan
        if s.today is None:
            return None
        renewals = Renewals(s.bill_day, s.paid_through, s.term_months or 1)
        prepaid = self.plan_id == "prepaid"
        return act_by(
            s.today,
            renewals,
            s.leave_date,
            self.route,
            plan.autopay_timing.lead_days(),
            cycle_matters=prepaid or plan.proration.value != "yes",
        )

    def text(self, value) -> str:
        return value(self.lang)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def ids(self, *facts: Fact) -> list[str]:
        out: list[str] = []
        for fact in facts:
            out += [sid for sid in fact.sources if sid not in out]
        return out

    def confidence(self, *facts: Fact):
        """The lowest confidence among the carrier's facts cited (general facts never lift it);
        only when a step rests on general facts alone do theirs count."""
        own = [f for f in facts if f.sources and all(s in self.carrier.sources for s in f.sources)]
        levels = [fact_confidence([self.sources[s] for s in f.sources]) for f in (own or facts) if f.sources]
        levels = [lv for lv in levels if lv]
        return min(levels, key=CONFIDENCE_RANK.__getitem__) if levels else None

    def checked(self, ids: list[str]) -> date | None:
        days = [self.sources[i].checked for i in ids if i in self.sources]
        return min(days) if days else None

    def step(
        self, kind: str, lines: list[str], *facts: Fact, title: str | None = None, deadline=None
    ) -> Step:
        ids = self.ids(*facts)
        return Step(
            kind=kind,
            title=self.t(title or f"step.{kind}"),
            detail="\n".join(line for line in lines if line),
            sources=ids,
            confidence=self.confidence(*facts),
            checked=self.checked(ids),
            deadline=deadline,
            term=STEP_TERMS.get(kind),
        )

    def warning(self, kind: str, text: str, *facts: Fact) -> Warning:
        ids = self.ids(*facts)
        return Warning(kind=kind, text=text, sources=ids, checked=self.checked(ids))

    def unknown(self, topic: str, fact: Fact | None = None) -> Unknown:
        """A fact the sources do not give, with the best lead (a note and its sources) if any."""
        lead = fact.note if fact is not None else None
        return Unknown(
            topic=topic,
            text=self.t(f"unknown.{topic}"),
            lead=lead and self.text(lead),
            sources=self.ids(fact) if fact is not None and lead else [],
        )

    def roles(self, roles: list[Role]) -> str:
        return join([self.t(f"role.{r}") for r in roles], self.lang)

    def channel_out(self, channel: Channel) -> ChannelOut:
        ids = self.ids(channel)
        return ChannelOut(
            kind=channel.kind,
            scope=channel.scope,
            path=channel.path and self.text(channel.path),
            phone=channel.phone,
            code=channel.code,
            url=channel.url,
            note=channel.note and self.text(channel.note),
            sources=ids,
            confidence=self.confidence(channel),
        )

    def describe(self, channel: Channel) -> str:
        return channel_line(self.channel_out(channel), self.lang)

    def disputes(self, *facts: Fact) -> list[Warning]:
        return [
            self.warning("sources_disagree", self.t("warn.sources_disagree", text=self.text(c.note)), c)
            for f in facts
            for c in f.conflicts
        ]


@dataclass
class Part:
    """What one builder adds to the plan."""

    steps: list[Step] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    unknowns: list[Unknown] = field(default_factory=list)

    def __iadd__(self, other: Part) -> Part:
        self.steps += other.steps
        self.warnings += other.warnings
        self.unknowns += other.unknowns
        return self


def role_check(x: Ctx, allowed_roles: list[Role] | None, basis: Fact, warn_key: str) -> Part:
    """Warn when the person's role may not act (or no source says whether it may)."""
    role, part = x.s.role, Part()
    if allowed_roles is None:
        if role != "owner":
            part.warnings.append(
                x.warning("authorization_required", x.t("warn.role_unknown", role=x.t(f"role.{role}")))
            )
        return part
    if role not in allowed_roles:
        names = x.roles(allowed_roles)
        part.warnings.append(
            x.warning(
                "authorization_required",
                x.t(warn_key, role=x.t(f"role.{role}"), roles=names),
                basis,
            )
        )
    return part


def role_lines(x: Ctx, allowed_roles: list[Role] | None) -> list[str]:
    if allowed_roles is None or x.s.role in allowed_roles:
        return []
    return [x.t("detail.only_role", roles=x.roles(allowed_roles))]


# ---------------------------------------------------------------- the section builders


def backup(x: Ctx) -> Part:
    data = x.plan.data_lost
    if not data.known():
        return Part(unknowns=[x.unknown("data_lost", data)])
    return Part(
        steps=[x.step("backup", [x.text(data.text), x.t("detail.backup_generic")], data)],
        warnings=[x.warning("data_deleted", x.text(data.text), data)],
    )


def move_2fa(x: Ctx) -> Part:
    """Codes sent to the number stop (number gone) or may not arrive abroad (number kept)."""
    s = x.s
    if s.keep_number and not s.leaving_us:
        return Part()
    facts = [x.common.number_reassigned, *x.common.number_dependencies[:2]]
    key = "detail.update_2fa" if not s.keep_number else "detail.update_2fa_abroad"
    return Part(steps=[x.step("update_2fa", [x.t(key)], *facts)])


def return_due(x: Ctx) -> date | None:
    """The last day to return the phone, while that is still ahead (None: no window, or no dates)."""
    r, s = x.plan.returns, x.s
    if not r.known() or s.bought is None or s.today is None:
        return None
    deadline = s.bought + timedelta(days=r.days_in(s.state))
    return deadline if deadline >= s.today else None


def return_device(x: Ctx) -> Part:
    """Inside the return window a return (and its restocking fee) beats paying the phone off."""
    r, s = x.plan.returns, x.s
    if not r.known():
        return Part()
    days = r.days_in(s.state)
    fee = _fee(x)
    basis = [r, *(rule for rule in r.by_state if s.state in rule.states)]
    if s.bought is None or s.today is None:
        if s.device_balance_usd <= 0:  # no phone being paid for: a return is not the question
            return Part()
        return Part(
            warnings=[x.warning("return_window", x.t("warn.return_window", days=days, fee=fee), *basis)]
        )
    deadline = return_due(x)
    if deadline is None:  # the window has closed
        return Part()
    lines = [x.t("detail.return_device", day=deadline, days=days, fee=fee)]
    if r.note:
        lines.append(x.text(r.note))
    return Part(steps=[x.step("return_device", lines, *basis, deadline=deadline)])


def _fee(x: Ctx) -> str:
    r = x.plan.returns
    if r.restocking_fee_usd is None:
        return x.t("fee.unknown")
    if r.restocking_fee_max_usd is not None and r.restocking_fee_max_usd != r.restocking_fee_usd:
        return x.t("fee.range", low=_usd(r.restocking_fee_usd), high=_usd(r.restocking_fee_max_usd))
    return _usd(r.restocking_fee_usd)


def _usd(amount: float) -> str:
    return f"${amount:,.2f}".replace(".00", "")


def device_balance(x: Ctx) -> Part:
    amount = x.s.device_balance_usd
    if amount <= 0:
        return Part()
    rule = x.plan.device_balance
    due = getattr(rule, x.s.scope)
    money = f"{amount:,.2f}"
    basis = rule if rule.known() else x.common.port_anyway  # a balance owed stays owed
    lines = [x.t(f"detail.balance_{due}", amount=money)] + ([x.text(rule.note)] if rule.note else [])
    part = Part(
        steps=[x.step("pay_device_balance", lines, basis)],
        warnings=[
            x.warning("device_balance_due", x.t("warn.balance", amount=money, when=x.t(f"due.{due}")), basis)
        ],
    )
    if due == "unknown":
        part.unknowns.append(x.unknown("device_balance", rule))
    return part


def unlock(x: Ctx) -> tuple[Part, UnlockOut]:
    s = x.s
    rule = rule_for(x.plan.unlock, s.activation_date)
    if rule is None:
        code = x.common.unlock_code
        generic = x.t("detail.unlock_generic", carrier=x.name)
        out = UnlockOut(
            date=None,
            rule=x.text(code.text),
            valid_from=None,
            automatic=None,
            reasoning=[generic],
            sources=x.ids(code),
        )
        return Part(steps=[x.step("unlock_device", [generic, x.text(code.text)], code)]), out
    when = unlock_date(rule, s.activation_date, s.paid_off_date)
    reasoning = [x.t("unlock.rule", since=rule.valid_from) if rule.valid_from else x.t("unlock.rule_undated")]
    if rule.days_active is not None and s.activation_date:
        reasoning.append(x.t("unlock.days", days=rule.days_active, start=s.activation_date))
    if rule.paid_off and s.paid_off_date:
        reasoning.append(x.t("unlock.paid_off", day=s.paid_off_date))
        if rule.payoff_wait_days:
            reasoning.append(x.t("unlock.payoff_wait", days=rule.payoff_wait_days))
    reasoning += [x.t(f"unlock.missing_{m}") for m in when.missing]
    if rule.automatic is False:
        reasoning.append(x.t("unlock.on_request"))
    if when.date is not None:
        reasoning.append(x.t("unlock.earliest", day=when.date))
    out = UnlockOut(
        date=when.date,
        rule=x.text(rule.text),
        valid_from=rule.valid_from,
        automatic=rule.automatic,
        reasoning=reasoning,
        sources=x.ids(rule),
    )
    return Part(
        steps=[x.step("unlock_device", [x.text(rule.text), *reasoning], rule)], warnings=x.disputes(rule)
    ), out


def still_locked(x: Ctx, out: UnlockOut) -> Part:
    """Leaving the US with a phone that is still locked to the carrier: it will not take a local SIM."""
    s = x.s
    if not (s.leaving_us or s.leave_date):
        return Part()
    by = s.leave_date or s.today
    rule = rule_for(x.plan.unlock, s.activation_date)
    basis = rule or x.common.unlock_code
    if out.date is None:
        return Part(warnings=[x.warning("still_locked", x.t("warn.still_locked_unknown"), basis)])
    if by is not None and out.date > by:
        return Part(warnings=[x.warning("still_locked", x.t("warn.still_locked", day=out.date), basis)])
    return Part()


def port(x: Ctx) -> Part:
    s, porting, part = x.s, x.plan.porting, Part()
    if s.port_lock_on != "no":
        if porting.locks:
            lines = [
                x.text(lk.name) + (f": {x.text(lk.how_off)}" if lk.how_off else "") for lk in porting.locks
            ]
            for lk in porting.locks:
                lines += role_lines(x, lk.who)
            part.steps.append(x.step("disable_port_lock", lines, *porting.locks, x.common.port_locks))
        elif s.port_lock_on == "yes":
            part.steps.append(x.step("disable_port_lock", [x.t("detail.lock_unknown")], x.common.port_locks))

    lines, facts = [], []
    if porting.credentials.known():
        lines.append(x.text(porting.credentials.text))
        facts.append(porting.credentials)
    if porting.account_number.known():
        lines.append(x.t("detail.account_number", text=x.text(porting.account_number.text)))
        facts.append(porting.account_number)
    lines += [x.describe(way) for way in porting.pin_ways]
    facts += porting.pin_ways
    if porting.pin_validity.known():
        lines.append(x.t("detail.valid_days", days=porting.pin_validity.days))
        facts.append(porting.pin_validity)
    else:
        part.unknowns.append(x.unknown("pin_validity", porting.pin_validity))
        lines.append(x.t("detail.valid_unknown"))
    if not facts:
        part.unknowns.append(x.unknown("credentials", porting.credentials))
        lines.insert(0, x.t("detail.credentials_unknown", carrier=x.name))
        facts.append(x.common.port_first)  # the FCC guide names what a port needs
    part += role_check(x, porting.pin_who.roles, porting.pin_who, "warn.role_pin")
    if porting.pin_who.known():
        lines += role_lines(x, porting.pin_who.roles)
        facts.append(porting.pin_who)
    else:
        part.unknowns.append(x.unknown("pin_who", porting.pin_who))
    guard = scam_guard(x)
    lines += [x.text(f.text) for f in guard]
    part.steps.append(x.step("get_port_credentials", lines, *facts, *guard))

    window = x.window
    if s.leaving_us:
        part.steps.append(keep_plan_step(x, window.best if window else None))

    closes = porting.closes_line
    lines = [x.t("detail.port_out"), x.text(x.common.port_first.text)]
    if closes.value == "yes":
        lines.append(x.t("detail.port_closes_line"))
    else:
        if closes.value == "unknown":
            part.unknowns.append(x.unknown("closes_line", closes))
        lines.append(x.t("detail.port_close_unknown"))
    part.steps.append(
        x.step("port_out", lines, x.common.port_first, closes, deadline=window.best if window else None)
    )
    part.warnings += x.disputes(closes)
    if closes.value != "yes":
        part += cancel(x, after_port=True)
        return part
    part += autopay(x, after_port=True)
    part.steps.append(confirm_closed(x, [closes, porting.closes_account], after_port=True))
    return part


def scam_guard(x: Ctx) -> list[Info]:
    """Where a person is asked for PINs or looks for help to cancel: who must never get them (the common
    warning about paid "代办销户" agents and impostors), and what the carrier says it never asks for."""
    return [f for f in (x.common.scam_warning, x.carrier.never_asks) if f.known()]


def keep_plan_step(x: Ctx, deadline: date | None) -> Step:
    """Where the number will live while abroad: active before the old plan renews."""
    options = keep_options(x)
    facts = (
        [o for o in options if o.kind.startswith("cheap") or o.carrier] or options or [x.common.port_first]
    )
    line = x.t("detail.keep_plan_by", day=deadline) if deadline else x.t("detail.keep_plan")
    best = cheapest_keep(x)
    choice = keep_choice(x)
    lines = [line, choice.text] if choice else [line]
    extra = [best, best.price] if best else []
    return x.step(
        "activate_keep_plan", lines, *facts, *[f for f in extra if f not in facts], deadline=deadline
    )


def cheapest_keep(x: Ctx) -> Option | None:
    """The way to keep the number with the lowest yearly cost that a source prices, among those that hold
    it as long as they are paid (a suspension capped at 90 days cannot cover a stay abroad)."""
    priced = [o for o in keep_options(x) if o.price.known() and o.price.max_days is None]
    return min(priced, key=lambda o: o.price.yearly_usd() or 0.0, default=None)


def _price(x: Ctx, o: Option) -> str:
    p = o.price
    usd = _usd(p.usd or 0.0)
    if p.period_days:
        text = x.t("keep.price_days", usd=usd, days=p.period_days)
    elif p.period_months == 1:
        text = x.t("keep.price_month", usd=usd)
    else:
        text = x.t("keep.price_months", usd=usd, months=p.period_months)
    extra = [x.t("keep.upfront", months=p.upfront_months)] if p.upfront_months else []
    extra += [x.text(p.includes)] if p.includes else []
    if not extra:
        return text
    return x.t("keep.price_with", price=text, extra=("；" if x.lang == "zh" else "; ").join(extra))


def keep_choice(x: Ctx) -> KeepChoice | None:
    """Leaving the US and keeping the number: the cheapest sourced way and the safe order (into it before
    the old plan renews, AutoPay off after the move, then the rest of the old plan), or an honest 'no
    price is known'."""
    if not (x.s.keep_number and x.s.leaving_us):
        return None
    window = x.window
    act_by = window.best if window else None
    autopay_by = window.autopay_by if window else None
    best = cheapest_keep(x)
    if best is None:
        return KeepChoice(kind=None, name=None, price=None, yearly_usd=None, act_by=act_by,
                          autopay_off_by=autopay_by, text=x.t("keep.no_price"), sources=[])  # fmt: skip
    yearly = best.price.yearly_usd()
    name = x.text(best.name) if best.name else best.kind
    price = _price(x, best)
    if best in x.plan.keep_options:  # the carrier's own hold: the number stays, nothing moves
        order = [
            x.t("keep.own_step1_by", day=act_by) if act_by else x.t("keep.own_step1"),
            x.t("keep.own_step2", carrier=x.name),
        ]
    else:
        order = [
            x.t("keep.step1_by", day=act_by) if act_by else x.t("keep.step1"),
            x.t("keep.step2_by", day=autopay_by) if autopay_by else x.t("keep.step2"),
            x.t("keep.step3"),
        ]
    head = x.t("keep.choice", name=name, price=price, yearly=_usd(yearly or 0.0))
    return KeepChoice(kind=best.kind, name=name, price=price, yearly_usd=yearly, act_by=act_by,
                      autopay_off_by=autopay_by, text="\n".join([head, *order]),
                      sources=x.ids(best.price, best))  # fmt: skip


def abroad(x: Ctx) -> Part:
    """Keeping the number while abroad: prove codes arrive, and never miss the small renewal."""
    if not (x.s.keep_number and x.s.leaving_us):
        return Part()
    options = keep_options(x)
    caveat = [o for o in options if "abroad" in o.kind] or [x.common.number_reassigned]
    expiry = [o for o in options if "expiry" in o.kind] or [x.common.number_reassigned]
    return Part(
        steps=[
            x.step("test_codes_abroad", [x.t("detail.test_codes_abroad")], *caveat),
            x.step(
                "set_renewal_reminders",
                [x.t("detail.set_renewal_reminders")],
                *expiry,
                x.common.number_reassigned,
            ),
        ]
    )


def autopay(x: Ctx, after_port: bool = False, lapsing: bool = False) -> Part:
    """A card on file keeps being charged unless it is stopped: after a port, or before a lapse or
    cancellation. Its deadline is the renewal minus the AutoPay lead time. A lapse always starts by
    stopping the automatic renewal."""
    plan = x.plan
    separate = plan.autopay_separate
    if not lapsing and (separate.value != "yes" or x.s.scope == "line"):
        return Part()  # ending one line leaves the account, and its AutoPay, running for the others
    window = x.window
    deadline = window.autopay_by if window else None
    timing = plan.autopay_timing
    lines = [x.t("detail.autopay_after_port" if after_port else "detail.autopay")]
    if timing.charge_lead_hours:
        lines.append(x.t("detail.autopay_lead", hours=timing.charge_lead_hours))
    if timing.cutoff_hours:
        lines.append(x.t("detail.autopay_cutoff", hours=timing.cutoff_hours))
    lapse_ways = [c for c in x.channels if c.kind == "lapse"]
    facts = [f for f in (separate, timing) if f.known()] or [plan.lapse, *lapse_ways]
    return Part(steps=[x.step("turn_off_autopay", lines, *facts, deadline=deadline)])


def cancel(x: Ctx, after_port: bool = False) -> Part:
    s, plan, part = x.s, x.plan, Part()
    active = [c for c in x.channels if c.kind != "lapse"]
    lapse = [c for c in x.channels if c.kind == "lapse"]
    # After a port that may leave something behind, a documented lapse is the way to end the rest
    # when there is no channel to cancel through.
    lapsing = x.route == "lapse" or (after_port and not active and bool(lapse))
    if not after_port:
        part += number_loss(x)
    part += autopay(x, after_port=after_port, lapsing=lapsing)
    allowed = plan.who_may_cancel.for_scope(s.scope)
    part += role_check(x, allowed, plan.who_may_cancel, "warn.role_cancel")
    if plan.who_may_cancel.roles is None:
        part.unknowns.append(x.unknown("who_may_cancel", plan.who_may_cancel))
    lines_role = role_lines(x, allowed)
    window = x.window
    deadline = window.best if window and not after_port else None
    title = "step.cancel_after_port" if after_port else None
    if lapsing:
        lines = [x.text(c.note) if c.note else x.t("channel.lapse") for c in lapse] or [x.t("detail.lapse")]
        if plan.lapse.note:
            lines.append(x.text(plan.lapse.note))
        part.steps.append(x.step("let_lapse", lines + lines_role, plan.lapse, *lapse, deadline=deadline))
        part.steps.append(confirm_closed(x, [plan.lapse, *lapse], after_port=after_port))
        return part
    if active:
        extra: list[Fact] = [x.common.port_first] if after_port else [*scam_guard(x)]
        lines = [x.t("detail.channels"), *[x.describe(c) for c in active], *lines_role]
        if not after_port:  # looking for a way to cancel is where paid "agents" find people
            lines += [x.text(f.text) for f in scam_guard(x)]
        part.steps.append(
            x.step("cancel", lines, *active, plan.who_may_cancel, *extra, title=title, deadline=deadline)
        )
    else:
        rule = getattr(plan.online, s.scope)
        lines = [x.t("detail.no_channel", carrier=x.name)] + ([x.text(rule.note)] if rule.note else [])
        basis = rule if rule.sources else x.common.port_first
        guard = [] if after_port else scam_guard(x)
        lines += lines_role + [x.text(f.text) for f in guard]
        part.steps.append(x.step("cancel", lines, basis, *guard, title=title, deadline=deadline))
    part.steps.append(confirm_closed(x, active or [x.common.port_first]))
    return part


def number_loss(x: Ctx) -> Part:
    """The number goes; how long it can be won back is a fact of the lapse route only."""
    hold, part = x.plan.number_hold, Part()
    text = x.t("warn.number_loss")
    facts: list[Fact] = [x.common.number_reassigned]
    if x.route == "lapse":
        if hold.known():
            text += " " + x.t("warn.number_hold", days=hold.days)
            facts.append(hold)
        else:
            part.unknowns.append(x.unknown("number_hold", hold))
    part.warnings.append(x.warning("number_loss", text, *facts))
    return part


def confirm_closed(x: Ctx, facts: list[Fact], after_port: bool = False) -> Step:
    s = x.s
    if s.scope == "line":
        lines = [x.t("detail.confirm_line")]
        return x.step("confirm_closed", lines, *facts, title="step.confirm_line_closed")
    lines = [x.t("detail.confirm_lapse" if x.route == "lapse" else "detail.confirm")]
    if after_port and x.plan.porting.closes_account.value != "yes":
        lines.insert(0, x.t("detail.confirm_account"))
    return x.step("confirm_closed", lines, *facts)


def money(x: Ctx) -> Part:
    plan, s, part = x.plan, x.s, Part()
    amount = s.prepaid_balance_usd
    if amount > 0 and plan.prepaid_refund.value != "yes":
        key = "warn.prepaid_lost" if plan.prepaid_refund.value == "no" else "warn.prepaid_unknown"
        if plan.prepaid_refund.value == "unknown":
            part.unknowns.append(x.unknown("prepaid_refund", plan.prepaid_refund))
        part.warnings.append(
            x.warning("prepaid_balance_forfeit", x.t(key, amount=f"{amount:,.2f}"), plan.prepaid_refund)
        )
    if plan.proration.value == "no":
        part.warnings.append(x.warning("no_proration", x.t("warn.no_proration"), plan.proration))
    elif plan.proration.value == "unknown":
        part.unknowns.append(x.unknown("proration", plan.proration))
    part.warnings += x.disputes(plan.proration)
    if plan.promotions_lost.value == "yes":
        part.warnings.append(x.warning("lost_promotions", x.t("warn.promotions"), plan.promotions_lost))
    terms = plan.terms
    if terms.months and max(terms.months) > 1 and s.term_months is None and s.paid_through is None:
        part.warnings.append(
            x.warning(
                "multi_month_term",
                x.t("warn.multi_month", months=join([str(m) for m in terms.months], x.lang)),
                terms,
            )
        )
    if terms.unused_refunded == "no" and s.paid_through and s.leave_date and s.paid_through > s.leave_date:
        part.warnings.append(
            x.warning("unused_months_forfeit", x.t("warn.unused_months", day=s.paid_through), terms)
        )
    etf = plan.early_termination
    if etf.value == "yes":
        text = x.t("warn.etf") + (f" {x.text(etf.text)}" if etf.text else "")
        part.warnings.append(x.warning("early_termination_fee", text, etf))
    window = x.window
    if window and window.charged_before_leaving:
        part.warnings.append(
            x.warning(
                "renewal_before_leaving",
                x.t("warn.renewal_before_leaving", day=window.renewal),
                plan.proration,
            )
        )
    return part


def traps(x: Ctx) -> Part:
    part = Part()
    for trap in x.plan.traps:
        if trap.keep_number is not None and trap.keep_number != x.s.keep_number:
            continue
        if trap.scope is not None and trap.scope != x.s.scope:
            continue
        part.warnings.append(x.warning(trap.kind, x.text(trap.text), trap))
        part.warnings += x.disputes(trap)
    return part


def keep_options(x: Ctx) -> list[Option]:
    """Ways to keep the number: the carrier's own, then general ones; never 'move to where you are'."""
    return [o for o in [*x.plan.keep_options, *x.common.keep_options] if o.carrier != x.carrier.id]


# ---------------------------------------------------------------- outputs beside the checklist


def timing(x: Ctx) -> Timing:
    s, plan = x.s, x.plan
    items = final_bill(x)
    window = x.window
    ret = return_due(x)
    if window is None or (window.best is None and window.renewal is None):
        return Timing(
            next_bill_date=None,
            window_start=None,
            window_end=None,
            best_date=None,
            reasoning=[x.t("timing.need_dates")],
            final_bill=items,
            sources=[],
            return_by=ret,
            route=x.route,
        )
    values = {
        "next_bill": window.renewal,
        "leave": s.leave_date,
        "best": window.best,
        "days": plan.autopay_timing.lead_days(),
    }
    reasoning = [x.t(f"timing.{r}", **values) for r in window.reasons]
    facts = [plan.proration, plan.autopay_timing]
    if x.route == "port":
        facts.append(x.common.port_first)
    return Timing(
        next_bill_date=window.renewal,
        window_start=s.today,
        window_end=window.best,
        best_date=window.best,
        autopay_off_by=window.autopay_by,
        return_by=ret,
        route=x.route,
        reasoning=reasoning,
        final_bill=items,
        sources=x.ids(*facts),
    )


def final_bill(x: Ctx) -> list[BillItem]:
    s, plan = x.s, x.plan
    last = plan.proration.value
    items = [BillItem(kind="last_cycle", text=x.t(f"bill.last_cycle_{last}"), sources=x.ids(plan.proration))]
    if s.device_balance_usd > 0:
        due = getattr(plan.device_balance, s.scope)
        items.append(
            BillItem(
                kind="device_balance",
                text=f"{x.t('label.device_balance')} ({x.t(f'due.{due}')})",
                amount_usd=round(s.device_balance_usd, 2),
                sources=x.ids(plan.device_balance),
            )
        )
    if s.prepaid_balance_usd > 0 and plan.prepaid_refund.value != "yes":
        items.append(
            BillItem(
                kind="prepaid_forfeit",
                text=x.t("bill.prepaid_forfeit"),
                amount_usd=round(s.prepaid_balance_usd, 2),
                sources=x.ids(plan.prepaid_refund),
            )
        )
    if return_due(x) and plan.returns.restocking_fee_usd is not None:
        items.append(
            BillItem(
                kind="restocking_fee",
                text=x.t("bill.restocking_fee"),
                amount_usd=plan.returns.restocking_fee_max_usd or plan.returns.restocking_fee_usd,
                sources=x.ids(plan.returns),
            )
        )
    if plan.promotions_lost.value == "yes":
        items.append(
            BillItem(kind="promotions", text=x.t("warn.promotions"), sources=x.ids(plan.promotions_lost))
        )
    return items


def costs(x: Ctx) -> Costs:
    plan, s = x.plan, x.s
    refund = plan.prepaid_refund.value
    returnable = return_due(x) is not None
    return Costs(
        device_balance_due_usd=round(s.device_balance_usd, 2),
        device_balance_due=getattr(plan.device_balance, s.scope),
        prepaid_balance_forfeit_usd=0.0 if refund == "yes" else round(s.prepaid_balance_usd, 2),
        prepaid_refund=refund,
        last_cycle_prorated=plan.proration.value,
        restocking_fee_usd=plan.returns.restocking_fee_usd if returnable else None,
        restocking_fee_max_usd=plan.returns.restocking_fee_max_usd if returnable else None,
        early_termination_max_usd=plan.early_termination.max_usd
        if plan.early_termination.value == "yes"
        else None,
    )


def port_kit(x: Ctx) -> PortKit:
    porting = x.plan.porting
    return PortKit(
        credentials=porting.credentials.text and x.text(porting.credentials.text),
        account_number=porting.account_number.text and x.text(porting.account_number.text),
        pin_ways=[x.channel_out(w) for w in porting.pin_ways],
        pin_validity_days=porting.pin_validity.days,
        pin_who=porting.pin_who.roles,
        locks=[x.text(lk.name) for lk in porting.locks],
        closes_line=porting.closes_line.value,
    )


def script(x: Ctx, verdict: str) -> list[ScriptLine]:
    """A script when a person must be reached: no sure online way, and a phone, chat or store."""
    human = [c for c in x.channels if c.kind in ("phone", "chat", "store")]
    if (verdict == "yes" and not x.s.keep_number) or not human or x.route == "lapse":
        return []
    allowed = x.plan.porting.pin_who.roles if x.s.keep_number else x.plan.who_may_cancel.for_scope(x.s.scope)
    holder_needed = allowed is not None and x.s.role not in allowed
    return call_script(x.name, x.s.keep_number, x.s.role, holder_needed, x.s.scope)


def glossary_for(x: Ctx, steps: list[Step], warnings: list[Warning]) -> list[Term]:
    keys = [step.term for step in steps if step.term]
    if x.s.keep_number:
        keys.append("account_number")
    if any(w.kind == "authorization_required" for w in warnings):
        keys.append("brp")
    if x.plan.proration.value != "yes":
        keys.append("proration")
    return glossary(keys, x.lang)


def advice(x: Ctx, options: list[Option]) -> list[Advice]:
    return [Advice(kind=o.kind, text=x.text(o.text), sources=x.ids(o)) for o in options]


# ---------------------------------------------------------------- the whole plan


def assess(carrier: Carrier, situation: Situation, common: Common | None = None) -> Assessment:
    if common is None:
        from .catalog import default

        common = default().common
    if situation.carrier != carrier.id:
        raise SituationError(f"situation is for {situation.carrier!r}, not {carrier.id!r}")
    plan_id = situation.plan or carrier.default_plan
    if plan_id not in carrier.plans:
        raise SituationError(f"{carrier.id} has no {plan_id} plan; its plans: {', '.join(carrier.plans)}")
    x = Ctx(carrier, common, situation, plan_id, carrier.plans[plan_id])
    s = situation

    rule: OnlineRule = getattr(x.plan.online, s.scope)
    verdict, basis = online_verdict(rule, s)
    doc = Part(warnings=x.disputes(rule))
    if verdict == "unknown":
        doc.unknowns.append(x.unknown("online", basis))

    # The order of the checklist: save, move codes off, return or pay for the phone, unlock, then
    # the exit itself (port / lapse / cancel), then what keeps a number alive abroad.
    unlock_part, unlock_out = unlock(x)
    for part in (
        backup(x),
        move_2fa(x),
        return_device(x),
        device_balance(x),
        unlock_part,
        still_locked(x, unlock_out),
        port(x) if s.keep_number else cancel(x),
        abroad(x),
        money(x),
        traps(x),
    ):
        doc += part
    warnings = _dedupe(doc.warnings)
    unknowns = list({u.topic: u for u in reversed(doc.unknowns)}.values())[::-1]
    number_at_stake = not s.keep_number or s.leaving_us
    tm = timing(x)
    result = dict(
        carrier=carrier.id,
        carrier_name=x.name,
        plan=plan_id,
        plan_label=x.text(x.plan.label),
        scope=s.scope,
        lang=x.lang,
        as_of=s.today,
        online_cancel=verdict,
        online_note=(basis.note or rule.note) and x.text(basis.note or rule.note),
        channels=[x.channel_out(c) for c in x.channels],
        steps=doc.steps,
        warnings=warnings,
        costs=costs(x),
        port_kit=port_kit(x),
        unknowns=unknowns,
        myths=[
            MythOut(claim=x.text(m.claim), truth=x.text(m.truth), sources=x.ids(m), claimed_by=m.claimed_by)
            for m in carrier.myths
        ],
        unlock=unlock_out,
        timing=tm,
        script=script(x, verdict),
        glossary=glossary_for(x, doc.steps, warnings),
        dependencies=advice(x, common.number_dependencies) if number_at_stake else [],
        keep_options=advice(x, keep_options(x)) if number_at_stake else [],
        keep_choice=keep_choice(x),
        legal=Note(text=x.text(common.click_to_cancel.text), sources=x.ids(common.click_to_cancel)),
    )
    return Assessment(**result, sources=_source_refs(x, x.ids(basis), result))


def _dedupe(warnings: list[Warning]) -> list[Warning]:
    seen, out = set(), []
    for w in warnings:
        if (w.kind, w.text) not in seen:
            seen.add((w.kind, w.text))
            out.append(w)
    return out


def _source_refs(x: Ctx, first: list[str], result: dict) -> list[SourceRef]:
    """Every source cited anywhere in the assessment, in reading order (the verdict's first)."""
    order = list(first)

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                value = getattr(node, name)
                if name in ("sources", "claimed_by") and isinstance(value, list):
                    order.extend(v for v in value if v not in order)
                else:
                    walk(value)

    for key in ("channels", "steps", "warnings", "unknowns", "myths", "unlock", "timing", "port_kit"):
        walk(result[key])
    for key in ("dependencies", "keep_options", "keep_choice", "legal"):
        walk(result[key])
    return [
        SourceRef(
            id=sid,
            **x.sources[sid].model_dump(include={"url", "title", "checked", "confidence", "published"}),
        )
        for sid in order
        if sid in x.sources
    ]
