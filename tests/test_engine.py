"""Each engine rule, checked on real carriers' data (expected values read from the data files by hand)."""

from __future__ import annotations

import pytest

from simexit.assess import SituationError, assess
from simexit.models import Situation

from conftest import has_cjk


@pytest.fixture
def run(catalog):
    def go(carrier_id, **situation):
        return assess(catalog.get(carrier_id), Situation(carrier=carrier_id, **situation), catalog.common)

    return go


def kinds(a):
    return [s.kind for s in a.steps]


def warned(a):
    return [w.kind for w in a.warnings]


def test_tmobile_postpaid_keep_number_ports_and_never_cancels(run):
    a = run("tmobile", plan="postpaid", keep_number=True)
    assert a.online_cancel == "no"
    assert kinds(a) == [
        "backup",
        "unlock_device",
        "disable_port_lock",
        "get_port_credentials",
        "port_out",
        "confirm_closed",
    ]
    creds = a.steps[3]
    assert "Transfer PIN" in creds.detail and "valid for 7 days" in creds.detail
    assert "fcc-porting" in a.steps[4].sources and "tmo-transfer" in a.steps[4].sources
    assert "number_loss" not in warned(a)
    assert a.port_kit.pin_validity_days == 7 and a.port_kit.closes_line == "yes"


def test_tmobile_not_keeping_the_number(run):
    a = run("tmobile", plan="postpaid", keep_number=False)
    assert kinds(a) == ["backup", "update_2fa", "unlock_device", "cancel", "confirm_closed"]
    assert "number_loss" in warned(a)
    cancel = a.steps[3]
    assert "611" in cancel.detail and "1-800-937-8997" in cancel.detail
    assert "data_deleted" in warned(a) and "no_proration" in warned(a)


def test_port_lock_step_follows_the_answer(run):
    assert "disable_port_lock" not in kinds(run("tmobile", port_lock_on="no"))
    assert "disable_port_lock" in kinds(run("tmobile", port_lock_on="yes"))
    # Tello names no lock: only a lock the user says is on gets the generic step.
    assert "disable_port_lock" not in kinds(run("tello", port_lock_on="unknown"))
    step = next(s for s in run("tello", port_lock_on="yes").steps if s.kind == "disable_port_lock")
    assert step.sources == ["fcc-23-95"]


@pytest.mark.parametrize(
    ("scope", "due", "text"), [("account", "final_bill", "final bill"), ("line", "monthly", "monthly")]
)
def test_device_balance_reports_when_it_is_due(run, scope, due, text):
    a = run("tmobile", scope=scope, device_balance_usd=412.5)
    assert a.costs.device_balance_due == due and a.costs.device_balance_due_usd == 412.5
    balance = next(w for w in a.warnings if w.kind == "device_balance_due")
    assert "$412.50" in balance.text and text in balance.text
    assert kinds(a).index("pay_device_balance") < kinds(a).index("unlock_device")


def test_device_balance_with_unknown_due_date_says_so(run):
    a = run("tello", device_balance_usd=100)
    assert a.costs.device_balance_due == "unknown"
    assert "device_balance" in [u.topic for u in a.unknowns]


@pytest.mark.parametrize("role", ["authorized", "manager"])
def test_tmobile_only_the_owner_may_cancel(run, role):
    a = run("tmobile", keep_number=False, role=role)
    auth = [w for w in a.warnings if w.kind == "authorization_required"]
    assert auth and "only the account owner can" in auth[0].text
    assert "tmo-brp" in auth[0].sources
    assert "Only the account owner can do this" in next(s for s in a.steps if s.kind == "cancel").detail


def test_tmobile_only_the_owner_may_get_the_pin(run):
    a = run("tmobile", keep_number=True, role="authorized")
    auth = [w for w in a.warnings if w.kind == "authorization_required"]
    assert auth and "transfer PIN" in auth[0].text


def test_owner_gets_no_authorization_warning(run):
    assert "authorization_required" not in warned(run("tmobile", keep_number=False, role="owner"))


def test_unknown_permissions_warn_non_owners(run):
    a = run("usmobile", keep_number=False, role="authorized")
    assert "authorization_required" in warned(a)
    assert "who_may_cancel" in [u.topic for u in a.unknowns]


def test_tello_prepaid_balance_is_forfeited(run):
    a = run("tello", prepaid_balance_usd=17.25, keep_number=True)
    forfeit = next(w for w in a.warnings if w.kind == "prepaid_balance_forfeit")
    assert "$17.25" in forfeit.text and "not refunded" in forfeit.text
    assert a.costs.prepaid_balance_forfeit_usd == 17.25
    assert "port-forfeits-balance" in warned(a)


def test_unknown_refund_is_treated_as_lost_and_listed(run):
    a = run("tmobile", plan="prepaid", prepaid_balance_usd=20)
    assert "assume it is lost" in next(w.text for w in a.warnings if w.kind == "prepaid_balance_forfeit")
    assert "prepaid_refund" in [u.topic for u in a.unknowns]


def test_tello_cancels_only_online(run):
    a = run("tello", keep_number=False)
    assert a.online_cancel == "yes"
    assert any(c.kind == "web" for c in a.channels)
    assert "support-cannot-cancel" in warned(a)


def test_cricket_whole_account_lapses_and_balance_is_lost(run):
    a = run("cricket", keep_number=False, scope="account", prepaid_balance_usd=30)
    assert a.online_cancel == "no"
    assert "let_lapse" in kinds(a) and "cancel" not in kinds(a)
    assert kinds(a).index("turn_off_autopay") < kinds(a).index("let_lapse")
    assert "$30.00 is not refunded" in next(w.text for w in a.warnings if w.kind == "prepaid_balance_forfeit")


def test_traps_follow_their_conditions(run):
    keep = warned(run("tello", keep_number=True))
    leave = warned(run("tello", keep_number=False))
    assert "port-forfeits-balance" in keep and "port-forfeits-balance" not in leave
    assert "renewal-24h-cutoff" in keep and "renewal-24h-cutoff" in leave


def test_unknown_facts_show_their_lead(run):
    a = run("tmobile", plan="prepaid")
    online = next(u for u in a.unknowns if u.topic == "online")
    assert a.online_cancel == "unknown"
    assert online.lead and "legalclarity-tmo-prepaid" in online.sources


def test_disagreeing_sources_are_shown(run):
    a = run("tmobile", plan="postpaid", scope="line")
    disagree = [w for w in a.warnings if w.kind == "sources_disagree"]
    assert disagree and "seo-cancel-line" in disagree[0].sources


def test_chinese_output(run):
    a = run("tmobile", plan="postpaid", lang="zh")
    assert a.plan_label == "后付费（月结）" and a.carrier_name == "T-Mobile"
    assert all(has_cjk(s.title) for s in a.steps)
    assert "不要先销户" in a.steps[4].title


def test_every_source_listed_once_in_first_use_order(run):
    a = run("tmobile", keep_number=False, device_balance_usd=10)
    ids = [s.id for s in a.sources]
    assert len(ids) == len(set(ids))
    assert ids[:2] == ["tmo-cancel", "tmo-doc-22931"]  # the online verdict's sources come first


def test_situation_for_another_carrier_is_refused(catalog):
    with pytest.raises(SituationError):
        assess(catalog.get("tmobile"), Situation(carrier="tello"), catalog.common)


@pytest.mark.parametrize(
    ("state", "enrolled", "verdict"),
    [
        ("IL", True, "yes"),
        ("NY", True, "yes"),
        ("IL", False, "partial"),
        ("CA", True, "partial"),
        (None, True, "partial"),
    ],
)
def test_att_state_rule_for_accounts_ordered_online(run, state, enrolled, verdict):
    a = run("att", plan="postpaid", state=state, enrolled_online=enrolled)
    assert a.online_cancel == verdict
    if verdict == "yes":
        assert a.sources[0].url.startswith("https://www.directv.com/")  # the mirrored AT&T article


def test_verizon_lines_partly_online_account_by_phone(run):
    assert run("verizon", plan="postpaid", scope="line").online_cancel == "partial"
    assert run("verizon", plan="postpaid", scope="account").online_cancel == "no"


def test_verizon_new_numbers_elsewhere_do_not_close_the_account(run):
    assert "new-numbers-no-close" in warned(run("verizon", keep_number=False))
    assert "new-numbers-no-close" not in warned(run("verizon", keep_number=True))


def test_verizon_current_unlock_rule_is_the_newest(run):
    step = next(s for s in run("verizon", plan="postpaid").steps if s.kind == "unlock_device")
    assert "paid" in step.detail.lower()
    assert "60 days" not in step.detail


def test_google_fi_cancels_online_and_gives_credentials_only_in_the_flow(run):
    a = run("googlefi", keep_number=True)
    assert a.online_cancel == "yes"
    assert "pin-only-in-cancel-flow" in warned(a)
    assert a.port_kit.pin_validity_days == 14


def test_what_depends_on_the_number_when_it_goes(run):
    gone = run("tmobile", keep_number=False)
    kinds = [d.kind for d in gone.dependencies]
    assert "bank-2fa" in kinds and "apple-id" in kinds
    assert all(d.sources for d in gone.dependencies)
    staying = run("tmobile", keep_number=True, leaving_us=False)
    assert staying.dependencies == [] and staying.keep_options == []


def test_ways_to_keep_the_number_when_leaving_include_the_carriers_own(run):
    a = run("tmobile", keep_number=True, leaving_us=True)
    kinds = [k.kind for k in a.keep_options]
    assert kinds[0] == "suspend-t-mobile"  # the carrier's own option first, then the general ones
    assert "voip-port" in kinds
    assert "suspend-t-mobile" not in [k.kind for k in run("verizon", leaving_us=True).keep_options]
