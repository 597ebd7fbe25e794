"""Scheduled jobs of the collaboration board."""

from cmo_shared.feature import Job

from .service import CollaborationService


def expiry_job(collaboration: CollaborationService, interval_s: float) -> Job:
    """Posts close on the day after their last day."""
    return Job("post-expiry", interval_s, collaboration.close_expired_today)
