"""Settings of the training service."""

from cmo_shared.settings import ServiceSettings
from pydantic import Field


class TrainingSettings(ServiceSettings):
    """Training service settings (`CMO_` environment variables)."""

    job_interval_s: float = Field(
        60,
        gt=0,
        description="How often priority windows are opened up and expired seat offers passed on.",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Public base of links (certificates): the gateway."
    )
    cmo_name: str = Field(
        "Cluster management organisation", description="Issuer of certificates, organiser."
    )
    organiser_email: str = Field(
        "training@cmo.example", description="Organiser of the calendar invitations."
    )
    offer_hold_hours: float = Field(
        48, gt=0, description="How long freed seats are held for the first on the waitlist."
    )
    certificate_key: str = Field(
        "dev-only-certificate-key-change-me-32-bytes",
        min_length=32,
        description="Seed of the CMO's Ed25519 key that signs certificates: set it in "
        "production (the public key is published at /.well-known/jwks.json).",
    )
