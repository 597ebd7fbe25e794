"""Settings of the gateway."""

from cmo_shared.services import BY_NAME, ROUTED
from cmo_shared.settings import ServiceSettings
from pydantic import Field

UPSTREAMS = ROUTED


class GatewaySettings(ServiceSettings):
    """Gateway settings (`CMO_` environment variables)."""

    upstream_timeout_s: float = Field(
        30.0, gt=0, description="How long a service may take to answer a forwarded request."
    )
    upstream_connect_timeout_s: float = Field(
        2.0, gt=0, description="How long to try reaching a service before answering 503."
    )
    jwt_secret: str = Field(
        "dev-only-jwt-secret-change-me-32-bytes!",
        min_length=32,
        description="HS256 key of access tokens; set in production (32 bytes or more).",
    )
    jwt_issuer: str = Field("cmo-gateway", description="`iss` of access tokens.")
    jwt_audience: str = Field("cmo-api", description="`aud` of access tokens.")
    access_token_ttl_s: int = Field(900, ge=60, description="Lifetime of an access token.")
    refresh_token_ttl_s: int = Field(
        30 * 24 * 3600, ge=300, description="Lifetime of a refresh token (and its session)."
    )
    session_check_s: float = Field(
        5.0,
        ge=0,
        description="How long a gateway trusts that a session is open before reading it again: "
        "a session ended through another gateway replica is refused within this time "
        "(0: read it on every request).",
    )
    invitation_ttl_s: int = Field(7 * 24 * 3600, ge=300, description="Lifetime of an invitation.")
    login_attempts_per_account: int = Field(
        5, ge=1, description="Failed logins allowed per account per `login_window_s`."
    )
    login_attempts_per_address: int = Field(
        20, ge=1, description="Logins allowed per client address per `login_window_s`."
    )
    login_window_s: int = Field(60, ge=1, description="Window of the login rate limits.")
    max_body_bytes: int = Field(
        1_048_576, ge=1024, description="Largest request body accepted (413 above)."
    )
    max_page_size: int = Field(100, ge=1, description="Largest `page_size` a caller may ask for.")
    cors_origins: list[str] = Field(
        [], description="Origins allowed to call from browsers (JSON list); none by default."
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Base URL of the gateway in links (invitations)."
    )

    def upstream_url(self, service: str) -> str:
        """The base URL of a routed service (`CMO_<NAME>_URL`, else the services table's)."""
        return BY_NAME[service].url
