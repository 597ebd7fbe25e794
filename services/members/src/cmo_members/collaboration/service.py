"""The collaboration board: posts, their matches, interest and closing, with their events."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from cmo_shared.schedule import today_in_tbilisi
from cmo_shared.store import Duplicate

from ..membership.domain import GOOD_STANDING, Member
from ..membership.repository import MemberRepository
from ..membership.service import MembershipService
from .domain import (
    EXPIRY_ACTOR,
    AlreadyInterested,
    Candidate,
    Category,
    Interest,
    Post,
    PostClosed,
    PostKind,
)
from .repository import InterestRepository, PostRepository


def _candidate(member: Member) -> Candidate:
    return Candidate(
        member_id=member.member_id,
        sector=member.sector,
        products=member.products,
        certifications=member.certifications,
        export_markets=member.export_markets,
    )


@dataclass
class CollaborationService:
    """Members' requests and offers, matched with each other and with members' profiles."""

    posts: PostRepository
    interests: InterestRepository
    members: MemberRepository
    membership: MembershipService

    async def post(self, fields: dict[str, Any], *, actor: str) -> Post:
        """Publish a post and match it; emits `collaboration.posted` and one `matched` each."""
        post = Post(
            post_id=str(uuid4()),
            posted_by=actor,
            posted_at=datetime.now(UTC),
            **{
                **fields,
                "kind": PostKind(fields["kind"]),
                "category": Category(fields["category"]),
            },
        )
        post.check_open_on(today_in_tbilisi())
        await self.membership.in_good_standing(post.member_id)
        members, _ = await self.members.list(statuses=sorted(GOOD_STANDING))
        open_posts = await self.posts.open_of_category(post.category)
        events = post.publish([_candidate(m) for m in members], [p.facts for p in open_posts])
        await self.posts.add(post, events)
        return post

    async def get(self, post_id: str) -> Post:
        """One post, or `NotFound`."""
        return await self.posts.get(post_id)

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Post], int]:
        """Posts matching the filters, newest first."""
        return await self.posts.search(filters, page=page, page_size=page_size)

    async def express_interest(self, post_id: str, member_id: str, message: str | None) -> Interest:
        """Record a member's interest in a post; emits `collaboration.interest_expressed`."""
        post = await self.posts.get(post_id)
        event = post.interest(member_id, message)
        await self.membership.in_good_standing(member_id)
        interest = Interest(post_id, member_id, message, datetime.now(UTC))
        try:
            await self.interests.add(interest, [event])
        except Duplicate as exc:
            raise AlreadyInterested(
                f"member {member_id} already expressed interest in this post", field="member_id"
            ) from exc
        return interest

    async def interests_in(self, post_id: str, *, page: int, page_size: int) -> list[Interest]:
        """The members interested in a post, first come first."""
        await self.posts.get(post_id)
        return await self.interests.of_post(post_id, page=page, page_size=page_size)

    async def close(self, post_id: str, *, actor: str, reason: str | None) -> Post:
        """Close an open post; emits `collaboration.closed`."""
        async with self.posts.changing(post_id) as change:
            change.record(change.item.close(actor=actor, reason=reason))
        return change.item

    async def close_expired(self, today: date) -> int:
        """Close the open posts whose last day has passed; return how many."""
        closed = 0
        for post in await self.posts.expired(today.isoformat()):
            try:
                await self.close(post.post_id, actor=EXPIRY_ACTOR, reason="expired")
            except PostClosed:
                continue
            closed += 1
        return closed

    async def close_expired_today(self) -> int:
        """The scheduled expiry job's run for today's date in Georgia."""
        return await self.close_expired(today_in_tbilisi())
