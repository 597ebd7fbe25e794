"""The sessions' scheduled job: priority windows that ended are opened to every member."""

from cmo_shared.feature import Job

from .service import SessionService


def jobs(sessions: SessionService, interval_s: float) -> list[Job]:
    """Open the sessions whose priority window has ended."""
    return [Job("priority-windows", interval_s, sessions.open_due)]
