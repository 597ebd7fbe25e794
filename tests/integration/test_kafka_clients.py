"""Short-lived Kafka clients (`started`) leave nothing running, even if the caller is cancelled."""

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from cmo_shared.kafka import started

from tests.conftest import Infra


class SlowToStop(AIOKafkaConsumer):
    """A consumer that says when its stop begins, and takes a moment to finish it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.stopping = asyncio.Event()

    async def stop(self) -> None:
        self.stopping.set()
        await asyncio.sleep(0.1)
        await super().stop()


async def test_clients_cancelled_while_closing_still_close_and_leave_no_task(infra: Infra) -> None:
    before = asyncio.all_tasks()
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    reader = SlowToStop(bootstrap_servers=infra.kafka_bootstrap, enable_auto_commit=False)

    async def use_them() -> None:
        async with started(admin, reader):
            await admin.list_topics()

    task = asyncio.create_task(use_them())
    await reader.stopping.wait()
    task.cancel()  # as a stopping service cancels its lag watcher
    with pytest.raises(asyncio.CancelledError):
        await task

    left = asyncio.all_tasks() - before - {asyncio.current_task()}
    assert not left, f"the clients' tasks still run: {left}"
