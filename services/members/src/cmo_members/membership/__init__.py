"""Membership: applications, the lifecycle and the profiles of member companies."""

from cmo_shared.feature import Feature

from .api import router
from .service import MembershipService


def membership_feature(membership: MembershipService) -> Feature:
    """The membership feature: its API and its use cases."""
    return Feature("membership", router, [membership])
