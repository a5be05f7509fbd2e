"""An .ics calendar of the dates that matter, from an assessment. Plain RFC 5545 text, no library."""

from __future__ import annotations

from datetime import date, timedelta

from .i18n import t
from .models import Assessment


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def reminder_dates(a: Assessment, today: date) -> list[tuple[str, date, str]]:
    """(kind, day, summary) for each date worth a reminder, in date order."""
    L = a.lang
    items: list[tuple[str, date, str]] = []
    best = a.timing.best_date
    if best is not None:
        key = "ics.port_by" if any(s.kind == "port_out" for s in a.steps) else "ics.cancel_by"
        items.append(("act", best, t(key, L, carrier=a.carrier_name)))
        if a.port_kit.pin_validity_days and any(s.kind == "port_out" for s in a.steps):
            get_pin = max(today, best - timedelta(days=a.port_kit.pin_validity_days - 1))
            items.append(("get_pin", get_pin, t("ics.get_pin", L, days=a.port_kit.pin_validity_days)))
        bill = a.timing.next_bill_date
        if bill is not None:
            items.append(
                ("final_bill", bill + timedelta(days=7), t("ics.final_bill", L, carrier=a.carrier_name))
            )
            items.append(
                (
                    "confirm_closed",
                    bill + timedelta(days=35),
                    t("ics.confirm_closed", L, carrier=a.carrier_name),
                )
            )
    if a.unlock.date is not None and a.unlock.date >= today:
        items.append(("unlock", a.unlock.date, t("ics.unlock", L)))
    return sorted(items, key=lambda item: item[1])


def to_ics(a: Assessment, today: date) -> str:
    stamp = today.strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//simexit//reminders//EN", "CALSCALE:GREGORIAN"]
    sources = "\n".join(f"{s.title}: {s.url}" for s in a.sources[:5])
    for kind, day, summary in reminder_dates(a, today):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{kind}-{a.carrier}-{day:%Y%m%d}@simexit",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(t('ics.description', a.lang) + chr(10) + sources)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
