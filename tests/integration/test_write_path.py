"""The one write path on real FerretDB and Kafka: state and events saved, then published."""

import json
import uuid
from dataclasses import asdict, dataclass
from typing import Any

import pytest
from cmo_contracts.members import MemberApplied, MemberProfileUpdated
from cmo_shared.kafka import ensure_topics, make_broker
from cmo_shared.store import AggregateStore, ConcurrentChange, Duplicate, WritePath
from cmo_shared.testing import member_applied
from pymongo import ASCENDING, AsyncMongoClient, IndexModel

from tests.conftest import Infra
from tests.helpers import read_topic


@dataclass
class Widget:
    """An aggregate type no service has: nothing but its store's declaration names it."""

    widget_id: str
    name: str
    version: int = 0


class Widgets(AggregateStore[Widget]):
    collection_name = "widgets"
    noun = "widget"

    def to_document(self, item: Widget) -> dict[str, Any]:
        document = asdict(item)
        document["_id"] = document.pop("widget_id")
        return document

    def from_document(self, document: dict[str, Any]) -> Widget:
        return Widget(widget_id=document["_id"], name=document["name"], version=document["version"])


def _applied(widget_id: str, name: str) -> MemberApplied:
    return member_applied(widget_id, legal_name=name).payload


def _renamed(widget_id: str, name: str) -> MemberProfileUpdated:
    return MemberProfileUpdated(**_applied(widget_id, name).model_dump(), changed=["legal_name"])


@pytest.fixture
async def topic(infra: Infra) -> str:
    name = f"test.writes.{uuid.uuid4().hex[:6]}"
    await ensure_topics(infra.kafka_bootstrap, [name])
    return name


async def test_a_declared_aggregate_type_publishes_its_events_with_nothing_listed_elsewhere(
    infra: Infra, mongo: AsyncMongoClient, topic: str
) -> None:
    broker = make_broker(infra.kafka_bootstrap, client_id="writes-test")
    await broker.start()

    async def publish(_topic: str, key: bytes, body: bytes, correlation: str, headers: Any):
        await broker.publish(body, topic=topic, key=key, headers=headers)

    db = mongo[f"{infra.db_prefix}_writes_{uuid.uuid4().hex[:6]}"]
    writes = WritePath(db, "widgets-test", publish)
    widgets = writes.declare(Widgets)
    try:
        await widgets.add(Widget("w1", "first"), [_applied("w1", "first")])
        async with widgets.changing("w1") as change:
            change.item.name = "second"
            change.record(_renamed("w1", "second"))
        async with widgets.changing("w1") as unchanged:
            assert unchanged.item.name == "second"
        published = await writes.relay.drain()
    finally:
        await broker.stop()

    assert published == 2
    stored = await db["widgets"].find_one({"_id": "w1"})
    assert stored is not None
    assert (stored["name"], stored["version"], stored["outbox"]) == ("second", 1, [])
    assert change.item.version == 1
    records = await read_topic(infra.kafka_bootstrap, topic, expect=2)
    bodies = [json.loads(r.value) for r in records]
    assert [b["type"] for b in bodies] == ["member.applied", "member.profile_updated"]
    assert {b["producer"] for b in bodies} == {"widgets-test"}
    assert {r.key for r in records} == {b"w1"}


async def test_a_stale_write_from_another_process_is_refused_and_keys_stay_unique(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    async def publish(*_: Any) -> None:
        raise AssertionError("nothing is published in this test")

    db = mongo[f"{infra.db_prefix}_writes_{uuid.uuid4().hex[:6]}"]
    mine, theirs = (WritePath(db, "p", publish).declare(Widgets) for _ in range(2))
    await mine.add(Widget("w1", "first"))
    with pytest.raises(Duplicate):
        await theirs.add(Widget("w1", "again"))
    assert await mine.add_new([(Widget("w1", "x"), []), (Widget("w2", "y"), [])]) == 1

    with pytest.raises(ConcurrentChange):
        async with mine.changing("w1") as change:
            async with theirs.changing("w1") as other:  # another process, its own locks
                other.item.name = "theirs"
            change.item.name = "mine"

    assert (await mine.get("w1")).name == "theirs"


async def test_indexes_are_ensured_again_when_a_second_replica_starts(mongo, infra: Infra) -> None:
    db = mongo[f"{infra.db_prefix}_indexes_{uuid.uuid4().hex[:6]}"]
    indexes = [
        IndexModel([("name", ASCENDING)]),
        IndexModel([("name", ASCENDING), ("version", ASCENDING)]),
    ]

    async def publish(_: Any) -> None:
        return None

    for _ in range(2):  # the first replica, then the second on the same database
        writes = WritePath(db, "replica", publish)
        writes.collection("things", indexes)
        await writes.ensure_indexes()
    names = {i["name"] async for i in await db["things"].list_indexes()}
    assert {"name_1", "name_1_version_1"} <= names
    await mongo.drop_database(db.name)
