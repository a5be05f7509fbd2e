"""The one catalogue of UI strings, in English and Simplified Chinese: the engine's and renderers' own
words, the page's and the browser extension's (tests/test_strings.py finds any written elsewhere).

Carrier facts are not here: they live, already bilingual, in carriers/. Placeholders use str.format
and must be the same in both languages (a test checks).
"""

from __future__ import annotations

from .models import ChannelOut, Lang

# Keys the browser extension reads, beside the page: its scripts fetch them from strings/<lang>.json and the
# manifest names some (__MSG_name__), both written by the build (simexit.build.write_strings).
EXTENSION = "ext."

STRINGS: dict[str, tuple[str, str]] = {
    # step titles
    "step.backup": ("Save what you need from this line", "先备份这条线路上需要保留的内容"),
    "step.update_2fa": (
        "Move bank and account verification off this number",
        "把银行和各类账号的验证手机号换掉",
    ),
    "step.pay_device_balance": ("Plan for the remaining device balance", "处理剩余的手机分期款"),
    "step.unlock_device": ("Get the phone unlocked before you leave", "离开前先给手机解锁"),
    "step.disable_port_lock": ("Switch off the number transfer lock", "关闭转号锁"),
    "step.get_port_credentials": ("Get your account number and transfer PIN", "获取账户号码和转号 PIN"),
    "step.port_out": (
        "Start the number transfer at the new carrier (do not cancel first)",
        "在新运营商处发起转号（不要先销户）",
    ),
    "step.cancel": ("Cancel the service", "取消服务（销户）"),
    "step.cancel_after_port": ("Cancel what is left once the transfer is done", "转号完成后取消剩余服务"),
    "step.turn_off_autopay": ("Turn off automatic payments", "关闭自动付款"),
    "step.let_lapse": ("Let the service run out", "让服务到期自然停机"),
    "step.confirm_closed": (
        "Confirm the account is closed and check the final bill",
        "确认已销户并核对最后一期账单",
    ),
    # step details
    "step.return_device": ("Return the phone while the return window is open", "在退货期内退回手机"),
    "step.activate_keep_plan": (
        "Set up the low-cost plan that will hold your number",
        "开通用来保号的低价套餐",
    ),
    "step.test_codes_abroad": ("Test that codes reach you abroad", "测试在国外能否收到验证码"),
    "step.set_renewal_reminders": (
        "Set reminders to renew the plan that holds the number",
        "设置保号套餐的续费提醒",
    ),
    "step.confirm_line_closed": (
        "Confirm this line is gone and the account stays",
        "确认这条线路已注销、账户仍然保留",
    ),
    "detail.update_2fa_abroad": (
        "Even though you keep the number, texts may not reach you abroad: switch banks, email, Apple/Google, "
        "WeChat and Alipay to an authenticator app or email where they allow it, and keep the number only as a backup.",
        "即使保留号码，在国外也可能收不到短信：银行、邮箱、Apple/Google、微信、支付宝等能改用验证器 App 或邮箱的，都改过去，号码只作为备用。",
    ),
    "detail.return_device": (
        "Return it by {day} ({days} days from purchase) instead of paying it off. Restocking fee: {fee}.",
        "请在 {day} 前退回（购买后 {days} 天内），不必付清机款。重新上架费：{fee}。",
    ),
    "fee.unknown": ("not known", "未知"),
    "fee.range": ("{low} to {high}", "{low} 至 {high}"),
    "detail.keep_plan": (
        "Pick where the number will live (see the options below), buy that plan and ask it to transfer this number in, "
        "before the current plan renews.",
        "选好号码转去哪里（见下方选项），购买该套餐并让它把这个号码转入，要在当前套餐续费之前完成。",
    ),
    "detail.keep_plan_by": (
        "Pick where the number will live (see the options below), buy that plan and start the transfer there by {day}, "
        "before the current plan renews.",
        "选好号码转去哪里（见下方选项），购买该套餐并在 {day} 前发起转入，赶在当前套餐续费之前。",
    ),
    "keep.choice": (
        "Cheapest way to keep the number abroad that a source prices: {name}, {price} (about {yearly} a year).",
        "有来源标价的最便宜出国保号方式：{name}，{price}（一年约 {yearly}）。",
    ),
    "keep.price_days": ("{usd} per {days} days", "每 {days} 天 {usd}"),
    "keep.price_month": ("{usd} a month", "每月 {usd}"),
    "keep.price_months": ("{usd} per {months} months", "每 {months} 个月 {usd}"),
    "keep.price_with": ("{price} ({extra})", "{price}（{extra}）"),
    "keep.upfront": ("{months} months paid up front", "需一次预付 {months} 个月"),
    "keep.step1_by": (
        "1. Buy it and start moving your number there by {day}, before the current plan renews.",
        "1. 在 {day} 前购买并发起把号码转入，赶在当前套餐续费之前。",
    ),
    "keep.step1": (
        "1. Buy it and start moving your number there before the current plan renews.",
        "1. 在当前套餐续费之前购买并发起把号码转入。",
    ),
    "keep.step2_by": (
        "2. Once the number works there, turn off AutoPay on the old plan by {day}.",
        "2. 号码在新套餐能用后，在 {day} 前关闭旧套餐的自动付款。",
    ),
    "keep.step2": (
        "2. Once the number works there, turn off AutoPay on the old plan.",
        "2. 号码在新套餐能用后，关闭旧套餐的自动付款。",
    ),
    "keep.step3": (
        "3. Then cancel what is left of the old plan, or let it lapse, as the checklist says.",
        "3. 然后按清单取消旧套餐剩下的部分，或让它自然停机。",
    ),
    "keep.own_step1_by": (
        "1. Set it up on this line by {day}, before the current plan renews (how: see the ways to keep the number).",
        "1. 在 {day} 前为这条线路开通，赶在当前套餐续费之前（做法见保号办法）。",
    ),
    "keep.own_step1": (
        "1. Set it up on this line before the current plan renews (how: see the ways to keep the number).",
        "1. 在当前套餐续费之前为这条线路开通（做法见保号办法）。",
    ),
    "keep.own_step2": (
        "2. The number then stays with {carrier}: skip the transfer to another carrier.",
        "2. 这样号码留在 {carrier}，不需要转到其他运营商。",
    ),
    "keep.no_price": (
        "No source gives a price for a way to keep this number, so simexit cannot say which is cheapest: compare "
        "current prices, and move the number before the current plan renews.",
        "没有来源给出保号方式的价格，所以 simexit 无法判断哪种最便宜：请比较当前价格，并在当前套餐续费之前把号码转走。",
    ),
    "label.keep_choice": ("Recommended: {text}", "推荐：{text}"),
    "detail.test_codes_abroad": (
        "Before you fly, check the new plan works in the country you are going to (roaming or Wi-Fi calling), and "
        "ask a bank or app to send you a test code after you arrive.",
        "出发前确认新套餐在目的地国家能用（漫游或 Wi-Fi 通话），到达后让银行或 App 发一条测试验证码。",
    ),
    "detail.set_renewal_reminders": (
        "Put the new plan's renewal or top-up date in your calendar, with a reminder a week before: a lapsed plan can "
        "lose the number for good.",
        "把新套餐的续费或充值日期写进日历，并提前一周提醒：套餐过期可能永久失去号码。",
    ),
    "detail.autopay_after_port": (
        "Once the number works at the new carrier, switch off AutoPay and remove the saved card: the transfer closes "
        "the line, not the card on file.",
        "号码在新运营商能正常使用后，关闭自动付款并删除绑定的银行卡：转号关闭的是线路，不是绑定的卡。",
    ),
    "detail.autopay_lead": (
        "AutoPay charges about {hours} hours before the renewal date, so switch it off before that.",
        "自动付款会在续费日前约 {hours} 小时扣款，所以要在那之前关闭。",
    ),
    "detail.autopay_cutoff": (
        "A change made less than {hours} hours before the renewal only counts for the following cycle.",
        "在续费前不足 {hours} 小时所做的更改只对下一个周期生效。",
    ),
    "detail.lapse": (
        "Do not renew: the service ends after the last paid day.",
        "不要续费：服务在最后一个已付费日之后结束。",
    ),
    "detail.confirm_line": (
        "Check that this number no longer appears on the account, that the other lines still work, and that the next "
        "bill no longer charges for it.",
        "确认账户里已没有这个号码、其他线路仍正常使用，并且下一期账单不再收取这条线路的费用。",
    ),
    "warn.return_window": (
        "If you bought the phone from this carrier in the last {days} days, you can return it instead of paying it "
        "off (restocking fee: {fee}).",
        "如果手机是最近 {days} 天内在该运营商购买的，可以退货而不必付清机款（重新上架费：{fee}）。",
    ),
    "warn.still_locked": (
        "Your phone cannot be unlocked before {day}: abroad it will not work with a local SIM until then.",
        "你的手机在 {day} 之前无法解锁：在此之前到了国外也不能用当地的 SIM 卡。",
    ),
    "warn.still_locked_unknown": (
        "When this phone can be unlocked is not known from your answers: if it is still locked when you leave, it "
        "will not work with a SIM card abroad.",
        "根据你的回答无法确定手机何时能解锁：如果离开时手机仍是锁定状态，到国外将无法使用当地 SIM 卡。",
    ),
    "warn.multi_month": (
        "This carrier sells plans of {months} months paid up front: enter the last paid day so the dates fit your term.",
        "该运营商的套餐是一次预付 {months} 个月的：请填写已付费的最后一天，日期才会符合你的套餐期。",
    ),
    "warn.unused_months": (
        "You have paid through {day}; unused months are not refunded.",
        "你已付费到 {day}；未用完的月份不退款。",
    ),
    "warn.etf": (
        "Some contracts with this carrier carry an early-termination fee.",
        "该运营商的部分合约有提前解约费。",
    ),
    "warn.renewal_before_leaving": (
        "To keep service until you leave, the renewal on {day} will still be charged.",
        "为了在离开前一直有服务，{day} 的续费仍会被扣款。",
    ),
    "unlock.payoff_wait": (
        "The unlock waits {days} more days after the payoff.",
        "付清后还要再等 {days} 天才解锁。",
    ),
    "unlock.on_request": (
        "It is not automatic: ask the carrier for the unlock once you qualify.",
        "不会自动解锁：符合条件后需要向运营商申请。",
    ),
    "timing.renewal": (
        "The next renewal that matters is on {next_bill}; act before it is charged.",
        "需要注意的下一次续费在 {next_bill}；要在扣款前办理。",
    ),
    "timing.lead_time": (
        "AutoPay takes its charge, or stops accepting changes, {days} day(s) before the renewal: the deadline moves "
        "earlier by that much.",
        "自动付款会在续费日前 {days} 天扣款或不再接受更改：截止日期要相应提前。",
    ),
    "timing.lapse_after_leaving": (
        "Service lasts through the last paid day, which is after you leave on {leave}.",
        "服务会持续到最后一个已付费日，该日在你 {leave} 离开之后。",
    ),
    "timing.one_more_renewal": (
        "A renewal falls before you leave: keeping service until {leave} costs one more period.",
        "离开前还会遇到一次续费：想在 {leave} 前一直有服务，就要再付一期。",
    ),
    "bill.restocking_fee": (
        "Restocking fee if you return the phone (at most)",
        "退回手机的重新上架费（最高）",
    ),
    "detail.backup_generic": (
        "Export contacts, photos and messages you want to keep, and download recent bills.",
        "导出要保留的联系人、照片和短信，并下载最近几期账单。",
    ),
    "detail.update_2fa": (
        "Change the phone number on your bank and card accounts, email, Apple/Google account recovery, "
        "WeChat, Alipay and school or government logins while you can still receive codes.",
        "趁还能收到验证码，把银行卡、邮箱、Apple/Google 账号找回、微信、支付宝以及学校和政府账号绑定的手机号改掉。",
    ),
    "detail.balance_final_bill": (
        "The remaining ${amount} is charged in full on the final bill.",
        "剩余的 ${amount} 会在最后一期账单一次性收取。",
    ),
    "detail.balance_monthly": (
        "The remaining ${amount} keeps being billed monthly while the account stays open.",
        "只要账户还在，剩余的 ${amount} 会继续按月收取。",
    ),
    "detail.balance_unknown": (
        "You still owe the remaining ${amount}; when it is charged is not known: ask the carrier.",
        "剩余的 ${amount} 仍需支付；何时收取未知，请向运营商确认。",
    ),
    "detail.unlock_generic": (
        "{carrier}'s own unlock rule is not known. Ask for the unlock before the line ends.",
        "{carrier} 自己的解锁规则未知。请在线路结束前申请解锁。",
    ),
    "detail.lock_unknown": (
        "Check in your account whether a number lock or port protection is on, and switch it off.",
        "在账户里检查是否开启了转号锁，如开启请关闭。",
    ),
    "detail.credentials_unknown": (
        "How {carrier} issues transfer credentials is not known; ask the carrier for your account number "
        "and transfer PIN or passcode.",
        "{carrier} 如何提供转号信息未知；请向运营商索取账户号码和转号 PIN 或密码。",
    ),
    "detail.valid_days": ("The PIN is valid for {days} days.", "PIN 有效期为 {days} 天。"),
    "detail.valid_unknown": ("How long the PIN stays valid is not known.", "PIN 有效期未知。"),
    "detail.account_number": ("Account number: {text}", "账户号码：{text}"),
    "detail.port_out": (
        "Give the new carrier your number, account number and PIN. Keep this line active and paid until "
        "the number works on the new carrier.",
        "把号码、账户号码和 PIN 提供给新运营商。在号码能在新运营商正常使用之前，保持这条线路有效并按时付款。",
    ),
    "detail.port_closes_line": (
        "The transfer ends the old line by itself: there is nothing to cancel for it.",
        "转号完成后旧线路会自动结束，无需另外取消。",
    ),
    "detail.port_close_unknown": (
        "Whether the transfer ends the old line by itself is not known; check before you cancel anything.",
        "转号后旧线路是否自动结束未知；取消任何东西前先确认。",
    ),
    "detail.channels": ("How:", "方式："),
    "detail.no_channel": (
        "No source gives a way to cancel; contact {carrier}.",
        "没有来源说明如何取消；请联系 {carrier}。",
    ),
    "detail.only_role": (
        "Only {roles} can do this; ask them to.",
        "只有{roles}可以办理，请让其操作。",
    ),
    "detail.autopay": (
        "Switch off AutoPay / auto-renew so nothing is charged after you leave.",
        "关闭自动付款 / 自动续费，避免离开后继续扣款。",
    ),
    "detail.confirm": (
        "Ask for a confirmation number, keep it, and check that the final bill matches what you were told.",
        "索取并保存确认号，核对最后一期账单与告知的金额一致。",
    ),
    "detail.confirm_lapse": (
        "After the last paid day, check that no new charge appears and that the account shows as ended.",
        "最后付费日过后，确认没有新的扣款，且账户显示服务已结束。",
    ),
    "detail.confirm_account": (
        "If other lines or the account itself remain, they are not closed by the transfer.",
        "如果还有其他线路或账户本身，转号不会把它们一并关闭。",
    ),
    # warnings
    "warn.number_loss": (
        "You will lose this phone number.",
        "你将失去这个手机号码。",
    ),
    "warn.number_hold": (
        "It can be recovered for about {days} days after service ends.",
        "服务结束后大约 {days} 天内还可以找回。",
    ),
    "warn.balance": (
        "Device balance of ${amount}: {when}",
        "剩余机款 ${amount}：{when}",
    ),
    "warn.role_cancel": (
        "As {role} you may not cancel: only {roles} can.",
        "你作为{role}不能取消，只有{roles}可以。",
    ),
    "warn.role_pin": (
        "As {role} you may not get the transfer PIN: only {roles} can.",
        "你作为{role}不能获取转号 PIN，只有{roles}可以。",
    ),
    "warn.role_unknown": (
        "No source says whether {role} may do this; the account owner may have to.",
        "没有来源说明{role}能否办理；可能需要账户持有人操作。",
    ),
    "warn.prepaid_lost": (
        "The remaining prepaid balance of ${amount} is not refunded.",
        "剩余的 ${amount} 预付余额不予退还。",
    ),
    "warn.prepaid_unknown": (
        "Whether the remaining prepaid balance of ${amount} is refunded is not known: assume it is lost.",
        "剩余的 ${amount} 预付余额是否退还未知：请按拿不回来考虑。",
    ),
    "warn.no_proration": (
        "The last billing cycle is charged in full: cancelling mid-cycle saves nothing.",
        "最后一个账单周期按全月收费：周期中途取消省不了钱。",
    ),
    "warn.promotions": (
        "Promotional credits and multi-line discounts can end with the line.",
        "促销抵扣和多线折扣可能随线路一起失效。",
    ),
    "warn.sources_disagree": ("Sources disagree: {text}", "来源说法不一：{text}"),
    # unknowns
    "unknown.online": ("Whether this can be done online", "能否在网上办理"),
    "unknown.who_may_cancel": ("Who on the account may cancel", "账户中谁可以取消"),
    "unknown.pin_validity": ("How long the transfer PIN is valid", "转号 PIN 的有效期"),
    "unknown.pin_who": ("Who may get the transfer PIN", "谁可以获取转号 PIN"),
    "unknown.proration": ("Whether the last cycle is prorated", "最后一个周期是否按天计费"),
    "unknown.device_balance": ("When the device balance is charged", "机款何时收取"),
    "unknown.prepaid_refund": ("Whether unused prepaid balance is refunded", "未用完的预付余额是否退还"),
    "unknown.number_hold": (
        "How long the number can be recovered after service ends",
        "服务结束后号码可找回的时长",
    ),
    "unknown.data_lost": ("What is deleted when service ends", "服务结束时会删除哪些内容"),
    "unknown.credentials": ("How to get transfer credentials", "如何获取转号信息"),
    "unknown.closes_line": ("Whether the transfer ends the old line by itself", "转号后旧线路是否自动结束"),
    "unknown.text": (
        "Unknown: no source found. Ask the carrier and keep a record.",
        "未知：没有找到来源。请向运营商确认并留存记录。",
    ),
    # the page, popup and overlay
    "ui.title": ("simexit: close a US phone line safely", "simexit：安全注销美国手机号"),
    "ui.tagline": (
        "Pick your carrier and answer a few questions: whether you can cancel online, the safe order, the cost "
        "and what you lose. Every fact shows its source and the date it was checked.",
        "选择运营商并回答几个问题：能否网上取消、安全的操作顺序、费用以及会失去什么。每条信息都标明来源和核实日期。",
    ),
    "ui.lang_toggle": ("中文", "English"),
    "ui.lang_toggle_label": ("Switch to Chinese", "切换到英文"),
    "ui.form": ("Your situation", "你的情况"),
    "ui.carrier": ("Carrier", "运营商"),
    "ui.carrier_hint": ("Type an English or Chinese name", "输入英文或中文名称"),
    "ui.url": ("…or paste the address of your carrier account page", "…或粘贴运营商账户页面的网址"),
    "ui.url_button": ("Find carrier", "识别运营商"),
    "ui.url_none": (
        "That address is not a page of a carrier simexit knows.",
        "该网址不属于 simexit 收录的运营商。",
    ),
    "ui.carrier_none": ("No carrier matches that name.", "没有与该名称匹配的运营商。"),
    "ui.plan": ("Plan type", "套餐类型"),
    "ui.scope": ("What do you want to close?", "你要关闭什么？"),
    "ui.scope.line": ("One line", "一条线路"),
    "ui.scope.account": ("The whole account", "整个账户"),
    "ui.keep": ("Keep your phone number?", "要保留手机号码吗？"),
    "ui.keep.yes": ("Yes, move it to another carrier", "要，转到其他运营商"),
    "ui.keep.no": ("No, let it go", "不要，放弃号码"),
    "ui.role": ("Your role on the account", "你在账户中的身份"),
    "ui.role.owner": ("Account owner (pays the bill)", "账户持有人（付账单的人）"),
    "ui.role.manager": ("Account manager", "账户管理员"),
    "ui.role.authorized": ("Authorized user", "授权用户"),
    "ui.device_balance": ("Remaining phone installment balance (USD)", "剩余手机分期款（美元）"),
    "ui.prepaid_balance": ("Unused prepaid balance (USD)", "未用完的预付余额（美元）"),
    "ui.state": ("State of your service address", "服务地址所在州"),
    "ui.state.none": ("Not given", "未填写"),
    "ui.enrolled": ("I ordered the service online", "我是在网上开通的服务"),
    "ui.port_lock": ("Is a number lock or port protection on?", "是否开启了转号锁？"),
    "ui.port_lock.yes": ("Yes", "是"),
    "ui.port_lock.no": ("No", "否"),
    "ui.port_lock.unknown": ("Not sure", "不确定"),
    "ui.leaving": ("I am leaving the US", "我要离开美国"),
    "ui.copy_md": ("Copy as Markdown", "复制为 Markdown"),
    "ui.ics": ("Add reminders to my calendar (.ics)", "把提醒加入日历（.ics）"),
    "ui.ics_none": (
        "Enter your bill day, leaving date or activation date first: there is no date to remind you of yet.",
        "请先填写账单日、离开日期或激活日期：目前还没有可提醒的日期。",
    ),
    "ui.dates_out_of_order": (
        "Two dates contradict each other (paid off or paid through before the phone was activated or bought); "
        "please check them. Your other answers are kept.",
        "有两个日期互相矛盾（付清日期或已付费截止日早于手机激活或购买日期），请检查。其他答案已保留。",
    ),
    "ui.dates": ("Dates (optional): the day to act by, unlock date", "日期（可选）：最晚办理日、解锁日期"),
    "ui.bill_day": ("Day of the month your bill starts a new cycle", "每月账单周期开始的日子（几号）"),
    "ui.leave_date": (
        "Last day you need this service (e.g. your flight)",
        "最后需要这项服务的日子（如航班日期）",
    ),
    "ui.activation_date": ("When the phone was first used on this carrier", "手机首次在该运营商使用的日期"),
    "ui.paid_off_date": ("When the phone is (or will be) paid off", "手机付清（或将付清）的日期"),
    "ui.purchase_date": (
        "When you bought the phone (for the return window)",
        "购买手机的日期（用于计算退货期）",
    ),
    "ui.paid_through": ("Last day you have already paid for", "已付费的最后一天"),
    "ui.term_months": ("Length of the plan you bought", "所购套餐的期限"),
    "ui.months": ("{months} months", "{months} 个月"),
    "ui.copied": ("Copied to the clipboard.", "已复制到剪贴板。"),
    "ui.print": ("Print", "打印"),
    "ui.reset": ("Clear my answers", "清除我的答案"),
    "ui.loading": (
        "Starting the assessment engine in your browser… the checklist below is already up to date for the "
        "default answers.",
        "正在浏览器中启动评估引擎……下面的清单已按默认答案显示。",
    ),
    "ui.engine_failed": (
        "The assessment engine could not start in this browser, so your answers cannot be applied here. "
        "The checklist below is the one for the default answers.",
        "评估引擎无法在此浏览器中启动，因此无法按您的答案更新。下面是按默认答案生成的清单。",
    ),
    "ui.notice_corrupt": (
        "Your saved answers could not be read, so they were reset.",
        "保存的答案无法读取，已重置。",
    ),
    "ui.notice_reset_carriers": (
        "Your saved answers for {names} could not be read, so they were reset; your other carriers, and "
        "the contact log entries that could be read, are kept.",
        "{names} 的已保存答案无法读取，已重置；其他运营商的记录和能读取的联系记录都已保留。",
    ),
    "ui.save_failed": (
        "Your progress could not be saved in this browser (its storage is full or blocked). The page still "
        "works, but your answers and ticks will be gone when you close it.",
        "无法在本浏览器中保存进度（存储空间已满或被禁用）。页面仍可使用，但关闭后你的答案和勾选会丢失。",
    ),
    "ui.privacy": (
        "simexit runs entirely in your browser: no server, no analytics. Answers are saved only in this browser.",
        "simexit 完全在你的浏览器中运行：没有服务器，没有统计。答案只保存在本浏览器中。",
    ),
    # the browser extension: its scripts and manifest name these without "ext." (i18n.extension_strings)
    "ext.name": ("simexit: leave your US carrier safely", "simexit：安全注销美国手机号"),
    "ext.description": (
        "The safe order of steps to close a US mobile line or account, with sources, on your carrier's pages. Nothing leaves your browser.",
        "在运营商自己的账户页面上显示注销美国手机线路或账户的安全步骤顺序，每条都有出处。数据不离开你的浏览器。",
    ),
    "ext.overlay_title": ("simexit checklist", "simexit 清单"),
    "ext.overlay_collapse": ("Hide", "收起"),
    "ext.overlay_expand": ("simexit checklist", "simexit 清单"),
    "ext.overlay_off": ("Turn off on {site}", "在 {site} 上关闭"),
    "ext.overlay_here": ("This step fits the page you are on.", "这一步对应你当前所在的页面。"),
    "ext.overlay_guide": (
        "simexit only guides: it never clicks, fills in or sends anything on this page. Change your answers with the simexit button in the toolbar.",
        "simexit 只做指引：不会在本页面上点击、填写或提交任何内容。要修改你的回答，请点工具栏里的 simexit 按钮。",
    ),
    "ext.overlay_default": (
        "This is the checklist for the usual answers; open simexit from the toolbar to match it to your situation.",
        "这是按常见情况给出的清单；从工具栏打开 simexit，可按你的情况调整。",
    ),
    "ext.overlay_other_lang": (
        "Your answers were last used in the other language; open simexit from the toolbar to refresh this checklist.",
        "你的回答上次是在另一种语言下使用的；从工具栏打开 simexit 即可刷新这份清单。",
    ),
    "ext.page_signin": ("sign-in page", "登录页面"),
    "ext.page_account": ("account page", "账户页面"),
    "ext.page_billing": ("billing page", "账单页面"),
    "ext.page_line": ("line settings page", "线路设置页面"),
    "ext.page_transfer_pin": ("transfer PIN page", "转号 PIN 页面"),
    "ext.page_cancel": ("cancellation page", "销户页面"),
    "ext.page_support": ("help page", "帮助页面"),
    "ext.page_other": ("carrier site", "运营商网站"),
    "ext.popup_site_on": ("Show the checklist on {site}", "在 {site} 上显示清单"),
    "ext.popup_static": (
        "This browser cannot run simexit's engine inside an extension, so this is your saved checklist. To change your answers, use the simexit page.",
        "此浏览器无法在扩展里运行 simexit 的引擎，这里显示的是你保存的清单。要修改回答，请使用 simexit 网页。",
    ),
    "ext.popup_no_carrier": (
        "Open your carrier's account page to see its checklist here.",
        "打开运营商的账户页面，即可在这里看到对应清单。",
    ),
    # unlock calculator
    "unlock.rule": (
        "Rule in force for phones activated from {since}.",
        "适用于 {since} 起激活的手机的规则。",
    ),
    "unlock.rule_undated": (
        "The carrier's rule (no start date in the sources).",
        "运营商的规则（来源未注明生效日期）。",
    ),
    "unlock.days": ("{days} days of service from {start}.", "自 {start} 起使用满 {days} 天。"),
    "unlock.paid_off": ("Device paid off on {day}.", "机款于 {day} 付清。"),
    "unlock.missing_activation": (
        "Enter the activation date to get a date.",
        "填写激活日期即可算出日期。",
    ),
    "unlock.missing_paid_off": (
        "Unlockable only once the device is paid off: enter the paid-off date.",
        "机款付清后才能解锁：请填写付清日期。",
    ),
    "unlock.earliest": ("Earliest unlock: {day}.", "最早可解锁日期：{day}。"),
    # timing
    "timing.need_dates": (
        "Enter your bill day (or the last paid day) and the day you leave to get the day to act by.",
        "填写账单日（或已付费的最后一天）和离开日期，即可算出最晚办理日期。",
    ),
    "timing.prorated": (
        "The last cycle is prorated: waiting costs only the days you use.",
        "最后一个周期按天计费：晚办只多付使用的天数。",
    ),
    "timing.too_late_this_cycle": (
        "It is too late to finish before this cycle's bill date; the next chance is before {next_bill}.",
        "本周期账单日前已来不及办完；下一次机会是在 {next_bill} 之前。",
    ),
    "timing.before_leaving": (
        "Finish while you are still in the US (you leave on {leave}).",
        "在离开美国前办完（你在 {leave} 离开）。",
    ),
    "timing.port_margin": (
        "Allow 3 days for the transfer: a simple port takes up to one business day.",
        "为转号预留 3 天：简单转号最多需要 1 个工作日。",
    ),
    "timing.cancel_margin": ("Allow a day for the cancellation to go through.", "为取消预留 1 天处理时间。"),
    "timing.any_day": ("Any day works; earlier costs nothing extra.", "哪天都可以，早办不会多花钱。"),
    "bill.last_cycle_no": ("Last cycle: charged in full", "最后一个周期：按全月收费"),
    "bill.last_cycle_yes": ("Last cycle: prorated to the days used", "最后一个周期：按使用天数计费"),
    "bill.last_cycle_unknown": (
        "Last cycle: whether it is prorated is not known",
        "最后一个周期：是否按天计费未知",
    ),
    "bill.prepaid_forfeit": ("Prepaid balance lost", "损失的预付余额"),
    # calendar reminders
    "ics.port_by": ("Last safe day to transfer your {carrier} number", "转出 {carrier} 号码的最后安全日期"),
    "ics.cancel_by": ("Last safe day to cancel {carrier}", "取消 {carrier} 的最后安全日期"),
    "ics.get_pin": (
        "Get the transfer PIN (valid {days} days)",
        "获取转号 PIN（有效期 {days} 天）",
    ),
    "ics.final_bill": ("Check the final {carrier} bill", "核对 {carrier} 最后一期账单"),
    "ics.confirm_closed": (
        "Confirm the {carrier} account is closed and AutoPay stopped",
        "确认 {carrier} 账户已关闭、自动付款已停止",
    ),
    "ics.unlock": ("Your phone can be unlocked from today", "从今天起手机可以解锁"),
    "ics.description": ("From your simexit checklist. Sources:", "来自你的 simexit 清单。来源："),
    # labels
    "verdict.yes": ("Yes", "可以"),
    "verdict.partial": ("Partly", "部分可以"),
    "verdict.no": ("No", "不可以"),
    "verdict.unknown": ("Unknown", "未知"),
    "role.owner": ("the account owner", "账户持有人"),
    "role.manager": ("an account manager", "账户管理员"),
    "role.authorized": ("an authorized user", "授权用户"),
    "channel.web": ("Website", "网站"),
    "channel.app": ("App", "App"),
    "channel.chat": ("Chat", "在线客服"),
    "channel.phone": ("Phone", "电话"),
    "channel.store": ("Store", "门店"),
    "channel.lapse": ("Let it lapse", "停止付款自然停机"),
    "channel.dial": ("Dial", "拨号"),
    "channel.text": ("Text", "短信"),
    "channel.email": ("Email", "邮件"),
    "scope.line": ("this line", "这条线路"),
    "scope.account": ("the whole account", "整个账户"),
    "due.final_bill": ("charged in full on the final bill", "在最后一期账单一次性收取"),
    "due.monthly": ("keeps billing monthly", "继续按月收取"),
    "due.unknown": ("when it is charged is not known", "何时收取未知"),
    "confidence.official": ("official", "官方"),
    "confidence.guide": ("guide", "指南"),
    "confidence.unverified": ("unverified", "未证实"),
    "label.online": ("Can I cancel online?", "能在网上取消吗？"),
    "label.channels": ("Ways to cancel", "取消方式"),
    "label.steps": ("Checklist, in this order", "操作清单（按顺序）"),
    "label.warnings": ("Watch out", "注意"),
    "label.costs": ("Money", "费用"),
    "label.unknowns": ("Not known", "尚不清楚"),
    "label.sources": ("Sources", "来源"),
    "label.checked": ("checked", "核实于"),
    "label.port_kit": ("Number transfer kit", "转号信息"),
    "label.device_balance": ("Device balance", "剩余机款"),
    "label.prepaid_forfeit": ("Prepaid balance you lose", "将损失的预付余额"),
    "label.prorated": ("Last cycle prorated", "最后周期按天计费"),
    "label.none": ("none", "无"),
    "label.myths": ("Common myths", "常见误区"),
    "label.claim": ("Claim", "说法"),
    "label.truth": ("What the sources say", "来源怎么说"),
    "label.legal": ("Law", "法规"),
    "label.credentials": ("What the new carrier needs", "新运营商需要的信息"),
    "label.account_number": ("Account number", "账户号码"),
    "label.pin_ways": ("How to get the PIN", "如何获取 PIN"),
    "label.pin_validity": ("PIN valid for", "PIN 有效期"),
    "label.pin_who": ("Who can get it", "谁可以获取"),
    "label.locks": ("Locks to switch off", "需关闭的锁"),
    "label.closes_line": ("The transfer ends the old line", "转号后旧线路自动结束"),
    "label.days": ("{days} days", "{days} 天"),
    "label.unknown": ("unknown", "未知"),
    "label.unlock": ("Unlocking", "解锁"),
    "label.timing": ("When to act, and the final bill", "何时办理，以及最后一期账单"),
    "label.script": ("What to say (read the English aloud)", "通话话术（英文照读，中文为释义）"),
    "label.glossary": ("Terms", "术语"),
    "label.log": ("My contact log", "我的联系记录"),
    "label.dependencies": ("Before the number goes: what uses it", "号码停用前：哪些账号在用它"),
    "label.keep_options": ("Keeping the number without the plan", "不要套餐但保留号码的办法"),
    "log.date": ("Date", "日期"),
    "log.time": ("Time", "时间"),
    "log.channel": ("Channel (phone, chat, store)", "方式（电话、在线客服、门店）"),
    "log.agent": ("Agent name or ID", "客服姓名或工号"),
    "log.confirmation": ("Confirmation number", "确认号"),
    "log.notes": ("Notes", "备注"),
    "log.add": ("Add to my log", "加入记录"),
    "log.hint": (
        "Write down every call or chat: it is your evidence if the final bill is wrong. Saved only in this browser.",
        "记下每次通话或在线沟通：如果最后账单有误，这就是你的证据。只保存在本浏览器中。",
    ),
    "label.best_date": ("Act by", "最晚办理日期"),
    "label.autopay_off_by": ("AutoPay off by", "关闭自动付款的截止日期"),
    "label.return_by": ("Return the phone by", "退回手机的截止日期"),
    "label.deadline": ("Do this by {day}", "请在 {day} 前完成"),
    "label.stale": ("may be out of date", "可能已过时"),
    "label.restocking_fee": ("Restocking fee if you return the phone", "退回手机的重新上架费"),
    "label.etf_max": ("Early-termination fee (at most)", "提前解约费（最高）"),
    "label.unlock_date": ("Earliest unlock", "最早解锁日期"),
    "label.lead": ("Lead", "线索"),
    "label.tri.yes": ("yes", "是"),
    "label.tri.no": ("no", "否"),
    "label.tri.unknown": ("unknown", "未知"),
    "label.disclaimer": (
        "A guide, not legal advice. Facts were checked on the dates shown; carriers change their rules.",
        "仅供参考，不构成法律建议。信息按所示日期核实，运营商规则可能变化。",
    ),
    # the answer card, folding, jump links, timeline
    "answer.heading": ("Your answer", "结论"),
    "answer.port": (
        "Keep your number: transfer it to the new carrier first; do not cancel",
        "保留号码：先转到新运营商，不要先销户",
    ),
    "answer.port_leaving": (
        "Keep your number: move it to a low-cost plan before you leave; do not cancel",
        "出国保号：出发前把号码转到低价套餐，不要先销户",
    ),
    "answer.lapse": (
        "Stop paying is the way out: turn off AutoPay and let it run out",
        "停止付费即可退出：关闭自动付款，让服务到期",
    ),
    "answer.lapse_by": (
        "Stop paying is the way out: turn off AutoPay by {day}",
        "停止付费即可退出：请在 {day} 前关闭自动付款",
    ),
    "answer.cancel_yes": ("Cancel online: it can be done on the carrier's site", "网上即可销户"),
    "answer.cancel_partial": (
        "Cancel: partly online, the rest by phone or chat",
        "销户：部分可在网上办理，其余需打电话或在线客服",
    ),
    "answer.cancel_no": (
        "Cancel by phone or in a store: it cannot be done online",
        "销户需打电话或去门店：不能在网上办理",
    ),
    "answer.cancel_unknown": (
        "Cancel through the carrier: no source says whether online works",
        "通过运营商销户：没有来源说明能否在网上办理",
    ),
    "answer.cancel_yes_line": (
        "Remove this line online; the account stays",
        "网上即可取消这条线路，账户保留",
    ),
    "answer.cancel_partial_line": (
        "Remove this line: partly online, the rest by phone or chat",
        "取消这条线路：部分可在网上办理，其余需打电话或在线客服",
    ),
    "answer.cancel_no_line": (
        "Remove this line by phone or in a store; the account stays",
        "取消这条线路需打电话或去门店，账户保留",
    ),
    "answer.cancel_unknown_line": (
        "Remove this line through the carrier; the account stays",
        "通过运营商取消这条线路，账户保留",
    ),
    "answer.next": ("Next", "下一步"),
    "answer.keep_with": ("{step}: {name}, about {yearly} a year", "{step}：{name}，每年约 {yearly}"),
    "answer.no_dates": (
        "Add your bill day and leave date (More questions) to get the deadlines.",
        "填写账单日和离开日期（更多问题）即可算出截止日期。",
    ),
    "frame.port": (
        "You are keeping your number, so you do not cancel first: this only matters for what is left after the transfer.",
        "你要保留号码，所以不要先销户：这一项只关系到转号完成后剩下的服务。",
    ),
    "frame.port_closes": (
        "You are keeping your number, so you do not cancel: the transfer itself ends the old line.",
        "你要保留号码，所以不用销户：转号完成后旧线路会自动结束。",
    ),
    "frame.lapse": (
        "You do not need to cancel: letting the service run out ends it.",
        "你不需要销户：让服务到期即可结束。",
    ),
    "label.not_entered": ("not entered", "未填写"),
    "fold.costs": ("{count} in all; amounts only where you entered them", "{count} 项；只显示你填写的金额"),
    "fold.costs_due": ("Device balance {amount}", "剩余机款 {amount}"),
    "fold.count": ("{count} in all", "共 {count} 项"),
    "jump.label": ("Sections", "章节"),
    "jump.steps": ("Checklist", "清单"),
    "jump.costs": ("Money", "费用"),
    "jump.port-kit": ("Transfer kit", "转号信息"),
    "jump.script": ("What to say", "通话话术"),
    "jump.sources": ("Sources", "来源"),
    "tl.label": ("Dates, in order", "日期（按先后）"),
    "tl.today": ("Today", "今天"),
    "tl.return_by": ("Return by", "退货截止"),
    "tl.autopay_off_by": ("AutoPay off", "关自动付款"),
    "tl.best_date": ("Act by", "最晚办理"),
    "tl.renewal": ("Renewal", "续费日"),
    "tl.leave_date": ("Leave", "离开"),
    "tl.unlock_date": ("Unlock", "解锁"),
    "ui.skip": ("Skip to the answer", "跳到结论"),
    "ui.more": ("More questions: plan, role, balances, dates", "更多问题：套餐、身份、余额、日期"),
    "ui.reset_ask": ("Clear all answers and ticks for this carrier?", "要清除这家运营商的所有答案和勾选吗？"),
    "ui.reset_yes": ("Yes, clear", "确认清除"),
    "ui.reset_no": ("Keep them", "保留"),
    "ui.reset_done": ("Your answers were cleared.", "答案已清除。"),
    "ui.undo": ("Undo", "撤销"),
    # the short page: what a folded step, warning or verdict says on its one line (appended: answer-ui)
    "more.details": ("Details", "详情"),
    "more.sources": ("Sources", "来源"),
    "fold.log": ("Entries: {count}", "共 {count} 条"),
    "fold.log_empty": ("Nothing recorded yet", "尚无记录"),
    "print.heading": ("simexit exit plan: {what}", "simexit 销户计划：{what}"),
    "report.link": ("Report a wrong fact", "报告错误信息"),
    "report.copy": ("Copy report", "复制报告"),
    "report.how": (
        "The project has no public tracker yet: copy this report (it holds none of your answers) and send it to the maintainers.",
        "本项目还没有公开的问题跟踪页：请复制这份报告（其中不含你的任何回答）发给维护者。",
    ),
    "ui.report_copied": ("Report copied to the clipboard.", "报告已复制到剪贴板。"),
    "label.reference": ("Reference", "参考资料"),
}


def extension_strings(lang: Lang) -> dict[str, str]:
    """The `ext.` texts of one language, keyed without the prefix: what the extension's scripts read
    (the build writes them to strings/<lang>.json) and what its manifest names (_locales)."""
    return {key.removeprefix(EXTENSION): t(key, lang) for key in STRINGS if key.startswith(EXTENSION)}


def t(key: str, lang: Lang, **values: object) -> str:
    en, zh = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def join(items: list[str], lang: Lang) -> str:
    """'a, b or c' / 'a、b 或 c'."""
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items[:-1]) + " 或 " + items[-1]
    return ", ".join(items[:-1]) + " or " + items[-1]


def channel_line(c: ChannelOut, lang: Lang) -> str:
    """'Phone: 611 (note)' / '电话: 611 (note)': one way to reach the carrier, as a line of text."""
    parts = [t(f"channel.{c.kind}", lang), *(v for v in (c.path, c.phone, c.code, c.url) if v)]
    line = parts[0] + (": " + " · ".join(parts[1:]) if len(parts) > 1 else "")
    return line + (f" ({c.note})" if c.note else "")
