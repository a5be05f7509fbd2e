"""Detection: the issue's named attacks, parsing edge cases, page kinds and titles."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simexit import detect as detect_module
from simexit.detect import detect, host_of
from simexit.models import Carrier, within


def carrier(cid="acme", domains=("acme.com",), pages=()):
    """A minimal carrier built from scratch (not the code under test), for parsing cases."""
    sources = {
        "s": {
            "url": "https://acme.com/help",
            "title": "Help",
            "checked": "2026-01-01",
            "confidence": "official",
        }
    }
    page_list = [{**p, "sources": ["s"]} for p in pages]
    plan = {
        "label": {"en": "Prepaid", "zh": "预付费"},
        "online": {
            "line": {"verdict": "yes", "sources": ["s"]},
            "account": {"verdict": "yes", "sources": ["s"]},
        },
        "channels": [],
        "who_may_cancel": {},
        "proration": {},
        "device_balance": {},
        "prepaid_refund": {},
        "promotions_lost": {},
        "data_lost": {},
        "autopay_separate": {},
        "number_hold": {},
        "porting": {
            "credentials": {},
            "account_number": {},
            "pin_validity": {},
            "pin_who": {},
            "closes_line": {},
            "closes_account": {},
        },
    }
    return Carrier.model_validate(
        {
            "id": cid,
            "name": {"en": "Acme", "zh": "Acme 通信"},
            "domains": list(domains),
            "pages": page_list,
            "plans": {"prepaid": plan},
            "sources": sources,
        }
    )


ACME = carrier(
    pages=[
        {
            "host": "my.acme.com",
            "path": "/account/transfer-pin*",
            "kind": "transfer_pin",
            "example": "https://my.acme.com/account/transfer-pin",
        },
        {
            "host": "my.acme.com",
            "path": "/account*",
            "kind": "account",
            "example": "https://my.acme.com/account",
        },
        {
            "host": "my.acme.com",
            "path": "/app#/bills*",
            "kind": "billing",
            "example": "https://my.acme.com/app#/bills",
        },
        {
            "host": "www.acme.com",
            "path": "/help/*",
            "kind": "support",
            "title": "Cancel",
            "example": "https://www.acme.com/help/cancel",
        },
    ]
)
C = {"acme": ACME}


@pytest.mark.parametrize(
    ("url", "page"),
    [
        ("https://my.acme.com/account", "account"),
        ("https://MY.ACME.COM/Account/Settings", "account"),
        ("https://my.acme.com/account/transfer-pin?x=1", "transfer_pin"),  # first listed pattern wins
        ("https://my.acme.com/app#/bills/2026", "billing"),
        ("https://my.acme.com/app#/usage", None),
        ("my.acme.com/account", "account"),  # pasted without a scheme
        ("  https://my.acme.com./account\n", "account"),  # trailing dot, whitespace
        ("https://my.acme.com:443/account", "account"),
        ("https://acme.com/", None),
    ],
)
def test_kinds(url, page):
    found = detect(url, None, C)
    assert found is not None
    assert (found.carrier, found.page) == ("acme", page)


def test_title_condition():
    assert detect("https://www.acme.com/help/x", "How to Cancel service", C).page == "support"
    assert detect("https://www.acme.com/help/x", "Billing FAQ", C).page is None
    assert detect("https://www.acme.com/help/x", None, C).page is None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.acme.com.evil.example/account",
        "https://acme.com-login.example/",
        "https://evil.example/?u=https://my.acme.com/account",
        "https://my.acme.com@evil.example/account",
        "https://my.acme.com:pw@evil.example/",
        "https://evil.example\\@my.acme.com/",
        "https://evil.example%2F@my.acme.com.evil.example/",
        "https://notacme.com/",
        "https://acme.co/",
        "https://xn--acme-xyz.com/",
        "javascript:alert('https://my.acme.com')",
        "data:text/html,https://my.acme.com",
        "https://",
        "",
        "https://[::1]/account",
        "https://my.acme.com\u200b.evil.example/",
    ],
)
def test_lookalikes_and_tricks_do_not_match(url):
    assert detect(url, None, C) is None


def test_google_fi_is_not_all_of_google():
    fi = carrier("googlefi", domains=("fi.google.com",))
    cs = {"googlefi": fi}
    assert detect("https://fi.google.com/account", None, cs).carrier == "googlefi"
    assert detect("https://mail.google.com/mail/u/0/", None, cs) is None
    assert detect("https://google.com/", None, cs) is None
    assert detect("https://accounts.google.com/?continue=https://fi.google.com/", None, cs) is None


def test_host_of_reads_urls_like_a_browser():
    assert host_of("HTTPS://User@Sub.Acme.COM:8080/A/B#Frag") == ("sub.acme.com", "/a/b#frag")
    assert host_of("https://a.example\\@b.example/") == ("a.example", "/@b.example/")
    assert host_of("https://a.exa\tmple/") == ("a.example", "/")
    assert host_of("mailto:x@acme.com") is None


# The reading rules of host_of, one or more cases each (manifest/detect.js is checked on them too).
READING_RULES = [
    # trimmed: C0 controls and spaces at both ends, tab and newline anywhere; no other whitespace
    ("\x00 https://www.acme.com/a\x1f ", ("www.acme.com", "/a")),
    ("https://www.ac\nme.com/a\r\nb", ("www.acme.com", "/ab")),
    ("\xa0https://www.acme.com/", None),
    ("\ufeffhttps://www.acme.com/", None),
    ("https://www.acme.com/a\x85", ("www.acme.com", "/a%c2%85")),
    # the scheme: http(s) only, any case; slashes after it may be missing or many, \ counts as /
    ("HtTp://www.acme.com", ("www.acme.com", "/")),
    ("https:www.acme.com/x", ("www.acme.com", "/x")),
    ("https:/www.acme.com/x", ("www.acme.com", "/x")),
    ("https:\\\\www.acme.com\\x", ("www.acme.com", "/x")),
    ("ftp://www.acme.com/", None),
    ("//www.acme.com/", None),
    ("1https://www.acme.com/", None),
    # no scheme at all: a pasted address is read as https
    ("acme.com", ("acme.com", "/")),
    ("acme.com\\account", ("acme.com", "/account")),
    ("acme.com:8080?x", ("acme.com", "/")),
    ("evil.example@acme.com/", None),  # not a bare host: no guessing
    # the authority ends at the first / \ ? #, the user-info at its last @
    ("https://a@b@www.acme.com/x", ("www.acme.com", "/x")),
    ("https://www.acme.com?@evil.example/", ("www.acme.com", "/")),
    ("https://www.acme.com#@evil.example/", ("www.acme.com", "/#@evil.example/")),
    ("https://www.acme.com%2F@evil.example/", ("evil.example", "/")),
    ("https://[::1]@www.acme.com/", ("www.acme.com", "/")),
    ("https://[x]@www.acme.com/", ("www.acme.com", "/")),
    # ports: ASCII digits up to 65535, or nothing
    ("https://www.acme.com:/", ("www.acme.com", "/")),
    ("https://www.acme.com:000443/", ("www.acme.com", "/")),
    ("https://www.acme.com:65535/", ("www.acme.com", "/")),
    ("https://www.acme.com:65536/", None),
    ("https://www.acme.com:x/", None),
    ("https://www.acme.com:443:80/", None),
    ("https://www.acme.com:\u0661\u0662/", None),
    ("https://www.acme.com:" + "9" * 5000 + "/", None),
    # hosts: bracketed addresses, %-escapes, non-ASCII, empty labels are refused
    ("https://[::1]/", None),
    ("https://[v1.www.acme.com]/", None),
    ("https://[v1.www.acme.com]]/", None),
    ("https://www.ac%6De.com/", None),
    ("https://\u212aelvin.acme.com/", None),
    ("https://www.acme.com\u200b/", None),
    ("https://www.acme.com./", ("www.acme.com", "/")),
    ("https://www.acme.com../", None),
    ("https://www..acme.com/", None),
    ("https://", None),
    # path and fragment: as the browser writes them, then lowercased; the query dropped, \ kept after #
    ("https://www.acme.com/A\u0130?Q#F\\G", ("www.acme.com", "/a%c4%b0#f\\g")),
    ("https://www.acme.com/a b{c}^#d e{f}", ("www.acme.com", "/a%20b%7bc%7d^#d%20e{f}")),
    ("https://www.acme.com/a\ud800", ("www.acme.com", "/a%ef%bf%bd")),
    # dot segments resolved, also spelt %2e: the tab is on the page the browser resolves to
    ("https://www.acme.com/a/./b/../c", ("www.acme.com", "/a/c")),
    ("https://www.acme.com/../../a/b/%2E%2e", ("www.acme.com", "/a/")),
    ("https://www.acme.com/a/.%2e#/../x", ("www.acme.com", "/#/../x")),
    ("https://www.acme.com/a?b\\c", ("www.acme.com", "/a")),
    ("https://www.acme.com/a#", ("www.acme.com", "/a")),
]


@pytest.mark.parametrize(("url", "expected"), READING_RULES)
def test_the_url_reading_rules(url, expected):
    assert host_of(url) == expected


def test_detection_needs_no_pydantic():
    """The page's Python may run detection before (or without) pydantic: detect.py is standard library
    only, and its `within` is the models' rule."""
    code = (
        "import sys; sys.modules['pydantic'] = None; import simexit.detect as d; print(d.host_of('acme.com'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "('acme.com', '/')"
    assert within is detect_module.within  # one rule, used by the models and by detection
    for host, inside in (
        ("acme.com", True),
        ("my.acme.com", True),
        ("notacme.com", False),
        ("acme.co", False),
    ):
        assert within(host, "acme.com") is inside


def test_real_carrier_detection(catalog):
    t = detect("https://account.t-mobile.com/signin/v2/?redirect_uri=x", None, catalog.carriers)
    assert (t.carrier, t.page) == ("tmobile", "signin")
    assert detect("https://www.t-mobile.com.evil.example/", None, catalog.carriers) is None
