"""Settings of the notifications service."""

from cmo_shared.settings import ServiceSettings
from pydantic import Field


class NotificationsSettings(ServiceSettings):
    """Notifications service settings (`CMO_` environment variables)."""

    smtp_host: str = Field("127.0.0.1", description="SMTP server host.")
    smtp_port: int = Field(8025, description="SMTP server port.")
    smtp_timeout_s: float = Field(10.0, gt=0, description="SMTP connect and command timeout.")
    mail_from: str = Field(
        "CMO <no-reply@cmo.local>", description="Sender of the platform's emails."
    )
    retry_schedule_s: list[float] = Field(
        [0, 5, 300, 1800, 7200, 18000, 36000],
        description="Delay before each delivery attempt (JSON list); its length is the limit.",
    )
    dispatch_concurrency: int = Field(
        8, ge=1, description="Emails sent in parallel, each over an SMTP connection kept open."
    )
    dispatch_poll_interval_s: float = Field(
        1.0, gt=0, description="Longest wait of the schedule, and the pause after a failed read."
    )
    delivery_retention_s: float = Field(
        30 * 24 * 3600,
        ge=7 * 24 * 3600,
        description="How long delivery records and their log are kept (at least Kafka's "
        "retention, 7 days); pruned hourly.",
    )
    digest_interval_s: float = Field(
        300, gt=0, description="How often due daily digests are looked for."
    )
    webhook_timeout_s: float = Field(10.0, gt=0, description="Webhook request timeout.")
    webhook_concurrency: int = Field(16, ge=1, description="Webhook requests in parallel.")
    webhook_allowed_networks: list[str] = Field(
        [],
        description="Networks (CIDR) webhook URLs may resolve to although private, loopback or "
        'link-local, e.g. `["127.0.0.0/8"]` in tests. Everything else private is refused.',
    )
    webhook_disable_after_s: float = Field(
        5 * 24 * 3600,
        gt=0,
        description="An endpoint failing without a success for this long is disabled.",
    )
    webhook_secret_overlap_s: float = Field(
        24 * 3600, ge=0, description="How long a rotated-out secret still signs, too."
    )
    public_url: str = Field(
        "http://127.0.0.1:8000",
        description="Public base URL in links (unsubscribe): the gateway, which routes them.",
    )
    link_secret: str = Field(
        "dev-only-change-me", description="Key that signs unsubscribe links; set in production."
    )
    staff_recipients: list[dict[str, str]] = Field(
        [],
        description='Staff told about staff alerts: JSON list of {"name", "email", "language"}.',
    )
