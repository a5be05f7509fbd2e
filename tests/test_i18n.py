"""Every UI string exists in both languages with the same placeholders, and the Chinese is Simplified."""

from __future__ import annotations

import re
import string

import pytest

from simexit.i18n import STRINGS, join, t

from conftest import has_cjk

# "App" is the same word in Chinese UI text; the language button names the *other* language; a price with
# its details in brackets is only punctuation around the placeholders.
EXEMPT = {"channel.app", "ui.lang_toggle", "keep.price_with"}


def fields(text):
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_present_and_matching(key):
    en, zh = STRINGS[key]
    assert en.strip() and zh.strip()
    assert fields(en) == fields(zh)
    if key not in EXEMPT:
        assert has_cjk(zh), key
        assert not has_cjk(en), key


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def traditional(text: str) -> list[str]:
    """The Chinese characters of `text` outside GB2312, which holds the 6,763 common Simplified characters
    and no Traditional-only one (號, 帳, 銷); a rare Simplified character it lacks would have to be listed."""
    out = []
    for ch in HAN.findall(text):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            out.append(ch)
    return out


def test_chinese_is_simplified():
    assert {key: traditional(zh) for key, (_, zh) in STRINGS.items() if traditional(zh)} == {}
    assert traditional("转号 PIN，账户") == [] and traditional("轉號 PIN，帳戶") == ["轉", "號", "帳", "戶"]


def test_join():
    assert join(["a"], "en") == "a"
    assert join(["a", "b", "c"], "en") == "a, b or c"
    assert join(["甲", "乙", "丙"], "zh") == "甲、乙 或 丙"


def test_t_formats_in_the_chosen_language():
    assert t("detail.valid_days", "en", days=7) == "The PIN is valid for 7 days."
    assert t("detail.valid_days", "zh", days=7) == "PIN 有效期为 7 天。"
