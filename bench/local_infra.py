"""Kafka and FerretDB for a benchmark: its own on free ports, or the ones named by settings."""

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from cmo_cli.config import CliSettings
from cmo_cli.infra.ferretdb import FerretNode
from cmo_cli.infra.kafka import KafkaNode
from cmo_cli.infra.process import free_port
from cmo_cli.infra.provision import ferretdb_binary, kafka_libs


def run_with_infra(main: Callable[[str, str], Awaitable[None]]) -> None:
    """Run `main(bootstrap, mongodb_url)` on CMO_KAFKA_BOOTSTRAP/CMO_MONGODB_URL or local ones."""
    if os.environ.get("CMO_KAFKA_BOOTSTRAP") and os.environ.get("CMO_MONGODB_URL"):
        asyncio.run(main(os.environ["CMO_KAFKA_BOOTSTRAP"], os.environ["CMO_MONGODB_URL"]))
        return
    cache = CliSettings().cache_dir
    with tempfile.TemporaryDirectory() as folder:
        kafka = KafkaNode(kafka_libs(cache), Path(folder) / "kafka", free_port(), free_port())
        ferret = FerretNode(ferretdb_binary(cache), Path(folder) / "ferretdb", free_port())
        ferret.start()
        kafka.start()
        try:
            asyncio.run(main(kafka.bootstrap, ferret.url))
        finally:
            kafka.stop()
            ferret.stop()
