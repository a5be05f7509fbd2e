"""The extension's detection (manifest/detect.js, run by Node) agrees with simexit.detect on the same
data: every page example, every lookalike of every official domain, the parsing tricks of
test_detect.py and a few thousand generated URLs. On the same URLs, every carrier host detect.py reads
is the host the browser's own URL parser (Node's WHATWG `URL`) reads. test_detect_pyodide.py runs
this corpus through detect.py in Pyodide."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest

from simexit.build import detect_index
from simexit.detect import detect, host_of
from simexit.models import within
from test_carriers import lookalikes
from test_detect import READING_RULES

from conftest import ROOT

DETECT_JS = ROOT / "manifest" / "detect.js"
HOST_RUNNER = """
const fs = require("fs");
require("vm").runInThisContext(fs.readFileSync(process.argv[1], "utf8"));
const urls = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(urls.map((url) => simexitDetect.hostOf(url))));
"""

# The browser's reading of a URL (the WHATWG URL standard, as Node implements it): its hostname if it
# is an http(s) URL, trying it as pasted and then with https:// in front (detect.py's bare hosts).
WHATWG = """
const fs = require("fs");
const hostname = (s) => {
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:" ? u.hostname : null;
  } catch {
    return null;
  }
};
const urls = JSON.parse(fs.readFileSync(0, "utf8"));
const bare = (u) => "https://" + u.replace(/^[\\x00-\\x20]+|[\\x00-\\x20]+$/g, "");
process.stdout.write(JSON.stringify(urls.map((u) => hostname(u) ?? hostname(bare(u)))));
"""
RUNNER = """
const fs = require("fs");
require("vm").runInThisContext(fs.readFileSync(process.argv[1], "utf8"));
const { index, cases } = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map(([url, title]) => simexitDetect.detect(index, url, title))));
"""

TRICKS = [
    "https://www.t-mobile.com/",
    "HTTPS://WWW.T-MOBILE.COM/Support/Account/Cancel-Service",
    "  https://account.t-mobile.com./signin/v2/\n",
    "https://account.t-mobile.com:443/signin",
    "http://account.t-mobile.com/signin",
    "account.t-mobile.com/signin/v2/",
    "t-mobile.com",
    "t-mobile.com:8080/x",
    "t-mobile.com:١٢/x",  # Unicode digits in the port: refused, as the browser refuses them
    "\u212aelvin.t-mobile.com/",  # the Kelvin sign lowercases to an ASCII k
    "https://www.t-mobile.com\\@evil.example/",
    "https://evil.example\\@www.t-mobile.com/",
    "https://www.t-mobile.com@evil.example/",
    "https://user:pw@www.t-mobile.com/account",
    "https://[::1]@www.t-mobile.com/",
    "https://[v1.x]@www.t-mobile.com/",
    "https://[x]@www.t-mobile.com/",
    "https://[v1.www.t-mobile.com]/",
    "https://[1.2.3.4]/",
    "https://[::ffff:1.2.3.4]/",
    "https://[fe80::1%25eth0]/",
    "https://[::1/",
    "https://::1]/",
    "https://evil.example\uff03@www.t-mobile.com/",  # NFKC turns it into #
    "https://\u2100.t-mobile.com/",  # ℀ becomes a/c under NFKC
    "https://ℂ@www.t-mobile.com/",
    "https://www.t-mobile.com\u200b.evil.example/",
    "https://www.t-mo\tbile.com/",
    "\x1c\x1f https://www.t-mobile.com/\x85",
    "\ufeffhttps://www.t-mobile.com/",  # trim() and str.strip() would take it, browsers do not
    "https://fi.google.com/account#/billing",
    "https://fi.google.com.evil.example/account",
    "https://accounts.google.com/?continue=https://fi.google.com/",
    "https://www.verizon.com/digital/nsa/secure/ui/bill/viewbill",
    "https://www.verizon.com/digital/nsa/secure/ui/bill/",
    "https://www.verizon.com/DIGITAL/nsa/secure/ui/bill/x?y=1#z",
    "https://www.att.com/support/article/my-account/KM1395721/",
    "https://att.com.evil.example/",
    "https://evil.example/www.att.com/",
    "javascript:alert('https://www.att.com')",
    "data:text/html,https://www.att.com",
    "mailto:x@att.com",
    "ftp://www.att.com/",
    "https://",
    "",
    "https://xn--tmobile-abc.com/",
    "https://www.t-mobile.com..",
    "https://www..t-mobile.com/",
    "https://-www.t-mobile.com/",
    "https://www.t-mobile.com%2F@evil.example/",
    "https://www.t-mobile.com?@evil.example/",
    "https://www.t-mobile.com#@evil.example/",
    "//www.t-mobile.com/account",
    "https:/www.t-mobile.com/account",
    "https:www.t-mobile.com/account",
    "1https://www.t-mobile.com/",
    "h+t.tp://www.t-mobile.com/",
    "https://www.t-mobile.com/a\u0130b",
    "https://ıt-mobile.com/",
    "https://my.ultra.me/",
    "https://help.redpocket.com/anything/at/all",
    "https://app.usmobile.com/dashboard/app/x",
    "https://prepay.lycamobile.us/en/termscondition/",
    "https://prepay.lycamobile.us/termscondition/",
    # the browser resolves dot segments (also spelt %2e) and %-escapes paths: detect.py does too
    "https://www.verizon.com/digital/nsa/secure/ui/bill/../../x",
    "https://account.t-mobile.com/x/../signin/v2/",
    "https://www.t-mobile.com/support/account/%2E/cancel-service",
    "https://www.t-mobile.com/support/account/cancel-service/.%2e",
    "https://fi.google.com/account#/../billing",
    "https://www.t-mobile.com/support/account/ cancel-service",
    "https://www.t-mobile.com/support/account/\u0130",
    # hosts the browser rewrites (soft hyphen, zero-width space, %-escape, fullwidth): both refuse
    "https://www.t-mo\u00adbile.com/",
    "https://www.t-mobile.com\u200b/",
    "https://www.t-mob%69le.com/",
    "https://\uff57\uff57\uff57.t-mobile.com/",
]
PIECES = [
    "https://",
    "http://",
    "HTTPS://",
    "//",
    "",
    " ",
    "\t",
    "\\",
    "/",
    "@",
    ":",
    ":443",
    "#",
    "?",
    "%2F",
    "[",
    "]",
    "::1",
    "v1.",
    ".",
    "..",
    "www.",
    "account.",
    "evil.example",
    "t-mobile.com",
    "att.com",
    "fi.google.com",
    "verizon.com",
    "-",
    "x",
    "\u212a",
    "\uff03",
    "signin",
    "/support/account/",
    "cancel-service",
    "/digital/nsa/secure/ui/bill/",
    "/my-verizon",
    "/acctmgmt/login",
    "*",
    "ı",
    "/..",
    "/.",
    "%2e",
    "{",
    "\u0130",
]
# Whole URLs assembled from one piece of each part, where parsers have disagreed (user-info with
# brackets or several @, bracketed hosts, odd ports, missing slashes, trailing dots, the Kelvin sign).
PARTS = [  # each part's pieces, separated by |
    "https://|http://|HTTPS://|https:/|https:||//|https:\\\\| \x01https://".split("|"),
    "|user@|user:pw@|[::1]@|[v1.x]@|[x]@|[1.2.3.4]@|a@b@|evil.example@|[::1@|]@|[@|%40@"
    "|www.t-mobile.com@|u\uff03@|[fe80::1%25eth0]@".split("|"),
    "www.t-mobile.com|WWW.T-Mobile.COM|www.t-mobile.com.|[::1]|[v1.www.t-mobile.com]|evil.example"
    "|www.t-mobile.com.evil.example|fi.google.com|\u212aelvin.t-mobile.com|www.t-mobile.com\uff03"
    "|account.t-mobile.com".split("|"),
    "|:443|:|:0443|:99999|:x|:443:80|:\u0661\u0662".split("|"),
    "|/|/account|?q=1|#/billing|\\@evil.example/|/signin/v2/|?@evil.example"
    "|/support/account/cancel-service|#@evil.example|/\u0130|]|/x/../signin/v2/|/%2e%2E/signin/v2"
    "|/support/account/./cancel-service|#/../bills".split("|"),
]


def carriers_and_index(catalog):
    return catalog.carriers, detect_index(catalog.carriers)


def run_js(index, cases):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: `make node` installs Node.js")
    payload = json.dumps({"index": index, "cases": cases})
    done = subprocess.run(
        [node, "-e", RUNNER, str(DETECT_JS)], input=payload, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def python_side(carriers, url, title):
    found = detect(url, title, carriers)
    return None if found is None else {"carrier": found.carrier, "page": found.page}


def cases_for(catalog):
    cases: list[tuple[str, str | None]] = []
    for carrier in catalog.carriers.values():
        for page in carrier.pages:
            cases.append((page.example, None))
            cases.append((page.example, page.title or "Some page title"))
            cases.append((page.example.upper(), None))
            cases.append((page.example + "/deeper?x=1#frag", None))
        for domain in carrier.domains:
            cases += [(url, None) for url in lookalikes(domain)]
            cases += [(f"https://{domain}/", None), (f"https://sub.{domain}/x", None)]
    cases += [(url, None) for url in TRICKS]
    rng = random.Random(20261124)  # fixed seed: the same URLs every run
    for _ in range(3000):
        cases.append(("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 9))), None))
    for _ in range(1500):
        cases.append(("".join(rng.choice(part) for part in PARTS), None))
    return cases


def test_javascript_detection_matches_python(catalog):
    carriers, index = carriers_and_index(catalog)
    cases = cases_for(catalog)
    js = run_js(index, cases)
    assert len(js) == len(cases)
    differences = []
    for (url, title), got in zip(cases, js, strict=True):
        expected = python_side(carriers, url, title)
        mine = None if got is None else {"carrier": got["carrier"], "page": got["page"]}
        if mine != expected:
            differences.append(f"{url!r} (title {title!r}): python {expected}, js {mine}")
        elif got is not None:  # the domain JS names is one of the carrier's
            assert got["domain"] in carriers[got["carrier"]].domains, url
    assert differences == []
    assert sum(1 for r in js if r) > 100  # the cases do reach carriers


def test_javascript_reads_urls_by_the_same_rules():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: `make node` installs Node.js")
    urls = [url for url, _ in READING_RULES]
    done = subprocess.run(
        [node, "-e", HOST_RUNNER, str(DETECT_JS)],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        check=True,
    )
    got = [None if g is None else tuple(g) for g in json.loads(done.stdout)]
    assert got == [expected for _, expected in READING_RULES]


def test_carrier_hosts_are_the_hosts_the_browser_reads(catalog):
    """Whenever detect.py reads a host under a carrier's domain, the browser's URL parser reads the
    same host (detect.py may refuse what the browser accepts, never the other way round)."""
    domains = [d for c in catalog.carriers.values() for d in c.domains]
    urls = []
    for url, _ in cases_for(catalog):
        parsed = host_of(url)
        if parsed is not None and any(within(parsed[0], d) for d in domains):
            urls.append((url, parsed[0]))
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: `make node` installs Node.js")
    done = subprocess.run(
        [node, "-e", WHATWG],
        input=json.dumps([u for u, _ in urls]),
        capture_output=True,
        text=True,
        check=True,
    )
    browser = json.loads(done.stdout)
    wrong = [
        f"{url!r}: detect.py {host!r}, browser {seen!r}"
        for (url, host), seen in zip(urls, browser, strict=True)
        if seen is None or seen.removesuffix(".") != host
    ]
    assert wrong == []
    assert len(urls) > 500


def test_titles_are_honoured_like_python():
    """No carrier file uses a title condition yet; a made-up index checks the JavaScript side does."""
    index = {
        "carriers": [
            {
                "id": "acme",
                "name": {"en": "Acme", "zh": "Acme"},
                "domains": ["acme.com"],
                "pages": [
                    {"host": "www.acme.com", "path": "/help/*", "kind": "support", "title": "Cancel"},
                    {"host": "www.acme.com", "path": "/help/*", "kind": "account", "title": None},
                ],
            }
        ],
        "page_steps": {},
    }
    got = run_js(
        index,
        [
            ("https://www.acme.com/help/x", "How to CANCEL"),
            ("https://www.acme.com/help/x", "Billing"),
            ("https://www.acme.com/help/x", None),
        ],
    )
    assert [g["page"] for g in got] == ["support", "account", "account"]


def test_the_domain_named_is_the_one_the_host_is_under(catalog):
    _, index = carriers_and_index(catalog)
    got = run_js(
        index, [("https://www.verizonwireless.com/my-verizon", None), ("https://www.verizon.com/", None)]
    )
    assert [g["domain"] for g in got] == ["verizonwireless.com", "verizon.com"]
    hosts = ("www.verizonwireless.com", "www.verizon.com")
    assert all(within(h, g["domain"]) for h, g in zip(hosts, got, strict=True))
