"""Rules for what may support a fact a person acts on. Run by `simexit check` and the build.

The schema already refuses plain http sources; these rules look across a whole file (and across
files): a value may not rest only on a weak copy or only on a page about carriers in general, a page
counts as the carrier's own only on a host the carrier publishes on, and a carrier's fact lives in
that carrier's file, not in `_common.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from .models import WEAK_KINDS, Carrier, Common, Source, iter_facts, within

# Copies of someone else's page are never cited: the original is (or the value stays unknown).
COPY_KINDS = frozenset({"mirror", "archive", "reseller", "leak"})
# The carrier-owned domains the extension may run on, reviewed by hand: `domains` in a carrier file
# must come from here, and the manifest build refuses anything else. Adding one is a visible diff.
# fi.google.com, not google.com: the extension runs only on Fi's own site.
REVIEWED_DOMAINS = frozenset(
    """
    att.com boostmobile.com consumercellular.com cricketwireless.com fi.google.com h2owireless.com
    h2owirelessnow.com lycamobile.us metrobyt-mobile.com mintmobile.com redpocket.com spectrum.com
    spectrum.net straighttalk.com t-mobile.com tello.com totalwireless.com ultra.me ultramobile.com
    usmobile.com verizon.com verizonwireless.com visible.com xfinity.com
    """.split()
)
# Government hosts: a regulator's own page.
GOV_SUFFIXES = (".gov", ".mil")


@dataclass(frozen=True)
class Problem:
    file: str
    where: str  # the fact (or source) at fault, as a dotted path
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message} (rule: {self.rule})"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_gov(host: str) -> bool:
    return host.endswith(GOV_SUFFIXES)


def carrier_hosts(carrier: Carrier) -> list[str]:
    return [*carrier.domains, *carrier.official_hosts]


def on_site(url: str, sites: list[str]) -> bool:
    """Is the page on one of the sites: a domain (and its subdomains), or host/path-prefix exactly."""
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), parts.path or "/"
    for site in sites:
        site_host, slash, prefix = site.partition("/")
        if slash:
            if host == site_host and (path + "/").startswith("/" + prefix.rstrip("/") + "/"):
                return True
        elif within(host, site_host):
            return True
    return False


def _source_problems(file: str, sid: str, source: Source, own_hosts: list[str]) -> list[Problem]:
    where = f"sources.{sid}"
    host = host_of(source.url)
    problems = []
    if source.kind == "carrier" and not on_site(source.url, own_hosts):
        problems.append(
            Problem(
                file,
                where,
                "own-host",
                f"kind 'carrier' but {host} is not one of the carrier's domains or official_hosts",
            )
        )
    if source.kind == "regulator" and not is_gov(host):
        problems.append(
            Problem(file, where, "own-host", f"kind 'regulator' but {host} is not a government host")
        )
    if source.confidence == "official" and source.kind not in ("carrier", "regulator"):
        problems.append(
            Problem(
                file,
                where,
                "official-means-own",
                f"confidence 'official' needs the carrier's or a regulator's own page, not kind {source.kind!r}",
            )
        )
    if source.kind in COPY_KINDS:
        problems.append(
            Problem(
                file,
                where,
                "no-copies",
                f"a {source.kind} copy is not a source: cite the original page instead",
            )
        )
    elif source.kind in WEAK_KINDS and source.confidence != "unverified":
        problems.append(
            Problem(file, where, "weak-is-unverified", f"a {source.kind} copy can only be 'unverified'")
        )
    return problems


def _fact_problems(file: str, node: Any, sources: dict[str, Source], carrier_specific: bool) -> list[Problem]:
    problems = []
    for loc, fact in iter_facts(node):
        if not fact.known() or not fact.sources:
            continue
        cited = [sources[s] for s in fact.sources if s in sources]
        if cited and all(s.kind in WEAK_KINDS for s in cited):
            kinds = ", ".join(sorted({s.kind for s in cited}))
            problems.append(
                Problem(
                    file,
                    loc,
                    "no-weak-only",
                    f"rests only on {kinds} sources; cite the original page or leave the value unknown",
                )
            )
        if carrier_specific and cited and all(s.general for s in cited):
            problems.append(
                Problem(
                    file,
                    loc,
                    "no-general-only",
                    "a carrier's fact rests only on pages about carriers in general; cite a page about this carrier",
                )
            )
    return problems


def carrier_problems(carrier: Carrier, file: str) -> list[Problem]:
    own = carrier_hosts(carrier)
    problems = [
        Problem(
            file,
            f"domains.{i}",
            "reviewed-domain",
            f"{d} is not on the reviewed list of carrier-owned domains (sourcing.REVIEWED_DOMAINS);"
            " the extension's permissions grow only by a reviewed change there",
        )
        for i, d in enumerate(carrier.domains)
        if d not in REVIEWED_DOMAINS
    ]
    for sid, source in carrier.sources.items():
        problems += _source_problems(file, sid, source, own)
    problems += _placeholder_problems(file, carrier)
    problems += _fact_problems(file, carrier, carrier.sources, carrier_specific=True)
    return problems


# RFC 2606 reserves .example: `simexit new-carrier` writes its placeholders there.
PLACEHOLDER_SUFFIX = ".example"


def _placeholder_problems(file: str, carrier: Carrier) -> list[Problem]:
    """A host left from the skeleton of `simexit new-carrier` (rule no-placeholder)."""
    hosts = [
        *((f"domains.{i}", d) for i, d in enumerate(carrier.domains)),
        *((f"official_hosts.{i}", h.partition("/")[0]) for i, h in enumerate(carrier.official_hosts)),
        *((f"pages.{i}.host", p.host) for i, p in enumerate(carrier.pages)),
        *((f"sources.{sid}", host_of(s.url)) for sid, s in carrier.sources.items()),
    ]
    return [
        Problem(file, where, "no-placeholder", f"{host} is a placeholder: replace it with the real one")
        for where, host in hosts
        if host.endswith(PLACEHOLDER_SUFFIX)
    ]


def common_problems(common: Common, carriers: dict[str, Carrier], file: str) -> list[Problem]:
    """`_common.toml` holds only what is not one carrier's: a carrier's page there may only back an
    option that moves a person *to* that carrier (its own customers never see it)."""
    owners = {
        sid: cid
        for sid, source in common.sources.items()
        for cid, carrier in carriers.items()
        if on_site(source.url, carrier_hosts(carrier))
    }
    problems = []
    for sid, source in common.sources.items():
        # kind 'carrier' here also covers a company writing about its own service (a bank, Apple).
        own = [host_of(source.url)]
        problems += _source_problems(file, sid, source, own)
    for loc, fact in iter_facts(common):
        for sid in fact.sources:
            owner = owners.get(sid)
            if owner and _moves_to(common, loc) != owner:
                problems.append(
                    Problem(
                        file,
                        loc,
                        "one-file",
                        f"cites {sid}, a page of {owner}: state {owner}'s facts in {owner}.toml"
                        f" (in {file} only as an option with carrier = {owner!r})",
                    )
                )
    problems += _fact_problems(file, common, common.sources, carrier_specific=False)
    return problems


def _moves_to(common: Common, loc: str) -> str | None:
    """The carrier the option at `loc` (or holding the fact at `loc`, e.g. its price) moves you to."""
    head, _, rest = loc.partition(".")
    index = rest.partition(".")[0]
    if head in ("keep_options", "number_dependencies") and index.isdigit():
        return getattr(common, head)[int(index)].carrier
    return None


def all_problems(carriers: dict[str, Carrier], common: Common, directory: str) -> list[Problem]:
    problems = common_problems(common, carriers, f"{directory}/_common.toml")
    for cid, carrier in carriers.items():
        problems += carrier_problems(carrier, f"{directory}/{cid}.toml")
    return problems


def stale_sources(carriers: dict[str, Carrier], common: Common, today: date, max_age_days: int) -> list[str]:
    """Sources read longer ago than max_age_days, with how many facts rest on each."""
    limit = today - timedelta(days=max_age_days)
    report = []
    for owner, node, sources in [
        *((cid, c, c.sources) for cid, c in carriers.items()),
        ("common", common, common.sources),
    ]:
        for sid, source in sources.items():
            if source.checked < limit:
                n = sum(1 for _, fact in iter_facts(node) if sid in fact.sources)
                report.append(f"{owner}: source {sid} last checked {source.checked} ({n} facts)")
    return report


def fact_counts(carrier: Carrier) -> dict[str, int]:
    """How many of a carrier's facts are official / guide / unverified, and how many are unknown."""
    counts = {"official": 0, "guide": 0, "unverified": 0, "unknown": 0}
    for _, fact in iter_facts(carrier):
        if not fact.known():
            counts["unknown"] += 1
            continue
        level = carrier.confidence(fact.sources)
        counts[level or "unknown"] += 1
    return counts


def verification_log(carriers: dict[str, Carrier], common: Common) -> str:
    """docs/verification.md: per carrier, the facts by confidence and the oldest check date."""
    rows = []
    total = {"official": 0, "guide": 0, "unverified": 0, "unknown": 0}
    for cid, carrier in sorted(carriers.items()):
        counts = fact_counts(carrier)
        for key in total:
            total[key] += counts[key]
        oldest = min(s.checked for s in carrier.sources.values())
        newest = max(s.checked for s in carrier.sources.values())
        kinds = sorted({s.kind for s in carrier.sources.values()})
        rows.append(
            f"| {cid} | {counts['official']} | {counts['guide']} | {counts['unverified']} | {counts['unknown']}"
            f" | {oldest} | {newest} | {', '.join(kinds)} |"
        )
    oldest_common = min(s.checked for s in common.sources.values())
    return "\n".join(
        [
            "# Verification log",
            "",
            "Generated from `carriers/` by `make docs` (`simexit verification`); a test fails when it is out of",
            "date. Do not edit by hand. A fact's confidence is the best of its sources about that carrier; a",
            "page about carriers in general never lifts it. Unknown facts are values no source gives.",
            "",
            "| carrier | official | guide | unverified | unknown | oldest check | newest check | source kinds |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            f"| **all** | {total['official']} | {total['guide']} | {total['unverified']} | {total['unknown']} | | | |",
            "",
            f"US-wide facts (`_common.toml`): {len(common.sources)} sources, oldest check {oldest_common}.",
            "",
        ]
    )
