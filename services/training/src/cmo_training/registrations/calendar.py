"""Calendar invitations (iCalendar, RFC 5545; iTIP methods of RFC 5546) by `icalendar`.

Each person's invitation to a session has one `UID` for the life of the session, so a
calendar updates the event rather than adding a second: `METHOD:REQUEST` with the session's
`SEQUENCE` (raised on every change of time or place), `METHOD:CANCEL` with a higher one.
"""

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from ..sessions.domain import Session
from .domain import Person


def uid(session: Session, person: Person) -> str:
    """The invitation's stable id."""
    return f"{session.session_id}.{person.contact_id}@training.cmo"


def invitation(
    session: Session, person: Person, *, organiser: str, organiser_name: str, cancel: bool = False
) -> str:
    """One person's invitation, or its cancellation, as an iCalendar text."""
    calendar = Calendar()
    calendar.add("prodid", "-//CMO platform//training//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", uid(session, person))
    event.add("sequence", session.sequence + (1 if cancel else 0))
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title.get(person.language) or session.title["en"])
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if session.venue:
        event.add("location", session.venue)
    if session.online_url:
        event.add("url", session.online_url)
    if len(session.sittings) > 1:
        lines = [f"{s.starts_at.isoformat()} to {s.ends_at.isoformat()}" for s in session.sittings]
        event.add("description", "\n".join(lines))
    organizer = vCalAddress(f"mailto:{organiser}")
    organizer.params["cn"] = vText(organiser_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params["cn"] = vText(person.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def feed(entries: list[tuple[Session, Person]], *, organiser: str, organiser_name: str) -> str:
    """A company's calendar: every session its people hold seats at (`METHOD:PUBLISH`)."""
    calendar = Calendar()
    calendar.add("prodid", "-//CMO platform//training//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{organiser_name}: training")
    for session, person in entries:
        invite = Calendar.from_ical(
            invitation(session, person, organiser=organiser, organiser_name=organiser_name)
        )
        for event in invite.walk("VEVENT"):
            calendar.add_component(event)
    return calendar.to_ical().decode()


def invitations(
    session: Session, people: list[Person], *, organiser: str, organiser_name: str, cancel: bool
) -> dict[str, str]:
    """Every person's invitation (or cancellation), by `contact_id`."""
    return {
        p.contact_id: invitation(
            session, p, organiser=organiser, organiser_name=organiser_name, cancel=cancel
        )
        for p in people
    }
