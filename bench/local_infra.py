"""Infrastructure and service processes for benchmarks.

Kafka and FerretDB are the bench's own on free ports, or the ones named by settings.
"""

import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from cmo_cli.config import CliSettings
from cmo_cli.infra.ferretdb import FerretNode
from cmo_cli.infra.kafka import KafkaNode
from cmo_cli.infra.process import free_port
from cmo_cli.infra.provision import ferretdb_binary, kafka_libs
from cmo_cli.stack import service_command
from cmo_shared.kafka import group_lag, start_at_end, started, topic_partitions


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


@contextlib.asynccontextmanager
async def http_process(
    what: str, command: list[str], port: int, env: dict[str, str]
) -> AsyncIterator[str]:
    """Run an HTTP server process until the block ends; yield its URL once `/ready` says 200."""
    process = await asyncio.create_subprocess_exec(*command, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            for _ in range(600):
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{url}/ready")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise TimeoutError(f"{what} not ready")
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have died (the error above)
            process.terminate()
        await process.wait()


@contextlib.asynccontextmanager
async def service_process(
    name: str, bootstrap: str, mongodb_url: str, **env: str
) -> AsyncIterator[tuple[str, str]]:
    """Run one service as its own process with a fresh database prefix; yield URL and prefix."""
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    port = free_port()
    environment = {
        **os.environ,
        "CMO_KAFKA_BOOTSTRAP": bootstrap,
        "CMO_MONGODB_URL": mongodb_url,
        "CMO_DB_PREFIX": prefix,
        "CMO_LOG_LEVEL": "WARNING",
        **env,
    }
    command = service_command(name, port)
    await start_at_end(bootstrap, f"{prefix}-{name}")
    async with http_process(f"{name} service", command, port, environment) as url:
        yield url, prefix


async def caught_up(bootstrap: str, group: str, topic: str, timeout_s: float) -> float:
    """Wait until a consumer group has committed everything on a topic as of now; return the
    `perf_counter` time it had.

    Services commit a batch only once it is applied, so this is when all of it took effect,
    learnt from Kafka alone rather than by querying (and loading) the service's database.
    """
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    async with started(reader, admin):
        partitions = await topic_partitions(bootstrap, [topic])
        assert partitions, f"{topic} has no partitions"
        ends = await reader.end_offsets(partitions)
        deadline = time.perf_counter() + timeout_s
        while any((await group_lag(admin, reader, group, partitions, ends)).values()):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{group} did not catch up with {topic}")
            await asyncio.sleep(0.02)
        return time.perf_counter()


def listening(url: str) -> psutil.Process | None:
    """The local process listening on a URL's port (None: not on this machine)."""
    address = urlsplit(url if "//" in url else f"//{url.split(',')[0]}")
    if address.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    for found in psutil.net_connections(kind="tcp"):
        if found.status == psutil.CONN_LISTEN and found.laddr.port == address.port and found.pid:
            return psutil.Process(found.pid)
    return None


def local_processes(**processes: psutil.Process | None) -> dict[str, psutil.Process]:
    """The processes given that run on this machine, by name."""
    return {name: p for name, p in processes.items() if p is not None}


@contextlib.contextmanager
def pinned(placement: dict[int, list[psutil.Process]]) -> Iterator[None]:
    """Run the block with every thread of each process on the one CPU given; restore after."""
    saved: dict[int, set[int]] = {}
    try:
        for cpu, processes in placement.items():
            for process in processes:
                for thread in process.threads():
                    saved[thread.id] = os.sched_getaffinity(thread.id)
                    os.sched_setaffinity(thread.id, {cpu})
        yield
    finally:
        for thread_id, cpus in saved.items():
            with contextlib.suppress(OSError):  # a thread that has ended
                os.sched_setaffinity(thread_id, cpus)


def _cpu_s(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


@contextlib.contextmanager
def cpu_used(processes: dict[str, psutil.Process]) -> Iterator[dict[str, float]]:
    """CPU seconds (user + system) each process used in the block, filled in at its end."""
    before = {name: _cpu_s(p) for name, p in processes.items()}
    used: dict[str, float] = {}
    yield used
    used.update({name: _cpu_s(p) - before[name] for name, p in processes.items()})


async def last_event_at(
    bootstrap: str,
    topic: str,
    event_type: str,
    marker: str,
    expected: int,
    ready: asyncio.Event,
) -> float:
    """Read a topic from its end until `expected` events of a type naming `marker` arrived.

    Sets `ready` once positioned at the end, so the caller starts its clock after; returns
    the `perf_counter` time of the last one.
    """
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="latest",
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
    )
    async with started(consumer):
        while not consumer.assignment():
            await consumer.getmany(timeout_ms=100)
        await consumer.seek_to_end()
        ready.set()
        seen, kind, key = 0, event_type.encode(), marker.encode()
        while seen < expected:
            batch = await consumer.getmany(timeout_ms=500, max_records=2000)
            for records in batch.values():
                seen += sum(kind in r.value and key in r.value for r in records)
        return time.perf_counter()
