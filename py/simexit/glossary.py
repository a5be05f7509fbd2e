"""Terms a user meets on a carrier's pages, in English and Chinese, linked from the checklist."""

from __future__ import annotations

from .models import Lang, Term

# key: (English term, Chinese term, English definition, Chinese definition)
TERMS: dict[str, tuple[str, str, str, str]] = {
    "transfer_pin": (
        "Transfer PIN / Number Transfer PIN",
        "转号 PIN",
        "A short code your current carrier gives you so a new carrier can take your number. It expires.",
        "现运营商提供的短密码，新运营商凭它把你的号码转走。有有效期。",
    ),
    "account_number": (
        "Account number",
        "账户号码",
        "The number of your account with the carrier (not your phone number), asked for in a transfer.",
        "你在运营商的账户号码（不是手机号），转号时需要提供。",
    ),
    "port_out": (
        "Port-out (number transfer)",
        "转号",
        "Moving your phone number to another carrier. The move itself ends your old line.",
        "把手机号码转到其他运营商。转号完成时旧线路自动结束。",
    ),
    "number_lock": (
        "Number lock / port-out protection",
        "转号锁",
        "A setting that blocks transfers of your number; switch it off before you port.",
        "阻止号码被转走的设置；转号前要先关闭。",
    ),
    "eip": (
        "Device payment plan (EIP, installments)",
        "手机分期付款（EIP）",
        "Paying for a phone in monthly parts on your bill. What is left usually comes due when you leave.",
        "在账单上按月分期支付手机款。离开时剩余部分通常需要付清。",
    ),
    "proration": (
        "Proration",
        "按天计费",
        "Charging only for the days of a billing cycle you used. Many carriers bill the whole last cycle.",
        "只按账单周期中实际使用的天数收费。很多运营商最后一个周期按全月收费。",
    ),
    "brp": (
        "Account owner / Billing Responsible Party",
        "账户持有人 / 账单负责人",
        "The person the account belongs to; often the only one who can cancel or get a transfer PIN.",
        "账户的所有者；通常只有此人能取消服务或获取转号 PIN。",
    ),
    "unlock": (
        "Unlocking",
        "解锁",
        "Removing the carrier lock so the phone works with other carriers' SIM cards.",
        "解除运营商锁，让手机能使用其他运营商的 SIM 卡。",
    ),
    "autopay": (
        "AutoPay / auto-renew",
        "自动付款 / 自动续费",
        "Automatic charges to your card each cycle; switch it off or it keeps charging.",
        "每个周期自动从银行卡扣款；不关闭会一直扣。",
    ),
    "lapse": (
        "Letting a prepaid plan lapse",
        "自然停机（不续费）",
        "Not paying for the next period, so the service ends; the number is later released.",
        "不再为下一周期付款，服务随之结束，号码之后会被释放。",
    ),
    "prepaid": (
        "Prepaid",
        "预付费",
        "Paying before each period of service; when you stop paying, the service ends.",
        "每个周期先付费再使用；停止付费，服务就结束。",
    ),
    "postpaid": (
        "Postpaid",
        "后付费",
        "Using the service first and paying a monthly bill for it.",
        "先使用服务，之后按月收到账单付费。",
    ),
}

# One Chinese term per concept: the term above is the one used everywhere (UI strings, the call script,
# carrier and common data); these variants of it are not (tests/test_glossary.py checks every zh text).
ZH_VARIANTS: dict[str, tuple[str, ...]] = {
    "transfer_pin": ("转出 PIN", "转出密码", "转号密码", "携号转网密码", "转网密码"),
    "account_number": ("账户编号", "账号号码", "帐户号码", "帐号"),
    "port_out": ("携号转网", "转网", "号码转移"),
    "number_lock": ("号码锁", "转出保护", "转出锁", "转网锁", "携号转网锁"),
    "brp": ("账户所有者", "账户所有人", "机主", "户主"),
    "unlock": ("解网", "网络解锁"),
    "autopay": ("自动扣款", "自动缴费", "自动支付"),
    "lapse": ("停充", "自然停止", "到期停用"),
    "prepaid": ("预付卡", "预存费"),
    "postpaid": ("后付卡", "月结套餐"),
}

# The term each kind of step is about.
STEP_TERMS = {
    "get_port_credentials": "transfer_pin",
    "port_out": "port_out",
    "disable_port_lock": "number_lock",
    "pay_device_balance": "eip",
    "unlock_device": "unlock",
    "turn_off_autopay": "autopay",
    "let_lapse": "lapse",
}


def term(key: str, lang: Lang) -> Term:
    en, zh, def_en, def_zh = TERMS[key]
    if lang == "zh":
        return Term(key=key, term=zh, other=en, definition=def_zh)
    return Term(key=key, term=en, other=zh, definition=def_en)


def glossary(keys: list[str], lang: Lang) -> list[Term]:
    return [term(k, lang) for k in dict.fromkeys(keys) if k in TERMS]
