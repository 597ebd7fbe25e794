"""Settings of the procurement service."""

from cmo_shared.settings import ServiceSettings
from pydantic import Field


class ProcurementSettings(ServiceSettings):
    """Procurement service settings (`CMO_` environment variables)."""

    job_interval_s: float = Field(
        60, gt=0, description="How often open tenders past their deadline are unsealed."
    )
    cmo_name: str = Field(
        "Cluster management organisation", description="The CMO's name in open-data exports."
    )
    ocds_prefix: str = Field(
        "ocds-cmo000", description="The CMO's registered OCDS ocid prefix (register your own)."
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Public base of links: the gateway."
    )
