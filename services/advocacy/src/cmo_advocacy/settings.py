"""Settings of the advocacy service."""

from cmo_shared.settings import ServiceSettings
from pydantic import Field


class AdvocacySettings(ServiceSettings):
    """Advocacy service settings (`CMO_` environment variables)."""

    job_interval_s: float = Field(
        60, gt=0, description="How often consultations past their closing time are closed."
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Public base of links (feeds, reports): the gateway."
    )
    cmo_name: str = Field("Cluster management organisation", description="Author of the feeds.")
    ballot_secret: str = Field(
        "dev-only-ballot-secret-change-me-32-bytes",
        min_length=32,
        description="Key that files a secret consultation's ballot under a code only it can "
        "derive from the company (so a new response replaces the old one, and nobody reading "
        "the ballots learns whose they are); set in production.",
    )
    sdc_min_companies: int = Field(
        3, ge=3, description="Fewest companies a published report cell may have (kept secret)."
    )
    sdc_p_percent: float = Field(
        10, gt=0, lt=100, description="p of the p%-rule for report cells (kept secret)."
    )
