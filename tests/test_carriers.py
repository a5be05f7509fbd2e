"""Tests generated for every carrier file: a new carrier is a new TOML file, and gets these for free."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from simexit.catalog import carrier_ids, find_carrier, load_file, match_carriers
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


# ---------------------------------------------------------------- the carrier picker's search


def _full_width(text: str) -> str:
    """'AT&T' -> 'ＡＴ＆Ｔ': what a Chinese input method types with full-width letters on."""
    return "".join(
        chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else "\u3000" if ch == " " else ch for ch in text
    )


@files
def test_the_picker_finds_every_carrier_by_its_names_and_aliases(path):
    carrier = load_file(path)
    carriers = {c.id: c for c in map(load_file, CARRIER_FILES)}
    names = [carrier.id, carrier.name.en, carrier.name.zh, *(a.text for a in carrier.aliases)]
    for name in names:
        for typed in (name, name.upper(), _full_width(name), name.replace("-", " "), f" {name}美国 "):
            assert find_carrier(typed, carriers, first=True) == carrier.id, typed
    for alias in carrier.aliases:
        assert find_carrier(alias.text, carriers) == carrier.id, alias.text


def _pick(*specs):
    from fixture_carriers import carrier

    out = {}
    for cid, en, zh, aliases in specs:
        out[cid] = carrier(
            cid,
            name={"en": en, "zh": zh},
            aliases=[{"text": a, "lang": "zh", "sources": ["fx-help"]} for a in aliases],
        )
    return out


PICK = _pick(
    ("tmo", "T-Mobile", "T-Mobile", ["T家"]),
    ("metro", "Metro by T-Mobile", "Metro by T-Mobile", []),
    ("att", "AT&T", "AT&T", []),
    ("lyca", "Lycamobile (US)", "Lycamobile（美国）", []),
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("T-Mobile", "tmo"),
        ("t mobile", "tmo"),
        ("ｔ－ｍｏｂｉｌｅ", "tmo"),  # full-width letters and hyphen
        ("T-Mobile美国", "tmo"),  # a filler word around the name
        ("T家", "tmo"),  # a sourced alias
        ("ｔ家", "tmo"),
        ("at&t", "att"),
        ("ATT", "att"),
        ("Ａ Ｔ ＆ Ｔ", "att"),
        ("Lycamobile (US) / Lycamobile（美国）", "lyca"),  # the picker's own label, slash and all
        ("https://tmo.example.com/account", "tmo"),  # a pasted account address
        ("metro.example.com/billing", "metro"),
    ],
)
def test_find_carrier_matches_names_aliases_and_addresses(typed, expected):
    assert find_carrier(typed, PICK) == expected
    assert find_carrier(typed, PICK, first=True) == expected


def test_an_exact_name_beats_a_longer_name_that_contains_it():
    assert match_carriers("T-Mobile", PICK)[:2] == ["tmo", "metro"]
    assert find_carrier("metro", PICK) == "metro"


def test_enter_picks_the_first_match_and_a_vague_name_picks_nothing_until_then():
    assert find_carrier("mobile", PICK) is None  # two carriers contain it
    assert find_carrier("mobile", PICK, first=True) == "lyca"  # alphabetical among names containing it
    assert find_carrier("tmob", PICK, first=True) == "tmo"  # a name that starts with it beats Metro
    assert find_carrier("lyca", PICK) == "lyca"  # the only match


@pytest.mark.parametrize("typed", ["", "   ", "美国", "红口袋", "https://evil.example/tmo.example.com"])
def test_find_carrier_finds_nothing_for_no_name(typed):
    assert find_carrier(typed, PICK, first=True) is None


def test_an_alias_needs_a_source():
    from fixture_carriers import carrier

    with pytest.raises(ValidationError, match="needs at least one source"):
        carrier("x", aliases=[{"text": "X家", "lang": "zh"}])
    with pytest.raises(ValidationError, match="unknown source"):
        carrier("x", aliases=[{"text": "X家", "lang": "zh", "sources": ["nowhere"]}])
