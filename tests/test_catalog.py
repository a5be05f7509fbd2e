"""A malformed carrier file fails loading, naming the file, the field and the problem."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pytest

from simexit import sourcing
from simexit.catalog import Catalog, DataError, carrier_ids, load_dir
from simexit.sourcing import stale_sources

from conftest import CARRIER_DIR


@pytest.fixture
def data(tmp_path):
    """A private copy of carriers/ with only T-Mobile and the common file."""
    for name in ("_common.toml", "tmobile.toml"):
        shutil.copy(CARRIER_DIR / name, tmp_path / name)
    return tmp_path


def break_file(path, old, new):
    """Replace the first `old` (a string, or a compiled pattern whose groups `new` may use)."""
    text = path.read_text(encoding="utf-8")
    if isinstance(old, str):
        broken, n = re.subn(re.escape(old), lambda _: new, text, count=1)
    else:
        broken, n = old.subn(new, text, count=1)
    assert n == 1, f"fixture text {old!r} not found"
    path.write_text(broken, encoding="utf-8")


CASES = [
    (
        'verdict = "no"',
        'verdict = "maybe"',
        "plans.postpaid.online.line.verdict",
        "'yes', 'partial', 'no' or 'unknown'",
    ),
    (
        'label = { en = "Postpaid", zh = "后付费（月结）" }',
        "",
        "plans.postpaid.label",
        "missing required field",
    ),
    (
        'sources = ["tmo-brp"]',
        'sources = ["tmo-nope"]',
        "plans.postpaid.who_may_cancel.sources",
        "unknown source 'tmo-nope'",
    ),
    (
        re.compile(
            r"(\[plans\.postpaid\.porting\.pin_validity\]\ndays = 7\n(?:note = .*\n)?)sources = \[[^\]]*\]\n"
        ),
        r"\1",
        "plans.postpaid.porting.pin_validity",
        "needs at least one source",
    ),
    ('domains = ["t-mobile.com"]', 'domains = ["T-Mobile.com"]', "domains.0", "should match pattern"),
    (
        'host = "account.t-mobile.com"',
        'host = "account.t-mobile.co"',
        "pages.0.host",
        "not under an official domain",
    ),
    (
        'confidence = "official"',
        'confidence = "sure"',
        "sources.tmo-cancel.confidence",
        "'official', 'guide' or 'unverified'",
    ),
    (
        re.compile(r"(\[sources\.tmo-cancel\]\n(?:.*\n)*?)checked = \S+"),
        r'\1checked = "last week"',
        "sources.tmo-cancel.checked",
        "valid date",
    ),
    ('zh = "T-Mobile" }', 'zh = "" }', "name.zh", "at least 1 character"),
    ('id = "tmobile"', 'id = "tmobile"\ncolour = "magenta"', "colour", "Extra inputs are not permitted"),
    ('phone = "611"', 'phone = "call us"', "plans.postpaid.channels.0.phone", "should match pattern"),
]


@pytest.mark.parametrize(("old", "new", "field", "problem"), CASES, ids=[c[2] for c in CASES])
def test_error_names_file_field_and_problem(data, old, new, field, problem):
    break_file(data / "tmobile.toml", old, new)
    with pytest.raises(DataError) as err:
        load_dir(data)
    message = str(err.value)
    assert str(data / "tmobile.toml") in message
    assert field in message
    assert problem in message


def test_unused_source_is_an_error(data):
    with (data / "tmobile.toml").open("a", encoding="utf-8") as f:
        f.write(
            '\n[sources.orphan]\nurl = "https://example.org/x"\ntitle = "x"\nchecked = 2026-01-01\nconfidence = "guide"\n'
        )
    with pytest.raises(DataError, match=r"sources\.orphan: never cited"):
        load_dir(data)


def test_toml_syntax_error_names_file_and_line(data):
    break_file(data / "tmobile.toml", 'kind = "signin"', 'kind = "signin')
    with pytest.raises(DataError, match=r"tmobile\.toml: not valid TOML: .*line \d+"):
        load_dir(data)


def test_file_name_must_match_id(data):
    (data / "tmobile.toml").rename(data / "mint.toml")
    with pytest.raises(DataError, match=r"mint\.toml: id: 'tmobile' does not match the file name 'mint'"):
        load_dir(data)


def test_a_new_carrier_file_is_a_new_id_but_cannot_widen_the_extensions_reach(data):
    """Ids come from the file names; a new file's domains must still be on the reviewed list."""
    break_file(data / "tmobile.toml", 'id = "tmobile"', 'id = "acme"')
    break_file(data / "tmobile.toml", 'domains = ["t-mobile.com"]', 'domains = ["t-mobile.com", "acme.com"]')
    (data / "tmobile.toml").rename(data / "acme.toml")
    assert "acme" in carrier_ids(data) and "tmobile" not in carrier_ids(data)
    carrier = load_dir(data).get("acme")
    problems = sourcing.carrier_problems(carrier, "acme.toml")
    assert [(p.where, p.rule) for p in problems] == [("domains.1", "reviewed-domain")]


def test_an_override_may_not_turn_an_official_no_into_yes(data):
    break_file(
        data / "tmobile.toml",
        '[plans.postpaid.online.account]\nverdict = "no"',
        '[plans.postpaid.online.account]\nverdict = "no"\nwhen = [{ verdict = "yes", states = ["NY"], sources = ["tmo-cancel"] }]',
    )
    with pytest.raises(
        DataError, match=r"plans\.postpaid\.online\.account\.when\.0\.verdict: 'yes' overrides"
    ):
        load_dir(data)


def test_invalid_state_in_override_is_named(data):
    break_file(
        data / "tmobile.toml",
        '[plans.prepaid.online.line]\nverdict = "unknown"',
        '[plans.prepaid.online.line]\nverdict = "unknown"\nwhen = [{ verdict = "no", states = ["ZZ"], sources = ["tmo-cancel"] }]',
    )
    with pytest.raises(
        DataError, match=r"plans\.prepaid\.online\.line\.when\.0\.states.*'ZZ' is not a US state"
    ):
        load_dir(data)


def test_carrier_may_not_reuse_a_common_source_id(data):
    text = (data / "tmobile.toml").read_text(encoding="utf-8").replace("tmo-brp", "fcc-porting")
    (data / "tmobile.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"sources\.fcc-porting: id already used in _common\.toml"):
        load_dir(data)


def test_bundle_round_trip_keeps_everything(catalog):
    again = Catalog.from_json(json.dumps(catalog.to_bundle()))
    assert again.carriers == catalog.carriers
    assert again.common == catalog.common


def test_stale_facts_are_reported_after_a_year(catalog):
    newest = max(s.checked for c in catalog.carriers.values() for s in c.sources.values())
    assert stale_sources(catalog.carriers, catalog.common, newest, 365) == []
    later = date(newest.year + 2, 1, 1)
    report = stale_sources(catalog.carriers, catalog.common, later, 365)
    assert any(line.startswith("tmobile: source tmo-cancel last checked") for line in report)


def test_common_facts_are_bilingual_and_sourced(catalog):
    from simexit.models import iter_facts, iter_texts

    from conftest import has_cjk

    for loc, text in iter_texts(catalog.common):
        assert has_cjk(text.zh), loc
    cited = {s for _, fact in iter_facts(catalog.common) for s in fact.sources}
    assert set(catalog.common.sources) == cited  # nothing defined and never used
