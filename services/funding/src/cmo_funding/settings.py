"""Settings of the funding service."""

from cmo_shared.settings import ServiceSettings
from pydantic import Field


class FundingSettings(ServiceSettings):
    """Funding service settings (`CMO_` environment variables)."""

    job_interval_s: float = Field(
        3600, gt=0, description="How often the deadline job (closing, reminders) runs."
    )
