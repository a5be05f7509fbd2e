"""Tests generated for every carrier file: a new carrier is a new TOML file, and gets these for free."""

from __future__ import annotations

from datetime import date

import pytest

from simexit.catalog import carrier_ids, load_file
from simexit.detect import detect
from simexit.models import iter_facts, iter_texts

from conftest import CARRIER_FILES, has_cjk

ids = [p.stem for p in CARRIER_FILES]
files = pytest.mark.parametrize("path", CARRIER_FILES, ids=ids)


def lookalikes(domain: str) -> list[str]:
    """URLs that mention the domain but are not on it."""
    bare = domain.split(".", 1)[1] if domain.count(".") > 1 else domain
    return [
        f"https://{domain}.evil.example/account",
        f"https://www.{domain}.evil.example/",
        f"https://{domain.replace('.', '-')}-login.example/",
        f"https://{domain}-login.example/",
        f"https://evil.example/?next=https://{domain}/account",
        f"https://evil.example/{domain}/account",
        f"https://{domain}@evil.example/account",
        f"https://user:pw@evil.example/@{domain}",
        f"https://evil.example\\@{domain}/",
        f"https://evil.example#{domain}",
        f"https://x{bare}/",
        f"https://{bare}x/",
        f"javascript://{domain}/%0aalert(1)",
        f"ftp://{domain}/",
        f"file:///{domain}/account",
    ]


def test_the_carrier_ids_are_the_carrier_files():
    assert carrier_ids() == sorted(ids)


@files
def test_loads(path):
    carrier = load_file(path)
    assert carrier.id == path.stem
    assert carrier.plans


@files
def test_every_known_fact_is_sourced(path):
    carrier = load_file(path)
    facts = list(iter_facts(carrier))
    assert facts
    for loc, fact in facts:
        if fact.known():
            assert fact.sources, f"{loc} has no source"
        for sid in fact.sources:
            assert sid in carrier.sources, f"{loc} cites undefined {sid}"


@files
def test_sources_are_https_dated_and_not_from_the_future(path):
    carrier = load_file(path)
    for sid, source in carrier.sources.items():
        assert source.url.startswith(("https://", "http://")), sid
        assert source.checked <= date.today(), sid


@files
def test_user_text_is_really_translated(path):
    carrier = load_file(path)
    for loc, text in iter_texts(carrier):
        if loc == "name":
            continue
        assert has_cjk(text.zh), f"{loc}: zh text has no Chinese: {text.zh!r}"


@files
def test_every_plan_offers_a_sourced_way_out(path):
    carrier = load_file(path)
    for plan_id, plan in carrier.plans.items():
        sourced = [c for c in plan.channels if c.sources] or [
            r for r in (plan.online.line, plan.online.account) if r.sources
        ]
        assert sourced, f"{plan_id}: no sourced channel and no sourced online rule"


@files
def test_every_page_example_is_detected_with_its_kind(path):
    carrier = load_file(path)
    for page in carrier.pages:
        found = detect(page.example, page.title, {carrier.id: carrier})
        assert found is not None, page.example
        assert (found.carrier, found.page) == (carrier.id, page.kind), page.example


@files
def test_official_domains_and_subdomains_match(path):
    carrier = load_file(path)
    for domain in carrier.domains:
        for url in (f"https://{domain}/", f"https://WWW.{domain.upper()}/x", f"http://a.b.{domain}:8443/"):
            found = detect(url, None, {carrier.id: carrier})
            assert found is not None and found.carrier == carrier.id, url


@files
def test_lookalikes_of_its_domains_are_rejected(path):
    carrier = load_file(path)
    for domain in carrier.domains:
        for url in lookalikes(domain):
            assert detect(url, None, {carrier.id: carrier}) is None, url
