"""MongoDB access through PyMongo's async API, limited to what FerretDB 1.24 supports."""

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, PyMongoError

DUPLICATE_KEY = 11000


def connect(url: str) -> AsyncMongoClient:
    """Create a client with UTC-aware datetimes and short server-selection timeouts."""
    return AsyncMongoClient(
        url, tz_aware=True, serverSelectionTimeoutMS=5000, connectTimeoutMS=3000, retryWrites=False
    )


async def ping(db: AsyncDatabase) -> bool:
    """Return whether the database answers a ping."""
    try:
        await db.command("ping")
    except PyMongoError:
        return False
    return True


ID_CHUNK = 5_000
"""Ids per `_id: {$in}` query. The FerretDB `cmo` builds narrows at most 10,000 in SQL, an
index look-up each (a longer list is checked against every document, n x m); on MongoDB it
keeps each command small."""


async def find_by_ids(
    collection: AsyncCollection, ids: Iterable[Any], projection: dict[str, Any] | None = None
) -> AsyncIterator[dict[str, Any]]:
    """The documents with these `_id`s (each asked once), queried `ID_CHUNK` at a time."""
    distinct = list(dict.fromkeys(ids))
    for start in range(0, len(distinct), ID_CHUNK):
        chunk = distinct[start : start + ID_CHUNK]
        async for document in collection.find({"_id": {"$in": chunk}}, projection):
            yield document


async def insert_unordered(
    collection: AsyncCollection, documents: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert documents in one unordered bulk write; the positions of those whose key existed."""
    if not documents:
        return []
    try:
        await collection.insert_many(list(documents), ordered=False)
        return []
    except BulkWriteError as exc:
        errors = exc.details["writeErrors"]
        if any(e["code"] != DUPLICATE_KEY for e in errors):
            raise
        return [e["index"] for e in errors]


async def insert_new(collection: AsyncCollection, documents: Sequence[dict[str, Any]]) -> int:
    """Insert documents in one unordered bulk write, skipping those whose key exists already."""
    return len(documents) - len(await insert_unordered(collection, documents))


async def insert_or_replace(
    collection: AsyncCollection, documents: Sequence[dict[str, Any]]
) -> None:
    """Store documents by `_id`: the new ones in one bulk insert, the existing ones replaced.

    A bulk insert is FerretDB's cheapest write (a replace is a look-up and a write per
    document), so a batch of mostly new documents (members joining) is written at its speed.
    """
    existing = [documents[i] for i in await insert_unordered(collection, documents)]
    for document in existing:
        await collection.replace_one({"_id": document["_id"]}, document)
