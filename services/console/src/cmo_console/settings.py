"""Console settings (`CMO_` environment variables)."""

from cmo_shared.services import BY_NAME
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    """Where the gateway is, and how the console's session cookie is kept."""

    model_config = SettingsConfigDict(env_prefix="CMO_", extra="ignore")

    gateway_url: str = Field(
        default_factory=lambda: BY_NAME["gateway"].url,
        description="The gateway the console calls as the signed-in user.",
    )
    public_url: str = Field(
        default_factory=lambda: BY_NAME["gateway"].url,
        description="The gateway's public address, for links people open (certificates).",
    )
    console_secret: str = Field(
        "dev-only-console-secret-change-me",
        description="Key the session cookie is signed with; set in production.",
    )
    console_https: bool = Field(
        False, description="Served over HTTPS: the session cookie is then `Secure`."
    )
    console_session_hours: float = Field(8, gt=0, description="How long a sign-in lasts.")
    log_level: str = Field("INFO", description="Root log level.")
    otlp_endpoint: str | None = Field(
        None, description="OTLP/HTTP collector to export traces to; traces are off without it."
    )
