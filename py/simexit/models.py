"""The shapes of carrier data, of a user's situation and of an assessment.

Carrier data is facts, and every fact names the sources it rests on. A value the sources do not give
is left unknown (None or "unknown"), never guessed; only an unknown fact may go without a source.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

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
Hostname = Annotated[str, StringConstraints(pattern=r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")]
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

    en: NonEmpty
    zh: NonEmpty

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class Source(Strict):
    url: Url
    title: NonEmpty
    checked: date  # the day someone read this source for the facts that cite it
    confidence: Confidence
    published: str | None = None  # the date the page itself shows, if any
    note: str | None = None


class Fact(Strict):
    """Anything a user is told. `known()` is False when the sources do not give the value."""

    sources: list[Id] = []
    note: Text | None = None
    # Sources that say something else: shown beside the fact, never silently dropped.
    conflicts: list[Claim] = []

    def known(self) -> bool:
        return True

    @model_validator(mode="after")
    def _known_needs_source(self) -> Fact:
        if self.known() and not self.sources:
            raise ValueError("a known fact needs at least one source (or mark the value unknown)")
        return self


class Claim(Fact):
    note: Text  # what the other source says


class Info(Fact):
    """A fact that is a piece of text (a menu path, a place to look); None when unknown."""

    text: Text | None = None

    def known(self) -> bool:
        return self.text is not None


class Flag(Fact):
    value: Tri = "unknown"

    def known(self) -> bool:
        return self.value != "unknown"


class Days(Fact):
    days: int | None = Field(default=None, ge=0, le=3650)

    def known(self) -> bool:
        return self.days is not None


class Roles(Fact):
    """Who may do something; None when no source says."""

    roles: list[Role] | None = None

    def known(self) -> bool:
        return self.roles is not None


class Channel(Fact):
    """One way to reach the carrier for something: a menu path, a number, a code, a page."""

    kind: ChannelKind
    scope: Literal["line", "account", "both"] = "both"
    path: Text | None = None
    phone: Phone | None = None
    code: str | None = None  # a dial or text code such as #PORT#
    url: Url | None = None


class OnlineOverride(Fact):
    """A different online verdict for accounts that meet every given condition."""

    verdict: Verdict
    states: list[str] | None = None
    enrolled_online: bool | None = None

    @field_validator("states")
    @classmethod
    def _states(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else [_valid_state(s) for s in v]


class OnlineRule(Fact):
    verdict: Verdict
    when: list[OnlineOverride] = []

    def known(self) -> bool:
        return self.verdict != "unknown"


class OnlineRules(Strict):
    line: OnlineRule
    account: OnlineRule


class DeviceBalance(Fact):
    line: Due = "unknown"  # when only a line is cancelled and the account stays
    account: Due = "unknown"  # when the whole account closes

    def known(self) -> bool:
        return self.line != "unknown" or self.account != "unknown"


class PortLock(Fact):
    name: Text
    how_off: Text | None = None
    who: list[Role] | None = None


class Porting(Strict):
    credentials: Info  # what the new carrier will ask for
    account_number: Info  # where to find the account number
    pin_ways: list[Channel] = []  # how to get the transfer PIN; empty when unknown
    pin_validity: Days
    pin_who: Roles
    locks: list[PortLock] = []
    closes_line: Flag  # does a completed port end the old line by itself?
    closes_account: Flag  # does porting the last number close the account?


class UnlockRule(Fact):
    """A carrier's device-unlock rule, in force from `valid_from` (rules change: keep the old ones)."""

    text: Text
    valid_from: date | None = None
    days_active: int | None = Field(default=None, ge=0)
    paid_off: bool | None = None
    automatic: bool | None = None


class Trap(Fact):
    """A carrier-specific pitfall, shown when its conditions hold."""

    kind: Id
    text: Text
    keep_number: bool | None = None
    scope: Scope | None = None


class Option(Fact):
    """A sourced piece of advice: a way to keep the number, or something that depends on it."""

    kind: Id
    text: Text


class Plan(Strict):
    label: Text
    online: OnlineRules
    channels: list[Channel]
    who_may_cancel: Roles
    proration: Flag  # "yes": the last cycle is prorated; "no": billed in full
    device_balance: DeviceBalance
    prepaid_refund: Flag  # is unused prepaid balance refunded?
    promotions_lost: Flag
    data_lost: Info
    autopay_separate: Flag  # must AutoPay be switched off on its own?
    number_hold: Days  # days a number can still be recovered after service ends
    porting: Porting
    unlock: list[UnlockRule] = []
    traps: list[Trap] = []
    keep_options: list[Option] = []  # the carrier's own ways to hold the number cheaply (suspend, pause)


class PagePattern(Fact):
    """An account page: `host` exactly, `path` a glob where * matches anything (fragment included)."""

    host: Hostname
    path: Annotated[str, StringConstraints(pattern=r"^/\S*$")]
    kind: PageKind
    title: str | None = None  # when set, a given page title must contain it (case-insensitive)
    example: Url  # a real URL of this kind; the generated tests detect it

    @field_validator("path")
    @classmethod
    def _lower(cls, v: str) -> str:
        return v.lower()


class Myth(Fact):
    claim: Text
    truth: Text  # the sources back the truth
    claimed_by: list[Id] = []


class Carrier(Strict):
    id: Id
    name: Text
    domains: list[Hostname] = Field(min_length=1)
    pages: list[PagePattern] = []
    plans: dict[PlanType, Plan] = Field(min_length=1)
    myths: list[Myth] = []
    sources: dict[Id, Source] = Field(min_length=1)

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
        """The best confidence among the sources a fact cites."""
        known = [self.sources[s].confidence for s in ids if s in self.sources]
        return max(known, key=CONFIDENCE_RANK.__getitem__) if known else None


def within(host: str, domain: str) -> bool:
    """True when host is the domain itself or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


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
    today: date | None = None
    activation_date: date | None = None  # when the phone was first used on this carrier
    paid_off_date: date | None = None  # when the device is (or will be) paid in full
    bill_day: int | None = Field(default=None, ge=1, le=31)  # day of the month a new cycle is billed
    leave_date: date | None = None  # last day you need this service (e.g. the day you fly out)

    @field_validator("state")
    @classmethod
    def _state(cls, v: str | None) -> str | None:
        return None if v in (None, "") else _valid_state(v)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Situation:
        if self.activation_date and self.paid_off_date and self.paid_off_date < self.activation_date:
            raise ValueError("the paid-off date is before the activation date")
        return self


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
    confidence: Confidence | None = None
    term: str | None = None  # a glossary key, for linking


class Warning(Strict):
    kind: str
    text: str
    sources: list[str] = []


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

    next_bill_date: date | None
    window_start: date | None
    window_end: date | None
    best_date: date | None
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
    glossary: list[Term]
    sources: list[SourceRef]


class Common(Strict):
    """Facts that hold for every carrier (US rules), cited by the engine's generic steps."""

    port_first: Info  # port before cancelling; the port ends the old line
    port_anyway: Info  # a balance owed does not stop a port, but is still owed
    number_reassigned: Info  # a disconnected number goes to someone else
    port_locks: Info  # port-out locks exist and must be off before a port
    unlock_code: Info  # the industry unlock code
    click_to_cancel: Info  # the FTC rule's status
    keep_options: list[Option] = []  # ways to keep a number cheaply, whatever the carrier
    number_dependencies: list[Option] = []  # what uses the number for codes and recovery
    sources: dict[Id, Source] = Field(min_length=1)

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
