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
    assert (
        'id="f-carrier" name="carrier" list="carrier-list" autocomplete="off" value="" placeholder="T-Mobile'
        in html
    )
    assert '<fieldset id="answers">' in html  # answered at once; boot.js keeps it until Python runs
    assert '<button type="button" id="copy-md" disabled>' in html  # needs the engine


def test_fragment_reads_only_the_situation_keys(catalog):
    from simexit.page import apply_fragment, fragment, parse_fragment

    got = parse_fragment(
        "#carrier=tello&plan=prepaid&keep=no&leaving=yes&lang=zh&amount=300", catalog.carriers
    )
    assert got == {"carrier": "tello", "plan": "prepaid", "keep": "no", "leaving": "yes", "lang": "zh"}
    assert parse_fragment("#src-tmo-cancel", catalog.carriers) == {}  # an in-page anchor
    assert "plan" not in parse_fragment(
        "#carrier=tello&plan=postpaid", catalog.carriers
    )  # Tello sells no postpaid
    s = apply_fragment(Situation(carrier="tello", lang="zh"), got)
    assert (s.keep_number, s.leaving_us, s.plan) == (False, True, "prepaid")
    assert fragment(s, catalog.get("tello")) == "#carrier=tello&plan=prepaid&keep=no&leaving=yes&lang=zh"


def test_answer_card_comes_first_and_frames_the_verdict(catalog):
    from simexit.render import to_html

    keep = Situation(carrier="tmobile", leaving_us=True)
    html = to_html(assess(catalog.get("tmobile"), keep, catalog.common))
    assert html.index('data-testid="answer"') < html.index('class="verdict') < html.index('class="checklist"')
    assert "do not cancel" in html and "verdict-framed" in html
    assert "$0.00" not in html  # no amount was entered
    drop = Situation(carrier="tmobile", keep_number=False, scope="line")
    html = to_html(assess(catalog.get("tmobile"), drop, catalog.common))
    assert "verdict-framed" not in html and 'data-scope="line"' in html
    assert 'id="sec-port-kit"' not in html  # the transfer kit does not apply
