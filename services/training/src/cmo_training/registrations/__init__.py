"""Registrations with safe seats, waitlists, offers and calendar invitations."""

from cmo_shared.feature import Feature

from .api import router
from .jobs import jobs
from .service import RegistrationService


def registrations_feature(registrations: RegistrationService, interval_s: float) -> Feature:
    """The registrations feature."""
    return Feature("registrations", router, [registrations], jobs=jobs(registrations, interval_s))
