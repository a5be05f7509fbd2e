"""The CLI contract: output shapes and every error path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta

import pytest

from simexit.cli import main

from conftest import CARRIER_DIR, ROOT, has_cjk


def cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_assess_text_in_english(capsys, catalog):
    code, out, err = cli(capsys, "assess", "--carrier", "tmobile", "--plan", "postpaid", "--keep-number")
    assert code == 0 and err == ""
    assert out.startswith("T-Mobile · Postpaid · the whole account")
    assert "Can I cancel online?\n--------------------\n- No" in out
    checklist = out[out.index("Checklist, in this order") :]
    port = checklist.index("Start the number transfer")
    assert checklist.index("Get your account number and transfer PIN") < port
    assert "[ ] 1. " in out
    assert "https://www.t-mobile.com/support/account/cancel-service" in out
    checked = catalog.get("tmobile").sources["tmo-cancel"].checked
    assert f"official, checked {checked}" in out


def test_assess_text_in_chinese(capsys):
    code, out, _ = cli(
        capsys, "assess", "--carrier", "tmobile", "--plan", "postpaid", "--keep-number", "--lang", "zh"
    )
    assert code == 0
    assert "能在网上取消吗？" in out and "不可以" in out
    assert "在新运营商处发起转号（不要先销户）" in out
    assert "Can I cancel online?" not in out


def test_assess_json_contract(capsys):
    code, out, _ = cli(
        capsys, "assess", "--carrier", "tmobile", "--no-keep-number", "--device-balance", "250.5", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert {"carrier", "plan", "online_cancel", "channels", "steps", "warnings", "costs", "sources"} <= set(
        data
    )
    assert data["carrier"] == "tmobile" and data["plan"] == "postpaid" and data["online_cancel"] == "no"
    assert {c["kind"] for c in data["channels"]} <= {"web", "app", "chat", "phone", "store", "lapse"}
    assert all({"kind", "title", "detail", "sources"} <= set(s) for s in data["steps"])
    assert all({"kind", "text"} <= set(w) for w in data["warnings"])
    assert data["costs"]["device_balance_due_usd"] == 250.5
    assert all({"id", "url", "title", "checked", "confidence"} <= set(s) for s in data["sources"])
    kinds = [w["kind"] for w in data["warnings"]]
    assert "number_loss" in kinds and "device_balance_due" in kinds


def test_json_in_chinese_keeps_chinese_characters_readable(capsys):
    _, out, _ = cli(capsys, "assess", "--carrier", "tmobile", "--lang", "zh", "--json")
    assert has_cjk(out) and "\\u" not in out


def test_unknown_carrier_lists_known_ids_and_exits_2(capsys):
    code, out, err = cli(capsys, "assess", "--carrier", "sprint")
    assert code == 2 and out == ""
    assert "unknown carrier 'sprint'" in err and "tmobile" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--device-balance", "-5"], "--device-balance: Input should be greater than or equal to 0"),
        (["--prepaid-balance", "-0.01"], "--prepaid-balance: Input should be greater than or equal to 0"),
        (["--device-balance", "inf"], "--device-balance:"),
        (["--state", "XX"], "--state: 'XX' is not a US state or territory code"),
        (["--plan", "business"], "--plan:"),
        (["--scope", "family"], "--scope:"),
        (["--role", "friend"], "--role:"),
        (["--lang", "fr"], "--lang:"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args, reason):
    code, out, err = cli(capsys, "assess", "--carrier", "tmobile", *args)
    assert code == 2 and out == ""
    assert err.startswith("simexit: " + reason)
    assert err.count("\n") == 1


def test_plan_the_carrier_does_not_sell(capsys):
    code, out, err = cli(capsys, "assess", "--carrier", "tello", "--plan", "postpaid")
    assert code == 2 and out == ""
    assert err == "simexit: --plan: tello has no postpaid plan; its plans: prepaid\n"


def test_malformed_data_names_file_field_problem(capsys, tmp_path):
    shutil.copy(CARRIER_DIR / "_common.toml", tmp_path)
    text = (
        (CARRIER_DIR / "tmobile.toml")
        .read_text(encoding="utf-8")
        .replace('kind = "signin"', 'kind = "login"')
    )
    (tmp_path / "tmobile.toml").write_text(text, encoding="utf-8")
    code, _, err = cli(capsys, "--data", str(tmp_path), "check")
    assert code == 1
    assert f"{tmp_path / 'tmobile.toml'}: pages.0.kind: Input should be 'signin'" in err


def test_detect_json(capsys):
    code, out, _ = cli(capsys, "detect", "https://account.t-mobile.com/signin/v2/", "--json")
    assert code == 0 and json.loads(out) == {"carrier": "tmobile", "page": "signin"}
    code, out, _ = cli(capsys, "detect", "https://www.t-mobile.com.evil.example/", "--json")
    assert json.loads(out) == {"carrier": None, "page": None}
    code, out, _ = cli(capsys, "detect", "https://www.t-mobile.com/deals", "--json")
    assert json.loads(out) == {"carrier": "tmobile", "page": None}


def test_detect_text(capsys):
    _, out, _ = cli(capsys, "detect", "https://account.t-mobile.com/signin/v2/")
    assert out == "T-Mobile (tmobile), page: signin\n"


def test_carriers_lists_ids_names_plans_and_verdicts(capsys):
    code, out, _ = cli(capsys, "carriers", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    assert rows["tmobile"]["plans"]["postpaid"] == {"line": "no", "account": "no"}
    assert rows["tmobile"]["name"]["zh"]
    _, text, _ = cli(capsys, "carriers")
    assert "tmobile" in text and "postpaid: line no, account no" in text


def test_check_reports_stale_sources(capsys, catalog):
    checked = catalog.get("tmobile").sources["tmo-cancel"].checked
    code, out, _ = cli(capsys, "check", "--today", str(checked))
    assert code == 0 and "carrier files valid" in out and "stale:" not in out
    code, out, _ = cli(capsys, "check", "--today", "2028-06-01")
    assert code == 0 and f"stale: tmobile: source tmo-cancel last checked {checked}" in out
    later = checked + timedelta(days=181)
    code, out, _ = cli(capsys, "check", "--today", str(later), "--stale", "180")
    assert code == 0 and f"source tmo-cancel last checked {checked}" in out


def test_console_script_runs():
    exe = ROOT / ".venv" / "bin" / "simexit"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "simexit.cli"]
    done = subprocess.run([*cmd, "assess", "--carrier", "nope"], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "known carriers:" in done.stderr


def test_calculator_flags_and_ics(capsys, tmp_path, catalog):
    ics = tmp_path / "r.ics"
    code, out, _ = cli(
        capsys,
        "assess",
        "--carrier",
        "tmobile",
        "--today",
        "2026-11-24",
        "--bill-day",
        "3",
        "--leave-date",
        "2026-12-20",
        "--activation-date",
        "2025-09-01",
        "--paid-off-date",
        "2026-12-01",
        "--ics",
        str(ics),
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    # the Dec 3 renewal, less AutoPay's lead time, less three days for the port to go through
    lead = catalog.get("tmobile").plans["postpaid"].autopay_timing.lead_days()
    assert data["timing"]["best_date"] == str(date(2026, 12, 3) - timedelta(days=lead + 3))
    assert data["unlock"]["date"] == "2026-12-01"
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--bill-day", "32"], "--bill-day: Input should be less than or equal to 31"),
        (
            ["--activation-date", "2026-05-01", "--paid-off-date", "2026-01-01"],
            "--paid-off-date: the paid-off date",
        ),
        (
            ["--activation-date", "2026-05-01", "--paid-through", "2026-04-30"],
            "--paid-through: the paid-through date is before the activation date",
        ),
        (["--term-months", "0"], "--term-months: Input should be greater than or equal to 1"),
        (["--term-months", "40"], "--term-months: Input should be less than or equal to 36"),
        (
            ["--paid-through", "9999-12-31"],
            "argument --paid-through: 9999-12-31 is outside 2000-01-01 to 2100-12-31",
        ),
        (
            ["--purchase-date", "0001-01-01"],
            "argument --purchase-date: 0001-01-01 is outside 2000-01-01",
        ),
        (["--leave-date", "2026-02-30"], "argument --leave-date: '2026-02-30' is not a date"),
        (["--bill-day", "x"], "argument --bill-day: invalid int value"),
    ],
)
def test_bad_dates_exit_2(capsys, args, reason):
    code, _, err = cli(capsys, "assess", "--carrier", "tmobile", *args)
    assert code == 2 and err.startswith("simexit: " + reason) and err.count("\n") == 1
