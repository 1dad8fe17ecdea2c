"""The protocol's calendar invitation is written by the platform's one iCalendar writer
(``learning.events.ics``): every line break escaped, long lines folded, times in UTC."""

from __future__ import annotations

import datetime

from practica.teaching.sessions.ical import CalendarEvent, calendar_text

STARTS = datetime.datetime(2020, 2, 11, 10, tzinfo=datetime.UTC)


def test_the_invitation_escapes_every_line_break_and_folds_long_lines() -> None:
    text = calendar_text(
        CalendarEvent(
            uid="request-1@practica.test",
            summary="Life story work; part 1, with care leavers",
            starts=STARTS,
            ends=STARTS + datetime.timedelta(hours=2),
            location="Medway campus\rroom 2.14",  # a lone carriage return, as pasted text has
            description="Bring case studies. " * 10,
        )
    )

    unfolded = text.replace("\r\n ", "")
    assert "LOCATION:Medway campus\\nroom 2.14\r\n" in unfolded
    assert "SUMMARY:Life story work\\; part 1\\, with care leavers\r\n" in unfolded
    assert "DTSTART:20200211T100000Z\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
