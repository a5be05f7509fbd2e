"""Situation + carrier facts -> a safe, ordered, sourced plan. Pure: no I/O, no clock, no randomness.

The rules that hold for every carrier:
- keeping the number means: switch off port locks, get the transfer credentials, port, and never
  cancel before the port (where the port ends the line, there is nothing to cancel);
- not keeping it warns that the number is lost, and moves logins off it first;
- a device balance is reported with when it becomes due;
- a role that may not cancel or get a PIN is warned and told who must act;
- a prepaid balance that is not refunded (or may not be) is warned;
- every step cites at least one source.
"""

from __future__ import annotations

from .glossary import STEP_TERMS, glossary
from .i18n import channel_line, join, t
from .models import (
    Advice,
    Assessment,
    BillItem,
    Carrier,
    Channel,
    ChannelOut,
    Common,
    Costs,
    Fact,
    Lang,
    Myth,
    MythOut,
    Note,
    OnlineRule,
    Option,
    Plan,
    PortKit,
    Role,
    ScriptLine,
    Situation,
    SourceRef,
    Step,
    Term,
    Timing,
    Unknown,
    UnlockOut,
    Verdict,
    Warning,
)
from .script import call_script
from .timing import action_window, rule_for, unlock_date


class SituationError(ValueError):
    """A situation that does not fit the carrier (e.g. a plan type it does not sell)."""


def assess(carrier: Carrier, situation: Situation, common: Common | None = None) -> Assessment:
    if common is None:
        from .catalog import default

        common = default().common
    if situation.carrier != carrier.id:
        raise SituationError(f"situation is for {situation.carrier!r}, not {carrier.id!r}")
    plan_id = situation.plan or carrier.default_plan
    if plan_id not in carrier.plans:
        raise SituationError(f"{carrier.id} has no {plan_id} plan; its plans: {', '.join(carrier.plans)}")
    return _Assessor(carrier, common, situation, plan_id).run()


def online_verdict(rule: OnlineRule, situation: Situation) -> tuple[Verdict, Fact]:
    """The verdict for this situation: the first override whose conditions all hold, else the rule."""
    for override in rule.when:
        if override.states is not None and situation.state not in override.states:
            continue
        if override.enrolled_online is not None and override.enrolled_online != situation.enrolled_online:
            continue
        return override.verdict, override
    return rule.verdict, rule


class _Assessor:
    def __init__(self, carrier: Carrier, common: Common, s: Situation, plan_id):
        self.carrier, self.common, self.s, self.plan_id = carrier, common, s, plan_id
        self.plan: Plan = carrier.plans[plan_id]
        self.lang: Lang = s.lang
        self.name = carrier.name(self.lang)
        self.steps: list[Step] = []
        self.warnings: list[Warning] = []
        self.unknowns: list[Unknown] = []
        self.cited: list[str] = []

    # ------------------------------------------------------------ helpers

    def text(self, fact_text) -> str:
        return fact_text(self.lang)

    def cite(self, *facts: Fact) -> list[str]:
        ids: list[str] = []
        for fact in facts:
            ids += [sid for sid in fact.sources if sid not in ids]
        self.cited += [sid for sid in ids if sid not in self.cited]
        return ids

    def confidence(self, ids: list[str]):
        sources = {**self.common.sources, **self.carrier.sources}
        ranks = {"official": 3, "guide": 2, "unverified": 1}
        levels = [sources[i].confidence for i in ids if i in sources]
        return max(levels, key=ranks.__getitem__) if levels else None

    def step(self, kind: str, lines: list[str], *facts: Fact, title_key: str | None = None) -> None:
        ids = self.cite(*facts)
        self.steps.append(
            Step(
                kind=kind,
                title=t(title_key or f"step.{kind}", self.lang),
                detail="\n".join(line for line in lines if line),
                sources=ids,
                confidence=self.confidence(ids),
                term=STEP_TERMS.get(kind),
            )
        )
        for fact in facts:
            self.disputed(fact)

    def warn(self, kind: str, text: str, *facts: Fact) -> None:
        self.warnings.append(Warning(kind=kind, text=text, sources=self.cite(*facts)))

    def disputed(self, fact: Fact) -> None:
        for claim in fact.conflicts:
            text = t("warn.sources_disagree", self.lang, text=self.text(claim.note))
            if not any(w.text == text for w in self.warnings):
                self.warn("sources_disagree", text, claim)

    def unknown(self, topic: str, fact: Fact | None = None) -> None:
        """Record a fact the sources do not give, with the best lead (a note and its sources) if any."""
        if any(u.topic == topic for u in self.unknowns):
            return
        lead = fact.note if fact is not None else None
        self.unknowns.append(
            Unknown(
                topic=topic,
                text=t(f"unknown.{topic}", self.lang),
                lead=lead and self.text(lead),
                sources=self.cite(fact) if fact is not None and lead else [],
            )
        )

    def roles_text(self, roles: list[Role]) -> str:
        return join([t(f"role.{r}", self.lang) for r in roles], self.lang)

    def describe(self, channel: Channel) -> str:
        return channel_line(self.channel_out(channel), self.lang)

    def channel_out(self, channel: Channel) -> ChannelOut:
        ids = self.cite(channel)
        return ChannelOut(
            kind=channel.kind,
            scope=channel.scope,
            path=channel.path and self.text(channel.path),
            phone=channel.phone,
            code=channel.code,
            url=channel.url,
            note=channel.note and self.text(channel.note),
            sources=ids,
            confidence=self.confidence(ids),
        )

    def check_role(self, allowed, warn_key: str) -> list[str]:
        """Warn when the user's role may not act; returns detail lines for the step."""
        role = self.s.role
        if allowed.roles is None:
            if role != "owner":
                self.warn(
                    "authorization_required",
                    t("warn.role_unknown", self.lang, role=t(f"role.{role}", self.lang)),
                )
            return []
        if role in allowed.roles:
            return []
        roles = self.roles_text(allowed.roles)
        self.warn(
            "authorization_required",
            t(warn_key, self.lang, role=t(f"role.{role}", self.lang), roles=roles),
            allowed,
        )
        return [t("detail.only_role", self.lang, roles=roles)]

    # ------------------------------------------------------------ the plan

    def run(self) -> Assessment:
        s, plan = self.s, self.plan
        rule: OnlineRule = getattr(plan.online, s.scope)
        verdict, basis = online_verdict(rule, s)
        online_sources = self.cite(basis)
        self.disputed(rule)
        if verdict == "unknown":
            self.unknown("online", basis)
        channels = [c for c in plan.channels if c.scope in (s.scope, "both")]

        self.backup()
        if not s.keep_number:
            self.step("update_2fa", [t("detail.update_2fa", self.lang)], self.common.number_reassigned)
        self.device_balance()
        self.unlock()
        if s.keep_number:
            self.port(channels)
        else:
            self.cancel(channels)
        self.money_warnings()
        self.traps()

        return Assessment(
            carrier=self.carrier.id,
            carrier_name=self.name,
            plan=self.plan_id,
            plan_label=self.text(plan.label),
            scope=s.scope,
            lang=self.lang,
            online_cancel=verdict,
            online_note=(basis.note or rule.note) and self.text(basis.note or rule.note),
            channels=[self.channel_out(c) for c in channels],
            steps=self.steps,
            warnings=self.warnings,
            costs=self.costs(),
            port_kit=self.port_kit(),
            unknowns=self.unknowns,
            myths=[self.myth(m) for m in self.carrier.myths],
            unlock=self.unlock_out,
            timing=self.timing(),
            script=self.script(channels, verdict),
            glossary=self.glossary(),
            dependencies=self.advice(self.common.number_dependencies) if self.number_goes_or_leaves() else [],
            keep_options=self.advice([*self.plan.keep_options, *self.common.keep_options])
            if self.number_goes_or_leaves()
            else [],
            legal=Note(
                text=self.text(self.common.click_to_cancel.text),
                sources=self.cite(self.common.click_to_cancel),
            ),
            sources=self.source_refs(online_sources),
        )

    def backup(self) -> None:
        data = self.plan.data_lost
        if data.known():
            self.step("backup", [self.text(data.text), t("detail.backup_generic", self.lang)], data)
            self.warn("data_deleted", self.text(data.text), data)
        else:
            self.unknown("data_lost", data)

    def device_balance(self) -> None:
        amount = self.s.device_balance_usd
        if amount <= 0:
            return
        rule = self.plan.device_balance
        due = getattr(rule, self.s.scope)
        money = f"{amount:,.2f}"
        detail = t(f"detail.balance_{due}", self.lang, amount=money)
        basis = rule if rule.known() else self.common.port_anyway  # a balance owed stays owed
        if due == "unknown":
            self.unknown("device_balance", rule)
        lines = [detail] + ([self.text(rule.note)] if rule.note else [])
        self.step("pay_device_balance", lines, basis)
        self.warn(
            "device_balance_due",
            t("warn.balance", self.lang, amount=money, when=t(f"due.{due}", self.lang)),
            basis,
        )

    def unlock(self) -> None:
        s, L = self.s, self.lang
        rule = rule_for(self.plan.unlock, s.activation_date)
        if rule is None:
            generic = t("detail.unlock_generic", L, carrier=self.name)
            ids = self.cite(self.common.unlock_code)
            self.unlock_out = UnlockOut(
                date=None,
                rule=self.text(self.common.unlock_code.text),
                valid_from=None,
                automatic=None,
                reasoning=[generic],
                sources=ids,
            )
            self.step(
                "unlock_device", [generic, self.text(self.common.unlock_code.text)], self.common.unlock_code
            )
            return
        when = unlock_date(rule, s.activation_date, s.paid_off_date)
        reasoning = [
            t("unlock.rule", L, since=rule.valid_from) if rule.valid_from else t("unlock.rule_undated", L)
        ]
        if rule.days_active is not None and s.activation_date:
            reasoning.append(t("unlock.days", L, days=rule.days_active, start=s.activation_date))
        if rule.paid_off and s.paid_off_date:
            reasoning.append(t("unlock.paid_off", L, day=s.paid_off_date))
        reasoning += [t(f"unlock.missing_{m}", L) for m in when.missing]
        if when.date is not None:
            reasoning.append(t("unlock.earliest", L, day=when.date))
        self.unlock_out = UnlockOut(
            date=when.date,
            rule=self.text(rule.text),
            valid_from=rule.valid_from,
            automatic=rule.automatic,
            reasoning=reasoning,
            sources=self.cite(rule),
        )
        self.step("unlock_device", [self.text(rule.text), *reasoning], rule)

    def port(self, channels: list[Channel]) -> None:
        s, porting = self.s, self.plan.porting
        if s.port_lock_on != "no":
            if porting.locks:
                lines = [
                    self.text(lock.name) + (f": {self.text(lock.how_off)}" if lock.how_off else "")
                    for lock in porting.locks
                ]
                for lock in porting.locks:
                    if lock.who is not None and s.role not in lock.who:
                        lines.append(t("detail.only_role", self.lang, roles=self.roles_text(lock.who)))
                self.step("disable_port_lock", lines, *porting.locks, self.common.port_locks)
            elif s.port_lock_on == "yes":
                self.step("disable_port_lock", [t("detail.lock_unknown", self.lang)], self.common.port_locks)

        lines, facts = [], []
        if porting.credentials.known():
            lines.append(self.text(porting.credentials.text))
            facts.append(porting.credentials)
        if porting.account_number.known():
            lines.append(t("detail.account_number", self.lang, text=self.text(porting.account_number.text)))
            facts.append(porting.account_number)
        lines += [self.describe(way) for way in porting.pin_ways]
        facts += porting.pin_ways
        if porting.pin_validity.known():
            lines.append(t("detail.valid_days", self.lang, days=porting.pin_validity.days))
            facts.append(porting.pin_validity)
        else:
            self.unknown("pin_validity", porting.pin_validity)
            lines.append(t("detail.valid_unknown", self.lang))
        if not facts:
            self.unknown("credentials", porting.credentials)
            lines.insert(0, t("detail.credentials_unknown", self.lang, carrier=self.name))
            facts.append(self.common.port_first)  # the FCC guide names what a port needs
        if porting.pin_who.known():
            lines += self.check_role(porting.pin_who, "warn.role_pin")
            facts.append(porting.pin_who)
        else:
            self.unknown("pin_who", porting.pin_who)
            self.check_role(porting.pin_who, "warn.role_pin")
        self.step("get_port_credentials", lines, *facts)

        closes = porting.closes_line
        lines = [t("detail.port_out", self.lang), self.text(self.common.port_first.text)]
        if closes.value == "yes":
            lines.append(t("detail.port_closes_line", self.lang))
        else:
            if closes.value == "unknown":
                self.unknown("closes_line", closes)
            lines.append(t("detail.port_close_unknown", self.lang))
        self.step("port_out", lines, self.common.port_first, closes)

        if closes.value != "yes":
            self.cancel(channels, after_port=True)
            return
        lines = [t("detail.confirm", self.lang)]
        if s.scope == "account" and porting.closes_account.value != "yes":
            lines.insert(0, t("detail.confirm_account", self.lang))
        self.step("confirm_closed", lines, closes, porting.closes_account)

    def cancel(self, channels: list[Channel], after_port: bool = False) -> None:
        s, plan = self.s, self.plan
        if not after_port:
            hold = plan.number_hold
            text = t("warn.number_loss", self.lang)
            if hold.known():
                text += " " + t("warn.number_hold", self.lang, days=hold.days)
            else:
                self.unknown("number_hold", hold)
            self.warn("number_loss", text, self.common.number_reassigned, hold)
        lapse = [c for c in channels if c.kind == "lapse"]
        active = [c for c in channels if c.kind != "lapse"]
        if plan.autopay_separate.value == "yes" or (lapse and not active):
            basis = plan.autopay_separate if plan.autopay_separate.known() else lapse[0]
            self.step("turn_off_autopay", [t("detail.autopay", self.lang)], basis)

        role_lines = self.check_role(plan.who_may_cancel, "warn.role_cancel")
        if plan.who_may_cancel.roles is None:
            self.unknown("who_may_cancel", plan.who_may_cancel)
        rule = getattr(plan.online, s.scope)
        title = "step.cancel_after_port" if after_port else None
        if active:
            listing = [self.describe(c) for c in active]
            lines = [t("detail.channels", self.lang), *listing, *role_lines]
            extra = [self.common.port_first] if after_port else []
            self.step("cancel", lines, *active, plan.who_may_cancel, *extra, title_key=title)
        elif lapse:
            lines = [self.text(c.note) if c.note else t("channel.lapse", self.lang) for c in lapse]
            self.step("let_lapse", lines + role_lines, *lapse)
        else:
            lines = [t("detail.no_channel", self.lang, carrier=self.name)]
            if rule.note:
                lines.append(self.text(rule.note))
            basis = rule if rule.sources else self.common.port_first
            self.step("cancel", lines + role_lines, basis, title_key=title)
        confirm = "detail.confirm_lapse" if lapse and not active else "detail.confirm"
        self.step("confirm_closed", [t(confirm, self.lang)], *(active or lapse or [self.common.port_first]))

    def money_warnings(self) -> None:
        plan, amount = self.plan, self.s.prepaid_balance_usd
        if amount > 0 and plan.prepaid_refund.value != "yes":
            key = "warn.prepaid_lost" if plan.prepaid_refund.value == "no" else "warn.prepaid_unknown"
            if plan.prepaid_refund.value == "unknown":
                self.unknown("prepaid_refund", plan.prepaid_refund)
            self.warn(
                "prepaid_balance_forfeit", t(key, self.lang, amount=f"{amount:,.2f}"), plan.prepaid_refund
            )
        if plan.proration.value == "no":
            self.warn("no_proration", t("warn.no_proration", self.lang), plan.proration)
        elif plan.proration.value == "unknown":
            self.unknown("proration", plan.proration)
        self.disputed(plan.proration)
        if plan.promotions_lost.value == "yes":
            self.warn("lost_promotions", t("warn.promotions", self.lang), plan.promotions_lost)

    def traps(self) -> None:
        for trap in self.plan.traps:
            if trap.keep_number is not None and trap.keep_number != self.s.keep_number:
                continue
            if trap.scope is not None and trap.scope != self.s.scope:
                continue
            self.warn(trap.kind, self.text(trap.text), trap)

    def timing(self) -> Timing:
        s, plan, L = self.s, self.plan, self.lang
        items = self.final_bill()
        window = None
        if s.today is not None:
            window = action_window(
                s.today,
                s.bill_day,
                s.leave_date,
                s.keep_number,
                plan.proration.value,
                self.plan_id == "prepaid",
            )
        if window is None:
            return Timing(
                next_bill_date=None,
                window_start=None,
                window_end=None,
                best_date=None,
                reasoning=[t("timing.need_dates", L)],
                final_bill=items,
                sources=[],
            )
        values = {"next_bill": window.next_bill, "leave": s.leave_date, "best": window.best}
        reasoning = [t(f"timing.{r}", L, **values) for r in window.reasons]
        reasoning.append(t("timing.best", L, best=window.best))
        facts = [plan.proration, self.common.port_first] if s.keep_number else [plan.proration]
        return Timing(
            next_bill_date=window.next_bill,
            window_start=window.start,
            window_end=window.end,
            best_date=window.best,
            reasoning=reasoning,
            final_bill=items,
            sources=self.cite(*facts),
        )

    def final_bill(self) -> list[BillItem]:
        s, plan, L = self.s, self.plan, self.lang
        last = plan.proration.value
        items = [
            BillItem(
                kind="last_cycle", text=t(f"bill.last_cycle_{last}", L), sources=self.cite(plan.proration)
            )
        ]
        if s.device_balance_usd > 0:
            due = getattr(plan.device_balance, s.scope)
            items.append(
                BillItem(
                    kind="device_balance",
                    text=f"{t('label.device_balance', L)} ({t(f'due.{due}', L)})",
                    amount_usd=round(s.device_balance_usd, 2),
                    sources=self.cite(plan.device_balance),
                )
            )
        if s.prepaid_balance_usd > 0 and plan.prepaid_refund.value != "yes":
            items.append(
                BillItem(
                    kind="prepaid_forfeit",
                    text=t("bill.prepaid_forfeit", L),
                    amount_usd=round(s.prepaid_balance_usd, 2),
                    sources=self.cite(plan.prepaid_refund),
                )
            )
        if plan.promotions_lost.value == "yes":
            items.append(
                BillItem(
                    kind="promotions", text=t("warn.promotions", L), sources=self.cite(plan.promotions_lost)
                )
            )
        return items

    def script(self, channels: list[Channel], verdict: str) -> list[ScriptLine]:
        """A script when a person must be reached: no sure online way, and a phone, chat or store."""
        human = [c for c in channels if c.kind in ("phone", "chat", "store")]
        if verdict == "yes" or not human:
            return []
        return call_script(self.name, self.s.keep_number)

    def glossary(self) -> list[Term]:
        keys = [step.term for step in self.steps if step.term]
        if self.s.keep_number:
            keys.append("account_number")
        if any(w.kind == "authorization_required" for w in self.warnings):
            keys.append("brp")
        if self.plan.proration.value != "yes":
            keys.append("proration")
        return glossary(keys, self.lang)

    def number_goes_or_leaves(self) -> bool:
        return not self.s.keep_number or self.s.leaving_us

    def advice(self, options: list[Option]) -> list[Advice]:
        return [Advice(kind=o.kind, text=self.text(o.text), sources=self.cite(o)) for o in options]

    def myth(self, myth: Myth) -> MythOut:
        self.cited += [sid for sid in myth.claimed_by if sid not in self.cited]
        return MythOut(
            claim=self.text(myth.claim),
            truth=self.text(myth.truth),
            sources=self.cite(myth),
            claimed_by=myth.claimed_by,
        )

    def costs(self) -> Costs:
        plan, s = self.plan, self.s
        refund = plan.prepaid_refund.value
        return Costs(
            device_balance_due_usd=round(s.device_balance_usd, 2),
            device_balance_due=getattr(plan.device_balance, s.scope),
            prepaid_balance_forfeit_usd=0.0 if refund == "yes" else round(s.prepaid_balance_usd, 2),
            prepaid_refund=refund,
            last_cycle_prorated=plan.proration.value,
        )

    def port_kit(self) -> PortKit:
        porting = self.plan.porting
        return PortKit(
            credentials=porting.credentials.text and self.text(porting.credentials.text),
            account_number=porting.account_number.text and self.text(porting.account_number.text),
            pin_ways=[self.channel_out(w) for w in porting.pin_ways],
            pin_validity_days=porting.pin_validity.days,
            pin_who=porting.pin_who.roles,
            locks=[self.text(lock.name) for lock in porting.locks],
            closes_line=porting.closes_line.value,
        )

    def source_refs(self, first: list[str]) -> list[SourceRef]:
        sources = {**self.common.sources, **self.carrier.sources}
        order = [*first, *(sid for sid in self.cited if sid not in first)]
        return [
            SourceRef(
                id=sid,
                **sources[sid].model_dump(include={"url", "title", "checked", "confidence", "published"}),
            )
            for sid in order
        ]
