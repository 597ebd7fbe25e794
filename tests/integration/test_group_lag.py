"""A consumer group's lag, read from a real broker: what `cmo_consumer_lag` and the benches use."""

import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from cmo_shared.kafka import group_lag, topic_partitions

from tests.conftest import Infra


async def test_lag_counts_what_the_group_has_not_committed_on_each_partition(infra: Infra) -> None:
    bootstrap = infra.kafka_bootstrap
    topic, group = f"test.lag.{uuid.uuid4().hex[:6]}", f"lag-{uuid.uuid4().hex[:6]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await admin.start()
    await reader.start()
    await producer.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
        for i in range(5):
            await producer.send_and_wait(topic, b"x", partition=0 if i < 3 else 1)
        partitions = await topic_partitions(bootstrap, [topic])
        first, second = TopicPartition(topic, 0), TopicPartition(topic, 1)

        committer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await committer.start()
        try:
            committer.assign(partitions)
            await committer.commit({first: 1})
        finally:
            await committer.stop()

        assert await group_lag(admin, reader, group, partitions) == {first: 2, second: 2}
        never = f"{group}-never"
        assert await group_lag(admin, reader, never, partitions) == {first: 3, second: 2}
        as_of = {first: 1, second: 0}
        assert await group_lag(admin, reader, group, partitions, as_of) == {first: 0, second: 0}
    finally:
        await producer.stop()
        await reader.stop()
        await admin.close()
