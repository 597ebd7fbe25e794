"""EventConsumer's dispatch, retry and dead-letter logic, with in-memory stand-ins."""

from typing import Any

from aiokafka import ConsumerRecord
from cmo_contracts import encode
from cmo_shared.consumer import Batch, EventConsumer, RetryPolicy
from cmo_shared.testing import member_applied


class MemoryProcessed:
    def __init__(self) -> None:
        self.recorded: set[str] = set()

    async def applied_among(self, consumer: str, ids: Any) -> set[str]:
        return {str(i) for i in ids} & self.recorded

    async def record(self, consumer: str, ids: Any) -> None:
        self.recorded |= {str(i) for i in ids}


def _record(value: bytes, offset: int) -> ConsumerRecord:
    return ConsumerRecord(
        topic="cmo.members",
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=b"k",
        value=value,
        checksum=None,
        serialized_key_size=1,
        serialized_value_size=len(value),
        headers=(),
    )


def _applied(name: str) -> bytes:
    return encode(member_applied("m", legal_name=name))


def _consumer(
    handler: Any, dead: list[tuple[int, str]], processed: MemoryProcessed
) -> EventConsumer:
    async def dead_letter(record: ConsumerRecord, reason: str, error: str, attempts: int) -> None:
        dead.append((record.offset, reason))

    return EventConsumer(
        name="test",
        handlers={"member.applied": handler},
        processed=processed,  # type: ignore[arg-type]
        dead_letter=dead_letter,
        retry=RetryPolicy(max_attempts=3, first_backoff_s=0.001),
    )


async def test_poison_goes_to_dead_letters_and_the_rest_is_applied_once() -> None:
    handled: list[str] = []
    calls = {"bad": 0}

    async def handler(event: Any) -> None:
        if event.payload.legal_name == "bad":
            calls["bad"] += 1
            raise RuntimeError("always fails")
        handled.append(event.payload.legal_name)

    dead: list[tuple[int, str]] = []
    processed = MemoryProcessed()
    consumer = _consumer(handler, dead, processed)
    good = _applied("good")
    await consumer.handle_batch(
        [_record(b"{oops", 0), _record(_applied("bad"), 1), _record(good, 2), _record(good, 3)]
    )
    await consumer.handle_batch([_record(good, 4)])

    assert dead == [(0, "decode_error"), (1, "handler_error")]
    assert calls["bad"] == 3
    assert handled == ["good"]
    assert len(processed.recorded) == 1, "dead-lettered events stay replayable"


async def test_a_handler_that_fails_then_succeeds_is_not_dead_lettered() -> None:
    attempts = {"n": 0}

    async def flaky(event: Any) -> None:
        attempts["n"] += 1
        if attempts["n"] < 3:
            raise RuntimeError("transient bug")

    dead: list[tuple[int, str]] = []
    consumer = _consumer(flaky, dead, MemoryProcessed())
    await consumer.handle_batch([_record(_applied("x"), 0)])
    assert attempts["n"] == 3 and dead == []


def test_backoff_doubles_up_to_its_ceiling() -> None:
    policy = RetryPolicy(first_backoff_s=0.5, max_backoff_s=3)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.5, 1, 2, 3, 3]


def _consumer_of(handlers: dict[str, Any], dead: list[tuple[int, str]]) -> EventConsumer:
    async def dead_letter(record: ConsumerRecord, reason: str, error: str, attempts: int) -> None:
        dead.append((record.offset, reason))

    return EventConsumer(
        name="test",
        handlers=handlers,
        processed=MemoryProcessed(),  # type: ignore[arg-type]
        dead_letter=dead_letter,
        retry=RetryPolicy(max_attempts=2, first_backoff_s=0.001),
    )


def _joined(name: str) -> bytes:
    from cmo_shared.testing import member_joined

    return encode(member_joined("m", legal_name=name))


async def test_a_batch_handler_takes_each_run_of_its_events_at_once_in_order() -> None:
    calls: list[list[str]] = []
    single: list[str] = []

    async def many(events: Any) -> None:
        calls.append([e.payload.legal_name for e in events])

    async def one(event: Any) -> None:
        single.append(event.payload.legal_name)

    consumer = _consumer_of({"member.applied": Batch(many), "member.joined": one}, [])
    a, b, c, d = _applied("a"), _applied("b"), _applied("c"), _applied("d")
    await consumer.handle_batch(
        [
            _record(a, 0),
            _record(b, 1),
            _record(a, 2),
            _record(_joined("x"), 3),
            _record(c, 4),
            _record(d, 5),
        ]
    )

    assert calls == [["a", "b"], ["c", "d"]], "runs are cut by other events; duplicates left out"
    assert single == ["x"]


async def test_a_failing_batch_is_applied_one_by_one_so_only_the_poison_is_dead_lettered() -> None:
    stored: list[str] = []

    async def many(events: Any) -> None:
        if any(e.payload.legal_name == "bad" for e in events):
            raise RuntimeError("one bad event fails the bulk write")
        stored.extend(e.payload.legal_name for e in events)

    dead: list[tuple[int, str]] = []
    consumer = _consumer_of({"member.applied": Batch(many)}, dead)
    await consumer.handle_batch(
        [_record(_applied("a"), 0), _record(_applied("bad"), 1), _record(_applied("b"), 2)]
    )

    assert stored == ["a", "b"]
    assert dead == [(1, "handler_error")]
