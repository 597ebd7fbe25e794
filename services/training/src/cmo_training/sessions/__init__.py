"""Sessions scheduled from the plan, with a priority window for the members who need them."""

from cmo_shared.feature import Feature

from .api import router
from .jobs import jobs
from .service import SessionService


def sessions_feature(sessions: SessionService, interval_s: float) -> Feature:
    """The sessions feature."""
    return Feature("sessions", router, [sessions], jobs=jobs(sessions, interval_s))
