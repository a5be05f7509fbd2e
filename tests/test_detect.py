"""Detection: the issue's named attacks, parsing edge cases, page kinds and titles."""

from __future__ import annotations

import pytest

from simexit.detect import detect, host_of
from simexit.models import Carrier


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


def test_real_carrier_detection(catalog):
    t = detect("https://account.t-mobile.com/signin/v2/?redirect_uri=x", None, catalog.carriers)
    assert (t.carrier, t.page) == ("tmobile", "signin")
    assert detect("https://www.t-mobile.com.evil.example/", None, catalog.carriers) is None
