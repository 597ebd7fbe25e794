"""The registrations' scheduled job: expired seat offers pass to the next in line."""

from cmo_shared.feature import Job

from .service import RegistrationService


def jobs(registrations: RegistrationService, interval_s: float) -> list[Job]:
    """Pass on expired offers, settle registrations a crash left pending."""
    return [Job("seat-offers", interval_s, registrations.pass_on)]
