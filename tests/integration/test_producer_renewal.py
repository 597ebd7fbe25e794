"""A producer out of step with the broker is replaced, and publishing goes on (real broker)."""

import asyncio
import uuid

import pytest
from aiokafka.errors import OutOfOrderSequenceNumber
from cmo_shared import runtime as runtime_module
from cmo_shared.kafka import ensure_topics, make_broker, renew_producer
from cmo_shared.runtime import ServiceRuntime
from cmo_shared.settings import ServiceSettings

from tests.conftest import Infra
from tests.helpers import read_topic


async def test_a_renewed_producer_publishes_with_a_new_producer_id(infra: Infra) -> None:
    topic = f"test.renew.{uuid.uuid4().hex[:6]}"
    await ensure_topics(infra.kafka_bootstrap, [topic])
    broker = make_broker(infra.kafka_bootstrap, client_id="renewal-test")
    await broker.start()
    try:
        await broker.publish(b"before", topic=topic, key=b"k")
        before = broker.config.broker_config.producer._producer.producer
        await renew_producer(broker)
        after = broker.config.broker_config.producer._producer.producer
        await broker.publish(b"after", topic=topic, key=b"k")
    finally:
        await broker.stop()
    assert after is not before
    records = await read_topic(infra.kafka_bootstrap, topic, expect=2)
    assert [r.value for r in records] == [b"before", b"after"]


async def test_sends_failing_out_of_step_renew_the_producer_once_and_still_fail(
    infra: Infra, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = ServiceSettings(
        kafka_bootstrap=infra.kafka_bootstrap,
        mongodb_url=infra.mongodb_url,
        db_prefix=infra.db_prefix,
    )
    runtime = ServiceRuntime(f"renew{uuid.uuid4().hex[:6]}", settings)
    renewals: list[object] = []

    async def renew(broker: object) -> None:
        await asyncio.sleep(0.01)
        renewals.append(broker)

    monkeypatch.setattr(runtime_module, "renew_producer", renew)

    loop = asyncio.get_running_loop()
    acknowledgements = [runtime._watched(loop.create_future()) for _ in range(5)]
    for acknowledgement in acknowledgements:
        acknowledgement.set_exception(OutOfOrderSequenceNumber())
    results = await asyncio.gather(*acknowledgements, return_exceptions=True)
    await asyncio.gather(*runtime._tasks)  # the renewal, in the background
    await runtime.client.close()
    assert all(isinstance(r, OutOfOrderSequenceNumber) for r in results), "the send still failed"
    assert renewals == [runtime.broker], "five sends of one producer renew it once"
