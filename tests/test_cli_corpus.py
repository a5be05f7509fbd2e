"""Every flag of every command, fed a corpus of bad values: never a traceback, always one line.

The flags are read from the CLI's own parser, so a new flag is covered without touching this file.
"""

from __future__ import annotations

import argparse
import traceback

import pytest

from simexit import cli

BAD_VALUES = [
    "",
    " ",
    "-1",
    "0",
    "-0",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "99999999999999999999",
    "0x10",
    "1,000",
    "$5",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "26-01-01",
    "yesterday",
    "../../etc/passwd",
    "/dev/full/x",
    "\x00",
    "<script>alert(1)</script>",
    "ｔｍｏｂｉｌｅ",
    "T-Mobile",
    "x" * 5000,
    "%s%n",
    "{}",
    "[]",
]


def _flags() -> list[tuple[str, str]]:
    """(command, flag) for every option that takes a value."""
    parser = cli._parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = []
    for command, p in sub.choices.items():
        for action in p._actions:
            if action.option_strings and action.nargs != 0 and not isinstance(action, argparse._HelpAction):
                out.append((command, action.option_strings[0]))
            elif not action.option_strings and action.dest != "help":
                out.append((command, action.dest))  # a positional
    return out


FLAGS = _flags()


def test_the_corpus_reaches_every_flag():
    assert ("assess", "--paid-through") in FLAGS and ("assess", "--term-months") in FLAGS
    assert ("check", "--stale") in FLAGS and ("detect", "url") in FLAGS


@pytest.mark.parametrize(("command", "flag"), FLAGS, ids=[f"{c} {f}" for c, f in FLAGS])
def test_bad_values_never_crash(capsys, tmp_path, monkeypatch, command, flag):
    monkeypatch.chdir(tmp_path)  # --ics writes what it is given
    if command == "new-carrier":  # it writes a file: into a scratch folder, never into carriers/
        monkeypatch.setattr(cli.catalog_mod, "default_dir", lambda: tmp_path)
    base = {
        "assess": ["--carrier", "tmobile"],
        "detect": [],
        "carriers": [],
        "check": [],
        "verification": [],
        "new-carrier": ["corpus"],
    }
    for value in BAD_VALUES:
        value = value.replace("/dev/full/x", str(tmp_path / "missing" / "x"))
        argv = [command, *base[command], flag, value] if flag.startswith("--") else [command, value]
        if flag == "--carrier":
            argv = [command, flag, value]
        try:
            code = cli.main(argv)
        except BaseException:
            pytest.fail(f"{argv!r} raised:\n{traceback.format_exc()}")
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), argv
        assert "Traceback" not in err and "Traceback" not in out, argv
        if code == 2:
            assert err.startswith("simexit: ") and err.count("\n") == 1, (argv, err)
        assert "$-0.00" not in out
