"""The engine's rules, each on a small made-up carrier (tests/fixture_carriers.py).

Expected values come from the fixture written here, never from the engine's own output, so a rule
that changes shows up as a failure, and a corrected fact in carriers/ never breaks these tests.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fixture_carriers import carrier, common, kinds, run, warned
from simexit.script import call_script

TODAY = date(2026, 11, 29)
COMMON = common()
LAPSE_WAY = {
    "kind": "lapse",
    "path": {"en": "App > Auto renew off", "zh": "App > 关闭自动续费"},
    "sources": ["fx-help"],
}


def step(a, kind):
    return next(s for s in a.steps if s.kind == kind)


# ------------------------------------------------------------------ returns


RETURNS = {
    "days": 14,
    "by_state": [{"states": ["HI"], "days": 17, "sources": ["fx-help"]}],
    "restocking_fee_usd": 20,
    "restocking_fee_max_usd": 50,
    "sources": ["fx-help"],
}


def test_return_step_inside_the_window_comes_before_any_payoff():
    c = carrier(plan={"returns": RETURNS})
    a = run(c, today=TODAY, purchase_date=TODAY - timedelta(days=5), device_balance_usd=600)
    order = kinds(a)
    assert order.index("return_device") < order.index("pay_device_balance")
    ret = step(a, "return_device")
    assert ret.deadline == TODAY - timedelta(days=5) + timedelta(days=14)
    assert a.timing.return_by == ret.deadline
    assert (a.costs.restocking_fee_usd, a.costs.restocking_fee_max_usd) == (20, 50)
    assert "$20 to $50" in ret.detail


def test_return_window_follows_the_state_and_falls_back_to_activation():
    c = carrier(plan={"returns": RETURNS})
    bought = TODAY - timedelta(days=16)
    assert "return_device" not in kinds(run(c, today=TODAY, activation_date=bought))
    hawaii = run(c, today=TODAY, activation_date=bought, state="HI")
    assert step(hawaii, "return_device").deadline == bought + timedelta(days=17)


def test_no_return_step_once_the_window_has_closed_or_without_a_window():
    c = carrier(plan={"returns": RETURNS})
    a = run(c, today=TODAY, purchase_date=TODAY - timedelta(days=30), device_balance_usd=100)
    assert "return_device" not in kinds(a) and a.costs.restocking_fee_usd is None
    assert "return_device" not in kinds(run(today=TODAY, purchase_date=TODAY))


def test_without_a_purchase_date_the_window_is_a_warning_for_a_phone_being_paid_for():
    a = run(carrier(plan={"returns": RETURNS}), device_balance_usd=300)
    assert "return_window" in warned(a) and "return_device" not in kinds(a)
    assert "return_window" not in warned(run(carrier(plan={"returns": RETURNS}), keep_number=False))


# ------------------------------------------------------------------ AutoPay


def prepaid_autopay(lead_hours=48, lapse=None, channels=None):
    plan = {
        "autopay_separate": {"value": "yes", "sources": ["fx-help"]},
        "autopay_timing": {"charge_lead_hours": lead_hours, "sources": ["fx-help"]},
        "proration": {"value": "no", "sources": ["fx-help"]},
    }
    if lapse:
        plan["lapse"] = lapse
    if channels:
        plan["channels"] = channels
    return carrier(plan=plan, plan_type="prepaid")


def test_autopay_goes_off_after_the_port_when_keeping_the_number():
    a = run(prepaid_autopay(), today=TODAY, bill_day=20)
    order = kinds(a)
    assert order.index("port_out") < order.index("turn_off_autopay") < order.index("confirm_closed")
    assert "cancel" not in order


def test_autopay_goes_off_before_cancelling_with_the_lead_time_respected():
    a = run(prepaid_autopay(lead_hours=48), keep_number=False, today=TODAY, bill_day=20)
    order = kinds(a)
    assert order.index("turn_off_autopay") < order.index("cancel")
    renewal = date(2026, 12, 20)
    assert a.timing.next_bill_date == renewal
    # two days of lead time and a day for the change to go through
    assert a.timing.best_date == renewal - timedelta(days=3)
    assert step(a, "turn_off_autopay").deadline <= a.timing.best_date


def test_no_autopay_step_where_autopay_is_not_separate():
    assert "turn_off_autopay" not in kinds(run(keep_number=False))
    assert "turn_off_autopay" not in kinds(run(keep_number=True))


def test_ending_one_line_leaves_the_accounts_autopay_alone():
    assert "turn_off_autopay" not in kinds(run(prepaid_autopay(), keep_number=False, scope="line"))
    assert "turn_off_autopay" not in kinds(run(prepaid_autopay(), keep_number=True, scope="line"))


# ------------------------------------------------------------------ lapse


LAPSE_ACCOUNT = {"value": "yes", "closes": ["account"], "sources": ["fx-help"]}


def test_lapse_is_the_route_where_documented_for_the_scope():
    c = prepaid_autopay(
        lapse=LAPSE_ACCOUNT, channels=[LAPSE_WAY, {"kind": "phone", "phone": "611", "sources": ["fx-help"]}]
    )
    a = run(c, keep_number=False, scope="account")
    assert "let_lapse" in kinds(a) and "cancel" not in kinds(a)
    assert kinds(a).index("turn_off_autopay") < kinds(a).index("let_lapse")
    assert "lapse" in [ch.kind for ch in a.channels]
    loss = next(w for w in a.warnings if w.kind == "number_loss")
    assert "30 days" in loss.text  # the number-hold period belongs to the lapse route


def test_lapse_is_never_offered_for_a_scope_it_does_not_close():
    c = prepaid_autopay(
        lapse=LAPSE_ACCOUNT, channels=[LAPSE_WAY, {"kind": "phone", "phone": "611", "sources": ["fx-help"]}]
    )
    a = run(c, keep_number=False, scope="line")
    assert "let_lapse" not in kinds(a) and "cancel" in kinds(a)
    assert "lapse" not in [ch.kind for ch in a.channels]
    loss = next(w for w in a.warnings if w.kind == "number_loss")
    assert "30 days" not in loss.text


def test_lapse_undocumented_means_cancel_even_with_a_lapse_channel():
    c = prepaid_autopay(channels=[LAPSE_WAY, {"kind": "phone", "phone": "611", "sources": ["fx-help"]}])
    a = run(c, keep_number=False)
    assert "let_lapse" not in kinds(a) and "cancel" in kinds(a)


def test_lapse_keeps_service_through_the_leave_date():
    c = prepaid_autopay(lead_hours=24, lapse=LAPSE_ACCOUNT, channels=[LAPSE_WAY])
    # renews on the 5th; leaving on Dec 10 means the Dec 5 renewal must still be paid
    a = run(c, keep_number=False, today=TODAY, bill_day=5, leave_date=date(2026, 12, 10))
    assert a.timing.route == "lapse"
    assert a.timing.next_bill_date == date(2027, 1, 5)
    assert a.timing.best_date == date(2027, 1, 5) - timedelta(days=2)


# ------------------------------------------------------------------ timing


def test_multi_month_terms_use_the_paid_through_date():
    terms = {"months": [3, 6, 12], "unused_refunded": "no", "sources": ["fx-help"]}
    c = carrier(plan={"terms": terms}, plan_type="prepaid")
    a = run(c, keep_number=False, today=TODAY, paid_through=date(2027, 2, 14), term_months=3)
    assert a.timing.next_bill_date == date(2027, 2, 15)
    asked = run(c, keep_number=False)
    assert "multi_month_term" in warned(asked)
    forfeit = run(
        c, keep_number=False, today=TODAY, paid_through=date(2027, 2, 14), leave_date=date(2026, 12, 20)
    )
    assert "unused_months_forfeit" in warned(forfeit)


def test_cancel_never_ends_service_before_the_leave_date():
    # renews on Dec 10, the person leaves Dec 20: service through the leave date costs one renewal
    a = run(keep_number=False, today=TODAY, bill_day=10, leave_date=date(2026, 12, 20))
    assert a.timing.best_date == date(2026, 12, 20)
    assert "renewal_before_leaving" in warned(a)


def test_port_happens_before_leaving_and_before_the_renewal():
    a = run(today=TODAY, bill_day=10, leave_date=date(2026, 12, 20))
    assert a.timing.best_date == date(2026, 12, 10) - timedelta(days=3)
    later = run(today=TODAY, bill_day=28, leave_date=date(2026, 12, 20))
    assert later.timing.best_date == date(2026, 12, 17)


def test_act_by_is_never_before_today():
    a = run(keep_number=False, today=TODAY, bill_day=30)
    assert a.timing.best_date >= TODAY


# ------------------------------------------------------------------ unlock


def test_still_locked_warning_when_leaving_before_the_unlock_date():
    a = run(leaving_us=True, today=TODAY, activation_date=TODAY - timedelta(days=10), paid_off_date=TODAY)
    assert a.unlock.date == TODAY + timedelta(days=50)
    assert "still_locked" in warned(a)
    ok = run(leaving_us=True, today=TODAY, activation_date=TODAY - timedelta(days=100), paid_off_date=TODAY)
    assert "still_locked" not in warned(ok)


def test_still_locked_when_the_unlock_date_is_unknown_and_the_person_leaves():
    assert "still_locked" in warned(run(leaving_us=True))
    assert "still_locked" not in warned(run(leaving_us=False))


def test_payoff_wait_and_on_request_unlocks():
    rule = {
        "text": {"en": "Paid off, then 35 days; on request.", "zh": "付清后 35 天；需申请。"},
        "paid_off": True,
        "days_active": 60,
        "payoff_wait_days": 35,
        "automatic": False,
        "sources": ["fx-help"],
    }
    c = carrier(plan={"unlock": [rule]})
    a = run(c, activation_date=date(2026, 1, 1), paid_off_date=date(2026, 10, 1))
    assert a.unlock.date == date(2026, 11, 5)
    assert any("ask the carrier" in r for r in a.unlock.reasoning)


def test_unlock_rule_ends_with_valid_until():
    old = {
        "text": {"en": "Old rule", "zh": "旧规则"},
        "days_active": 365,
        "valid_until": date(2021, 3, 1),
        "sources": ["fx-help"],
    }
    new = {
        "text": {"en": "New rule", "zh": "新规则"},
        "days_active": 60,
        "valid_from": date(2021, 3, 1),
        "sources": ["fx-help"],
    }
    c = carrier(plan={"unlock": [old, new]})
    assert run(c, activation_date=date(2020, 5, 1)).unlock.rule == "Old rule"
    assert run(c, activation_date=date(2024, 5, 1)).unlock.rule == "New rule"


# ------------------------------------------------------------------ keeping the number abroad


def test_keeping_the_number_abroad_gets_its_own_steps_in_order():
    a = run(leaving_us=True, today=TODAY, bill_day=20)
    order = kinds(a)
    for kind in ("update_2fa", "activate_keep_plan", "test_codes_abroad", "set_renewal_reminders"):
        assert kind in order
    assert order.index("update_2fa") < order.index("port_out")
    assert order.index("activate_keep_plan") < order.index("port_out")
    assert order.index("port_out") < order.index("test_codes_abroad") < order.index("set_renewal_reminders")
    assert step(a, "activate_keep_plan").deadline == a.timing.best_date


def test_keep_options_never_suggest_the_current_carrier():
    a = run(carrier("fixa"), leaving_us=True)
    kinds_offered = [o.kind for o in a.keep_options]
    assert "cheap-prepaid-fixa" not in kinds_offered and "cheap-prepaid-fixb" in kinds_offered


# ------------------------------------------------------------------ roles


def test_an_authorized_user_never_claims_to_be_the_account_holder():
    lines = [line.en for line in call_script("X", keep_number=False, role="authorized", holder_needed=True)]
    assert not any("I'm the account holder" in line for line in lines)
    assert any("not the account holder" in line for line in lines)
    assert any("account holder is here with me" in line for line in lines)
    a = run(keep_number=False, role="authorized")
    assert not any("I'm the account holder" in line.en for line in a.script)
    assert "authorization_required" in warned(a)


def test_line_roles_differ_from_account_roles():
    who = {"roles": ["owner"], "line_roles": ["owner", "manager"], "sources": ["fx-help"]}
    c = carrier(plan={"who_may_cancel": who})
    assert "authorization_required" not in warned(run(c, keep_number=False, role="manager", scope="line"))
    assert "authorization_required" in warned(run(c, keep_number=False, role="manager", scope="account"))


def test_scope_line_ends_by_confirming_the_account_stays():
    a = run(keep_number=False, scope="line")
    last = a.steps[-1]
    assert last.kind == "confirm_closed" and "account stays" in last.title
    assert "account stays" not in run(keep_number=False, scope="account").steps[-1].title


# ------------------------------------------------------------------ confidence


def test_a_step_is_as_confident_as_its_weakest_carrier_fact():
    channels = [{"kind": "phone", "phone": "611", "sources": ["fx-blog"]}]
    c = carrier(plan={"channels": channels})
    cancel = step(run(c, keep_number=False), "cancel")
    assert cancel.confidence == "unverified"  # the official who-may-cancel fact does not lift it


def test_general_pages_never_lift_a_carrier_fact():
    closes = {"value": "yes", "sources": ["fx-blog", "fx-general"]}
    porting = carrier().plans["postpaid"].porting.model_dump(mode="json", exclude_none=True)
    porting["closes_line"] = closes
    c = carrier(plan={"porting": porting})
    # port_out rests on the FCC's general rule and this carrier's weak claim: the claim decides
    assert step(run(c), "port_out").confidence == "unverified"


def test_steps_carry_their_oldest_check_date():
    a = run()
    assert all(s.checked == date(2026, 11, 1) for s in a.steps)


# ------------------------------------------------------------------ early termination


def test_early_termination_fee_is_warned_and_costed():
    etf = {
        "value": "yes",
        "max_usd": 350,
        "text": {"en": "Two-year contracts.", "zh": "两年合约。"},
        "sources": ["fx-help"],
    }
    a = run(carrier(plan={"early_termination": etf}), keep_number=False)
    assert "early_termination_fee" in warned(a) and a.costs.early_termination_max_usd == 350


@pytest.mark.parametrize("keep", [True, False])
def test_every_step_cites_a_source(keep):
    a = run(keep_number=keep, leaving_us=True, today=TODAY, bill_day=3)
    assert all(s.sources for s in a.steps)


def test_after_a_port_that_may_leave_the_account_open_a_documented_lapse_ends_it():
    porting = carrier().plans["postpaid"].porting.model_dump(mode="json", exclude_none=True)
    porting["closes_line"] = {}
    c = carrier(
        plan={"porting": porting, "lapse": LAPSE_ACCOUNT, "channels": [LAPSE_WAY]}, plan_type="prepaid"
    )
    order = kinds(run(c, keep_number=True))
    assert order.index("port_out") < order.index("let_lapse") and "cancel" not in order
    assert order.index("port_out") < order.index("turn_off_autopay") < order.index("let_lapse")
