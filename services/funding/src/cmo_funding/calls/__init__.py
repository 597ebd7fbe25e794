"""Funding calls: drafts, publication to members, closing."""

from cmo_shared.feature import Feature

from .api import router
from .service import CallService


def calls_feature(calls: CallService) -> Feature:
    """The calls feature: its API and its use cases."""
    return Feature("calls", router, [calls])
