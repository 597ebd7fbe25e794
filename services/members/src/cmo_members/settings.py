"""Settings of the members service."""

from cmo_shared.settings import ServiceSettings
from pydantic import Field


class MembersSettings(ServiceSettings):
    """Members service settings (`CMO_` environment variables)."""

    members_port: int = Field(8001, description="HTTP port of the members service.")
