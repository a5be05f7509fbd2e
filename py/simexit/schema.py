"""Everything generated from the models and the carrier files: one schema, used everywhere.

- `schema/carrier.schema.json` and `schema/common.schema.json`: JSON Schema of the pydantic models, for
  editors (Even Better TOML / taplo read the `#:schema` first line of each carrier file);
- the generated blocks of `docs/data.md`: the field tables and the list of carriers;
- the skeleton of a new carrier file (`simexit new-carrier ID`).

`python -m simexit.schema` (`make schema`, also run by `make docs`) rewrites them; `--check` only
reports what is stale. CPython only: the browser never needs this module.
"""

from __future__ import annotations

import json
import re
import sys
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from .models import Carrier, Common, Fact, Info, Text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = "schema"
CARRIER_SCHEMA = "carrier.schema.json"
COMMON_SCHEMA = "common.schema.json"
DATA_DOC = Path("docs") / "data.md"
# The first line of every carrier file (taplo / Even Better TOML resolve it from the file's folder).
CARRIER_SCHEMA_LINE = f"#:schema ../{SCHEMA_DIR}/{CARRIER_SCHEMA}"
COMMON_SCHEMA_LINE = f"#:schema ../{SCHEMA_DIR}/{COMMON_SCHEMA}"


# ---------------------------------------------------------------- JSON Schema


def json_schemas() -> dict[str, str]:
    """File name in schema/ -> its text."""
    out = {}
    for name, model, title in (
        (CARRIER_SCHEMA, Carrier, "simexit carrier file (carriers/<id>.toml)"),
        (COMMON_SCHEMA, Common, "simexit US-wide facts (carriers/_common.toml)"),
    ):
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            "$comment": "Generated from py/simexit/models.py by `make schema`; do not edit by hand.",
            **model.model_json_schema(),
        }
        schema["title"] = title  # model_json_schema sets the class name as the title
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


# ---------------------------------------------------------------- docs/data.md


def _unwrap(ann: Any) -> Any:
    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    return ann


def _is_model(ann: Any) -> bool:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _type_name(ann: Any) -> str:
    ann = _unwrap(ann)
    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        return " or ".join(_type_name(a) for a in args)
    if origin is Literal:
        return " / ".join(str(a).lower() if isinstance(a, bool) else str(a) for a in typing.get_args(ann))
    if origin is list:
        return f"list of {_type_name(typing.get_args(ann)[0])}"
    if origin is dict:
        return f"tables by {_type_name(typing.get_args(ann)[0])}"
    if ann is Text:
        return "text (en, zh)"
    if _is_model(ann):
        return "fact" if issubclass(ann, Fact) else "table"
    return {str: "string", int: "integer", float: "number", bool: "true / false", date: "date"}.get(
        ann, getattr(ann, "__name__", str(ann))
    )


def _nested(ann: Any, name: str = "") -> tuple[type[BaseModel] | None, str]:
    """The model a field holds (if any) and how its key is written below the field."""
    ann = _unwrap(ann)
    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        return _nested(args[0], name) if len(args) == 1 else (None, "")
    if origin is list:
        inner = _unwrap(typing.get_args(ann)[0])
        return (inner, "[]") if _is_model(inner) else (None, "")
    if origin is dict:
        key, inner = (_unwrap(a) for a in typing.get_args(ann))
        # plans.<plan> (postpaid / prepaid), sources.<id>
        slot = name.removesuffix("s") if typing.get_origin(key) is Literal else "id"
        return (_unwrap(inner), f".<{slot}>") if _is_model(_unwrap(inner)) else (None, "")
    if _is_model(ann) and ann is not Text:
        return ann, ""
    return None, ""


def field_rows(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(key, type, required, description) for every field reachable from the model. The fields every
    fact shares (sources, note, conflicts) are listed once, not under each fact."""
    rows = []
    for name, field in model.model_fields.items():
        if issubclass(model, Fact) and name in Fact.model_fields:
            continue
        key = f"{prefix}{name}"
        kind = _type_name(field.annotation)
        rows.append((key, kind, "yes" if field.is_required() else "", field.description or ""))
        inner, suffix = _nested(field.annotation, name)
        if inner is not None:
            rows += field_rows(inner, f"{key}{suffix}.")
    return rows


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| key | type | required | meaning |", "|---|---|---|---|"]
    lines += [f"| `{cell(k)}` | {cell(t)} | {r} | {cell(d)} |" for k, t, r, d in rows]
    return "\n".join(lines)


def fields_block() -> str:
    # Read on a subclass: there `conflicts` (list[Claim]) is resolved, on Fact it is a forward reference.
    shared = {name: Info.model_fields[name] for name in Fact.model_fields}
    fact = [(name, _type_name(f.annotation), "", f.description or "") for name, f in shared.items()]
    return "\n".join(
        [
            "Every entry of type *fact* also takes these keys (a fact with a value needs `sources`):",
            "",
            _table(fact),
            "",
            "### `carriers/<id>.toml`",
            "",
            _table(field_rows(Carrier)),
            "",
            "### `carriers/_common.toml`",
            "",
            _table([row for row in field_rows(Common) if not row[0].startswith("sources.")]),
            "",
            "`sources.<id>` in `_common.toml` has the same keys as in a carrier file.",
        ]
    )


def carriers_block(directory: Path | None = None) -> str:
    from .catalog import load_dir

    catalog = load_dir(directory)
    lines = ["| id | name | 中文名 | domains | plan types |", "|---|---|---|---|---|"]
    for cid, carrier in sorted(catalog.carriers.items()):
        lines.append(
            f"| `{cid}` | {carrier.name.en} | {carrier.name.zh} | {', '.join(carrier.domains)}"
            f" | {', '.join(carrier.plans)} |"
        )
    return "\n".join(lines)


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- BEGIN GENERATED {name}: `make schema` writes this from the models and carriers/ -->",
        f"<!-- END GENERATED {name} -->",
    )


def fill(text: str, name: str, body: str) -> str:
    begin, end = _markers(name)
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"{DATA_DOC}: markers for {name} not found ({begin} ... {end})")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text, count=1)


def data_doc(text: str, directory: Path | None = None) -> str:
    text = fill(text, "fields", fields_block())
    return fill(text, "carriers", carriers_block(directory))


# ---------------------------------------------------------------- the skeleton of a new carrier

SKELETON = """\
__SCHEMA__
# __ID__: written by `simexit new-carrier __ID__`. Every fact below is unknown: fill in a value only from
# a page you read, cite it under [sources.<id>] with the day you read it, and leave the rest unknown.
# The rules are in docs/data.md; `simexit check --only __ID__` names what is still missing.
# Every fact (the tables below) also takes `sources = [...]`, `note = { en = "...", zh = "..." }` and
# `conflicts = [...]`; only a fact with a value needs sources.
id = "__ID__"
name = { en = "__ID__", zh = "__ID__" }  # display names: English, Chinese
# Official account domains: the extension runs there, so only the carrier's own account sites, and each
# must be on the reviewed list sourcing.REVIEWED_DOMAINS (a reviewed change). Placeholder:
domains = ["__ID__.example"]
# Other hosts the carrier publishes its own help, terms or policies on (the extension never runs there).
official_hosts = []
# Other names people search for (a short brand, a Chinese nickname), each cited from a page showing it:
aliases = []  # e.g. [{ text = "...", lang = "zh", sources = ["..."] }]

# Account pages the extension recognises: none yet. One block per page, for example:
# [[pages]]
# host = "www.__ID__.example"  # exactly, under one of domains
# path = "/account/*"  # glob, * = anything; a # part matches the URL fragment
# kind = "account"  # signin, account, billing, line, transfer_pin, cancel, support
# title = "My Account"  # optional: the page title must contain it
# example = "https://www.__ID__.example/account/"  # a real URL of this kind, without personal data
# sources = ["..."]

# Claims seen online and the sourced truth: none yet. For example:
# [[myths]]
# claim = { en = "...", zh = "..." }
# truth = { en = "...", zh = "..." }
# claimed_by = ["..."]
# sources = ["..."]

# What the carrier's own page says it never asks you for (a PIN, a code): unknown yet.
[never_asks]
__PLANS__
# The placeholder source: replace it with the pages you read (each cited by the facts it gives).
[sources.__ID__-todo]
url = "https://www.__ID__.example/replace-me"
title = "Placeholder: replace with a page you read"
checked = __TODAY__
confidence = "unverified"  # official, guide or unverified
kind = "carrier"  # carrier, regulator, press, guide, forum, personal
general = false
# published = "2026-01-01"  # the date the page shows, if any
# note = "what the page says that matters"
"""

PLAN = """
[plans.__PLAN__]
label = __LABEL__
# Ways to cancel: replace [] with [[plans.__PLAN__.channels]] blocks: kind (web, app, chat, phone, store,
# lapse, dial, text, email), scope (line, account, both), path, phone, code, url, sources.
channels = []

[plans.__PLAN__.online.line]
verdict = "unknown"  # yes, partial, no, unknown
when = []  # overrides: { verdict = "...", states = ["NY"], enrolled_online = true, sources = [...] }

[plans.__PLAN__.online.account]
verdict = "unknown"
when = []__CITE__

[plans.__PLAN__.who_may_cancel]
# roles = ["owner"]  # owner, manager, authorized (whole account)
# line_roles = ["owner", "manager"]  # ending one line, when it differs

[plans.__PLAN__.proration]
value = "unknown"  # yes: the last cycle is prorated; no: billed in full

[plans.__PLAN__.device_balance]
line = "unknown"  # final_bill, monthly, unknown
account = "unknown"

[plans.__PLAN__.prepaid_refund]
value = "unknown"

[plans.__PLAN__.promotions_lost]
value = "unknown"

[plans.__PLAN__.data_lost]
# text = { en = "...", zh = "..." }  # what is deleted

[plans.__PLAN__.autopay_separate]
value = "unknown"

[plans.__PLAN__.autopay_timing]
# charge_lead_hours = 0
# cutoff_hours = 24

[plans.__PLAN__.number_hold]
# days = 30

[plans.__PLAN__.returns]
# days = 14
by_state = []  # [{ states = ["HI"], days = 17, sources = [...] }]
# restocking_fee_usd = 0
# restocking_fee_max_usd = 0

[plans.__PLAN__.early_termination]
value = "unknown"
# max_usd = 0
# text = { en = "...", zh = "..." }

[plans.__PLAN__.terms]
# months = [1]
unused_refunded = "unknown"

[plans.__PLAN__.lapse]
value = "unknown"
# closes = ["line", "account"]

[plans.__PLAN__.porting]
# Replace [] with [[plans.__PLAN__.porting.pin_ways]] blocks (same keys as channels).
pin_ways = []
# Replace [] with [[plans.__PLAN__.porting.locks]] blocks: name, how_off, who, sources.
locks = []

[plans.__PLAN__.porting.credentials]
# text = { en = "...", zh = "..." }  # what the new carrier will ask for

[plans.__PLAN__.porting.account_number]
# text = { en = "...", zh = "..." }  # where to find the account number

[plans.__PLAN__.porting.pin_validity]
# days = 7

[plans.__PLAN__.porting.pin_who]
# roles = ["owner"]

[plans.__PLAN__.porting.closes_line]
value = "unknown"

[plans.__PLAN__.porting.closes_account]
value = "unknown"

# Device-unlock rules (keep old ones): none yet. For example:
# [[plans.__PLAN__.unlock]]
# text = { en = "...", zh = "..." }
# valid_from = 2026-01-01
# valid_until = 2027-01-01
# days_active = 60
# paid_off = true
# payoff_wait_days = 0
# automatic = true
# sources = ["..."]

# Carrier-specific pitfalls: none yet. For example:
# [[plans.__PLAN__.traps]]
# kind = "lapse-loses-number"  # kebab-case
# text = { en = "...", zh = "..." }
# keep_number = false  # optional: only when the person keeps (true) or drops (false) the number
# scope = "line"  # optional: line or account
# sources = ["..."]

# The carrier's own ways to hold the number cheaply (suspend, pause): none yet. For example:
# [[plans.__PLAN__.keep_options]]
# kind = "suspend"
# text = { en = "...", zh = "..." }
# sources = ["..."]
# name = { en = "...", zh = "..." }  # what a recommendation calls it
# price = { usd = 5, period_days = 30, sources = ["..."] }  # or period_months; upfront_months, max_days, includes
"""

PLAN_LABELS = {
    "postpaid": '{ en = "Postpaid", zh = "后付费" }',
    "prepaid": '{ en = "Prepaid", zh = "预付费" }',
}

# What `simexit check` requires of a carrier file, printed by `simexit new-carrier`.
REQUIREMENTS = """\
What `simexit check` will require before this file is accepted (rules: docs/data.md):
  - domains: the carrier's own account domains, each on sourcing.REVIEWED_DOMAINS (a reviewed change
    there; the extension runs on them), and no placeholder (.example) host anywhere (no-placeholder);
  - every source: an https page (https-only), kind and confidence that fit it (official-means-own:
    only the carrier's or a regulator's own page is official; own-host: a carrier page on the carrier's
    domains or official_hosts), never a mirror, archive, reseller copy or leak (no-copies);
  - every fact with a value cites a source (and a source that no fact cites is an error); a value never
    rests only on weak pages (no-weak-only) or only on pages about carriers in general (no-general-only);
  - every text in English and Simplified Chinese; trap kinds in kebab-case;
  - each [[pages]] entry: host under domains and a real example URL (the tests detect it).
Then: make docs, make snapshots, review the diffs, make test (see CONTRIBUTING.md)."""


def skeleton(carrier_id: str, today: date, plans: list[str] | None = None) -> str:
    plans = plans or ["postpaid"]
    cite = '\nsources = ["__ID__-todo"]  # the placeholder source is cited here only so the file loads'
    body = "".join(
        PLAN.replace("__PLAN__", plan)
        .replace("__LABEL__", PLAN_LABELS[plan])
        .replace("__CITE__", cite if i == 0 else "")  # a source must be cited, once is enough
        for i, plan in enumerate(plans)
    )
    return (
        SKELETON.replace("__SCHEMA__", CARRIER_SCHEMA_LINE)
        .replace("__PLANS__", body)
        .replace("__ID__", carrier_id)
        .replace("__TODAY__", today.isoformat())
    )


# ---------------------------------------------------------------- write or check


def outputs(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file and its expected text."""
    out = {root / SCHEMA_DIR / name: text for name, text in json_schemas().items()}
    doc = root / DATA_DOC
    out[doc] = data_doc(doc.read_text(encoding="utf-8"), root / "carriers")
    return out


def stale(root: Path = ROOT) -> list[Path]:
    return [
        path
        for path, text in outputs(root).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--check"]:
        paths = stale()
        for path in paths:
            print(f"stale: {path.relative_to(ROOT)} (run make schema)", file=sys.stderr)
        return 1 if paths else 0
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
