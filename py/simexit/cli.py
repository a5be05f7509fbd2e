"""simexit assess | detect | carriers | check | new-carrier. Bad input exits 2 with a one-line reason."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from . import catalog as catalog_mod
from . import sourcing
from .assess import SituationError, assess
from .catalog import DataError, UnknownCarrier
from .detect import detect
from .models import MAX_DATE, MIN_DATE, Situation
from .reminders import to_ics
from .render import to_text

# Situation fields as the user typed them, for error messages.
FLAGS = {
    "bill_day": "--bill-day",
    "activation_date": "--activation-date",
    "paid_off_date": "--paid-off-date",
    "leave_date": "--leave-date",
    "purchase_date": "--purchase-date",
    "paid_through": "--paid-through",
    "term_months": "--term-months",
    "today": "--today",
    "device_balance_usd": "--device-balance",
    "prepaid_balance_usd": "--prepaid-balance",
    "state": "--state",
    "plan": "--plan",
    "scope": "--scope",
    "role": "--role",
    "lang": "--lang",
    "carrier": "--carrier",
}


class UsageError(Exception):
    pass


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise argparse.ArgumentTypeError(f"{text} is outside {MIN_DATE} to {MAX_DATE}")
    return day


class _Parser(argparse.ArgumentParser):
    """Bad arguments get one line naming the problem (no usage dump), and exit 2."""

    def error(self, message: str):
        self.exit(2, f"simexit: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="simexit", description="Close a US mobile line or account safely.")
    p.add_argument("--data", type=Path, help="carrier data directory (default: carriers/)")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("assess", help="the plan for your carrier and situation")
    a.add_argument("--carrier", required=True, help="carrier id (see `simexit carriers`)")
    a.add_argument("--plan", help="postpaid or prepaid (default: the carrier's main plan type)")
    a.add_argument("--scope", default="account", help="line or account (default: account)")
    keep = a.add_mutually_exclusive_group()
    keep.add_argument("--keep-number", dest="keep_number", action="store_true", default=True)
    keep.add_argument("--no-keep-number", dest="keep_number", action="store_false")
    a.add_argument("--role", default="owner", help="owner, manager or authorized (default: owner)")
    a.add_argument("--device-balance", type=float, default=0.0, metavar="USD")
    a.add_argument("--prepaid-balance", type=float, default=0.0, metavar="USD")
    a.add_argument("--state", help="two-letter US state code, e.g. NY")
    a.add_argument("--enrolled-online", action="store_true", help="the service was ordered online")
    a.add_argument("--port-lock", default="unknown", help="is a number/port lock on: yes, no or unknown")
    a.add_argument("--leaving-us", action="store_true", help="you are leaving the United States")
    a.add_argument("--lang", default="en", help="en or zh")
    a.add_argument("--today", type=_day, help="the date to plan from (default: today)")
    a.add_argument("--activation-date", type=_day, help="when the phone was first used on this carrier")
    a.add_argument("--paid-off-date", type=_day, help="when the device is or will be paid off")
    a.add_argument("--bill-day", type=int, help="day of the month a new billing cycle starts (1-31)")
    a.add_argument("--leave-date", type=_day, help="the last day you need the service")
    a.add_argument(
        "--purchase-date", type=_day, help="when you bought the phone (default: the activation date)"
    )
    a.add_argument("--paid-through", type=_day, help="the last day of the period you have paid for")
    a.add_argument(
        "--term-months", type=int, help="length of the plan term you bought, in months (e.g. 3, 6, 12)"
    )
    a.add_argument("--ics", type=Path, metavar="FILE", help="also write the reminders as an .ics calendar")
    a.add_argument("--json", action="store_true", help="machine-readable output")

    d = sub.add_parser("detect", help="which carrier and page kind a URL is")
    d.add_argument("url")
    d.add_argument("--title")
    d.add_argument("--json", action="store_true")

    sub.add_parser("verification", help="print the verification log (docs/verification.md) from the data")

    c = sub.add_parser("carriers", help="list the carriers and their online verdicts")
    c.add_argument("--json", action="store_true")

    k = sub.add_parser("check", help="validate carrier data and its sources; list sources not checked lately")
    k.add_argument("--today", type=_day, default=None, help=argparse.SUPPRESS)
    k.add_argument("--only", metavar="ID", action="append", help="check just this carrier file (repeatable)")
    k.add_argument(
        "--stale", type=int, default=365, metavar="DAYS", help="list sources older than this (default 365)"
    )

    n = sub.add_parser("new-carrier", help="write a skeleton carriers/ID.toml (every fact unknown)")
    n.add_argument("id", help="the new carrier's id: lower case letters, digits, - or _ (e.g. newco)")
    n.add_argument(
        "--plan",
        action="append",
        choices=["postpaid", "prepaid"],
        help="plan types it sells, the main one first (repeatable; default: postpaid)",
    )
    n.add_argument("--today", type=_day, default=None, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # --help, or a bad argument already reported in one line
        return e.code if isinstance(e.code, int) else 2
    try:
        if args.command == "check" and args.only:
            return _check_only(args)
        if args.command == "new-carrier":
            return _new_carrier(args)
        cat = catalog_mod.load_dir(args.data) if args.data else catalog_mod.default()
        return COMMANDS[args.command](cat, args)
    except DataError as e:
        print(f"simexit: invalid carrier data\n{e}", file=sys.stderr)
        return 1
    except UnknownCarrier as e:
        print(f"simexit: {e}", file=sys.stderr)
        return 2
    except UsageError as e:
        print(f"simexit: {e}", file=sys.stderr)
        return 2


def _assess(cat, args) -> int:
    carrier = cat.get(args.carrier)
    fields = {
        "carrier": args.carrier,
        "plan": args.plan,
        "scope": args.scope,
        "keep_number": args.keep_number,
        "role": args.role,
        "device_balance_usd": args.device_balance,
        "prepaid_balance_usd": args.prepaid_balance,
        "state": args.state,
        "enrolled_online": args.enrolled_online,
        "port_lock_on": args.port_lock,
        "leaving_us": args.leaving_us,
        "lang": args.lang,
        "today": args.today or date.today(),
        "activation_date": args.activation_date,
        "paid_off_date": args.paid_off_date,
        "bill_day": args.bill_day,
        "leave_date": args.leave_date,
        "purchase_date": args.purchase_date,
        "paid_through": args.paid_through,
        "term_months": args.term_months,
    }
    try:
        situation = Situation(**fields)
        result = assess(carrier, situation, cat.common)
    except ValidationError as e:
        err = e.errors()[0]
        msg = err["msg"].removeprefix("Value error, ")
        if err["loc"]:
            field = str(err["loc"][0])
        else:  # a check across fields names the field at fault first
            field, _, msg = msg.partition(": ")
        flag = FLAGS.get(field, "--" + field.replace("_", "-"))
        raise UsageError(f"{flag}: {msg}") from None
    except SituationError as e:
        raise UsageError(f"--plan: {e}") from None
    if args.ics:
        try:
            args.ics.write_text(to_ics(result, situation.today), encoding="utf-8")
        except (OSError, ValueError) as e:  # no such folder, no permission, a NUL in the name, ...
            raise UsageError(f"--ics: cannot write that file: {getattr(e, 'strerror', None) or e}") from None
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(to_text(result))
    return 0


def _detect(cat, args) -> int:
    found = detect(args.url, args.title, cat.carriers)
    out = found.as_dict() if found else {"carrier": None, "page": None}
    if args.json:
        print(json.dumps(out))
    elif found:
        name = cat.carriers[found.carrier].name.en
        print(f"{name} ({found.carrier}), page: {found.page or 'not a known account page'}")
    else:
        print("not a page of a known carrier")
    return 0


def _carriers(cat, args) -> int:
    rows = [
        {
            "id": c.id,
            "name": {"en": c.name.en, "zh": c.name.zh},
            "plans": {
                pid: {"line": plan.online.line.verdict, "account": plan.online.account.verdict}
                for pid, plan in c.plans.items()
            },
        }
        for c in cat.carriers.values()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        plans = "; ".join(
            f"{pid}: line {v['line']}, account {v['account']}" for pid, v in row["plans"].items()
        )
        print(f"{row['id']:<17} {row['name']['en']} / {row['name']['zh']} — online: {plans}")
    return 0


def _check(cat, args) -> int:
    today = args.today or date.today()
    if not 1 <= args.stale <= 3650:
        raise UsageError("--stale: give a number of days from 1 to 3650")
    directory = str(args.data or catalog_mod.default_dir())
    problems = sourcing.all_problems(cat.carriers, cat.common, directory)
    if problems:
        print("simexit: carrier data breaks the source rules", file=sys.stderr)
        for problem in problems:
            print(str(problem), file=sys.stderr)
        return 1
    n_sources = sum(len(c.sources) for c in cat.carriers.values()) + len(cat.common.sources)
    print(f"{len(cat.carriers)} carrier files valid, {n_sources} sources, source rules hold")
    stale = sourcing.stale_sources(cat.carriers, cat.common, today, args.stale)
    for line in stale:
        print(f"stale: {line}")
    if not stale:
        print(f"every source was checked within the last {args.stale} days")
    return 0


def _check_only(args) -> int:
    """One carrier file on its own (e.g. while other files are being edited)."""
    directory = Path(args.data or catalog_mod.default_dir())
    problems = []
    known = catalog_mod.carrier_ids(directory)
    unknown = [cid for cid in args.only if cid not in known]
    if unknown:
        raise UnknownCarrier(unknown[0], known)
    for cid in args.only:
        carrier = catalog_mod.load_file(directory / f"{cid}.toml")
        problems += sourcing.carrier_problems(carrier, str(directory / f"{cid}.toml"))
    for problem in problems:
        print(str(problem), file=sys.stderr)
    print(f"{len(args.only)} file(s): {len(problems)} source-rule problem(s)")
    return 1 if problems else 0


def _new_carrier(args) -> int:
    """A skeleton carrier file: every field present and unknown, and what `check` will require."""
    from .models import Id
    from .schema import REQUIREMENTS, skeleton

    try:
        TypeAdapter(Id).validate_python(args.id)
    except ValidationError:
        raise UsageError(
            f"new-carrier: {args.id!r} is not a carrier id (lower case letters and digits, then also - or _)"
        ) from None
    directory = Path(args.data or catalog_mod.default_dir())
    path = directory / f"{args.id}.toml"
    text = skeleton(args.id, args.today or date.today(), list(dict.fromkeys(args.plan or ["postpaid"])))
    try:
        with path.open("x", encoding="utf-8") as f:  # "x": never overwrite
            f.write(text)
    except FileExistsError:
        raise UsageError(f"new-carrier: {path} already exists; edit it instead") from None
    except OSError as e:
        raise UsageError(f"new-carrier: cannot write {path}: {e.strerror or e}") from None
    print(f"wrote {path}: every fact unknown, placeholders under .example")
    print(REQUIREMENTS)
    problems = sourcing.carrier_problems(catalog_mod.load_file(path), str(path))
    print(f"`simexit check --only {args.id}` now reports {len(problems)} problem(s):")
    for problem in problems:
        print(f"  {problem}")
    return 0


def _verification(cat, args) -> int:
    sys.stdout.write(sourcing.verification_log(cat.carriers, cat.common))
    return 0


COMMANDS = {
    "assess": _assess,
    "detect": _detect,
    "carriers": _carriers,
    "check": _check,
    "verification": _verification,
}

if __name__ == "__main__":
    sys.exit(main())
