"""Real infrastructure for the cross-service tests: a Kafka broker, FerretDB and an SMTP sink.

Each test session starts its own processes on free ports with data in a temporary folder, so
it never touches a stack started with `cmo up`. Nothing is skipped: if a part cannot start,
the session fails.
"""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cmo_cli.config import CliSettings
from cmo_cli.infra.ferretdb import FerretNode
from cmo_cli.infra.kafka import KafkaNode
from cmo_cli.infra.process import free_port, port_open, wait_until
from cmo_cli.infra.provision import ferretdb_binary, kafka_libs
from cmo_cli.stack import smtp_sink_command
from cmo_shared.mongo import connect
from pymongo import AsyncMongoClient


@dataclass
class Infra:
    """Handles on the session's infrastructure processes."""

    kafka: KafkaNode
    ferretdb: FerretNode
    smtp_port: int
    mail_dir: Path
    db_prefix: str

    @property
    def kafka_bootstrap(self) -> str:
        return self.kafka.bootstrap

    @property
    def mongodb_url(self) -> str:
        return self.ferretdb.url


FOLDER_MARKERS = ("integration", "e2e", "fault", "fuzz")
"""Each of these folders of `tests/` gives its tests the marker of its name."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Mark a test whose body failed, so fixtures can keep evidence (browser screenshots)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.failed:
        item.failed = True  # type: ignore[attr-defined]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by their folder; run the ones that stop infrastructure last, then the fuzzer."""
    here = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(here).parts if item.path.is_relative_to(here) else ()
        if len(parts) > 1 and parts[0] in FOLDER_MARKERS:
            item.add_marker(parts[0])
    items.sort(
        key=lambda item: (
            item.get_closest_marker("fuzz") is not None,
            item.get_closest_marker("fault") is not None,
        )
    )


@contextmanager
def running_infra(root: Path) -> Iterator[Infra]:
    """Start a Kafka broker, FerretDB and an SMTP sink on free ports with data under `root`."""
    cache = CliSettings().cache_dir
    kafka = KafkaNode(
        libs=kafka_libs(cache), home=root / "kafka", port=free_port(), controller_port=free_port()
    )
    ferretdb = FerretNode(binary=ferretdb_binary(cache), home=root / "ferretdb", port=free_port())
    smtp_port = free_port()
    mail_dir = root / "mail"
    with (root / "smtp.log").open("wb") as log:
        sink = subprocess.Popen(
            smtp_sink_command(smtp_port, mail_dir), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        ferretdb.start()
        kafka.start()
        wait_until(lambda: port_open(smtp_port), timeout_s=15, what="SMTP sink")
        yield Infra(kafka, ferretdb, smtp_port, mail_dir, f"test{uuid.uuid4().hex[:8]}")
    finally:
        sink.terminate()
        sink.wait(10)
        kafka.stop()
        ferretdb.stop()


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    with running_infra(tmp_path_factory.mktemp("infra")) as session_infra:
        yield session_infra


@dataclass
class ServiceProcess:
    """A service running as its own process, as `cmo up` runs it."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path


STAFF = {"name": "Cluster Staff", "email": "staff@cmo.example", "language": "en"}


def service_env(infra: Infra, **extra: str) -> dict[str, str]:
    """Environment of a service process pointed at the session's infrastructure."""
    return {
        **os.environ,
        "CMO_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "CMO_MONGODB_URL": infra.mongodb_url,
        "CMO_DB_PREFIX": infra.db_prefix,
        "CMO_SMTP_PORT": str(infra.smtp_port),
        "CMO_RETRY_SCHEDULE_S": "[0, 0.5, 1, 2, 4]",
        "CMO_RELAY_POLL_INTERVAL_S": "0.5",
        "CMO_CONSUMER_RETRY_BACKOFF_S": "0.05",
        "CMO_WEBHOOK_ALLOWED_NETWORKS": '["127.0.0.0/8"]',
        "CMO_STAFF_RECIPIENTS": json.dumps([STAFF]),
        "CMO_DIGEST_INTERVAL_S": "86400",  # digests are run on demand in tests
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def start_service(name: str, infra: Infra, log_dir: Path, **env: str) -> ServiceProcess:
    """Start `cmo_<name>` with uvicorn and wait until `/ready` answers 200."""
    import httpx

    port = free_port()
    log = log_dir / f"{name}-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                f"cmo_{name}.app:create_app",
                "--port",
                str(port),
                "--no-access-log",
            ],
            env=service_env(infra, **env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text()[-3000:]}")
        try:
            return httpx.get(f"{url}/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(ready, timeout_s=60, what=f"{name} service")
    return ServiceProcess(name, url, process, log)


@pytest.fixture(scope="session")
def stack(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Every service but the gateway, as real processes."""
    log_dir = tmp_path_factory.mktemp("logs")
    names = ("members", "procurement", "advocacy", "training", "funding", "notifications")
    services = [start_service(n, infra, log_dir) for n in names]
    try:
        yield {s.name: s.url for s in services}
    finally:
        stop_services(services)


ADMIN_LOGIN = "admin@cmo.example"
ADMIN_PASSWORD = "correct horse battery staple"


@dataclass
class Gateway:
    """The gateway process in front of the stack, and its first admin's credentials."""

    url: str
    admin_login: str
    admin_password: str


def gateway_env(stack: dict[str, str], **extra: str) -> dict[str, str]:
    """Settings pointing a gateway at the stack's services (`CMO_<NAME>_URL` for each)."""
    return {
        **{f"CMO_{name.upper()}_URL": url for name, url in stack.items()},
        "CMO_LOGIN_ATTEMPTS_PER_ADDRESS": "100000",
        **extra,
    }


def create_admin(infra: Infra, login: str, password: str, **env: str) -> None:
    """Create an admin account the way an operator does (`cmo users create-admin`)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cmo_cli.main",
            "users",
            "create-admin",
            "--login",
            login,
            "--password-stdin",
        ],
        input=f"{password}\n".encode(),
        env=service_env(infra, **env),
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def gateway(
    infra: Infra, stack: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    """The gateway as a real process in front of the stack, with its first admin."""
    create_admin(infra, ADMIN_LOGIN, ADMIN_PASSWORD)
    # Late in the suite the notifications service's operations endpoints (replay, digests)
    # read a delivery log holding every earlier test's messages: on FerretDB that takes
    # longer than the default 30 s, and the fuzzer calls them then.
    env = gateway_env(stack, CMO_UPSTREAM_TIMEOUT_S="150")
    service = start_service("gateway", infra, tmp_path_factory.mktemp("logs"), **env)
    try:
        yield Gateway(service.url, ADMIN_LOGIN, ADMIN_PASSWORD)
    finally:
        stop_services([service])


def stop_services(services: list[ServiceProcess]) -> None:
    """Stop service processes gracefully (SIGTERM), killing any that hang."""
    for service in services:
        service.process.terminate()
    for service in services:
        try:
            service.process.wait(20)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()


@pytest.fixture(scope="module")
def isolated_members(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A members service with a database of its own, for tests that act on every member."""
    service = start_service(
        "members",
        infra,
        tmp_path_factory.mktemp("logs"),
        CMO_DB_PREFIX=f"iso{uuid.uuid4().hex[:8]}",
    )
    try:
        yield service.url
    finally:
        stop_services([service])


@pytest.fixture
async def mongo(infra: Infra) -> AsyncIterator[AsyncMongoClient]:
    """A client of the session's FerretDB, closed after the test."""
    client = connect(infra.mongodb_url)
    yield client
    await client.close()
