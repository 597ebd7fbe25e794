"""Storage of feedback answers."""

from typing import Protocol

from cmo_shared.codec import from_document, to_document
from cmo_shared.mongo import insert_new
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Feedback


class FeedbackRepository(Protocol):
    """Feedback answers, one per participant, session and kind."""

    async def put(self, feedback: Feedback) -> None:
        """Insert or replace an answer."""
        ...

    async def of(self, *, session_id: str | None, provider: str | None) -> list[Feedback]:
        """The answers of a session, or of a provider's sessions."""
        ...


class MongoFeedback:
    """The `feedback` collection, `_id` `<session>:<person>:<kind>`."""

    collection_name = "feedback"
    indexes = [IndexModel([("session_id", ASCENDING)]), IndexModel([("provider", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put(self, feedback: Feedback) -> None:
        """Insert first (FerretDB's cheapest write), replace if it exists."""
        document = {"_id": feedback.feedback_id, **to_document(feedback)}
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": feedback.feedback_id}, document)

    async def of(self, *, session_id: str | None, provider: str | None) -> list[Feedback]:
        """The answers of a session, or of a provider's sessions."""
        query = {k: v for k, v in (("session_id", session_id), ("provider", provider)) if v}
        cursor = self._collection.find(query, {"_id": 0})
        return [from_document(Feedback, d) async for d in cursor]
