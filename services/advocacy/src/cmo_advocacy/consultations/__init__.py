"""Consultations of the affected members, one response per company, ending in a position."""

from cmo_shared.feature import Feature, Job

from .api import router
from .service import ConsultationService


def consultations_feature(consultations: ConsultationService, interval_s: float) -> Feature:
    """The consultations feature: questions, responses, tallies and adopted positions."""
    return Feature(
        "consultations",
        router,
        [consultations],
        jobs=[Job("consultation-closing", interval_s, consultations.close_due)],
    )
