"""The page's questions and frame (pure HTML; the browser tests drive the real page)."""

from __future__ import annotations

from simexit.assess import assess
from simexit.models import Situation
from simexit.page import app_html, questions


def test_only_relevant_questions_are_asked(catalog):
    tmobile, tello = catalog.get("tmobile"), catalog.get("tello")
    asked = questions(tmobile, Situation(carrier="tmobile"))
    assert "plan" in asked  # T-Mobile sells postpaid and prepaid
    assert "prepaid_balance_usd" not in asked  # default plan is postpaid
    assert "state" not in asked and "enrolled_online" not in asked  # no state rules for T-Mobile
    assert "prepaid_balance_usd" in questions(tmobile, Situation(carrier="tmobile", plan="prepaid"))
    assert "plan" not in questions(tello, Situation(carrier="tello"))
    assert "port_lock_on" not in questions(tello, Situation(carrier="tello", keep_number=False))


def test_state_questions_appear_only_where_a_rule_depends_on_them(catalog):
    for carrier in catalog.carriers.values():
        for plan_id, plan in carrier.plans.items():
            overrides = [o for r in (plan.online.line, plan.online.account) for o in r.when]
            asked = questions(carrier, Situation(carrier=carrier.id, plan=plan_id))
            assert ("state" in asked) == any(o.states for o in overrides)


def test_app_html_has_test_hooks_and_the_checklist(catalog):
    s = Situation(carrier="tmobile", lang="zh")
    html = app_html(
        catalog.carriers, catalog.get("tmobile"), s, assess(catalog.get("tmobile"), s, catalog.common)
    )
    assert 'data-testid="checklist"' in html and 'data-carrier="tmobile"' in html
    assert "<html" not in html and "<script" not in html
    assert 'id="lang-toggle" lang="en"' in html and ">English<" in html
    assert html.count('name="plan"') == 2
    assert '<fieldset id="answers" disabled>' in html  # enabled once Python is interactive
