"""Saved answers and ticks: one JSON document, the same shape in the page and the extension.

Reading never fails: the text is size- and depth-checked before it is decoded, and every carrier's part
is validated on its own. A part that does not validate (or whose answers no longer make a valid
Situation) is reset alone, keeping the contact log entries that still validate, and reported by name,
so the caller can show a notice instead of crashing; the other carriers are kept.

Several writers share the document (two tabs of the page; the popup and the overlay of the extension),
so every item carries the time of its last change and writers merge instead of overwriting (`merge`):
a tick, or the answers of a carrier, changed most recently wins; ticks of different steps are all kept;
contact log entries are only ever added. The format (STORAGE_KEY "simexit.v1"):

    {"version": 1, "carrier": "tmobile", "lang": "zh", "chosen_at": 1764000000000,
     "carriers": {"tmobile": {
         "answers": {"keep_number": false}, "answers_at": 1764000000000,
         "ticks": ["backup"],
         "marks": {"backup": {"on": true, "at": 1764000000100},
                   "port_out": {"on": false, "at": 1764000000200}},
         "log": [{"date": "2026-11-24", "agent": "Sam"}]}}}

Times are milliseconds since the epoch. "ticks" stays the list of ticked steps that every reader uses
(boot.js, the service worker, the overlay); "marks" adds when each step was last ticked or unticked.
Older documents without times still load; so do ticks changed by a writer that does not keep "marks"
(the extension's service worker, for the overlay): a step whose "ticks" and "marks" disagree was
changed after the marks were written, and is dated when it is read.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic import Strict as StrictValue

from .models import Carrier, Id, Lang, LogEntry, Situation

STORAGE_KEY = "simexit.v1"
# Situation fields a user answers (the carrier and language are chosen elsewhere).
# "today" is the browser's clock, never saved.
ANSWER_FIELDS = tuple(f for f in Situation.model_fields if f not in ("carrier", "lang", "today"))
MAX_RAW = 2_000_000  # characters: the extension's service worker refuses more too
MAX_DEPTH = 16  # the document itself is 5 deep
MAX_TICKS = 50  # the extension's service worker refuses more too
MAX_MARKS = 200
MAX_LOG = 200

Stamp = Annotated[int, StrictValue(), Field(ge=0, le=2**53 - 1)]  # ms since the epoch
StepKind = Annotated[str, StringConstraints(min_length=1, max_length=64)]

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # a JSON string (unrolled, no backtracking)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def now_ms() -> int:
    return int(time.time() * 1000)


class Mark(BaseModel):
    """The state of one step's box and when it was last changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on: bool
    at: Stamp


class CarrierProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = {}
    answers_at: Stamp = 0
    ticks: list[StepKind] = Field(default_factory=list, max_length=MAX_TICKS)
    marks: dict[StepKind, Mark] = Field(default_factory=dict, max_length=MAX_MARKS)
    log: list[LogEntry] = Field(default_factory=list, max_length=MAX_LOG)  # evidence log (calls, chats)


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    carrier: Id | None = None
    lang: Lang | None = None
    chosen_at: Stamp = 0  # when the carrier or language was last chosen
    carriers: dict[Id, CarrierProgress] = {}

    def situation(self, carrier_id: str, lang: Lang) -> Situation:
        saved = self.carriers.get(carrier_id, CarrierProgress()).answers
        return Situation(carrier=carrier_id, lang=lang, **saved)

    def choose(self, carrier_id: str, lang: Lang, now: int | None = None) -> None:
        """The person picked this carrier or language: the next visit starts there."""
        if (self.carrier, self.lang) != (carrier_id, lang):
            self.carrier, self.lang = carrier_id, lang
            self.chosen_at = max(now_ms() if now is None else now, self.chosen_at + 1)

    def remember(self, situation: Situation, ticks: list[str] | set[str], now: int | None = None) -> None:
        """Records the answers and ticks on screen; only what changed gets a new time."""
        now = now_ms() if now is None else now
        answers = situation.model_dump(mode="json", include=set(ANSWER_FIELDS), exclude_defaults=True)
        entry = self.carriers.setdefault(situation.carrier, CarrierProgress())
        if answers != entry.answers:
            entry.answers, entry.answers_at = answers, max(now, entry.answers_at + 1)
        wanted = set(ticks)
        for step in wanted.symmetric_difference(entry.ticks):
            old = entry.marks.get(step)
            entry.marks[step] = Mark(on=step in wanted, at=max(now, old.at + 1 if old else 0))
        entry.ticks = sorted(wanted)
        if self.carrier is None:
            self.choose(situation.carrier, situation.lang, now)

    def dumps(self) -> str:
        return json.dumps(self.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)


@dataclass(frozen=True)
class Damage:
    """What reading the saved document had to drop. False when nothing was."""

    whole: bool = False  # unreadable: nothing kept
    reset: tuple[str, ...] = ()  # known carriers whose answers and ticks were reset
    other: bool = False  # unknown carriers or top-level fields dropped

    def __bool__(self) -> bool:
        return self.whole or bool(self.reset) or self.other


def parse(raw: str | None, carriers: dict[str, Carrier], now: int | None = None) -> tuple[Progress, Damage]:
    """(progress, damage). Never raises. `now` dates ticks changed by a writer that keeps no marks."""
    if raw is None or raw == "":
        return Progress(), Damage()
    data = _decode(raw)
    if not isinstance(data, dict):
        return Progress(), Damage(whole=True)
    version = data.get("version", 1)
    if type(version) is not int or version != 1:  # a later format: not ours to guess at
        return Progress(), Damage(whole=True)
    now = now_ms() if now is None else now
    other = bool(data.keys() - {"version", "carrier", "lang", "chosen_at", "carriers"})
    carrier, lang, chosen_at = data.get("carrier"), data.get("lang"), data.get("chosen_at", 0)
    if carrier is not None and not (isinstance(carrier, str) and carrier in carriers):
        carrier, other = None, True
    if lang is not None and lang not in ("en", "zh"):
        lang, other = None, True
    if not (type(chosen_at) is int and 0 <= chosen_at < 2**53):
        chosen_at, other = 0, True
    parts = data.get("carriers", {})
    if not isinstance(parts, dict):
        parts, other = {}, True
    kept: dict[str, CarrierProgress] = {}
    reset: list[str] = []
    for cid, part in parts.items():
        if cid not in carriers:
            other = True
            continue
        entry = _carrier_part(carriers[cid], part, now)
        if entry is None:
            reset.append(cid)
            entry = CarrierProgress(log=_salvage_log(part))
            if not entry.log:
                continue
        kept[cid] = entry
    progress = Progress(carrier=carrier, lang=lang, chosen_at=chosen_at, carriers=kept)
    return progress, Damage(reset=tuple(reset), other=other)


def merge(local: Progress, stored: Progress) -> Progress:
    """The two documents as one: for each item the latest change wins (ties: a tick over an untick).

    The contact log keeps the stored order and appends the local entries the store lacks, so writing
    the result back changes nothing when the local side has nothing new.
    """
    top = max(
        (local, stored),
        key=lambda p: (p.chosen_at, p.carrier or "", p.lang or ""),
    )
    merged: dict[str, CarrierProgress] = {}
    for cid in sorted(local.carriers.keys() | stored.carriers.keys()):
        a, b = local.carriers.get(cid), stored.carriers.get(cid)
        if a is None or b is None:
            merged[cid] = (a or b).model_copy(deep=True)  # type: ignore[union-attr]
        else:
            merged[cid] = _merge_entry(a, b)
    return Progress(carrier=top.carrier, lang=top.lang, chosen_at=top.chosen_at, carriers=merged)


def _merge_entry(local: CarrierProgress, stored: CarrierProgress) -> CarrierProgress:
    answers = max(
        (local, stored),
        key=lambda e: (e.answers_at, json.dumps(e.answers, sort_keys=True, default=str)),
    )
    marks = dict(stored.marks)
    for step, mark in local.marks.items():
        theirs = marks.get(step)
        if theirs is None or (mark.at, mark.on) > (theirs.at, theirs.on):
            marks[step] = mark
    extra = Counter(local.log) - Counter(stored.log)
    log = list(stored.log)
    for entry in local.log:
        if extra[entry] > 0:
            log.append(entry)
            extra[entry] -= 1
    return CarrierProgress(
        answers=dict(answers.answers),
        answers_at=answers.answers_at,
        ticks=sorted(step for step, mark in marks.items() if mark.on),
        marks=dict(sorted(marks.items())),
        log=log[-MAX_LOG:],
    )


def _decode(raw: str) -> Any:
    """The JSON value, or None when it is too long, too deep or not JSON."""
    if not isinstance(raw, str) or len(raw) > MAX_RAW or _too_deep(raw):
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # ValueError: not JSON, or an integer too long to convert
        return None


def _too_deep(raw: str) -> bool:
    """Bracket depth outside strings, counted before json.loads can recurse (Pyodide's stack is small)."""
    depth = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", raw)):
        depth += 1 if char in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _carrier_part(carrier: Carrier, part: Any, now: int) -> CarrierProgress | None:
    """One carrier's record, or None when it does not validate."""
    try:
        entry = CarrierProgress.model_validate(part)
        if not set(entry.answers) <= set(ANSWER_FIELDS):
            return None
        situation = Situation(carrier=carrier.id, lang="en", **entry.answers)
        if situation.plan is not None and situation.plan not in carrier.plans:
            return None
    except (ValueError, ValidationError, TypeError, RecursionError):
        return None
    entry.answers = situation.model_dump(mode="json", include=set(ANSWER_FIELDS), exclude_defaults=True)
    # Ticks changed by a writer that keeps no marks (or saved before marks existed): date them now.
    on = set(entry.ticks)
    for step in on | {s for s, m in entry.marks.items() if m.on}:
        old = entry.marks.get(step)
        if old is None or old.on != (step in on):
            entry.marks[step] = Mark(on=step in on, at=max(now, old.at + 1 if old else 0))
    if len(entry.marks) > MAX_MARKS:
        return None
    entry.ticks = sorted(on)
    return entry


def _salvage_log(part: Any) -> list[LogEntry]:
    """The contact log entries of a carrier's record that still validate: evidence is kept."""
    log = part.get("log") if isinstance(part, dict) else None
    kept: list[LogEntry] = []
    for item in log[:MAX_LOG] if isinstance(log, list) else ():
        try:
            kept.append(LogEntry.model_validate(item))
        except (ValueError, ValidationError, TypeError, RecursionError):
            continue
    return kept
