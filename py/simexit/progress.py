"""Saved answers and ticks: one JSON document, the same shape in the page and the extension.

Reading never fails: anything that does not validate is replaced by an empty record and reported, so
the caller can show a notice instead of crashing.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .models import Carrier, Id, Lang, LogEntry, Situation

STORAGE_KEY = "simexit.v1"
# Situation fields a user answers (the carrier and language are chosen elsewhere).
# "today" is the browser's clock, never saved.
ANSWER_FIELDS = tuple(f for f in Situation.model_fields if f not in ("carrier", "lang", "today"))


class CarrierProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = {}
    ticks: list[str] = Field(default_factory=list, max_length=50)
    log: list[LogEntry] = Field(default_factory=list, max_length=200)  # evidence log (calls, chats)


class Progress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    carrier: Id | None = None
    lang: Lang | None = None
    carriers: dict[Id, CarrierProgress] = {}

    def situation(self, carrier_id: str, lang: Lang) -> Situation:
        saved = self.carriers.get(carrier_id, CarrierProgress()).answers
        return Situation(carrier=carrier_id, lang=lang, **saved)

    def remember(self, situation: Situation, ticks: list[str]) -> None:
        answers = situation.model_dump(include=set(ANSWER_FIELDS), exclude_defaults=True)
        entry = self.carriers.setdefault(situation.carrier, CarrierProgress())
        entry.answers, entry.ticks = answers, sorted(set(ticks))
        self.carrier, self.lang = situation.carrier, situation.lang

    def dumps(self) -> str:
        return json.dumps(self.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)


def parse(raw: str | None, carriers: dict[str, Carrier]) -> tuple[Progress, bool]:
    """(progress, was_corrupt). Unknown carriers or answers that no longer fit count as corrupt."""
    if raw is None or raw == "":
        return Progress(), False
    try:
        progress = Progress.model_validate(json.loads(raw))
        for cid in progress.carriers:
            if cid not in carriers:
                raise ValueError(f"unknown carrier {cid!r}")
            plan = progress.situation(cid, "en").plan  # answers must still make a valid situation
            if plan is not None and plan not in carriers[cid].plans:
                raise ValueError(f"{cid} has no {plan} plan")
        if progress.carrier is not None and progress.carrier not in carriers:
            raise ValueError("unknown carrier")
    except (ValueError, ValidationError, TypeError):
        return Progress(), True
    return progress, False
