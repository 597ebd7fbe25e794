"""Settings of the `cmo` tool: where things are cached and which ports the stack uses."""

import os
from pathlib import Path

from cmo_shared.services import BY_NAME
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

KAFKA_VERSION = "4.4.0"
LOG4J_VERSION = "2.26.1"
SLF4J_VERSION = "2.0.17"
FERRETDB_VERSION = "v1.24.2"


def project_root() -> Path:
    """The workspace root: the nearest folder upwards holding `cmo` and `pyproject.toml`."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "pyproject.toml").is_file() and (folder / "services").is_dir():
            return folder
    return Path(__file__).resolve().parents[3]


class CliSettings(BaseSettings):
    """Ports and external services of the local stack (`CMO_` environment variables)."""

    model_config = SettingsConfigDict(env_prefix="CMO_", extra="ignore")

    home: Path = Field(default_factory=project_root, description="Workspace root.")
    kafka_bootstrap: str | None = Field(
        None, description="Use this external Kafka instead of starting one."
    )
    mongodb_url: str | None = Field(
        None, description="Use this external MongoDB instead of starting FerretDB."
    )
    db_prefix: str = Field("cmo", description="Each service's database is <prefix>_<service>.")
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    mongodb_port: int = 27017
    smtp_port: int = 8025

    @property
    def cache_dir(self) -> Path:
        """Downloads and builds kept between runs (git-ignored)."""
        return self.home / ".cache"

    data_dir: Path | None = Field(
        None, description="Where the local stack keeps its data, logs and pid files (var/)."
    )

    @property
    def var_dir(self) -> Path:
        """Data, logs, pid files and received mail of the local stack (`var/`, git-ignored)."""
        return self.data_dir or self.home / "var"

    def service_port(self, service: str) -> int:
        """The HTTP port of a service: `CMO_<NAME>_PORT`, else the services table's."""
        return int(os.environ.get(f"CMO_{service.upper()}_PORT") or BY_NAME[service].port)
