"""Saved progress: round trip; corruption is reset per carrier and reported, never raised; merging
two writers loses no tick and lets the newest change of an item win."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simexit.models import LogEntry, Situation
from simexit.progress import MAX_RAW, Damage, Mark, Progress, merge, parse


def test_round_trip(catalog):
    p = Progress()
    p.remember(
        Situation(carrier="tmobile", keep_number=False, device_balance_usd=50, lang="zh"),
        ["backup", "backup"],
    )
    again, damage = parse(p.dumps(), catalog.carriers)
    assert not damage
    assert again.carrier == "tmobile" and again.lang == "zh"
    s = again.situation("tmobile", "zh")
    assert s.keep_number is False and s.device_balance_usd == 50
    assert again.carriers["tmobile"].ticks == ["backup"]
    assert again == p


def test_nothing_saved_is_not_corrupt(catalog):
    progress, damage = parse(None, catalog.carriers)
    assert progress == Progress() and not damage


def test_older_data_without_times_still_loads(catalog):
    old = {
        "version": 1,
        "carrier": "tello",
        "lang": "zh",
        "carriers": {"tello": {"answers": {}, "ticks": ["a"]}},
    }
    progress, damage = parse(json.dumps(old), catalog.carriers, now=1000)
    assert not damage and progress.carrier == "tello" and progress.lang == "zh"
    assert progress.carriers["tello"].ticks == ["a"]
    assert progress.carriers["tello"].marks == {"a": Mark(on=True, at=1000)}


@pytest.mark.parametrize(
    "raw",
    [
        "{",
        "null",
        "[]",
        '"text"',
        "1" * 10_000,  # an integer too long for Python to convert
        json.dumps({"version": 2}),
        json.dumps({"version": True}),
        json.dumps({"carrier": "sprint"}),
        json.dumps({"carriers": {"sprint": {}}}),
        json.dumps({"carriers": []}),
        json.dumps({"carriers": {"tmobile": {"answers": {"device_balance_usd": -3}}}}),
        json.dumps({"carriers": {"tmobile": {"answers": {"colour": "red"}}}}),
        json.dumps({"carriers": {"tmobile": {"answers": {"carrier": "att"}}}}),
        json.dumps({"carriers": {"tmobile": {"answers": {"leave_date": "9999-12-31"}}}}),
        json.dumps({"carriers": {"tmobile": {"answers": {"term_months": 37}}}}),
        json.dumps({"carriers": {"tello": {"answers": {"plan": "postpaid"}}}}),
        json.dumps({"carriers": {"tmobile": {"ticks": "backup"}}}),
        json.dumps({"carriers": {"tmobile": {"marks": {"backup": {"on": True, "at": -1}}}}}),
        json.dumps({"lang": "fr"}),
        json.dumps({"chosen_at": "yesterday"}),
        "[" * 100_000 + "]" * 100_000,
        '{"carriers": {"tmobile": {"answers": {"state": ' + "[" * 5000 + "]" * 5000 + "}}}}",
        '{"a": "' + "x" * (MAX_RAW + 1) + '"}',
    ],
)
def test_corrupt_data_is_dropped_and_reported(catalog, raw):
    progress, damage = parse(raw, catalog.carriers)
    assert damage and progress == Progress()


def test_nesting_deep_enough_to_overflow_the_stack_is_refused_before_decoding(catalog):
    for raw in ("[" * 1_000_000, "{" + '"a":{' * 200_000, '{"x": ' + "[" * 50_000 + "]" * 50_000 + "}"):
        progress, damage = parse(raw, catalog.carriers)
        assert damage.whole and progress == Progress()
    # brackets inside strings are text, not nesting
    raw = json.dumps({"carriers": {"tmobile": {"log": [{"notes": "[[[[" * 40 + '\\"{{{{' * 40}]}}})
    progress, damage = parse(raw, catalog.carriers)
    assert not damage and progress.carriers["tmobile"].log[0].notes.startswith("[[[[")


def test_one_bad_carrier_is_reset_alone_and_named(catalog):
    good = Progress()
    good.remember(Situation(carrier="tmobile", keep_number=False), ["backup"], now=5)
    good.remember(Situation(carrier="verizon", device_balance_usd=10), ["unlock_device"], now=6)
    data = json.loads(good.dumps())
    data["carriers"]["verizon"]["log"] = [{"agent": "Sam"}, {"agent": 42}, {"agent": "Lee", "extra": 1}]
    data["carriers"]["att"] = {"answers": {"leave_date": "9999-12-31"}, "log": [{"agent": "Kim"}]}
    data["carriers"]["tello"] = {"answers": {}, "ticks": {"not": "a list"}}
    data["carriers"]["verizon"]["answers"]["term_months"] = 0
    data["carriers"]["sprint"] = {}
    progress, damage = parse(json.dumps(data), catalog.carriers)
    assert damage and not damage.whole and damage.other  # sprint is no carrier of ours
    assert set(damage.reset) == {"verizon", "att", "tello"}
    assert progress.carriers["tmobile"] == good.carriers["tmobile"]  # untouched
    assert progress.situation("tmobile", "en").keep_number is False
    # reset: answers and ticks gone, the contact log entries that validate kept
    assert progress.carriers["verizon"].answers == {} and progress.carriers["verizon"].ticks == []
    assert progress.carriers["verizon"].log == [LogEntry(agent="Sam")]
    assert progress.carriers["att"].log == [LogEntry(agent="Kim")]
    assert "tello" not in progress.carriers  # nothing worth keeping
    assert progress.carrier == "tmobile"


def test_damage_is_false_only_when_nothing_was_dropped():
    assert not Damage() and Damage(whole=True) and Damage(reset=("att",)) and Damage(other=True)


KEYS = "version carrier lang chosen_at carriers tmobile tello answers ticks marks log on at plan term_months"
KEYS = [*KEYS.split(), "leave_date", "agent"]


def json_values(max_leaves=30):
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=10)
        | st.sampled_from(["tmobile", "tello", "backup", "en", "zh", "2026-01-01", "9999-12-31"]),
        lambda kids: (
            st.lists(kids, max_size=4)
            | st.dictionaries(
                st.sampled_from(KEYS) | st.text(max_size=8),
                kids,
                max_size=4,
            )
        ),
        max_leaves=max_leaves,
    )


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=200)
    | json_values().map(json.dumps)
    | st.integers(min_value=1, max_value=20_000).map(lambda n: "[" * n + "]" * n)
    | st.integers(min_value=1, max_value=20_000).map(lambda n: '{"a":' * n + "1" + "}" * n)
    | st.tuples(st.integers(1, 3000), st.sampled_from("[{\"'\\:, ")).map(lambda t: t[1] * t[0])
)
def test_parse_never_raises(catalog, raw):
    progress, damage = parse(raw, catalog.carriers)
    assert isinstance(progress, Progress) and isinstance(damage, Damage)
    again, damage2 = parse(progress.dumps(), catalog.carriers)  # what we write back always reads
    assert not damage2 and again == progress


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["tmobile", "verizon", "att", "tello", "mint"]), json_values(12), max_size=5
    )
)
def test_a_bad_carrier_part_never_costs_the_others(catalog, parts):
    carriers = catalog.carriers
    good = Progress()
    good.remember(Situation(carrier="xfinity", keep_number=False), ["backup"], now=7)
    data = {"version": 1, "carriers": {**parts, "xfinity": json.loads(good.dumps())["carriers"]["xfinity"]}}
    progress, damage = parse(json.dumps(data), carriers)
    assert progress.carriers["xfinity"] == good.carriers["xfinity"]
    assert not damage.whole
    for cid in parts:
        assert cid in damage.reset or cid in progress.carriers


# ---------------------------------------------------------------- merging two writers


def tab_with(catalog, raw, now):
    return parse(raw, catalog.carriers, now=now)[0]


def test_two_writers_ticking_different_steps_keep_both(catalog):
    start = Progress()
    start.remember(Situation(carrier="tmobile"), [], now=1)
    a, b = tab_with(catalog, start.dumps(), 2), tab_with(catalog, start.dumps(), 2)
    a.remember(Situation(carrier="tmobile"), ["backup"], now=10)
    b.remember(Situation(carrier="tmobile"), ["unlock_device"], now=11)
    # a saves first, then b does read-merge-write
    store = merge(a, Progress())
    store = merge(b, tab_with(catalog, store.dumps(), 12))
    assert store.carriers["tmobile"].ticks == ["backup", "unlock_device"]
    assert merge(a, store).carriers["tmobile"].ticks == ["backup", "unlock_device"]


def test_newest_change_of_the_same_step_wins(catalog):
    a, b = Progress(), Progress()
    a.remember(Situation(carrier="tmobile"), ["backup"], now=10)
    b.remember(Situation(carrier="tmobile"), ["backup"], now=10)
    b.remember(Situation(carrier="tmobile"), [], now=20)  # unticked later in b
    assert merge(a, b).carriers["tmobile"].ticks == []
    assert merge(b, a).carriers["tmobile"].ticks == []
    a.remember(Situation(carrier="tmobile"), [], now=25)
    a.remember(Situation(carrier="tmobile"), ["backup"], now=30)  # ticked again, later still
    assert merge(a, b).carriers["tmobile"].ticks == ["backup"] == merge(b, a).carriers["tmobile"].ticks


def test_a_tie_keeps_the_tick():
    a, b = Progress(), Progress()
    a.remember(Situation(carrier="tmobile"), ["backup"], now=10)
    b.remember(Situation(carrier="tmobile"), ["backup"], now=5)
    b.remember(Situation(carrier="tmobile"), [], now=10)
    assert merge(a, b).carriers["tmobile"].ticks == ["backup"] == merge(b, a).carriers["tmobile"].ticks


def test_answers_merge_as_a_record_and_ticks_do_not_touch_them(catalog):
    a, b = Progress(), Progress()
    a.remember(Situation(carrier="tmobile", keep_number=False), [], now=10)
    b.remember(Situation(carrier="tmobile", device_balance_usd=99), [], now=20)
    # a ticks later, without changing its answers: b's newer answers still win
    a.remember(Situation(carrier="tmobile", keep_number=False), ["backup"], now=30)
    merged = merge(a, b)
    assert merged.situation("tmobile", "en").device_balance_usd == 99
    assert merged.situation("tmobile", "en").keep_number is True
    assert merged.carriers["tmobile"].ticks == ["backup"]


def test_carriers_only_one_side_knows_are_kept_and_the_latest_choice_wins():
    a, b = Progress(), Progress()
    a.remember(Situation(carrier="tmobile", lang="en"), ["backup"], now=10)
    b.remember(Situation(carrier="verizon", lang="zh"), ["unlock_device"], now=20)
    for merged in (merge(a, b), merge(b, a)):
        assert merged.carriers["tmobile"].ticks == ["backup"]
        assert merged.carriers["verizon"].ticks == ["unlock_device"]
        assert (merged.carrier, merged.lang) == ("verizon", "zh")
    a.choose("att", "en", now=30)
    assert merge(b, a).carrier == "att"


def test_contact_log_entries_are_only_added():
    a, b = Progress(), Progress()
    for p in (a, b):
        p.remember(Situation(carrier="tmobile"), [], now=1)
    shared, mine, theirs = LogEntry(agent="Sam"), LogEntry(agent="Lee"), LogEntry(agent="Kim")
    a.carriers["tmobile"].log[:] = [shared, mine]
    b.carriers["tmobile"].log[:] = [shared, theirs]
    merged = merge(a, b)
    assert merged.carriers["tmobile"].log == [shared, theirs, mine]  # the stored order, then ours
    assert merge(merged, b).carriers["tmobile"].log == merged.carriers["tmobile"].log
    assert merge(b, merged) == merged  # nothing new on our side: writing back changes nothing


def test_ticks_changed_by_a_writer_without_marks_are_dated_when_read(catalog):
    """The extension's service worker edits "ticks" for the overlay without touching "marks"."""
    popup = Progress()
    popup.remember(Situation(carrier="tmobile"), ["backup"], now=10)
    data = json.loads(popup.dumps())
    data["carriers"]["tmobile"]["ticks"] = ["unlock_device"]  # the overlay: backup off, unlock_device on
    stored = tab_with(catalog, json.dumps(data), 50)
    assert stored.carriers["tmobile"].marks == {
        "backup": Mark(on=False, at=50),
        "unlock_device": Mark(on=True, at=50),
    }
    assert merge(popup, stored).carriers["tmobile"].ticks == ["unlock_device"]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_interleaved_writers_never_lose_a_tick(catalog, data):
    """Writers toggle steps in any interleaving, each saving by read-merge-write and sometimes hearing
    of the others' saves first: the store ends with each step as its latest change left it."""
    steps = ["backup", "unlock_device", "port_out", "cancel", "confirm_closed"]
    writers = [Progress() for _ in range(3)]
    store = ""
    latest: dict[str, bool] = {}
    for clock in range(1, data.draw(st.integers(1, 40)) + 1):
        i = data.draw(st.integers(0, 2))
        me = writers[i]
        if data.draw(st.booleans()):  # the storage event arrived before this change
            me = writers[i] = merge(me, tab_with(catalog, store, clock))
        step = data.draw(st.sampled_from(steps))
        mine = set(me.carriers["tmobile"].ticks) if "tmobile" in me.carriers else set()
        on = step not in mine  # a click toggles the box as this writer shows it
        (mine.add if on else mine.discard)(step)
        me.remember(Situation(carrier="tmobile"), mine, now=clock)
        latest[step] = on
        saved = merge(me, tab_with(catalog, store, clock))
        writers[i] = saved
        store = saved.dumps()
    final = tab_with(catalog, store, 10_000)
    assert set(final.carriers["tmobile"].ticks) == {s for s, on in latest.items() if on}


def test_interleaved_ticks_from_many_tabs_are_all_kept(catalog):
    rng = random.Random(4)
    steps = [f"s{i}" for i in range(40)]
    tabs = [Progress() for _ in range(4)]
    store = ""
    for clock, step in enumerate(steps, start=1):
        i = rng.randrange(4)
        mine = set(tabs[i].carriers["tmobile"].ticks) if "tmobile" in tabs[i].carriers else set()
        tabs[i].remember(Situation(carrier="tmobile"), mine | {step}, now=clock)
        tabs[i] = merge(tabs[i], tab_with(catalog, store, clock))
        store = tabs[i].dumps()
    assert parse(store, catalog.carriers)[0].carriers["tmobile"].ticks == sorted(steps)


def test_dates_round_trip_but_today_is_never_saved(catalog):
    from datetime import date

    p = Progress()
    s = Situation(carrier="tmobile", bill_day=31, leave_date=date(2027, 1, 5), today=date(2026, 11, 24))
    p.remember(s, [])
    assert "today" not in p.dumps()
    again, damage = parse(p.dumps(), catalog.carriers)
    back = again.situation("tmobile", "en")
    assert not damage and back.bill_day == 31 and back.leave_date == date(2027, 1, 5) and back.today is None


def test_remember_dates_only_what_changed():
    p = Progress()
    p.remember(Situation(carrier="tmobile", keep_number=False), ["backup"], now=10)
    p.remember(Situation(carrier="tmobile", keep_number=False), ["backup", "cancel"], now=20)
    entry = p.carriers["tmobile"]
    assert entry.answers_at == 10 and entry.marks["backup"].at == 10 and entry.marks["cancel"].at == 20
    p.remember(Situation(carrier="tmobile"), ["cancel"], now=5)  # a clock that went back: still newer
    assert entry.answers_at == 11 and entry.marks["backup"] == Mark(on=False, at=11)
