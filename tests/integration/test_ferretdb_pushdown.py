"""The FerretDB the CLI builds narrows equality selectors in SQL, through an index if there is one.

SQLite's own query plan (FerretDB's `explain`) says which: `SEARCH … USING INDEX` or `SCAN`.
Narrowing must never lose a document: the results are checked against the selector's meaning.
"""

import uuid
from collections.abc import AsyncIterator

import pytest
from bson import ObjectId
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.conftest import Infra

MARK = ObjectId("65a1b2c3d4e5f60718293a4b")


def _thing(i: int) -> dict:
    thing: dict = {"_id": f"t{i}", "n": i, "group": f"g{i % 10}"}
    if i % 7 == 0:
        thing["group"] = [f"g{i % 10}", "g-extra"]  # an array whose elements match
    if i % 11 == 0:
        del thing["group"]
    if i % 13 == 0:
        thing["group"] = MARK if i % 2 else str(MARK)  # an ObjectId, and a string spelt alike
    if i % 17 == 0:
        thing["group"] = 'g<"\\>'  # a string whose JSON holds escapes
    return thing


THINGS = [_thing(i) for i in range(300)]


@pytest.fixture
async def db(infra: Infra, mongo: AsyncMongoClient) -> AsyncIterator[AsyncDatabase]:
    """A database of the test's own, holding 300 documents keyed by string, dropped after."""
    database = mongo[f"{infra.db_prefix}_push{uuid.uuid4().hex[:6]}"]
    await database["things"].insert_many(THINGS)
    await database["things"].create_index("group")
    yield database
    await mongo.drop_database(database.name)


async def _plan(db: AsyncDatabase, selector: dict) -> str:
    answer = await db.command({"explain": {"find": "things", "filter": selector}})
    return " ".join(answer["queryPlanner"]["Plan"])


def _matches(value: object, wanted: object) -> bool:
    """MongoDB's equality: the value, or an element of an array value, equals `wanted`."""
    if isinstance(value, list):
        return wanted in value or value == wanted
    return type(value) is type(wanted) and value == wanted


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
    plan = await _plan(db, selector)
    assert "USING INDEX" in plan and "SCAN" not in plan, plan


@pytest.mark.parametrize(
    "selector",
    [
        {"group": "g3"},
        {"group": {"$eq": "g3"}},
        {"group": {"$in": ["g3", "g4"]}},
        {"group": "g3", "n": {"$gt": 100}},
    ],
    ids=["equal", "$eq", "$in", "and-more"],
)
async def test_a_selector_on_an_indexed_field_uses_its_index(
    db: AsyncDatabase, selector: dict
) -> None:
    plan = await _plan(db, selector)
    assert "USING INDEX" in plan and "group" in plan and "SCAN" not in plan, plan


@pytest.mark.parametrize(
    "wanted",
    ["g3", "g-extra", str(MARK), MARK, 'g<"\\>', "nothing"],
    ids=["string", "in-arrays", "objectid-as-string", "objectid", "escaped", "none"],
)
async def test_the_documents_found_are_exactly_those_the_selector_names(
    db: AsyncDatabase, wanted: object
) -> None:
    expected = sorted(t["_id"] for t in THINGS if "group" in t and _matches(t["group"], wanted))
    for selector in ({"group": wanted}, {"group": {"$eq": wanted}}, {"group": {"$in": [wanted]}}):
        found = await db["things"].find(selector, {"_id": 1}).to_list(None)
        assert sorted(d["_id"] for d in found) == expected, selector
    both = {"group": {"$in": [wanted, "g4"]}}
    expected_both = sorted(
        t["_id"]
        for t in THINGS
        if "group" in t and any(_matches(t["group"], w) for w in [wanted, "g4"])
    )
    found = await db["things"].find(both, {"_id": 1}).to_list(None)
    assert sorted(d["_id"] for d in found) == expected_both


async def test_writes_by_selector_touch_exactly_the_documents_named(db: AsyncDatabase) -> None:
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
    g5 = sum(1 for t in THINGS if t["_id"] not in ("t10", "t11") and _matches(t.get("group"), "g5"))
    assert (await things.update_many({"group": "g5"}, {"$set": {"n": 0}})).modified_count == g5
    assert (await things.delete_many({"group": "g5"})).deleted_count == g5
    assert await things.count_documents({}) == 298 - g5


async def test_other_selectors_still_scan(db: AsyncDatabase) -> None:
    """What the build leaves as FerretDB 1.24 has it: other comparisons and types scan."""
    assert "SCAN" in await _plan(db, {"n": 7})
    assert "SCAN" in await _plan(db, {"group": {"$gt": "g3"}})
