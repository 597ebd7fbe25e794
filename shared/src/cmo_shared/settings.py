"""Settings common to every service, read from `CMO_`-prefixed environment variables."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Connection and reliability settings shared by all services; each service extends it."""

    model_config = SettingsConfigDict(env_prefix="CMO_", extra="ignore")

    kafka_bootstrap: str = Field(
        "127.0.0.1:9092", description="Kafka bootstrap servers, comma separated."
    )
    mongodb_url: str = Field(
        "mongodb://127.0.0.1:27017/", description="MongoDB-wire connection URL."
    )
    db_prefix: str = Field(
        "cmo", description="Prefix of each service's database name (`<prefix>_<service>`)."
    )
    log_level: str = Field("INFO", description="Root log level.")

    internal_secret: str = Field(
        "dev-only-internal-secret",
        description="Key the gateway signs callers' identity headers with; set in production.",
    )
    host: str = Field("127.0.0.1", description="Address the HTTP API binds to.")
    consumer_max_attempts: int = Field(
        5, ge=1, description="Attempts of a failing handler before its message is dead-lettered."
    )
    consumer_retry_backoff_s: float = Field(
        0.2, gt=0, description="First retry delay of a failing handler; doubles per attempt."
    )
    relay_poll_interval_s: float = Field(
        1.0, gt=0, description="How often the outbox relay looks for unpublished events."
    )
    shutdown_grace_s: float = Field(
        10.0,
        ge=0,
        description="On stop, how long to finish what is due and to publish queued events, each.",
    )
    otlp_endpoint: str | None = Field(
        None,
        description="OTLP/HTTP collector to export traces to (e.g. `http://127.0.0.1:4318`); "
        "traces are off without it.",
    )
    processed_retention_s: float = Field(
        7 * 24 * 3600,
        gt=0,
        description="How long markers of applied events are kept; match Kafka's retention.",
    )

    def development_secrets(self) -> list[str]:
        """The settings named `*_secret` that still hold their development default."""
        return [
            f"CMO_{name.upper()}"
            for name, field in type(self).model_fields.items()
            if name.endswith("_secret") and getattr(self, name) == field.default
        ]
