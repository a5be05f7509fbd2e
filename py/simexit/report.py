""" "Report a wrong fact": the public issue for one fact the page shows, made from carrier data only.

Never the person's answers: a fact's text can carry what they entered or what follows from it (a
balance, a deadline), so every date and amount in it is left out. Where the project has a public
tracker (`[project.urls] Issues` in pyproject.toml) the report is a prefilled GitHub issue form
(.github/ISSUE_TEMPLATE/wrong-fact.yml); until then it is text to copy. Pure: no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import quote, urlencode

from . import __version__

TEMPLATE = "wrong-fact.yml"  # the issue form; its field ids are the query parameters below
MAX_CHARS = 8000  # longer addresses are refused by some browsers and servers
# Dates (ISO) and amounts (two decimals) are how the engine writes what the person entered.
_PERSONAL = re.compile(r"\d{4}-\d{2}-\d{2}|\$?\d[\d,]*\.\d{2}")
_LEFT_OUT = "[…]"


@dataclass(frozen=True)
class Fact:
    carrier: str
    id: str  # stable: plans.<plan>.<group>.<key>, e.g. plans.postpaid.steps.port_out
    value: str  # the text shown for it
    urls: tuple[str, ...]  # its sources' addresses
    checked: date | None  # the oldest check date of its sources


@cache
def tracker() -> str | None:
    """The project's public issue tracker, from the package metadata; None while there is none."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("simexit").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "issues" and url.strip().startswith("https://"):
            return url.strip().rstrip("/")
    return None


def _fields(fact: Fact, value: str) -> dict[str, str]:
    """The issue form's fields this side can fill; what the official page says is the reporter's."""
    current = "\n".join(
        [
            value,
            "",
            f"Checked: {fact.checked.isoformat() if fact.checked else 'unknown'}",
            f"Sources: {' '.join(fact.urls) or 'none'}",
            f"simexit {__version__}",
        ]
    )
    return {
        "carrier": fact.carrier,
        "fact": fact.id,
        "current": current,
        "url": fact.urls[0] if fact.urls else "",
    }


def _title(fact: Fact) -> str:
    return f"[fact] {fact.carrier}: {fact.id}"


def issue_url(fact: Fact, base: str) -> str:
    """The prefilled issue form at `base` (a GitHub repository's issues address), at most MAX_CHARS."""

    def url(value: str) -> str:
        query = {"template": TEMPLATE, "title": _title(fact), **_fields(fact, value)}
        return f"{base}/new?" + urlencode(query, quote_via=quote)

    return _fit(_safe(fact.value), url)


def issue_text(fact: Fact) -> str:
    """The same report as text to copy, at most MAX_CHARS."""

    def text(value: str) -> str:
        fields = _fields(fact, value)
        return "\n".join(
            [
                _title(fact),
                f"Carrier: {fields['carrier']}",
                f"Fact: {fields['fact']}",
                f"Current value: {fields['current']}",
                "What the official page says: ",
                f"URL: {fields['url']}",
                "Date read: ",
            ]
        )

    return _fit(_safe(fact.value), text)


def _safe(value: str) -> str:
    return _PERSONAL.sub(_LEFT_OUT, value)


def _fit(value: str, make) -> str:
    """make(value), the value shortened until the result fits in MAX_CHARS."""
    out = make(value)
    while len(out) > MAX_CHARS and value:
        value = value[
            : max(0, len(value) - max(1, (len(out) - MAX_CHARS) // 9))
        ]  # a character encodes to ≤ 9
        out = make(value + "…")
    return out
