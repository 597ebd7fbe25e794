"""A single-node Apache Kafka 4 broker in KRaft mode, run from its jars."""

import asyncio
import base64
import shutil
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from .process import Daemon, wait_until

LOG4J2 = """status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
"""


@dataclass
class KafkaNode:
    """One combined broker+controller with its data under `home`."""

    libs: Path
    home: Path
    port: int = 9092
    controller_port: int = 9093
    heap: str = "512m"

    @property
    def bootstrap(self) -> str:
        """The bootstrap address clients use."""
        return f"127.0.0.1:{self.port}"

    @property
    def daemon(self) -> Daemon:
        """The broker's process."""
        java = shutil.which("java") or "java"
        return Daemon(
            name="kafka",
            command=[
                java,
                "-Xms256m",
                f"-Xmx{self.heap}",
                "-XX:+UseG1GC",
                f"-Dlog4j2.configurationFile={self.home / 'log4j2.properties'}",
                "-cp",
                f"{self.libs}/*",
                "kafka.Kafka",
                str(self.home / "server.properties"),
            ],
            run_dir=self.home,
            log_file=self.home / "kafka.log",
        )

    def _configure(self) -> None:
        data = self.home / "data"
        data.mkdir(parents=True, exist_ok=True)
        controller = f"127.0.0.1:{self.controller_port}"
        (self.home / "server.properties").write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.bootstrap.servers={controller}",
                    f"listeners=PLAINTEXT://{self.bootstrap},CONTROLLER://{controller}",
                    f"advertised.listeners=PLAINTEXT://{self.bootstrap},CONTROLLER://{controller}",
                    "inter.broker.listener.name=PLAINTEXT",
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    f"log.dirs={data}",
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    "",
                ]
            )
        )
        (self.home / "log4j2.properties").write_text(LOG4J2)
        if not (data / "meta.properties").exists():
            subprocess.run(
                [
                    "java",
                    "-cp",
                    f"{self.libs}/*",
                    "kafka.tools.StorageTool",
                    "format",
                    "--standalone",
                    "-t",
                    _cluster_id(),
                    "-c",
                    str(self.home / "server.properties"),
                ],
                check=True,
                capture_output=True,
            )

    def running(self) -> bool:
        """Whether this node's process is alive."""
        return self.daemon.pid() is not None

    def start(self, timeout_s: float = 90.0) -> None:
        """Start the broker (formatting its storage the first time) and wait until it serves.

        A broker this home's pid file names is used as it is, and said so; ports held by
        anything else are refused with the holder's name.
        """
        ports = [(self.port, "CMO_KAFKA_PORT"), (self.controller_port, "CMO_KAFKA_CONTROLLER_PORT")]
        self.daemon.launch(ports, self._configure)
        self.wait_ready(timeout_s)

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        """Wait for the listener and for a metadata answer; fail at once if the broker exits."""
        daemon = self.daemon
        wait_until(lambda: daemon.listening(self.port), timeout_s=timeout_s, what="Kafka port")
        wait_until(lambda: _metadata_ok(self.bootstrap), timeout_s=timeout_s, what="Kafka metadata")

    def stop(self) -> None:
        """Shut the broker down cleanly."""
        self.daemon.stop(timeout_s=30.0)

    def kill(self) -> None:
        """Kill the broker with SIGKILL, as a crash would."""
        self.daemon.stop(kill=True)


def _cluster_id() -> str:
    """A random cluster id; never one starting with `-`, which the tool reads as an option."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


def _metadata_ok(bootstrap: str) -> bool:
    async def probe() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.describe_cluster()
            return True
        except Exception:
            return False
        finally:
            await admin.close()

    # A thread of its own, so this works whether or not the caller runs an event loop.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, probe()).result()
