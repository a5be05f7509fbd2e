"""Saved progress: round trip, and every kind of corruption is reset and reported, never raised."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simexit.models import Situation
from simexit.progress import Progress, parse


def test_round_trip(catalog):
    p = Progress()
    p.remember(
        Situation(carrier="tmobile", keep_number=False, device_balance_usd=50, lang="zh"),
        ["backup", "backup"],
    )
    again, corrupt = parse(p.dumps(), catalog.carriers)
    assert not corrupt
    assert again.carrier == "tmobile" and again.lang == "zh"
    s = again.situation("tmobile", "zh")
    assert s.keep_number is False and s.device_balance_usd == 50
    assert again.carriers["tmobile"].ticks == ["backup"]


def test_nothing_saved_is_not_corrupt(catalog):
    assert parse(None, catalog.carriers) == (Progress(), False)


@pytest.mark.parametrize(
    "raw",
    [
        "{",
        "null",
        "[]",
        '"text"',
        json.dumps({"version": 2}),
        json.dumps({"carrier": "sprint"}),
        json.dumps({"carriers": {"sprint": {}}}),
        json.dumps({"carriers": {"tmobile": {"answers": {"device_balance_usd": -3}}}}),
        json.dumps({"carriers": {"tmobile": {"answers": {"colour": "red"}}}}),
        json.dumps({"carriers": {"tello": {"answers": {"plan": "postpaid"}}}}),
        json.dumps({"carriers": {"tmobile": {"ticks": "backup"}}}),
        json.dumps({"lang": "fr"}),
    ],
)
def test_corrupt_data_is_reset_and_reported(catalog, raw):
    progress, corrupt = parse(raw, catalog.carriers)
    assert corrupt and progress == Progress()


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200)
    | st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(max_size=10),
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    ).map(json.dumps)
)
def test_parse_never_raises(catalog, raw):
    progress, _ = parse(raw, catalog.carriers)
    assert isinstance(progress, Progress)


def test_dates_round_trip_but_today_is_never_saved(catalog):
    from datetime import date

    p = Progress()
    s = Situation(carrier="tmobile", bill_day=31, leave_date=date(2027, 1, 5), today=date(2026, 11, 24))
    p.remember(s, [])
    assert "today" not in p.dumps()
    again, corrupt = parse(p.dumps(), catalog.carriers)
    back = again.situation("tmobile", "en")
    assert not corrupt and back.bill_day == 31 and back.leave_date == date(2027, 1, 5) and back.today is None
