"""Which carrier, and which kind of account page, a URL belongs to.

A host matches a carrier only if it equals one of its official domains or is a subdomain of one,
after reading the URL the way a browser's URL parser (the WHATWG URL standard) reads an http(s) URL:
lookalike hosts, carrier URLs inside a query string and user-info tricks
(https://t-mobile.com@evil.example/) never match.

The reading is done here, step by step, with plain string operations, not with urllib.parse:
urlsplit's answers changed between Python versions, so the page (Pyodide's Python) and the command
line (CPython) disagreed (audit finding F10). Hosts the browser would rewrite (percent-escapes or
non-ASCII letters in a host, IP addresses) are refused: refusing can only miss a page, never name a
wrong carrier. Paths and fragments are written as the browser writes them (dot segments resolved,
some characters %-escaped), so a page pattern sees the page the tab is really on.
manifest/detect.js gets the same reading from the browser's own parser (`new URL()`); the tests
compare the two, and this module in CPython with this module in Pyodide, on thousands of URLs.

This module imports nothing outside the standard library (the models only for type checking), so it
also runs where pydantic is not loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Carrier, PageKind

# A DNS name in lowercase ASCII: labels of letters, digits and inner hyphens, at least two labels.
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}")
# Browsers trim C0 control characters and spaces (U+0000-U+0020) from both ends of a URL, and no other
# whitespace (not U+0085, U+00A0 or U+FEFF, which str.strip() or JavaScript's trim() would take).
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
# A scheme: an ASCII letter, then letters, digits, +, - or ., up to the first colon.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Not a browser rule: an address pasted without its scheme ("t-mobile.com/account") is read as https.
# Checked before the scheme, or "t-mobile.com:8080/x" would be the scheme "t-mobile.com".
_BARE_HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/\\?#]|\Z)")
_PORT = re.compile(r"[0-9]*")
# What the browser %-escapes in a path and in a fragment, besides C0 controls and all above "~".
_PATH_ESCAPED = frozenset(' "#<>?`{}')
_FRAGMENT_ESCAPED = frozenset(' "<>`')
_UPPER_TO_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Detection:
    carrier: str
    page: PageKind | None  # None: an official host, but not a page we know

    def as_dict(self) -> dict[str, str | None]:
        return {"carrier": self.carrier, "page": self.page}


def _lower(text: str) -> str:
    """ASCII-only lowercasing: the same in every Python version and in JavaScript (str.lower() follows
    the Unicode tables of its Python version and turns the Kelvin sign into k)."""
    return text.translate(_UPPER_TO_LOWER)


def _escape(text: str, escaped: frozenset[str]) -> str:
    """text with C0 controls, non-ASCII and the characters `escaped` as UTF-8 %-escapes."""
    return "".join(
        "".join(f"%{b:02X}" for b in c.encode()) if c < " " or c > "~" or c in escaped else c for c in text
    )


def _path(path: str) -> str:
    """The browser's path of an http(s) URL from the text after its host's "/" (backslashes already
    turned into /): "." and ".." segments (also spelt %2e) resolved, characters %-escaped."""
    kept: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        dots = _lower(segment).replace("%2e", ".")
        if dots == "..":
            kept = kept[:-1]
        if dots in (".", ".."):
            if last:  # "/a/." is "/a/", "/a/b/.." is "/a/"
                kept.append("")
        else:
            kept.append(_escape(segment, _PATH_ESCAPED))
    return "/" + "/".join(kept)


def host_of(url: str) -> tuple[str, str] | None:
    """(host, path#fragment) of an http(s) URL, or None if it has no usable host. The host is
    lowercased; path and fragment are as the browser writes them (see _path), then lowercased."""
    url = _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE))
    # A lone surrogate becomes U+FFFD, as it does on its way into the browser's parser.
    url = url.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if _BARE_HOST.match(url):
        url = "https://" + url
    scheme = _SCHEME.match(url)
    # Only http and https: the browser's other schemes (javascript:, data:, file:, ftp:) are no site.
    if scheme is None or _lower(scheme[1]) not in ("http", "https"):
        return None
    rest = url[scheme.end() :]
    # The fragment starts at the first #, the query at the first ? before it; the path ends at either.
    before, hash_sign, fragment = rest.partition("#")
    before = before.partition("?")[0]
    # In http(s) URLs the browser reads \ as / before the query (https://evil.example\@t-mobile.com/
    # goes to evil.example), and skips any run of slashes after the scheme ("https:/x", "https:x").
    before = before.replace("\\", "/").lstrip("/")
    authority, _, path = before.partition("/")
    # User-info ends at the LAST @ of the authority: https://a@b@t-mobile.com/ goes to t-mobile.com.
    host_port = authority.rpartition("@")[2]
    # An IPv6 address in brackets is never a carrier's host; a [ or ] anywhere else is no host at all.
    if "[" in host_port or "]" in host_port:
        return None
    host, _, port = host_port.partition(":")
    # The browser refuses a port that is not ASCII digits or is above 65535 (leading zeros are fine).
    if not _PORT.fullmatch(port) or len(port.lstrip("0")) > 5 or int(port or "0") > 65535:
        return None
    # Hosts are case-insensitive; one trailing dot is the DNS root (www.t-mobile.com. is the same site).
    host = _lower(host)
    if host.endswith("."):
        host = host[:-1]
    # Anything else (empty labels, %-escapes, non-ASCII letters the browser would map through IDNA,
    # IPv4 addresses, spaces, more colons) is refused rather than guessed at.
    if not _HOST.fullmatch(host):
        return None
    target = _lower(_path(path))
    if hash_sign and fragment:  # single-page apps route on the fragment (/app#/bills)
        target += "#" + _lower(_escape(fragment, _FRAGMENT_ESCAPED))
    return host, target


def within(host: str, domain: str) -> bool:
    """True when host is the domain itself or one of its subdomains (the rule of models.within, here
    too so that detection needs no pydantic)."""
    return host == domain or host.endswith("." + domain)


@lru_cache(maxsize=512)
def _glob(pattern: str) -> re.Pattern[str]:
    """A page path pattern: * matches anything, everything else itself."""
    return re.compile(".*".join(re.escape(piece) for piece in pattern.split("*")), re.DOTALL)


def detect(
    url: str, title: str | None = None, carriers: dict[str, Carrier] | None = None
) -> Detection | None:
    """The carrier and page kind of a URL (and page title), or None if it is no carrier's site.

    `carriers` needs only id, domains and pages (host, path, kind, title) of each carrier."""
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
