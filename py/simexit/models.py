"""The shapes of carrier data, of a user's situation and of an assessment.

Carrier data is facts, and every fact names the sources it rests on. A value the sources do not give
is left unknown (None or "unknown"), never guessed; only an unknown fact may go without a source.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .detect import within  # one rule for "host under domain", shared with detection (stdlib only)

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
Confidence = Literal["official", "guide", "unverified"]
CONFIDENCE_RANK: dict[str, int] = {"official": 3, "guide": 2, "unverified": 1}
Verdict = Literal["yes", "partial", "no", "unknown"]
Tri = Literal["yes", "no", "unknown"]
Role = Literal["owner", "manager", "authorized"]
Scope = Literal["line", "account"]
PlanType = Literal["postpaid", "prepaid"]
PageKind = Literal["signin", "account", "billing", "line", "transfer_pin", "cancel", "support"]
ChannelKind = Literal["web", "app", "chat", "phone", "store", "lapse", "dial", "text", "email"]
# When a financed device's remaining balance is charged after a cancellation.
Due = Literal["final_bill", "monthly", "unknown"]

# The 50 states, DC and the inhabited territories (USPS codes).
STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split()
)

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
# Trap kinds are one naming style: kebab-case (lapse-loses-number).
TrapKind = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Hostname = Annotated[str, StringConstraints(pattern=r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")]
# Sources and channels are https only: a plain http page can be altered on the way (issue F8).
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+\.[^\s/]+(?:/\S*)?$")]
# A number as printed by its source: 611, 1-800-937-8997, 800.331.0500, (888) 345-5509, 1-800-CRICKET.
Phone = Annotated[
    str, StringConstraints(pattern=r"^[0-9A-Z()+ .*#-]*[0-9][0-9A-Z()+ .*#-]*$", min_length=3, max_length=20)
]


def _valid_state(code: str) -> str:
    code = code.strip().upper()
    if code not in STATE_CODES:
        raise ValueError(f"{code!r} is not a US state or territory code (e.g. CA, NY, DC)")
    return code


class Strict(BaseModel):
    # defer_build: a model nested in another is only built as part of it, which halves start-up in Pyodide.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Strict):
    """User-facing words, always in both languages."""

    en: NonEmpty = Field(description="English")
    zh: NonEmpty = Field(description="Simplified Chinese")

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


# What kind of page a source is. `carrier`: the carrier's own help, terms, policy or blog pages;
# `regulator`: a government page; `press`, `guide`, `forum`: other publishers. The last group may never
# be the only support of a value: `personal` blogs, `mirror` or `archive` copies of someone else's
# page, a `reseller` copy of an agreement, a `leak`.
SourceKind = Literal[
    "carrier", "regulator", "press", "guide", "forum", "personal", "mirror", "archive", "reseller", "leak"
]
WEAK_KINDS = frozenset({"personal", "mirror", "archive", "reseller", "leak"})


class Source(Strict):
    """A page someone read, cited by id from the facts it supports (see the source rules)."""

    url: Url = Field(description="the page (https only)")
    title: NonEmpty = Field(description="the page's title, and whose page it is")
    checked: date = Field(description="the day someone read this source for the facts that cite it")
    confidence: Confidence = Field(
        description="official (the carrier's or a regulator's own page), guide (a reputable guide, news"
        " site or another carrier's help centre) or unverified (a single low-authority page)"
    )
    kind: SourceKind = Field(
        default="carrier",
        description="carrier, regulator, press, guide, forum or personal; mirror, archive, reseller and"
        " leak exist only to be refused",
    )
    # A page about carriers in general (a regulator's guide, another company's porting reference):
    # it may support a carrier's fact alongside a carrier-specific source, never alone.
    general: bool = Field(
        default=False,
        description="a page about carriers in general: it may support a carrier's fact only beside a"
        " page about that carrier",
    )
    published: str | None = Field(default=None, description="the date the page itself shows, if any")
    note: str | None = Field(default=None, description="what the page says that matters, for reviewers")

    @field_validator("url")
    @classmethod
    def _https(cls, v: str) -> str:
        if not v.startswith("https://"):
            raise ValueError("a source must be an https:// page (rule: https-only)")
        return v


class Fact(Strict):
    """Anything a user is told. `known()` is False when the sources do not give the value."""

    sources: list[Id] = Field(
        default=[], description="ids of the sources under [sources] that give this value (none: unknown)"
    )
    note: Text | None = Field(default=None, description="more about the value, or what a weak lead claims")
    # Sources that say something else: shown beside the fact, never silently dropped.
    conflicts: list[Claim] = Field(
        default=[], description="sources that say something else: shown beside the fact, never dropped"
    )

    def known(self) -> bool:
        return True

    @model_validator(mode="after")
    def _known_needs_source(self) -> Fact:
        if self.known() and not self.sources:
            raise ValueError("a known fact needs at least one source (or mark the value unknown)")
        return self


class Claim(Fact):
    """What another source says about a fact."""

    note: Text = Field(description="what the other source says")


class Info(Fact):
    """A fact that is a piece of text (a menu path, a place to look); None when unknown."""

    text: Text | None = Field(default=None, description="the fact; absent when no source gives it")

    def known(self) -> bool:
        return self.text is not None


class Flag(Fact):
    """A yes / no fact; "unknown" when no source says."""

    value: Tri = Field(default="unknown", description="yes, no or unknown")

    def known(self) -> bool:
        return self.value != "unknown"


class Days(Fact):
    """A number of days; absent when no source gives it."""

    days: int | None = Field(default=None, ge=0, le=3650, description="a number of days")

    def known(self) -> bool:
        return self.days is not None


class Roles(Fact):
    """Who may do something; None when no source says."""

    roles: list[Role] | None = Field(
        default=None, description="among owner, manager, authorized (for the whole account)"
    )
    # For ending a single line, when it differs from the whole account (None: the same roles).
    line_roles: list[Role] | None = Field(
        default=None, description="for ending a single line, when it differs from the whole account"
    )

    def known(self) -> bool:
        return self.roles is not None

    def for_scope(self, scope: str) -> list[Role] | None:
        return self.line_roles if scope == "line" and self.line_roles is not None else self.roles


class Channel(Fact):
    """One way to reach the carrier for something: a menu path, a number, a code, a page."""

    kind: ChannelKind = Field(description="web, app, chat, phone, store, lapse, dial, text or email")
    scope: Literal["line", "account", "both"] = Field(
        default="both", description="what it can end: line, account or both"
    )
    path: Text | None = Field(default=None, description="the menu path or steps, as the source gives them")
    phone: Phone | None = Field(default=None, description="a phone number, copied as the source prints it")
    code: str | None = Field(default=None, description="a dial or text code such as #PORT#")
    url: Url | None = Field(default=None, description="the carrier's page for it")


class OnlineOverride(Fact):
    """A different online verdict for accounts that meet every given condition."""

    verdict: Verdict = Field(description="yes, partial, no or unknown for accounts that meet the conditions")
    states: list[str] | None = Field(default=None, description="USPS state codes it applies in")
    enrolled_online: bool | None = Field(
        default=None, description="applies to service ordered online (or not)"
    )

    @field_validator("states")
    @classmethod
    def _states(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else [_valid_state(s) for s in v]


class OnlineRule(Fact):
    """Can it be ended online: yes / partial / no / unknown, with overrides by state or enrolment."""

    verdict: Verdict = Field(description="yes, partial, no or unknown")
    when: list[OnlineOverride] = Field(
        default=[],
        description="overrides by states and/or enrolled_online (never an official no turned into yes)",
    )

    def known(self) -> bool:
        return self.verdict != "unknown"


class OnlineRules(Strict):
    """Whether a line, and the whole account, can be ended online."""

    line: OnlineRule = Field(description="can one line be ended online")
    account: OnlineRule = Field(description="can the whole account be ended online")


class DeviceBalance(Fact):
    """When a financed device's remaining balance is charged: final_bill, monthly or unknown."""

    line: Due = Field(default="unknown", description="when only a line is cancelled and the account stays")
    account: Due = Field(default="unknown", description="when the whole account closes")

    def known(self) -> bool:
        return self.line != "unknown" or self.account != "unknown"


class PortLock(Fact):
    """A lock against number transfers that must be off before a port."""

    name: Text = Field(description="the carrier's name for it")
    how_off: Text | None = Field(default=None, description="how to switch it off")
    who: list[Role] | None = Field(default=None, description="who may switch it off")


class Porting(Strict):
    """Moving the number out: what the new carrier needs and how to get it."""

    credentials: Info = Field(description="what the new carrier will ask for")
    account_number: Info = Field(description="where to find the account number")
    pin_ways: list[Channel] = Field(default=[], description="how to get the transfer PIN; empty when unknown")
    pin_validity: Days = Field(description="days the transfer PIN stays valid")
    pin_who: Roles = Field(description="who may get the transfer PIN")
    locks: list[PortLock] = Field(default=[], description="port-out locks: name, how_off, who")
    closes_line: Flag = Field(description="does a completed port end the old line by itself")
    closes_account: Flag = Field(description="does porting the last number close the account")


class UnlockRule(Fact):
    """A carrier's device-unlock rule, in force from `valid_from` (rules change: keep the old ones)."""

    text: Text = Field(description="the rule in words")
    valid_from: date | None = Field(default=None, description="first activation date the rule covers")
    valid_until: date | None = Field(
        default=None, description="phones activated on or after this day follow a newer rule"
    )
    days_active: int | None = Field(default=None, ge=0, le=3650, description="days of active service needed")
    paid_off: bool | None = Field(default=None, description="must the device be paid off")
    # Days the unlock waits after the device is paid off (Verizon 2026: 35 days after most payoffs).
    payoff_wait_days: int | None = Field(
        default=None, ge=0, le=365, description="extra days the unlock waits after the payoff"
    )
    automatic: bool | None = Field(default=None, description="false: the owner must ask for it")


class Trap(Fact):
    """A carrier-specific pitfall, shown when its conditions hold."""

    kind: TrapKind = Field(description="a short kebab-case name for the pitfall, e.g. lapse-loses-number")
    text: Text = Field(description="the pitfall, in words a person acts on")
    keep_number: bool | None = Field(
        default=None, description="shown only when the person keeps (true) or drops (false) the number"
    )
    scope: Scope | None = Field(default=None, description="shown only when ending a line or the account")


UsdAmount = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]


class Price(Fact):
    """What keeping the number this way costs, as its source prints it; unknown when no page gives it."""

    usd: UsdAmount | None = Field(default=None, description="the amount charged for one period, in USD")
    period_days: int | None = Field(
        default=None, ge=1, le=366, description="the period in days (30-day plans)"
    )
    period_months: int | None = Field(default=None, ge=1, le=36, description="the period in months")
    upfront_months: int | None = Field(
        default=None, ge=1, le=36, description="months that must be bought and paid at once, if any"
    )
    includes: Text | None = Field(default=None, description="what the price includes (data, minutes, texts)")
    max_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="the longest it keeps the number, in days (absent: as long as it is paid)",
    )

    def known(self) -> bool:
        return self.usd is not None

    @model_validator(mode="after")
    def _one_period(self) -> Price:
        if self.usd is not None and (self.period_days is None) == (self.period_months is None):
            raise ValueError("a price needs exactly one of period_days and period_months")
        return self

    def yearly_usd(self) -> float | None:
        """What a year of it costs: 365 days of 30-day periods, or 12 months of monthly ones."""
        if self.usd is None:
            return None
        periods = 365 / self.period_days if self.period_days else 12 / (self.period_months or 12)
        return round(self.usd * periods, 2)


class Option(Fact):
    """A sourced piece of advice: a way to keep the number, or something that depends on it."""

    kind: Id = Field(description="a short name for the option")
    text: Text = Field(description="the advice")
    carrier: Id | None = Field(
        default=None,
        description="in _common.toml: the carrier this option moves you to (never offered to its own"
        " customers)",
    )
    name: Text | None = Field(default=None, description="what a recommendation calls it, e.g. a plan's name")
    price: Price = Field(default=Price(), description="what it costs to keep the number this way, if sourced")


class StateDays(Fact):
    """A state where a period differs from the carrier's default."""

    states: list[str] = Field(min_length=1, description="USPS state codes")
    days: int = Field(ge=0, le=365, description="the period there, in days")

    @field_validator("states")
    @classmethod
    def _states(cls, v: list[str]) -> list[str]:
        return [_valid_state(s) for s in v]


class ReturnWindow(Fact):
    """How long after purchase a device can be returned, and what a return costs."""

    days: int | None = Field(
        default=None, ge=0, le=365, description="days after purchase a device can be returned"
    )
    by_state: list[StateDays] = Field(default=[], description="states where the window differs")
    restocking_fee_usd: UsdAmount | None = Field(
        default=None, description="the restocking fee, or the lowest of a range"
    )
    restocking_fee_max_usd: UsdAmount | None = Field(
        default=None, description="the top of the range, when the source gives one"
    )

    def known(self) -> bool:
        return self.days is not None

    @model_validator(mode="after")
    def _range(self) -> ReturnWindow:
        low, high = self.restocking_fee_usd, self.restocking_fee_max_usd
        if high is not None and (low is None or high < low):
            raise ValueError("restocking_fee_max_usd needs restocking_fee_usd and must not be below it")
        return self

    def days_in(self, state: str | None) -> int | None:
        for rule in self.by_state:
            if state in rule.states:
                return rule.days
        return self.days


class EarlyTermination(Fact):
    """An early-termination fee on contracts that still carry one (legacy plans)."""

    value: Tri = Field(default="unknown", description="yes: some current or legacy contracts carry a fee")
    max_usd: UsdAmount | None = Field(default=None, description="the highest fee")
    text: Text | None = Field(default=None, description="which contracts, and how the fee is counted")

    def known(self) -> bool:
        return self.value != "unknown"


class Renewal(Fact):
    """When AutoPay / Auto-Refill charges, relative to the renewal (or bill due) date."""

    charge_lead_hours: int | None = Field(
        default=None,
        ge=0,
        le=24 * 31,
        description="AutoPay / Auto-Refill charges this long before the renewal or due date (0: on the day)",
    )
    # A change made less than this before the renewal only takes effect for the following cycle.
    cutoff_hours: int | None = Field(
        default=None,
        ge=0,
        le=24 * 31,
        description="a change made later than this before the renewal only applies to the next cycle",
    )

    def known(self) -> bool:
        return self.charge_lead_hours is not None or self.cutoff_hours is not None

    def lead_days(self) -> int:
        """Whole days before the renewal by which a change must be made to stop the next charge."""
        hours = max(self.charge_lead_hours or 0, self.cutoff_hours or 0)
        return -(-hours // 24)


class Terms(Fact):
    """Plan lengths sold, and whether unused paid months come back when you leave early."""

    months: list[Annotated[int, Field(ge=1, le=36)]] | None = Field(
        default=None, description="plan lengths sold, in months (e.g. [1] or [3, 6, 12])"
    )
    unused_refunded: Tri = Field(default="unknown", description="are unused paid months refunded")

    def known(self) -> bool:
        return self.months is not None or self.unused_refunded != "unknown"


class Lapse(Fact):
    """Not renewing as a way out: documented by the carrier, and what it ends."""

    value: Tri = Field(
        default="unknown", description="yes: the carrier documents that an unrenewed plan ends the service"
    )
    closes: list[Scope] | None = Field(default=None, description="what a lapse ends: line, account, or both")

    def known(self) -> bool:
        return self.value != "unknown"


class Plan(Strict):
    """One plan type the carrier sells (postpaid or prepaid): how to end it and what it costs."""

    label: Text = Field(description="the plan type's name as shown to the person")
    online: OnlineRules = Field(description="can a line / the whole account be ended online")
    channels: list[Channel] = Field(description="ways to cancel (empty when no source gives one)")
    who_may_cancel: Roles = Field(description="who may end the account (roles) or a line (line_roles)")
    proration: Flag = Field(description="yes: the last cycle is prorated; no: billed in full")
    device_balance: DeviceBalance = Field(description="when a financed device's balance is charged")
    prepaid_refund: Flag = Field(description="is unused prepaid balance refunded")
    promotions_lost: Flag = Field(description="are promotions and credits lost on leaving")
    data_lost: Info = Field(description="what is deleted")
    autopay_separate: Flag = Field(description="must AutoPay be switched off on its own")
    autopay_timing: Renewal = Field(
        default=Renewal(), description="lead time of the AutoPay charge, cutoff for changes"
    )
    number_hold: Days = Field(
        description="days after the last paid day that a lapsed (unrenewed) number can still be recovered"
    )
    returns: ReturnWindow = Field(
        default=ReturnWindow(), description="device return window and restocking fee"
    )
    early_termination: EarlyTermination = Field(
        default=EarlyTermination(), description="early-termination fee on contracts that carry one"
    )
    terms: Terms = Field(default=Terms(), description="plan lengths sold, and refunds of unused months")
    lapse: Lapse = Field(default=Lapse(), description="not renewing as a way out, and what it ends")
    porting: Porting = Field(description="moving the number out")
    unlock: list[UnlockRule] = Field(default=[], description="device-unlock rules, old ones kept")
    traps: list[Trap] = Field(default=[], description="carrier-specific pitfalls")
    keep_options: list[Option] = Field(
        default=[], description="the carrier's own ways to hold the number cheaply (suspend, pause)"
    )


class PagePattern(Fact):
    """An account page: `host` exactly, `path` a glob where * matches anything (fragment included)."""

    host: Hostname = Field(description="the page's host, exactly; under one of domains")
    path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = Field(
        description="a glob, * = anything; a # part matches the URL fragment"
    )
    kind: PageKind = Field(description="signin, account, billing, line, transfer_pin, cancel or support")
    title: str | None = Field(
        default=None, description="when set, the page title must contain it (case-insensitive)"
    )
    example: Url = Field(description="a real URL of this kind, without personal data: the tests detect it")

    @field_validator("path")
    @classmethod
    def _lower(cls, v: str) -> str:
        return v.lower()


class Myth(Fact):
    """A claim seen online, and the sourced truth."""

    claim: Text = Field(description="the claim seen online")
    truth: Text = Field(description="what the sources say (they back the truth)")
    claimed_by: list[Id] = Field(default=[], description="ids of the sources that make the claim")


class Alias(Fact):
    """Another name people type for the carrier in the picker: a page must show it in use."""

    text: NonEmpty = Field(description="the name as people write it, e.g. a Chinese nickname")
    lang: Lang = Field(description="en or zh: the language it is used in")


class Carrier(Strict):
    """One carrier: carriers/<id>.toml. Every fact cites its sources; what no source says is unknown."""

    id: Id = Field(description="the fixed id, the file's name")
    name: Text = Field(description="display names")
    aliases: list[Alias] = Field(
        default=[],
        description="other names people search for (a short brand, a Chinese nickname), each cited from a"
        " page that shows it in use; the English and Chinese names and the id are matched already",
    )
    domains: list[Hostname] = Field(
        min_length=1,
        description="official account domains (a host matches if it equals one or is a subdomain): the"
        " extension runs there, so list only the carrier's own sites; each must be on"
        " sourcing.REVIEWED_DOMAINS",
    )
    # Other hosts the carrier itself publishes on (help centres, terms, a parent company's site):
    # their pages count as the carrier's own sources, but the extension never runs there.
    # An entry is a host, or a host and path prefix for a shared host (support.google.com/fi).
    official_hosts: list[
        Annotated[
            str, StringConstraints(pattern=r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:/[^\s]*)?$")
        ]
    ] = Field(
        default=[],
        description="other hosts (or host/path prefixes) the carrier publishes its own help, terms or"
        " policies on: sources there count as the carrier's own; the extension never runs there",
    )
    pages: list[PagePattern] = Field(default=[], description="account pages the extension recognises")
    plans: dict[PlanType, Plan] = Field(
        min_length=1, description="one table per plan type the carrier sells; the first is the default"
    )
    myths: list[Myth] = Field(default=[], description="claims seen online and the sourced truth")
    never_asks: Info = Field(
        default=Info(),
        description="what the carrier's own page says it never asks you for (a PIN, a code), shown beside"
        " the warning about scams where the checklist asks for PINs or a cancellation",
    )
    sources: dict[Id, Source] = Field(min_length=1, description="every page cited, by id")

    @property
    def default_plan(self) -> PlanType:
        return next(iter(self.plans))

    @model_validator(mode="after")
    def _consistent(self) -> Carrier:
        problems = []
        used: set[str] = set()
        for loc, fact in iter_facts(self):
            cited = [*fact.sources, *getattr(fact, "claimed_by", [])]
            used.update(cited)
            problems += [f"{loc}.sources: unknown source {s!r}" for s in cited if s not in self.sources]
        problems += [f"sources.{s}: never cited" for s in self.sources if s not in used]
        for i, page in enumerate(self.pages):
            if not any(within(page.host, d) for d in self.domains):
                problems.append(f"pages.{i}.host: {page.host!r} is not under an official domain")
        for plan_id, plan in self.plans.items():
            for scope in ("line", "account"):
                rule: OnlineRule = getattr(plan.online, scope)
                if rule.verdict == "no" and self._official(rule.sources):
                    for j, o in enumerate(rule.when):
                        if o.verdict == "yes":
                            problems.append(
                                f"plans.{plan_id}.online.{scope}.when.{j}.verdict: 'yes' overrides an"
                                " official 'no'; record the disagreement under conflicts instead"
                            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _official(self, ids: list[str]) -> bool:
        return any(self.sources[s].confidence == "official" for s in ids if s in self.sources)

    def confidence(self, ids: list[str]) -> Confidence | None:
        """A fact's confidence: the best among the sources about this carrier that it cites (a page
        about carriers in general never lifts it)."""
        return fact_confidence([self.sources[s] for s in ids if s in self.sources])


def fact_confidence(cited: list[Source]) -> Confidence | None:
    specific = [s for s in cited if not s.general] or cited
    known = [s.confidence for s in specific]
    return max(known, key=CONFIDENCE_RANK.__getitem__) if known else None


def iter_facts(node: Any, loc: str = "") -> Iterator[tuple[str, Fact]]:
    """Every Fact inside a model, with its dotted location (for errors and tests)."""
    if isinstance(node, Fact):
        yield loc, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from iter_facts(getattr(node, name), f"{loc}.{name}" if loc else name)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(value, Source):
                yield from iter_facts(value, f"{loc}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_facts(value, f"{loc}.{i}")


def iter_texts(node: Any, loc: str = "") -> Iterator[tuple[str, Text]]:
    """Every bilingual text inside a model."""
    if isinstance(node, Text):
        yield loc, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from iter_texts(getattr(node, name), f"{loc}.{name}" if loc else name)
    elif isinstance(node, dict | list):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from iter_texts(value, f"{loc}.{key}")


# ---------------------------------------------------------------- a user's situation


Money = Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]
# Dates a person can mean: anything else is a typo (or a hostile saved value) and is refused.
MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)
Day = Annotated[date, Field(ge=MIN_DATE, le=MAX_DATE)]


class Situation(Strict):
    carrier: Id
    plan: PlanType | None = None  # None: the carrier's first plan
    scope: Scope = "account"
    keep_number: bool = True  # the safe default: nothing is cancelled before a port
    role: Role = "owner"
    device_balance_usd: Money = 0
    prepaid_balance_usd: Money = 0
    state: str | None = None
    enrolled_online: bool = False
    port_lock_on: Tri = "unknown"
    leaving_us: bool = False
    lang: Lang = "en"
    # Dates for the calculators; the engine has no clock, so "today" is an input too.
    today: Day | None = None
    activation_date: Day | None = None  # when the phone was first used on this carrier
    purchase_date: Day | None = None  # when the phone was bought (activation stands in when absent)
    paid_off_date: Day | None = None  # when the device is (or will be) paid in full
    bill_day: int | None = Field(default=None, ge=1, le=31)  # day of the month a new cycle is billed
    paid_through: Day | None = None  # last day of the period already paid for (multi-month plans)
    term_months: int | None = Field(default=None, ge=1, le=36)  # length of the plan term bought
    leave_date: Day | None = None  # last day you need this service (e.g. the day you fly out)

    @field_validator("state")
    @classmethod
    def _state(cls, v: str | None) -> str | None:
        return None if v in (None, "") else _valid_state(v)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Situation:
        # Messages start with the field at fault, so the CLI and the page can point at it.
        if self.activation_date and self.paid_off_date and self.paid_off_date < self.activation_date:
            raise ValueError("paid_off_date: the paid-off date is before the activation date")
        if self.activation_date and self.paid_through and self.paid_through < self.activation_date:
            raise ValueError("paid_through: the paid-through date is before the activation date")
        if self.purchase_date and self.paid_off_date and self.paid_off_date < self.purchase_date:
            raise ValueError("paid_off_date: the paid-off date is before the purchase date")
        return self

    @property
    def bought(self) -> date | None:
        return self.purchase_date or self.activation_date


# ---------------------------------------------------------------- an assessment (the CLI's JSON)


class SourceRef(Strict):
    id: str
    url: str
    title: str
    checked: date
    confidence: Confidence
    published: str | None = None


class ChannelOut(Strict):
    kind: ChannelKind
    scope: str
    path: str | None = None
    phone: str | None = None
    code: str | None = None
    url: str | None = None
    note: str | None = None
    sources: list[str]
    confidence: Confidence | None


class Step(Strict):
    kind: str
    title: str
    detail: str
    sources: list[str] = Field(min_length=1)
    # The lowest confidence among the carrier facts the step rests on (general facts never lift it).
    confidence: Confidence | None = None
    checked: date | None = None  # the oldest check date among its sources
    deadline: date | None = None  # do this by then
    term: str | None = None  # a glossary key, for linking


class Warning(Strict):
    kind: str
    text: str
    sources: list[str] = []
    checked: date | None = None


class Unknown(Strict):
    topic: str
    text: str
    lead: str | None = None  # what a weak source claims, if there is one
    sources: list[str] = []


class Costs(Strict):
    device_balance_due_usd: float
    device_balance_due: Due  # when it is charged
    prepaid_balance_forfeit_usd: float  # balance the user will lose (0 when refunded or none)
    prepaid_refund: Tri
    last_cycle_prorated: Tri
    restocking_fee_usd: float | None = None  # when a return is still possible
    restocking_fee_max_usd: float | None = None
    early_termination_max_usd: float | None = None  # when contracts with a fee exist


class PortKit(Strict):
    credentials: str | None
    account_number: str | None
    pin_ways: list[ChannelOut]
    pin_validity_days: int | None
    pin_who: list[Role] | None
    locks: list[str]
    closes_line: Tri


class Note(Strict):
    text: str
    sources: list[str]


class KeepChoice(Strict):
    """Keeping the number while abroad: the cheapest sourced way, its yearly cost and the safe order."""

    kind: str | None  # the option chosen; None when no option has a sourced price
    name: str | None
    price: str | None  # as the source gives it, e.g. "$8 per 30 days"
    yearly_usd: float | None
    act_by: date | None  # start the move into it by then (before the old plan renews)
    autopay_off_by: date | None  # the old plan's AutoPay off by then
    text: str  # the recommendation and the order, in words
    sources: list[str]


class Advice(Strict):
    kind: str
    text: str
    sources: list[str]


class UnlockOut(Strict):
    """The earliest day the phone can be unlocked under the rule that applies, and why."""

    date: date | None  # None: the inputs or the rule do not give a date
    rule: str
    valid_from: date | None
    automatic: bool | None
    reasoning: list[str]
    sources: list[str]


class BillItem(Strict):
    kind: str
    text: str
    amount_usd: float | None = None
    sources: list[str] = []


class Timing(Strict):
    """When to port or cancel, and what the final bill holds, with the reasoning shown."""

    next_bill_date: date | None  # the renewal the plan is timed against
    window_start: date | None
    window_end: date | None
    best_date: date | None  # the latest safe day to act ("act by")
    autopay_off_by: date | None = None
    return_by: date | None = None  # last day to return the device, when a return is still possible
    route: Literal["port", "cancel", "lapse"] = "cancel"
    reasoning: list[str]
    final_bill: list[BillItem]
    sources: list[str]


class ScriptLine(Strict):
    en: str  # to read aloud
    zh: str  # the gloss under it


Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class LogEntry(Strict):
    """One contact with the carrier, for the user's own records (saved locally, exported)."""

    date: Short = ""
    time: Short = ""
    channel: Short = ""
    agent: Short = ""  # name or ID
    confirmation: Short = ""
    notes: Short = ""


class Term(Strict):
    key: str
    term: str
    other: str  # the term in the other language
    definition: str


class MythOut(Strict):
    claim: str
    truth: str
    sources: list[str]
    claimed_by: list[str]


class Assessment(Strict):
    carrier: str
    carrier_name: str
    plan: PlanType
    plan_label: str
    scope: Scope
    lang: Lang
    as_of: date | None = None  # the situation's "today": facts checked long before it are marked
    online_cancel: Verdict
    online_note: str | None
    channels: list[ChannelOut]
    steps: list[Step]
    warnings: list[Warning]
    costs: Costs
    port_kit: PortKit
    unknowns: list[Unknown]
    myths: list[MythOut]
    legal: Note  # the state of US "click to cancel" rules
    unlock: UnlockOut
    timing: Timing
    script: list[ScriptLine]  # empty when no person has to be reached
    dependencies: list[Advice]  # move these off the number before it goes
    keep_options: list[Advice]  # ways to keep the number without the plan
    keep_choice: KeepChoice | None = None  # leaving the US and keeping the number: the cheapest sourced way
    glossary: list[Term]
    sources: list[SourceRef]


class Common(Strict):
    """Facts that hold for every carrier (US rules), cited by the engine's generic steps."""

    port_first: Info = Field(description="port before cancelling; the port ends the old line")
    port_anyway: Info = Field(description="a balance owed does not stop a port, but is still owed")
    number_reassigned: Info = Field(description="a disconnected number goes to someone else")
    port_locks: Info = Field(description="port-out locks exist and must be off before a port")
    unlock_code: Info = Field(description="the industry unlocking commitment")
    click_to_cancel: Info = Field(description="the state of US click-to-cancel rules")
    scam_warning: Info = Field(
        default=Info(),
        description="who must never get your PINs and codes (paid cancellation agents, callers posing as"
        " the carrier)",
    )
    keep_options: list[Option] = Field(
        default=[], description="ways to keep a number cheaply, whatever the carrier"
    )
    number_dependencies: list[Option] = Field(
        default=[], description="what uses the number for codes and account recovery"
    )
    sources: dict[Id, Source] = Field(min_length=1, description="every page cited, by id")

    @model_validator(mode="after")
    def _cited(self) -> Common:
        problems = [
            f"{loc}.sources: unknown source {s!r}"
            for loc, fact in iter_facts(self)
            for s in fact.sources
            if s not in self.sources
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self
