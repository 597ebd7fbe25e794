"""Scheduled jobs of membership fees."""

from cmo_shared.feature import Job

from .service import FeesService


def arrears_job(fees: FeesService, interval_s: float) -> Job:
    """Overdue invoices move their members into grace, then suspension, as days pass."""
    return Job("arrears", interval_s, fees.run_arrears_today)
