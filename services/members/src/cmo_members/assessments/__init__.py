"""Needs assessments: versioned questionnaires whose answers state members' needs."""

from cmo_shared.feature import Feature

from .api import router
from .service import AssessmentService


def assessments_feature(assessments: AssessmentService) -> Feature:
    """The assessments feature: its API and its use cases."""
    return Feature("assessments", router, [assessments])
