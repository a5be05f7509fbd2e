"""Which carrier, and which kind of account page, a URL belongs to.

A host matches a carrier only if it equals one of its official domains or is a subdomain of one,
after parsing the URL the way a browser would: lookalike hosts, carrier URLs inside a query string and
user-info tricks (https://t-mobile.com@evil.example/) never match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from .models import Carrier, PageKind, within

_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$")
_STRIPPED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_BARE_HOST = re.compile(r"^[a-z0-9.-]+(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)  # "t-mobile.com/account"


@dataclass(frozen=True)
class Detection:
    carrier: str
    page: PageKind | None  # None: an official host, but not a page we know

    def as_dict(self) -> dict[str, str | None]:
        return {"carrier": self.carrier, "page": self.page}


def host_of(url: str) -> tuple[str, str] | None:
    """(host, path#fragment) of an http(s) URL, or None if it has no usable host."""
    url = _STRIPPED.sub("", url.strip()).replace("\\", "/")  # browsers read \ as / in http(s) URLs
    if _BARE_HOST.match(url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname  # lowercased, user-info and port removed
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    host = host.rstrip(".")
    if not _HOST.match(host):
        return None
    target = (parts.path or "/").lower()
    if parts.fragment:
        target += "#" + parts.fragment.lower()
    return host, target


@lru_cache(maxsize=512)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(piece) for piece in pattern.split("*")))


def detect(
    url: str, title: str | None = None, carriers: dict[str, Carrier] | None = None
) -> Detection | None:
    if carriers is None:
        from .catalog import default

        carriers = default().carriers
    parsed = host_of(url)
    if parsed is None:
        return None
    host, target = parsed
    for carrier in carriers.values():
        if not any(within(host, d) for d in carrier.domains):
            continue
        for page in carrier.pages:
            if page.host != host or not _glob(page.path).fullmatch(target):
                continue
            if page.title and (title is None or page.title.lower() not in title.lower()):
                continue
            return Detection(carrier.id, page.kind)
        return Detection(carrier.id, None)
    return None
