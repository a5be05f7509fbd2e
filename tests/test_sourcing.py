"""Each source rule rejects a bad fixture and names the file, the fact and the rule."""

from __future__ import annotations

import pytest

from fixture_carriers import _src, carrier, common
from simexit import sourcing
from simexit.models import Source, iter_facts


def problems(c) -> list[sourcing.Problem]:
    """Source-rule problems of a fixture carrier (whose made-up domain is, rightly, never reviewed)."""
    return [p for p in sourcing.carrier_problems(c, "fixa.toml") if p.rule != "reviewed-domain"]


def rules(c) -> list[str]:
    return [p.rule for p in problems(c)]


def test_a_clean_fixture_passes():
    good = carrier(
        plan={
            "traps": [
                {
                    "kind": "t",
                    "text": {"en": "x", "zh": "x"},
                    "sources": ["fx-help", "fx-blog", "fx-guide", "fx-general"],
                }
            ]
        },
    )
    assert problems(good) == []


def test_http_sources_are_refused():
    with pytest.raises(ValueError, match="https-only"):
        Source.model_validate(_src("http://fixa.example.com/help"))


def test_a_value_resting_only_on_a_personal_blog_is_refused():
    c = carrier(plan={"proration": {"value": "yes", "sources": ["fx-blog"]}})
    hit = [p for p in problems(c) if p.rule == "no-weak-only"]
    assert hit and hit[0].where == "plans.postpaid.proration" and "fixa.toml" in str(hit[0])


def test_an_unknown_value_may_keep_a_weak_lead():
    c = carrier(
        plan={"proration": {"note": {"en": "A blog says yes.", "zh": "某博客说是。"}, "sources": ["fx-blog"]}}
    )
    assert "no-weak-only" not in rules(c)


@pytest.mark.parametrize("kind", ["mirror", "archive", "reseller", "leak", "personal"])
def test_every_weak_kind_counts_as_weak(kind):
    c = carrier(plan={"proration": {"value": "yes", "sources": ["fx-blog"]}})
    data = c.model_dump(mode="json")
    data["sources"]["fx-blog"]["kind"] = kind
    assert "no-weak-only" in rules(type(c).model_validate(data))


@pytest.mark.parametrize("kind", ["mirror", "archive", "reseller", "leak"])
def test_copies_of_someone_elses_page_are_never_sources(kind):
    data = carrier().model_dump(mode="json")
    data["sources"]["fx-blog"]["kind"] = kind  # cited only beside other sources: still refused
    found = problems(type(carrier()).model_validate(data))
    assert [(p.rule, p.where) for p in found] == [("no-copies", "sources.fx-blog")]


def test_a_carrier_fact_resting_only_on_a_general_page_is_refused():
    c = carrier(plan={"proration": {"value": "yes", "sources": ["fx-general"]}})
    assert "no-general-only" in rules(c)


def test_official_needs_the_carriers_own_host():
    c = carrier()
    data = c.model_dump(mode="json")
    data["sources"]["fx-help"]["url"] = "https://lookalike.example.net/help"
    assert "own-host" in rules(type(c).model_validate(data))
    data["official_hosts"] = ["lookalike.example.net"]
    assert "own-host" not in rules(type(c).model_validate(data))
    # a site entry with a path counts only under that path (a shared host such as support.google.com)
    data["official_hosts"] = ["lookalike.example.net/fi"]
    assert "own-host" in rules(type(c).model_validate(data))
    data["sources"]["fx-help"]["url"] = "https://lookalike.example.net/fi/answer/1"
    assert "own-host" not in rules(type(c).model_validate(data))


def test_official_means_a_carrier_or_regulator_page():
    data = carrier().model_dump(mode="json")
    data["sources"]["fx-guide"]["confidence"] = "official"
    assert "official-means-own" in rules(type(carrier()).model_validate(data))


def test_weak_kinds_are_always_unverified():
    data = carrier().model_dump(mode="json")
    data["sources"]["fx-blog"]["confidence"] = "guide"
    assert "weak-is-unverified" in rules(type(carrier()).model_validate(data))


def test_common_may_not_state_one_carriers_fact():
    cm = common()
    fixa = carrier("fixa")
    data = cm.model_dump(mode="json")
    data["sources"]["fixa-page"] = _src("https://fixa.example.com/lapse")
    data["port_first"]["sources"] = ["gov", "fixa-page"]
    bad = type(cm).model_validate(data)
    problems = sourcing.common_problems(bad, {"fixa": fixa}, "_common.toml")
    assert [p.rule for p in problems] == ["one-file"] and problems[0].where == "port_first"
    # the same page may back an option that moves a person to that carrier
    data["port_first"]["sources"] = ["gov"]
    data["keep_options"][0]["sources"] = ["fixa-page"]
    fine = type(cm).model_validate(data)
    assert sourcing.common_problems(fine, {"fixa": fixa}, "_common.toml") == []


def test_verification_log_is_generated_from_the_data(catalog):
    from conftest import ROOT

    written = (ROOT / "docs" / "verification.md").read_text(encoding="utf-8")
    assert written == sourcing.verification_log(catalog.carriers, catalog.common), "run `make docs`"


def test_fact_counts_follow_the_weakest_claim_rules():
    c = carrier(plan={"proration": {"value": "yes", "sources": ["fx-blog"]}, "number_hold": {}})
    counts = sourcing.fact_counts(c)
    assert counts["unverified"] >= 1 and counts["unknown"] >= 1
    assert sum(counts.values()) == sum(1 for _ in iter_facts(c))


def test_domains_must_be_on_the_reviewed_list():
    def domain_rules(c):
        return [p.rule for p in sourcing.carrier_problems(c, "fixa.toml") if p.rule == "reviewed-domain"]

    assert domain_rules(carrier(domains=["t-mobile.com"])) == []
    assert domain_rules(carrier(domains=["t-mobile.com", "com.example.com"])) == ["reviewed-domain"]


def test_the_manifest_build_refuses_unreviewed_domains():
    from simexit.build import BuildError, host_patterns

    assert host_patterns(["t-mobile.com"]) == ["https://*.t-mobile.com/*"]
    with pytest.raises(BuildError, match=r"google\.com"):
        host_patterns(["t-mobile.com", "google.com"])
