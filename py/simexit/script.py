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
    "请不要取消这条线路：转号完成后它会自动关闭。我的账户有没有开启转出锁？",
)
VERIFY = (
    "I'm the account holder. I can verify my identity with my account PIN.",
    "我是账户持有人，可以用账户 PIN 验证身份。",
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


def call_script(carrier_name: str, keep_number: bool) -> list[ScriptLine]:
    opening = OPENING_PORT if keep_number else OPENING_CANCEL
    lines = [opening, VERIFY, *([DONT_CANCEL] if keep_number else []), DECLINE, *CONFIRM]
    return [
        ScriptLine(en=en.format(carrier=carrier_name), zh=zh.format(carrier=carrier_name)) for en, zh in lines
    ]
