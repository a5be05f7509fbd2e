"""Property tests: the engine's rules as invariants over the whole situation space of every carrier."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simexit.assess import SituationError, assess
from simexit.catalog import load_dir
from simexit.models import STATE_CODES, Situation

from conftest import CARRIER_DIR, has_cjk

CATALOG = load_dir(CARRIER_DIR)
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
        acts.append(plan.porting.pin_who)
    if not s.keep_number or plan.porting.closes_line.value != "yes":
        acts.append(plan.who_may_cancel)
    barred = any(s.role not in who.roles if who.roles is not None else s.role != "owner" for who in acts)
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
