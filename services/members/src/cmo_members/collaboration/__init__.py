"""The collaboration board: members' requests and offers, matched with members and posts."""

from cmo_shared.feature import Feature

from .api import router
from .jobs import expiry_job
from .service import CollaborationService


def collaboration_feature(collaboration: CollaborationService, job_interval_s: float) -> Feature:
    """The collaboration feature: its API, its use cases and the expiry job."""
    return Feature(
        "collaboration",
        router,
        [collaboration],
        jobs=[expiry_job(collaboration, job_interval_s)],
    )
