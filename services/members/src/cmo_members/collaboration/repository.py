"""Storage of the collaboration board: the protocols the use cases need and their adapters."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.store import AggregateStore, Change, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Category, Interest, Match, Post, PostKind


class PostRepository(Protocol):
    """Posts on the board."""

    async def add(self, post: Post, events: list[Event]) -> None:
        """Store a new post with its events."""
        ...

    async def get(self, post_id: str) -> Post:
        """One post, or `NotFound`."""
        ...

    def changing(self, post_id: str) -> AbstractAsyncContextManager[Change[Post]]:
        """A post loaded for a change, saved with its events on success."""
        ...

    async def open_of_category(self, category: Category) -> list[Post]:
        """The open posts of a category."""
        ...

    async def expired(self, before: str) -> list[Post]:
        """Open posts whose last day is before an ISO date."""
        ...

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Post], int]:
        """Posts whose fields hold the given values, newest first, and their total."""
        ...


class InterestRepository(Protocol):
    """Members' interest in posts, once per member and post."""

    async def add(self, interest: Interest, events: list[Event]) -> None:
        """Store an interest with its event; `Duplicate` if the member expressed it already."""
        ...

    async def of_post(self, post_id: str, *, page: int, page_size: int) -> list[Interest]:
        """A post's interests, first come first."""
        ...


class MongoPosts(AggregateStore[Post]):
    """Posts in the `collaboration_posts` collection."""

    collection_name = "collaboration_posts"
    noun = "collaboration post"
    key_field = "post_id"
    indexes = [IndexModel([("status", ASCENDING), ("category", ASCENDING)])]

    def to_document(self, item: Post) -> dict[str, Any]:
        """The post's fields, its id as `_id`."""
        document = asdict(item)
        document["_id"] = document.pop("post_id")
        return document

    def from_document(self, document: dict[str, Any]) -> Post:
        """A post from its stored fields."""
        fields = {k: v for k, v in document.items() if k in Post.__dataclass_fields__}
        fields["kind"] = PostKind(fields["kind"])
        fields["category"] = Category(fields["category"])
        fields["matches"] = [Match(**m) for m in fields.get("matches", [])]
        return Post(post_id=document["_id"], **fields)

    async def open_of_category(self, category: Category) -> list[Post]:
        """The open posts of a category."""
        return await self.find({"status": "open", "category": category.value})

    async def expired(self, before: str) -> list[Post]:
        """Open posts whose last day is before an ISO date."""
        return await self.find({"status": "open", "expires_on": {"$lt": before}})

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Post], int]:
        """Posts whose fields hold the given values, newest first, and their total."""
        return await self.page(
            filters, sort=[("posted_at", DESCENDING)], page=page, page_size=page_size
        )


class MongoInterests(AggregateStore[Interest]):
    """Interests in the `collaboration_interests` collection; their events are the post's."""

    collection_name = "collaboration_interests"
    noun = "interest"
    indexes = [IndexModel([("post_id", ASCENDING)])]

    def to_document(self, item: Interest) -> dict[str, Any]:
        """The interest's fields, `<post id>:<member id>` as `_id`."""
        return {"_id": item.interest_id, **asdict(item)}

    def from_document(self, document: dict[str, Any]) -> Interest:
        """An interest from its stored fields."""
        return Interest(**{k: v for k, v in document.items() if k in Interest.__dataclass_fields__})

    def subject_of(self, item: Interest, document: dict[str, Any]) -> str:
        """Interest is an event of the post."""
        return item.post_id

    async def of_post(self, post_id: str, *, page: int, page_size: int) -> list[Interest]:
        """A post's interests, first come first."""
        return await self.find(
            {"post_id": post_id},
            sort=[("expressed_at", ASCENDING)],
            skip=(page - 1) * page_size,
            limit=page_size,
        )
