"""Settings of the members service."""

from cmo_shared.settings import ServiceSettings
from pydantic import Field


class MembersSettings(ServiceSettings):
    """Members service settings (`CMO_` environment variables)."""

    fee_grace_days: int = Field(
        30, ge=0, description="Days after an invoice's due date before its member is suspended."
    )
    job_interval_s: float = Field(
        3600, gt=0, description="How often the scheduled jobs (fee arrears, post expiry) run."
    )
