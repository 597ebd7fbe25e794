"""The local stack: infrastructure processes and the services, as `cmo` runs them."""

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cmo_shared.services import SERVICES

from .config import CliSettings
from .infra.ferretdb import FerretNode
from .infra.kafka import KafkaNode
from .infra.process import Daemon, port_open
from .infra.provision import ferretdb_binary, kafka_libs


def existing_services() -> list[str]:
    """Services whose package has an app to run (empty packages are skipped)."""
    return [s.name for s in SERVICES if importlib.util.find_spec(f"cmo_{s.name}.app") is not None]


@dataclass
class Infra:
    """Kafka and the database: local processes, or external ones named by settings."""

    settings: CliSettings

    @property
    def kafka(self) -> KafkaNode | None:
        """The local broker, unless an external one is configured."""
        if self.settings.kafka_bootstrap:
            return None
        return KafkaNode(
            libs=kafka_libs(self.settings.cache_dir),
            home=self.settings.var_dir / "kafka",
            port=self.settings.kafka_port,
            controller_port=self.settings.kafka_controller_port,
        )

    @property
    def ferretdb(self) -> FerretNode | None:
        """The local FerretDB, unless an external database is configured."""
        if self.settings.mongodb_url:
            return None
        return FerretNode(
            binary=ferretdb_binary(self.settings.cache_dir),
            home=self.settings.var_dir / "ferretdb",
            port=self.settings.mongodb_port,
        )

    @property
    def kafka_bootstrap(self) -> str:
        """Where clients find Kafka."""
        return self.settings.kafka_bootstrap or f"127.0.0.1:{self.settings.kafka_port}"

    @property
    def mongodb_url(self) -> str:
        """Where clients find the database."""
        return self.settings.mongodb_url or f"mongodb://127.0.0.1:{self.settings.mongodb_port}/"

    def up(self) -> None:
        """Start what is local and not running yet, and wait until both answer."""
        for node in (self.ferretdb, self.kafka):
            if node is not None:
                node.start()

    def down(self) -> None:
        """Stop the local processes."""
        for node in (self.kafka, self.ferretdb):
            if node is not None:
                node.stop()

    def status(self) -> list[tuple[str, str, str]]:
        """(component, address, state) of each component."""
        rows = []
        for name, node, address in (
            ("kafka", self.kafka, self.kafka_bootstrap),
            ("ferretdb", self.ferretdb, self.mongodb_url),
        ):
            if node is None:
                rows.append((name, address, "external"))
            else:
                rows.append((name, address, "running" if node.running() else "stopped"))
        smtp = self.settings.smtp_port
        rows.append(("smtp-sink", f"127.0.0.1:{smtp}", "running" if port_open(smtp) else "stopped"))
        return rows


def service_environment(settings: CliSettings, infra: Infra) -> dict[str, str]:
    """Environment every service process gets."""
    return {
        "CMO_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "CMO_MONGODB_URL": infra.mongodb_url,
        "CMO_SMTP_PORT": str(settings.smtp_port),
        "PYTHONUNBUFFERED": "1",
        # Each service where this stack runs it (other ports when `CMO_<NAME>_PORT` is set),
        # and links in emails through this stack's gateway; URLs given explicitly win.
        **{
            f"CMO_{s.name.upper()}_URL": f"http://127.0.0.1:{settings.service_port(s.name)}"
            for s in SERVICES
        },
        "CMO_PUBLIC_URL": f"http://127.0.0.1:{settings.service_port('gateway')}",
        **{k: v for k, v in os.environ.items() if k.startswith("CMO_") and k.endswith("_URL")},
    }


def service_command(service: str, port: int) -> list[str]:
    """The command that runs one service's HTTP API and consumers."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        f"cmo_{service}.app:create_app",
        "--host",
        os.environ.get("CMO_HOST", "127.0.0.1"),
        "--port",
        str(port),
        "--no-access-log",
    ]


def smtp_sink_command(port: int, folder: Path) -> list[str]:
    """The command that runs the SMTP sink."""
    return [
        sys.executable,
        "-m",
        "cmo_cli.infra.smtp_sink",
        "--port",
        str(port),
        "--folder",
        str(folder),
    ]


def smtp_sink_daemon(settings: CliSettings) -> Daemon:
    """The SMTP sink as a background process keeping mail in `var/mail`."""
    return Daemon(
        name="smtp-sink",
        command=smtp_sink_command(settings.smtp_port, settings.var_dir / "mail"),
        run_dir=settings.var_dir / "smtp",
        log_file=settings.var_dir / "smtp" / "smtp.log",
    )
