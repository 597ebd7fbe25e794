"""The gateway's `idempotency_keys` collection: claimed by unique-key insert, then answered."""

from datetime import datetime

from cmo_shared.mongo import insert_new
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from .domain import KeyRecord, StoredAnswer

IDEMPOTENCY = "idempotency_keys"


class IdempotencyKeys:
    """Each caller's keys, their requests' fingerprints and first answers."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Index the clean-up's field."""
        await self._collection.create_index([("created_at", ASCENDING)])

    async def claim(self, record_id: str, fingerprint: str, now: datetime) -> bool:
        """Take a key for a request; False when it is taken already (by any replica)."""
        document = {"_id": record_id, "fingerprint": fingerprint, "created_at": now}
        return bool(await insert_new(self._collection, [document]))

    async def get(self, record_id: str) -> KeyRecord | None:
        """A key's record, if any."""
        found = await self._collection.find_one({"_id": record_id})
        if found is None:
            return None
        answer = None
        if "status" in found:
            answer = StoredAnswer(found["status"], bytes(found["body"]), found.get("content_type"))
        return KeyRecord(found["fingerprint"], found["created_at"], answer)

    async def answer(self, record_id: str, answer: StoredAnswer) -> None:
        """Keep the first answer to a key."""
        await self._collection.update_one(
            {"_id": record_id},
            {
                "$set": {
                    "status": answer.status,
                    "body": answer.body,
                    "content_type": answer.content_type,
                }
            },
        )

    async def release(self, record_id: str) -> None:
        """Forget a key whose request failed (it may be sent again)."""
        await self._collection.delete_one({"_id": record_id})

    async def forget_before(self, moment: datetime) -> int:
        """Drop the keys older than a moment."""
        result = await self._collection.delete_many({"created_at": {"$lt": moment}})
        return result.deleted_count
