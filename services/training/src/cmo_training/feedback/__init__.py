"""Feedback on sessions: a reaction after each, a follow-up after 90 days."""

from cmo_shared.feature import Feature

from .api import router
from .service import FeedbackService


def feedback_feature(feedback: FeedbackService) -> Feature:
    """The feedback feature."""
    return Feature("feedback", router, [feedback])
