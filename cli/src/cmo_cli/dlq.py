"""Dead letters: read every `<topic>.dlq`, and send chosen ones back to their original topic.

A replay re-publishes the dead letter's value to the original topic with the original key and
headers (the `dlq-*` ones left out), plus `dlq-replay-count` and `dlq-replayed-from`. Each
replay is written to the compacted topic `cmo.dlq.replays`, keyed by the dead letter, so a
second `replay` leaves it alone unless forced; a forced one changes nothing downstream either,
as consumers apply each event id once.
"""

import contextlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from cmo_shared.kafka import read_to_end, started

DLQ_SUFFIX = ".dlq"
REPLAYS_TOPIC = "cmo.dlq.replays"


@dataclass(frozen=True)
class DeadLetter:
    """One message of a dead-letter topic, with what the consumer that gave up said."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]
    timestamp_ms: int

    @property
    def ref(self) -> str:
        """Where it is: `<dlq topic>:<partition>:<offset>`."""
        return f"{self.topic}:{self.partition}:{self.offset}"

    @property
    def original_topic(self) -> str:
        """The topic it was consumed from."""
        return self.headers.get("dlq-original-topic") or self.topic.removesuffix(DLQ_SUFFIX)

    @property
    def reason(self) -> str:
        """Why it was dead-lettered (`decode_error`, `handler_error`)."""
        return self.headers.get("dlq-reason", "unknown")

    @property
    def at(self) -> datetime:
        """When it was dead-lettered."""
        return datetime.fromtimestamp(self.timestamp_ms / 1000, UTC)

    @property
    def event(self) -> dict[str, Any]:
        """The envelope's type and id, if the value is an envelope at all."""
        try:
            envelope = json.loads(self.value)
        except ValueError:
            return {}
        if not isinstance(envelope, dict):
            return {}
        return {k: envelope[k] for k in ("type", "event_id", "correlation_id") if k in envelope}

    def replay_headers(self, count: int) -> list[tuple[str, bytes]]:
        """The original headers, without the dead-letter ones, with the replay's."""
        kept = [(k, v.encode()) for k, v in self.headers.items() if not k.startswith("dlq-")]
        return [
            *kept,
            ("dlq-replay-count", str(count).encode()),
            ("dlq-replayed-from", self.ref.encode()),
        ]


async def dead_letter_topics(bootstrap: str) -> list[str]:
    """Every dead-letter topic on the broker."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    async with started(admin):
        return sorted(t for t in await admin.list_topics() if t.endswith(DLQ_SUFFIX))


async def dead_letters(bootstrap: str, topic: str | None = None) -> list[DeadLetter]:
    """The dead letters of every topic, or of one (named by itself or by its `.dlq`)."""
    topics = await dead_letter_topics(bootstrap)
    if topic is not None:
        wanted = topic if topic.endswith(DLQ_SUFFIX) else topic + DLQ_SUFFIX
        topics = [t for t in topics if t == wanted]
    return [
        DeadLetter(
            topic=r.topic,
            partition=r.partition,
            offset=r.offset,
            key=r.key,
            value=r.value or b"",
            headers={k: v.decode(errors="replace") for k, v in (r.headers or ())},
            timestamp_ms=r.timestamp,
        )
        for r in await read_to_end(bootstrap, topics)
    ]


async def replay_counts(bootstrap: str) -> dict[str, int]:
    """How often each dead letter (by `ref`) was replayed."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    async with started(admin):
        exists = REPLAYS_TOPIC in await admin.list_topics()
    if not exists:
        return {}
    counts: dict[str, int] = {}
    for record in await read_to_end(bootstrap, [REPLAYS_TOPIC]):
        counts[record.key.decode()] = int(json.loads(record.value)["count"])
    return counts


def select(
    letters: Iterable[DeadLetter], *, reason: str | None = None, offset: int | None = None
) -> list[DeadLetter]:
    """The dead letters with this reason and at this offset of their dead-letter topic."""
    return [
        d
        for d in letters
        if (reason is None or d.reason == reason) and (offset is None or d.offset == offset)
    ]


async def _ensure_replays_topic(bootstrap: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    async with started(admin):
        if REPLAYS_TOPIC not in await admin.list_topics():
            topic = NewTopic(REPLAYS_TOPIC, 1, 1, topic_configs={"cleanup.policy": "compact"})
            with contextlib.suppress(TopicAlreadyExistsError):  # another replay made it
                await admin.create_topics([topic])


async def replay(
    bootstrap: str, letters: Sequence[DeadLetter], counts: dict[str, int], *, force: bool
) -> tuple[list[DeadLetter], list[DeadLetter]]:
    """Send the dead letters back to their topics; (replayed, left because replayed before)."""
    again = [d for d in letters if counts.get(d.ref) and not force]
    chosen = [d for d in letters if d not in again]
    if not chosen:
        return [], again
    await _ensure_replays_topic(bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    async with started(producer):
        for letter in chosen:
            count = counts.get(letter.ref, 0) + 1
            await producer.send_and_wait(
                letter.original_topic,
                letter.value,
                key=letter.key,
                headers=letter.replay_headers(count),
            )
            note = {"count": count, "at": datetime.now(UTC).isoformat(), **letter.event}
            await producer.send_and_wait(
                REPLAYS_TOPIC, json.dumps(note).encode(), key=letter.ref.encode()
            )
    return chosen, again
