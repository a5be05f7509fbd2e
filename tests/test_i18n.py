"""The engine's own words exist in both languages with the same placeholders."""

from __future__ import annotations

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


def test_join():
    assert join(["a"], "en") == "a"
    assert join(["a", "b", "c"], "en") == "a, b or c"
    assert join(["甲", "乙", "丙"], "zh") == "甲、乙 或 丙"


def test_t_formats_in_the_chosen_language():
    assert t("detail.valid_days", "en", days=7) == "The PIN is valid for 7 days."
    assert t("detail.valid_days", "zh", days=7) == "PIN 有效期为 7 天。"
