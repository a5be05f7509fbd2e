"""What to say when a person has to be reached: English to read aloud, a Chinese gloss under each line.

These are simexit's own words (not carrier facts); the facts they ask about come from the checklist.
"""

from __future__ import annotations

from .models import ScriptLine

# (English, Chinese gloss). {carrier} is the carrier's name.
OPENING_CANCEL = (
    "Hi, I'd like to cancel my {carrier} service for the number ending in ____.",
    "你好，我想取消尾号为 ____ 的 {carrier} 服务。",
)
OPENING_PORT = (
    "Hi, I'm moving my number ending in ____ to another carrier. I need my account number and a "
    "number transfer PIN.",
    "你好，我要把尾号为 ____ 的号码转到其他运营商，需要账户号码和转号 PIN。",
)
DONT_CANCEL = (
    "Please don't cancel the line: the transfer will close it. Is there a port-out lock on my account?",
    "请不要取消这条线路：转号完成后它会自动关闭。我的账户有没有开启转号锁？",
)
# Who is speaking: only the account holder says so; a manager or authorized user says what they are.
VERIFY = {
    "owner": (
        "I'm the account holder. I can verify my identity with my account PIN.",
        "我是账户持有人，可以用账户 PIN 验证身份。",
    ),
    "manager": (
        "I'm a manager on this account, not the account holder. What may I do for this line myself?",
        "我是这个账户的管理员，不是账户持有人。这条线路我自己可以办理哪些事？",
    ),
    "authorized": (
        "I'm an authorized user on this account, not the account holder. What may I do myself?",
        "我是这个账户的授权用户，不是账户持有人。哪些事我可以自己办？",
    ),
}
# When the role may not act, the holder has to be on the call (or in the store) to verify.
HOLDER_PRESENT = (
    "The account holder is here with me and can verify their identity now.",
    "账户持有人就在我旁边，现在可以验证身份。",
)
ONE_LINE = (
    "Only this one line: please keep the rest of the account open.",
    "只处理这一条线路：账户和其他线路请保留。",
)
DECLINE = (
    "Thank you, but I've decided. Please don't add any offer or change to my account.",
    "谢谢，但我已经决定了。请不要给我的账户添加任何优惠或变更。",
)
CONFIRM = [
    ("What date does this take effect?", "这从哪一天开始生效？"),
    (
        "What will my final bill be, including any device balance and fees?",
        "最后一期账单是多少，包括剩余机款和各种费用？",
    ),
    ("Will AutoPay stop after the final bill?", "最后一期账单之后自动付款会停止吗？"),
    ("Could I have a confirmation number, and your name or ID?", "请给我一个确认号，以及你的名字或工号。"),
    ("Could you send that confirmation to me by email or text?", "能把确认信息通过邮件或短信发给我吗？"),
]


def call_script(
    carrier_name: str,
    keep_number: bool,
    role: str = "owner",
    holder_needed: bool = False,
    scope: str = "account",
) -> list[ScriptLine]:
    opening = OPENING_PORT if keep_number else OPENING_CANCEL
    lines = [
        opening,
        VERIFY[role],
        *([HOLDER_PRESENT] if holder_needed else []),
        *([ONE_LINE] if scope == "line" else []),
        *([DONT_CANCEL] if keep_number else []),
        DECLINE,
        *CONFIRM,
    ]
    return [
        ScriptLine(en=en.format(carrier=carrier_name), zh=zh.format(carrier=carrier_name)) for en, zh in lines
    ]
