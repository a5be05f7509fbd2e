"""The engine's general rules on small made-up carriers (tests/fixture_carriers.py); the rules that
came with the exit-plan work (returns, AutoPay, lapse, timing, roles, confidence) are in test_rules.py."""

from __future__ import annotations

from datetime import date

import pytest

from fixture_carriers import carrier, common, kinds, run, situation, warned
from simexit.assess import SituationError, assess

from conftest import has_cjk

COMMON = common()


def test_keeping_the_number_ports_and_never_cancels():
    a = run(keep_number=True)
    assert kinds(a) == [
        "backup",
        "unlock_device",
        "disable_port_lock",
        "get_port_credentials",
        "port_out",
        "confirm_closed",
    ]
    creds = a.steps[3]
    assert "Account number and PIN." in creds.detail and "valid for 7 days" in creds.detail
    assert "gov" in a.steps[4].sources and "fx-help" in a.steps[4].sources
    assert "number_loss" not in warned(a)
    assert a.port_kit.pin_validity_days == 7 and a.port_kit.closes_line == "yes"


def test_where_the_port_may_not_end_the_line_the_rest_is_cancelled_after_it():
    porting = carrier().plans["postpaid"].porting.model_dump(mode="json", exclude_none=True)
    porting["closes_line"] = {}
    a = run(carrier(plan={"porting": porting}))
    assert kinds(a).index("port_out") < kinds(a).index("cancel")
    assert "closes_line" in [u.topic for u in a.unknowns]


def test_not_keeping_the_number():
    a = run(keep_number=False)
    assert kinds(a) == ["backup", "update_2fa", "unlock_device", "cancel", "confirm_closed"]
    assert "number_loss" in warned(a) and "data_deleted" in warned(a) and "no_proration" in warned(a)
    assert "611" in a.steps[3].detail


def test_port_lock_step_follows_the_answer():
    assert "disable_port_lock" not in kinds(run(port_lock_on="no"))
    porting = carrier().plans["postpaid"].porting.model_dump(mode="json", exclude_none=True)
    porting["locks"] = []
    no_lock = carrier(plan={"porting": porting})
    assert "disable_port_lock" not in kinds(run(no_lock, port_lock_on="unknown"))
    step = next(s for s in run(no_lock, port_lock_on="yes").steps if s.kind == "disable_port_lock")
    assert step.sources == ["gov"]


@pytest.mark.parametrize(
    ("scope", "due", "text"), [("account", "final_bill", "final bill"), ("line", "monthly", "monthly")]
)
def test_device_balance_reports_when_it_is_due(scope, due, text):
    a = run(scope=scope, device_balance_usd=412.5)
    assert a.costs.device_balance_due == due and a.costs.device_balance_due_usd == 412.5
    balance = next(w for w in a.warnings if w.kind == "device_balance_due")
    assert "$412.50" in balance.text and text in balance.text
    assert kinds(a).index("pay_device_balance") < kinds(a).index("unlock_device")


def test_device_balance_with_unknown_due_date_says_so():
    a = run(carrier(plan={"device_balance": {}}), device_balance_usd=100)
    assert a.costs.device_balance_due == "unknown" and "device_balance" in [u.topic for u in a.unknowns]


@pytest.mark.parametrize("role", ["authorized", "manager"])
def test_only_the_owner_may_cancel(role):
    a = run(keep_number=False, role=role)
    assert "authorization_required" in warned(a)
    assert "Only the account owner" in next(s for s in a.steps if s.kind == "cancel").detail


def test_only_the_owner_may_get_the_pin():
    a = run(role="authorized")
    assert "authorization_required" in warned(a)
    assert "Only the account owner" in next(s for s in a.steps if s.kind == "get_port_credentials").detail


def test_owner_gets_no_authorization_warning():
    assert "authorization_required" not in warned(run(keep_number=False))


def test_unknown_permissions_warn_non_owners():
    c = carrier(plan={"who_may_cancel": {}})
    a = run(c, keep_number=False, role="manager")
    assert "authorization_required" in warned(a) and "who_may_cancel" in [u.topic for u in a.unknowns]


def test_prepaid_balance_is_forfeited_or_listed_as_unknown():
    a = run(carrier(plan_type="prepaid"), keep_number=False, prepaid_balance_usd=12)
    assert "prepaid_balance_forfeit" in warned(a) and a.costs.prepaid_balance_forfeit_usd == 12
    unknown = run(
        carrier(plan={"prepaid_refund": {}}, plan_type="prepaid"), keep_number=False, prepaid_balance_usd=12
    )
    assert (
        "prepaid_refund" in [u.topic for u in unknown.unknowns]
        and unknown.costs.prepaid_balance_forfeit_usd == 12
    )
    refunded = run(
        carrier(plan={"prepaid_refund": {"value": "yes", "sources": ["fx-help"]}}), prepaid_balance_usd=12
    )
    assert refunded.costs.prepaid_balance_forfeit_usd == 0


def test_traps_follow_their_conditions():
    traps = [
        {"kind": "keep-only", "keep_number": True, "text": {"en": "k", "zh": "k"}, "sources": ["fx-help"]},
        {"kind": "line-only", "scope": "line", "text": {"en": "l", "zh": "l"}, "sources": ["fx-help"]},
    ]
    c = carrier(plan={"traps": traps})
    assert "keep-only" in warned(run(c)) and "keep-only" not in warned(run(c, keep_number=False))
    assert "line-only" in warned(run(c, scope="line")) and "line-only" not in warned(run(c))


def test_unknown_facts_show_their_lead():
    lead = {"note": {"en": "A blog says 30 days.", "zh": "某博客说 30 天。"}, "sources": ["fx-blog"]}
    a = run(
        carrier(
            plan={
                "porting": {
                    **carrier().plans["postpaid"].porting.model_dump(mode="json", exclude_none=True),
                    "pin_validity": lead,
                }
            }
        )
    )
    u = next(u for u in a.unknowns if u.topic == "pin_validity")
    assert u.lead == "A blog says 30 days." and u.sources == ["fx-blog"]


def test_disagreeing_sources_are_shown():
    flag = {
        "value": "no",
        "sources": ["fx-help"],
        "conflicts": [{"note": {"en": "A guide says yes.", "zh": "某指南说是。"}, "sources": ["fx-guide"]}],
    }
    a = run(carrier(plan={"proration": flag}), keep_number=False)
    w = next(w for w in a.warnings if w.kind == "sources_disagree")
    assert "A guide says yes." in w.text and w.sources == ["fx-guide"]


def test_chinese_output():
    a = run(lang="zh", keep_number=False)
    assert all(has_cjk(s.title) for s in a.steps) and all(has_cjk(w.text) for w in a.warnings)


def test_every_source_listed_once_in_first_use_order():
    a = run(keep_number=False)
    ids = [s.id for s in a.sources]
    assert len(ids) == len(set(ids))
    cited = {i for s in a.steps for i in s.sources} | {i for w in a.warnings for i in w.sources}
    assert cited <= set(ids)


def test_situation_for_another_carrier_or_plan_is_refused():
    with pytest.raises(SituationError):
        assess(carrier("fixa"), situation("fixb"), COMMON)
    with pytest.raises(SituationError, match="no prepaid plan"):
        assess(carrier(), situation(plan="prepaid"), COMMON)


@pytest.mark.parametrize(
    ("state", "enrolled", "verdict"), [("NY", True, "partial"), ("NY", False, "no"), ("CA", True, "no")]
)
def test_state_override_for_accounts_ordered_online(state, enrolled, verdict):
    online = {
        "line": {"verdict": "no", "sources": ["fx-guide"]},
        "account": {
            "verdict": "no",
            "sources": ["fx-guide"],
            "when": [
                {
                    "verdict": "partial",
                    "states": ["NY", "IL"],
                    "enrolled_online": True,
                    "sources": ["fx-help"],
                }
            ],
        },
    }
    a = run(carrier(plan={"online": online}), state=state, enrolled_online=enrolled, keep_number=False)
    assert a.online_cancel == verdict


def test_what_depends_on_the_number_when_it_goes():
    assert [d.kind for d in run(keep_number=False).dependencies] == ["bank-2fa"]
    assert run(keep_number=True).dependencies == []
    assert run(keep_number=True, leaving_us=True).dependencies  # abroad, codes may not arrive


def test_ways_to_keep_the_number_include_the_carriers_own_first():
    own = [
        {"kind": "suspend", "text": {"en": "Suspend the line.", "zh": "暂停线路。"}, "sources": ["fx-help"]}
    ]
    a = run(carrier(plan={"keep_options": own}), leaving_us=True)
    assert a.keep_options[0].kind == "suspend"


# ---------------------------------------------------------------- scams: who must never get the PINs


def _scam_common():
    data = COMMON.model_dump(mode="json", exclude_none=True)
    data["scam_warning"] = {
        "text": {"en": "Never give a paid agent your PIN.", "zh": "不要把 PIN 交给代办。"},
        "sources": ["gov"],
    }
    return type(COMMON).model_validate(data)


NEVER = {
    "text": {"en": "Fixture never calls for your PIN.", "zh": "Fixture 不会打电话要 PIN。"},
    "sources": ["fx-help"],
}


def test_the_scam_warning_sits_in_the_credentials_step_when_keeping_the_number():
    a = run(carrier(never_asks=NEVER), _scam_common(), keep_number=True)
    step = next(s for s in a.steps if s.kind == "get_port_credentials")
    assert "Never give a paid agent your PIN." in step.detail
    assert "Fixture never calls for your PIN." in step.detail
    assert "gov" in step.sources and "fx-help" in step.sources
    assert all("paid agent" not in s.detail for s in a.steps if s.kind != "get_port_credentials")


@pytest.mark.parametrize("channels", [None, []])
def test_the_scam_warning_sits_in_the_cancel_step_when_letting_the_number_go(channels):
    plan = {} if channels is None else {"channels": channels}
    a = run(carrier(plan=plan), _scam_common(), keep_number=False, lang="zh")
    step = next(s for s in a.steps if s.kind == "cancel")
    assert "不要把 PIN 交给代办。" in step.detail and "gov" in step.sources


def test_no_scam_lines_without_a_sourced_warning():
    a = run(keep_number=True)
    assert all("paid agent" not in s.detail for s in a.steps)
    b = run(carrier(never_asks=NEVER), keep_number=False)
    assert "Fixture never calls for your PIN." in next(s for s in b.steps if s.kind == "cancel").detail


# ---------------------------------------------------------------- keeping the number abroad: the cheapest sourced way


def _priced_common(*prices):
    """The fixture common data with a price on each keep option, in order (None: unknown)."""
    data = COMMON.model_dump(mode="json", exclude_none=True)
    extra = {
        "kind": "cheap-prepaid-fixc",
        "text": {"en": "C.", "zh": "丙。"},
        "sources": ["gov"],
        "carrier": "fixc",
    }
    data["keep_options"] = [*data["keep_options"][:2], extra, *data["keep_options"][2:]]
    for option, price in zip(data["keep_options"], prices, strict=False):
        if price:
            option["price"] = {**price, "sources": ["gov"]}
            option["name"] = {"en": f"Plan {option['kind']}", "zh": f"套餐 {option['kind']}"}
    return type(COMMON).model_validate(data)


DATES = {"today": date(2026, 11, 29), "bill_day": 10, "leave_date": date(2026, 12, 20)}


def test_leaving_and_keeping_recommends_the_cheapest_priced_option_by_yearly_cost():
    # fixa is the own carrier (never offered); fixb $5 a month ($60 a year) beats fixc $5 per 30 days ($60.83).
    common_facts = _priced_common(
        {"usd": 1, "period_days": 30},
        {"usd": 5, "period_months": 1},
        {"usd": 5, "period_days": 30},
    )
    a = run(None, common_facts, keep_number=True, leaving_us=True, **DATES)
    c = a.keep_choice
    assert c.kind == "cheap-prepaid-fixb" and c.yearly_usd == 60.0
    assert c.act_by == a.timing.best_date and c.autopay_off_by == a.timing.autopay_off_by
    assert c.act_by is not None and c.autopay_off_by is not None
    lines = c.text.splitlines()
    assert "Plan cheap-prepaid-fixb" in lines[0] and "$60 a year" in lines[0]
    assert lines[1].startswith("1.") and str(c.act_by) in lines[1]
    assert lines[2].startswith("2.") and str(c.autopay_off_by) in lines[2] and "AutoPay" in lines[2]
    assert lines[3].startswith("3.")
    step = next(s for s in a.steps if s.kind == "activate_keep_plan")
    assert c.text in step.detail and "gov" in step.sources
    from simexit.render import to_text

    assert "Recommended: Cheapest way" in to_text(a)


def test_a_price_per_30_days_counts_365_days_a_year():
    common_facts = _priced_common(None, {"usd": 8, "period_days": 30, "upfront_months": 12})
    c = run(None, common_facts, keep_number=True, leaving_us=True).keep_choice
    assert c.yearly_usd == 97.33 and "$8 per 30 days" in c.price and "12 months paid up front" in c.price
    assert c.act_by is None and "before the current plan renews" in c.text


def test_a_hold_capped_in_days_is_not_recommended_for_a_stay_abroad():
    common_facts = _priced_common(
        None, {"usd": 1, "period_months": 1, "max_days": 90}, {"usd": 9, "period_months": 1}
    )
    assert run(None, common_facts, keep_number=True, leaving_us=True).keep_choice.kind == "cheap-prepaid-fixc"


def test_no_known_price_says_so():
    a = run(keep_number=True, leaving_us=True, lang="zh", **DATES)
    assert a.keep_choice.kind is None and a.keep_choice.yearly_usd is None
    assert "没有来源给出保号方式的价格" in a.keep_choice.text
    assert a.keep_choice.act_by == a.timing.best_date


def test_no_recommendation_when_staying_or_letting_the_number_go():
    common_facts = _priced_common(None, {"usd": 5, "period_days": 30})
    assert run(None, common_facts, keep_number=True).keep_choice is None
    assert run(None, common_facts, keep_number=False, leaving_us=True).keep_choice is None


def test_the_carriers_own_cheaper_hold_keeps_the_number_where_it_is():
    common_facts = _priced_common(None, {"usd": 5, "period_days": 30})
    own = [
        {
            "kind": "snooze-fixa",
            "text": {"en": "Snooze.", "zh": "休眠。"},
            "sources": ["fx-help"],
            "price": {"usd": 2, "period_months": 1, "sources": ["fx-help"]},
        }
    ]
    a = run(carrier(plan={"keep_options": own}), common_facts, keep_number=True, leaving_us=True, **DATES)
    c = a.keep_choice
    assert c.kind == "snooze-fixa" and c.yearly_usd == 24.0 and c.sources == ["fx-help"]
    assert "stays with Fixture fixa" in c.text and "AutoPay" not in c.text


def test_a_price_needs_one_period():
    from pydantic import ValidationError

    from simexit.models import Price

    with pytest.raises(ValidationError, match="exactly one of period_days and period_months"):
        Price(usd=5, sources=["x"])
    with pytest.raises(ValidationError, match="exactly one"):
        Price(usd=5, period_days=30, period_months=1, sources=["x"])
    with pytest.raises(ValidationError, match="needs at least one source"):
        Price(usd=5, period_days=30)
    assert Price().yearly_usd() is None and not Price().known()


def test_the_answer_card_names_the_recommended_plan_and_its_yearly_cost():
    """Leaving and keeping the number: the next action is the decision, not a list to research."""
    from simexit.render import answer_items, next_step

    common_facts = _priced_common(None, {"usd": 5, "period_months": 1})
    a = run(None, common_facts, keep_number=True, leaving_us=True)
    assert next_step(a).kind == "activate_keep_plan"
    nxt = next(i for i in answer_items(a) if i.kind == "next")
    assert nxt.text.endswith(": Plan cheap-prepaid-fixb, about $60.00 a year")
    without = run(None, _priced_common(None, None), keep_number=True, leaving_us=True)
    assert "a year" not in next(i for i in answer_items(without) if i.kind == "next").text
