"""Helpers shared by the cross-service tests."""

import asyncio
import contextlib
import itertools
import time
import uuid
from collections.abc import Awaitable, Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_tax_ids = itertools.count(int(time.time() * 1000) % 10**9)


def unique_tax_id() -> str:
    """A 9-digit tax id not used before in this session."""
    return f"{next(_tax_ids) % 10**9:09d}"


def applicant(*contacts: tuple[str, str, str], **overrides: Any) -> dict[str, Any]:
    """A valid application body with the given (name, email, language) contacts."""
    body: dict[str, Any] = {
        "legal_name": "Imereti Dairy LLC",
        "tax_id": unique_tax_id(),
        "sector": "10.51",
        "employees": 45,
        "region": "Imereti",
        "contacts": [{"name": n, "email": e, "language": lang} for n, e, lang in contacts],
    }
    body.update(overrides)
    return body


def mails_to(mail_dir: Path, address: str) -> list[EmailMessage]:
    """Every message the SMTP sink received for an address."""
    found = []
    for path in sorted(mail_dir.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if address in str(message["To"]):
            found.append(message)  # type: ignore[arg-type]
    return found


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, timeout_s: float = 60.0
) -> T:
    """Await `probe()` until `done(result)` holds; fail with the last result after the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = await probe()
        if done(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s; last: {result!r}")
        await asyncio.sleep(0.2)


async def committed_offsets(bootstrap: str, group: str) -> dict[tuple[str, int], int]:
    """Offsets a consumer group has committed, by (topic, partition)."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {(tp.topic, tp.partition): meta.offset for tp, meta in offsets.items()}


async def read_topic(bootstrap: str, topic: str, *, expect: int, timeout_s: float = 30.0):
    """Read a topic from the start until `expect` records arrived (or the timeout)."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(records) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
    finally:
        await consumer.stop()
    return records


@contextlib.asynccontextmanager
async def relaying(bootstrap: str, collections: list, **relay_options: Any):
    """Run an outbox relay over the collections with its own idempotent producer."""
    from cmo_shared.kafka import make_broker
    from cmo_shared.outbox import OutboxRelay

    broker = make_broker(bootstrap, client_id=f"test-relay-{uuid.uuid4().hex[:6]}")
    await broker.start()

    async def publish(topic, key, body, correlation, headers):
        await broker.publish(
            body, topic=topic, key=key, headers=headers, correlation_id=correlation
        )

    relay = OutboxRelay(collections, publish, **relay_options)
    task = asyncio.create_task(relay.run())
    try:
        yield relay
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await broker.stop()
