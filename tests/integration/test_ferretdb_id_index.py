"""The FerretDB the CLI builds finds documents by `_id` through its index, not by a scan.

SQLite's own query plan (FerretDB's `explain`) says which: `SEARCH … USING INDEX` or `SCAN`.
"""

import uuid
from collections.abc import AsyncIterator

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.conftest import Infra


@pytest.fixture
async def db(infra: Infra, mongo: AsyncMongoClient) -> AsyncIterator[AsyncDatabase]:
    """A database of the test's own, holding 300 documents keyed by string, dropped after."""
    database = mongo[f"{infra.db_prefix}_ids{uuid.uuid4().hex[:6]}"]
    await database["things"].insert_many([{"_id": f"t{i}", "n": i} for i in range(300)])
    yield database
    await mongo.drop_database(database.name)


async def _plan(db: AsyncDatabase, command: dict) -> str:
    answer = await db.command({"explain": command})
    return " ".join(answer["queryPlanner"]["Plan"])


@pytest.mark.parametrize(
    "selector",
    [
        {"_id": "t7"},
        {"_id": {"$eq": "t7"}},
        {"_id": {"$in": ["t7", "t8", "t9"]}},
        {"_id": {"$in": ["t7", "t8"]}, "n": {"$gt": 7}},
    ],
    ids=["equal", "$eq", "$in", "$in-and-more"],
)
async def test_an_id_selector_uses_the_id_index(db: AsyncDatabase, selector: dict) -> None:
    plan = await _plan(db, {"find": "things", "filter": selector})
    assert "USING INDEX" in plan and "SCAN" not in plan, plan


async def test_the_documents_found_by_id_are_exactly_those_the_selector_names(
    db: AsyncDatabase,
) -> None:
    things = db["things"]
    assert [d["n"] for d in await things.find({"_id": "t7"}).to_list(None)] == [7]
    found = await things.find({"_id": {"$in": ["t7", "t8", "nope"]}, "n": {"$gt": 7}}).to_list(None)
    assert [d["n"] for d in found] == [8]
    assert await things.count_documents({"_id": {"$in": ["t1", 2, "t3"]}}) == 2  # mixed: scanned
    deleted = await things.delete_many({"_id": {"$in": ["t10", "t11", "missing"]}})
    assert deleted.deleted_count == 2
    updated = await things.update_one({"_id": "t12"}, {"$set": {"n": -12}})
    assert updated.modified_count == 1
    assert (await things.find_one({"_id": "t12"}))["n"] == -12
    assert await things.count_documents({}) == 298


async def test_other_selectors_still_scan(db: AsyncDatabase) -> None:
    """What the build leaves as FerretDB 1.24 has it: any selector not on `_id` scans."""
    assert "SCAN" in await _plan(db, {"find": "things", "filter": {"n": 7}})
