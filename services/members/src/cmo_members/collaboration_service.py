"""The collaboration board: posts, their matches, interest and closing, with their events."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from cmo_shared.errors import Conflict, DomainError, NotFound
from cmo_shared.events import Envelope
from cmo_shared.events.members import (
    CollaborationClosed,
    CollaborationInterestExpressed,
    CollaborationMatched,
    CollaborationPosted,
)
from cmo_shared.locks import DocumentLocks
from cmo_shared.outbox import OutboxRelay, outbox_entries, push_events
from cmo_shared.schedule import today_in_tbilisi
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from .collaboration import Candidate, Category, PostFacts, PostKind, find_matches
from .domain import GOOD_STANDING, Member
from .handlers import members_event
from .repository import MemberRepository

POSTS = "collaboration_posts"
INTERESTS = "collaboration_interests"
EXPIRY_ACTOR = "system:expiry"


class PostClosed(Conflict):
    """The post no longer takes interest or changes."""

    code = "post_closed"


class AlreadyInterested(Conflict):
    """The member already expressed interest in this post."""

    code = "already_interested"


class ExpiryPassed(Conflict):
    """A post cannot be published with a last day already past (a conflict with today)."""

    code = "date_passed"


class OwnPost(DomainError):
    """A member cannot express interest in its own post."""

    status = 422
    code = "own_post"


def _facts(document: dict[str, Any]) -> PostFacts:
    return PostFacts(
        post_id=document["_id"],
        member_id=document["member_id"],
        kind=PostKind(document["kind"]),
        category=Category(document["category"]),
        tags=frozenset(document["tags"]),
        sectors=tuple(document["sectors"]),
        markets=frozenset(document["markets"]),
    )


def _candidate(member: Member) -> Candidate:
    return Candidate(
        member_id=member.member_id,
        sector=member.sector,
        products=member.products,
        certifications=member.certifications,
        export_markets=member.export_markets,
    )


def _about(post: dict[str, Any]) -> dict[str, Any]:
    """The fields every collaboration event repeats about its post."""
    return {
        "post_id": post["_id"],
        "member_id": post["member_id"],
        "kind": post["kind"],
        "category": post["category"],
        "title": post["title"],
    }


class CollaborationService:
    """Members' requests and offers, matched with each other and with members' profiles."""

    def __init__(
        self,
        db: AsyncDatabase,
        members: MemberRepository,
        relay: OutboxRelay,
        locks: DocumentLocks,
    ) -> None:
        self._posts = db[POSTS]
        self._interests = db[INTERESTS]
        self._members = members
        self._relay = relay
        self._locks = locks

    async def ensure_indexes(self) -> None:
        """Lists filter by status and category, and interests by post."""
        await self._posts.create_index([("status", ASCENDING), ("category", ASCENDING)])
        await self._interests.create_index([("post_id", ASCENDING)])

    async def post(
        self, fields: dict[str, Any], *, actor: str, correlation_id: str
    ) -> dict[str, Any]:
        """Publish a post and match it; emits `collaboration.posted` and one `matched` each."""
        expires_on = fields.get("expires_on")
        if expires_on is not None and date.fromisoformat(str(expires_on)) < today_in_tbilisi():
            raise ExpiryPassed("the last day of the post has passed", field="expires_on")
        await self._members.get_in_good_standing(fields["member_id"])
        document: dict[str, Any] = {
            "_id": str(uuid4()),
            **fields,
            "status": "open",
            "posted_by": actor,
            "posted_at": datetime.now(UTC),
            "closed_by": None,
            "close_reason": None,
        }
        members, _ = await self._members.list(statuses=sorted(GOOD_STANDING), sector=None)
        open_posts = self._posts.find(
            {"status": "open", "category": fields["category"]}, {"outbox": 0, "matches": 0}
        )
        matches = find_matches(
            _facts(document),
            [_candidate(m) for m in members],
            [_facts(p) async for p in open_posts],
        )
        document["matches"] = [
            {"member_id": m.member_id, "post_id": m.post_id, "reasons": m.reasons} for m in matches
        ]
        about = _about(document)
        events: list[Envelope[Any]] = [
            self._event(
                CollaborationPosted(
                    **about,
                    tags=fields["tags"],
                    sectors=fields["sectors"],
                    markets=fields["markets"],
                    expires_on=fields["expires_on"],
                ),
                document,
                correlation_id,
            )
        ]
        events += [
            self._event(
                CollaborationMatched(
                    **about,
                    matched_member_id=m.member_id,
                    matched_post_id=m.post_id,
                    reasons=m.reasons,
                ),
                document,
                correlation_id,
            )
            for m in matches
        ]
        document["outbox"] = outbox_entries(events)
        await self._posts.insert_one(document)
        self._relay.wake()
        del document["outbox"]
        return document

    @staticmethod
    def _event(payload: Any, post: dict[str, Any], correlation_id: str) -> Envelope[Any]:
        return members_event(payload, subject_id=post["_id"], correlation_id=correlation_id)

    async def get(self, post_id: str) -> dict[str, Any]:
        """One post, or `NotFound`."""
        document = await self._posts.find_one({"_id": post_id}, {"outbox": 0})
        if document is None:
            raise NotFound(f"collaboration post {post_id} not found", field="post_id")
        return document

    async def search(
        self, query: dict[str, Any], *, skip: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Posts matching the query, newest first."""
        total = await self._posts.count_documents(query)
        cursor = self._posts.find(query, {"outbox": 0}).sort("posted_at", DESCENDING)
        return await cursor.skip(skip).limit(limit).to_list(None), total

    async def express_interest(
        self, post_id: str, member_id: str, message: str | None, *, correlation_id: str
    ) -> dict[str, Any]:
        """Record a member's interest in a post; emits `collaboration.interest_expressed`."""
        post = await self.get(post_id)
        if post["status"] != "open":
            raise PostClosed("the post is closed", field="post_id")
        if post["member_id"] == member_id:
            raise OwnPost("a member cannot express interest in its own post", field="member_id")
        await self._members.get_in_good_standing(member_id)
        event = self._event(
            CollaborationInterestExpressed(
                **_about(post), interested_member_id=member_id, message=message
            ),
            post,
            correlation_id,
        )
        document = {
            "_id": f"{post_id}:{member_id}",
            "post_id": post_id,
            "member_id": member_id,
            "message": message,
            "expressed_at": datetime.now(UTC),
            "outbox": outbox_entries([event]),
        }
        try:
            await self._interests.insert_one(document)
        except DuplicateKeyError as exc:
            raise AlreadyInterested(
                f"member {member_id} already expressed interest in this post", field="member_id"
            ) from exc
        self._relay.wake()
        del document["outbox"]
        return document

    async def interests(self, post_id: str, *, skip: int, limit: int) -> list[dict[str, Any]]:
        """The members interested in a post, first come first."""
        await self.get(post_id)
        cursor = self._interests.find({"post_id": post_id}, {"outbox": 0})
        return await cursor.sort("expressed_at", ASCENDING).skip(skip).limit(limit).to_list(None)

    async def close(
        self, post_id: str, *, actor: str, reason: str | None, correlation_id: str
    ) -> dict[str, Any]:
        """Close an open post; emits `collaboration.closed`."""
        async with self._locks(POSTS, post_id):
            post = await self.get(post_id)
            if post["status"] != "open":
                raise PostClosed("the post is already closed", field="status")
            changes = {"status": "closed", "closed_by": actor, "close_reason": reason}
            event = self._event(
                CollaborationClosed(**_about(post), actor=actor, reason=reason),
                post,
                correlation_id,
            )
            await self._posts.update_one(
                {"_id": post_id}, {"$set": changes, "$push": push_events([event])}
            )
        self._relay.wake()
        return {**post, **changes}

    async def close_expired(self, today: date) -> int:
        """Close the open posts whose last day has passed; return how many."""
        expired = self._posts.find(
            {"status": "open", "expires_on": {"$lt": today.isoformat()}}, {"_id": 1}
        )
        closed = 0
        for document in await expired.to_list(None):
            try:
                await self.close(
                    document["_id"],
                    actor=EXPIRY_ACTOR,
                    reason="expired",
                    correlation_id=f"expiry:{today.isoformat()}",
                )
            except PostClosed:
                continue
            closed += 1
        return closed
