"""Property tests: the engine's rules as invariants over the whole situation space of every carrier."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simexit.assess import SituationError, assess
from simexit.catalog import load_dir
from simexit.models import STATE_CODES, Situation

from conftest import CARRIER_DIR, has_cjk

CATALOG = load_dir(CARRIER_DIR)
TODAY = date(2026, 11, 29)
RANK = {"official": 3, "guide": 2, "unverified": 1}
EXAMPLES = 300
money = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=5000, allow_nan=False))


@st.composite
def situations(draw):
    carrier = CATALOG.carriers[draw(st.sampled_from(sorted(CATALOG.carriers)))]
    return carrier, Situation(
        carrier=carrier.id,
        plan=draw(st.one_of(st.none(), st.sampled_from(sorted(carrier.plans)))),
        scope=draw(st.sampled_from(["line", "account"])),
        keep_number=draw(st.booleans()),
        role=draw(st.sampled_from(["owner", "manager", "authorized"])),
        device_balance_usd=draw(money),
        prepaid_balance_usd=draw(money),
        state=draw(st.one_of(st.none(), st.sampled_from(sorted(STATE_CODES)))),
        enrolled_online=draw(st.booleans()),
        port_lock_on=draw(st.sampled_from(["yes", "no", "unknown"])),
        leaving_us=draw(st.booleans()),
        lang=draw(st.sampled_from(["en", "zh"])),
        today=TODAY,
        bill_day=draw(st.one_of(st.none(), st.integers(1, 31))),
        leave_date=draw(st.one_of(st.none(), st.integers(0, 200).map(lambda d: TODAY + timedelta(days=d)))),
        activation_date=draw(
            st.one_of(st.none(), st.integers(0, 800).map(lambda d: TODAY - timedelta(days=d)))
        ),
        paid_through=draw(st.one_of(st.none(), st.integers(0, 365).map(lambda d: TODAY + timedelta(days=d)))),
        term_months=draw(st.one_of(st.none(), st.sampled_from([1, 3, 6, 12]))),
    )


def run(case):
    carrier, situation = case
    return carrier, situation, assess(carrier, situation, CATALOG.common)


def kinds(a):
    return [s.kind for s in a.steps]


common = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(situations())
def test_every_step_cites_sources_that_are_listed_and_exist(case):
    carrier, _, a = run(case)
    listed = {s.id for s in a.sources}
    known = set(carrier.sources) | set(CATALOG.common.sources)
    assert listed <= known
    for step in a.steps:
        assert step.sources and set(step.sources) <= listed, step.kind
    for item in [*a.warnings, *a.channels]:
        assert set(item.sources) <= listed


@common
@given(situations())
def test_keeping_the_number_ports_before_anything_is_cancelled(case):
    carrier, s, a = run(case)
    k = kinds(a)
    if not s.keep_number:
        assert "port_out" not in k
        assert "number_loss" in [w.kind for w in a.warnings]
        return
    assert "number_loss" not in [w.kind for w in a.warnings]
    assert k.index("get_port_credentials") < k.index("port_out")
    for kind in ("cancel", "let_lapse"):
        if kind in k:
            assert k.index(kind) > k.index("port_out")
    plan = carrier.plans[a.plan]
    if plan.porting.closes_line.value == "yes":
        assert "cancel" not in k and "let_lapse" not in k
    if "disable_port_lock" in k:
        assert k.index("disable_port_lock") < k.index("port_out")


@common
@given(situations())
def test_not_keeping_the_number_moves_logins_off_it_before_cancelling(case):
    _, s, a = run(case)
    k = kinds(a)
    if s.keep_number:
        return
    end = k.index("cancel") if "cancel" in k else k.index("let_lapse")
    assert k.index("update_2fa") < end
    assert k[-1] == "confirm_closed"


@common
@given(situations())
def test_money_is_reported(case):
    carrier, s, a = run(case)
    plan = carrier.plans[a.plan]
    warned = [w.kind for w in a.warnings]
    assert a.costs.device_balance_due_usd == round(s.device_balance_usd, 2)
    if s.device_balance_usd > 0:
        assert "device_balance_due" in warned and "pay_device_balance" in kinds(a)
        assert a.costs.device_balance_due == getattr(plan.device_balance, s.scope)
    else:
        assert "device_balance_due" not in warned
    forfeits = s.prepaid_balance_usd > 0 and plan.prepaid_refund.value != "yes"
    assert ("prepaid_balance_forfeit" in warned) == forfeits
    assert a.costs.prepaid_balance_forfeit_usd == (
        round(s.prepaid_balance_usd, 2) if forfeits or s.prepaid_balance_usd == 0 else 0
    )


@common
@given(situations())
def test_a_role_that_may_not_act_is_told_who_must(case):
    carrier, s, a = run(case)
    plan = carrier.plans[a.plan]
    acts = []  # what this user has to do themselves
    if s.keep_number:
        acts.append(plan.porting.pin_who.roles)
    if not s.keep_number or plan.porting.closes_line.value != "yes":
        acts.append(plan.who_may_cancel.for_scope(s.scope))
    barred = any(s.role not in roles if roles is not None else s.role != "owner" for roles in acts)
    assert barred == ("authorization_required" in [w.kind for w in a.warnings])


@common
@given(situations())
def test_online_yes_never_contradicts_an_official_no(case):
    carrier, s, a = run(case)
    rule = getattr(carrier.plans[a.plan].online, s.scope)
    official_no = rule.verdict == "no" and any(
        carrier.sources[i].confidence == "official" for i in rule.sources
    )
    if official_no:
        assert a.online_cancel != "yes"


@common
@given(situations())
def test_deterministic_and_in_the_chosen_language(case):
    carrier, s, a = run(case)
    assert assess(carrier, s, CATALOG.common) == a
    if s.lang == "zh":
        assert all(has_cjk(step.title) for step in a.steps)
        assert all(has_cjk(w.text) for w in a.warnings)
    else:
        assert not any(has_cjk(step.title + step.detail) for step in a.steps)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(CATALOG.carriers)), st.sampled_from(["postpaid", "prepaid"]))
def test_a_plan_the_carrier_does_not_sell_is_refused(cid, plan):
    carrier = CATALOG.carriers[cid]
    situation = Situation(carrier=cid, plan=plan)
    if plan in carrier.plans:
        assert assess(carrier, situation, CATALOG.common).plan == plan
    else:
        try:
            assess(carrier, situation, CATALOG.common)
        except SituationError as e:
            assert cid in str(e) and plan in str(e)
        else:
            raise AssertionError("expected SituationError")


@common
@given(situations())
def test_autopay_is_stopped_wherever_it_is_separate(case):
    carrier, s, a = run(case)
    plan = carrier.plans[a.plan]
    k = kinds(a)
    if plan.autopay_separate.value == "yes" and s.scope == "account":
        assert "turn_off_autopay" in k
        if s.keep_number:
            assert k.index("turn_off_autopay") > k.index("port_out")  # the port closes the line, not the card
        else:
            end = k.index("cancel") if "cancel" in k else k.index("let_lapse")
            assert k.index("turn_off_autopay") < end


@common
@given(situations())
def test_act_by_is_never_past_and_never_ends_service_before_leaving(case):
    _, s, a = run(case)
    best = a.timing.best_date
    if best is None:
        return
    assert best >= s.today
    if a.timing.route == "cancel" and s.leave_date is not None:
        assert best >= s.leave_date
    if a.timing.route == "lapse" and s.leave_date is not None and a.timing.next_bill_date:
        assert a.timing.next_bill_date > s.leave_date  # the last paid day covers the leave date


@common
@given(situations())
def test_no_step_is_more_confident_than_the_carrier_sources_it_rests_on(case):
    carrier, _, a = run(case)
    for step in a.steps:
        own = [carrier.sources[i] for i in step.sources if i in carrier.sources]
        if own and step.confidence:
            assert RANK[step.confidence] <= max(RANK[src.confidence] for src in own), step.kind


@common
@given(situations())
def test_lapse_only_where_documented_for_the_scope(case):
    carrier, s, a = run(case)
    lapse = carrier.plans[a.plan].lapse
    documented = lapse.value == "yes" and s.scope in (lapse.closes or [])
    if not documented:
        assert "let_lapse" not in kinds(a) and "lapse" not in [c.kind for c in a.channels]


@common
@given(situations())
def test_keep_options_never_name_the_current_carrier(case):
    carrier, _, a = run(case)
    offered = {o.kind for o in a.keep_options}
    own = {o.kind for o in CATALOG.common.keep_options if o.carrier == carrier.id}
    assert not offered & own
