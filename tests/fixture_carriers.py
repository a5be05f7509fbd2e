"""Small made-up carriers for the engine's rule tests: correcting a real fact never breaks these.

`carrier(plan={...})` gives a valid carrier whose plan facts are all sourced and known, with the
given plan keys replaced (an empty dict makes that fact unknown). Nothing here is a real carrier.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from simexit.models import Carrier, Common, Situation

CHECKED = date(2026, 11, 1)


def _t(en: str) -> dict[str, str]:
    return {"en": en, "zh": f"中文：{en}"}


def common() -> Common:
    def info(text: str, src: str = "gov") -> dict[str, Any]:
        return {"text": _t(text), "sources": [src]}

    return Common.model_validate(
        {
            "port_first": info("Port before you cancel."),
            "port_anyway": info("A balance owed does not stop a port."),
            "number_reassigned": info("Numbers are reassigned."),
            "port_locks": info("Port locks exist."),
            "unlock_code": info("Carriers unlock on request."),
            "click_to_cancel": info("The rule was vacated."),
            "keep_options": [
                {
                    "kind": "cheap-prepaid-fixa",
                    "text": _t("Fixture A sells a cheap plan."),
                    "sources": ["gov"],
                    "carrier": "fixa",
                },
                {
                    "kind": "cheap-prepaid-fixb",
                    "text": _t("Fixture B sells a cheap plan."),
                    "sources": ["gov"],
                    "carrier": "fixb",
                },
                {"kind": "abroad-sms-caveat", "text": _t("Texts may not arrive abroad."), "sources": ["gov"]},
                {"kind": "prepaid-expiry-rules", "text": _t("Prepaid credit expires."), "sources": ["gov"]},
            ],
            "number_dependencies": [
                {"kind": "bank-2fa", "text": _t("Banks text codes."), "sources": ["bank"]},
            ],
            "sources": {
                "gov": _src("https://www.fcc.gov/x", "regulator"),
                "bank": _src("https://bank.example.com/otp", "carrier"),
            },
        }
    )


def _src(url: str, kind: str = "carrier", confidence: str = "official", **extra: Any) -> dict[str, Any]:
    return {
        "url": url,
        "title": f"Page {url}",
        "checked": CHECKED,
        "confidence": confidence,
        "kind": kind,
        **extra,
    }


def _plan() -> dict[str, Any]:
    def flag(value: str) -> dict[str, Any]:
        return {"value": value, "sources": ["fx-help"]}

    return {
        "label": _t("Postpaid"),
        "online": {
            "line": {"verdict": "no", "sources": ["fx-help"]},
            "account": {"verdict": "no", "sources": ["fx-help"]},
        },
        "channels": [{"kind": "phone", "phone": "611", "sources": ["fx-help"]}],
        "who_may_cancel": {"roles": ["owner"], "sources": ["fx-help"]},
        "proration": flag("no"),
        "device_balance": {"line": "monthly", "account": "final_bill", "sources": ["fx-help"]},
        "prepaid_refund": flag("no"),
        "promotions_lost": flag("yes"),
        "data_lost": {"text": _t("Voicemail is deleted."), "sources": ["fx-help"]},
        "autopay_separate": flag("no"),
        "number_hold": {"days": 30, "sources": ["fx-help"]},
        "porting": {
            "credentials": {"text": _t("Account number and PIN."), "sources": ["fx-help"]},
            "account_number": {"text": _t("On the bill."), "sources": ["fx-help"]},
            "pin_ways": [{"kind": "app", "path": _t("Account > PIN"), "sources": ["fx-help"]}],
            "pin_validity": {"days": 7, "sources": ["fx-help"]},
            "pin_who": {"roles": ["owner"], "sources": ["fx-help"]},
            "locks": [{"name": _t("Number Lock"), "how_off": _t("App > Lock"), "sources": ["fx-help"]}],
            "closes_line": flag("yes"),
            "closes_account": flag("yes"),
        },
        "unlock": [
            {
                "text": _t("Unlocks after 60 days, paid off."),
                "days_active": 60,
                "paid_off": True,
                "sources": ["fx-help"],
            }
        ],
    }


def carrier(
    cid: str = "fixa", plan: dict[str, Any] | None = None, plan_type: str = "postpaid", **top: Any
) -> Carrier:
    body = _plan()
    for key, value in (plan or {}).items():
        body[key] = copy.deepcopy(value)
    data = {
        "id": cid,
        "name": _t(f"Fixture {cid}"),
        "domains": [f"{cid}.example.com"],
        "plans": {plan_type: body},
        "sources": {
            "fx-help": _src(f"https://{cid}.example.com/help"),
            "fx-blog": _src("https://someone.example.net/post", "personal", "unverified"),
            "fx-guide": _src("https://guide.example.org/x", "guide", "guide"),
            "fx-general": _src("https://porting.example.org/all", "guide", "guide", general=True),
        },
        **top,
    }
    # Unused fixture sources would be "never cited": cite each once from a harmless trap.
    cited = {s for v in [body] for s in _all_sources(v)}
    extra = [s for s in data["sources"] if s not in cited]
    if extra:
        body.setdefault("traps", []).append(
            {"kind": "fixture-note", "text": _t("Fixture note."), "sources": extra}
        )
    return Carrier.model_validate(data)


def _all_sources(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = list(node.get("sources", [])) if isinstance(node.get("sources"), list) else []
        for key, value in node.items():
            if key != "sources":
                out += _all_sources(value)
        return out
    if isinstance(node, list):
        return [s for item in node for s in _all_sources(item)]
    return []


def situation(cid: str = "fixa", **kw: Any) -> Situation:
    return Situation(carrier=cid, **kw)


def run(c: Carrier | None = None, common_facts: Common | None = None, **kw: Any):
    """The engine's assessment for a fixture carrier (the default one) and situation fields."""
    from simexit.assess import assess

    c = c or carrier()
    return assess(c, situation(c.id, **kw), common_facts or common())


def kinds(a) -> list[str]:
    return [s.kind for s in a.steps]


def warned(a) -> list[str]:
    return [w.kind for w in a.warnings]
