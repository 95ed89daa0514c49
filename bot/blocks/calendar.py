"""Calendar files (.ics) for interviews, built with icalendar: the file a confirmation DM carries."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from bot.domain.calendar import CalendarEntry

PRODID = "-//infoint//informational interviews//EN"


def ics(entry: CalendarEntry, now: datetime) -> bytes:
    """One event; a cancelled interview gives a CANCEL the calendar app applies to the same UID."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if entry.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"interview-{entry.interview_id}-{entry.team_id}@infoint")
    event.add("dtstamp", now)
    event.add("dtstart", entry.starts_at)
    event.add("dtend", entry.starts_at + timedelta(minutes=entry.duration_minutes))
    who = entry.contact_name[:100] + (f" ({entry.company[:100]})" if entry.company else "")
    event.add("summary", f"Informational interview with {who}")
    if entry.place:
        event.add("location", entry.place[:300])
    lines = []
    if entry.format_label:
        lines.append(f"Format: {entry.format_label}")
    if entry.objective:
        lines.append(f"What I want to learn: {entry.objective[:500]}")
    if entry.questions:
        lines.append("Questions:")
        lines += [f"- {q[:300]}" for q in entry.questions[:20]]
    lines.append("Keep to the agreed time; ask for two people to talk to; send a thank-you within 48 hours.")
    event.add("description", "\n".join(lines))
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
