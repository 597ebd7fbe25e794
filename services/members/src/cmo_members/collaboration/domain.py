"""The collaboration board's rules: which members and open posts a new post is matched with.

A post is a member's request or offer in one category. It is matched, once, against the
profiles of the other members in good standing (sector within the post's sector prefixes,
products or certifications among its tags, export markets it targets) and against the other
members' open posts of the same category that complement it (a request meets an offer; for
joint export and joint R&D, where every side looks for partners, two requests meet too).
Every match carries the reasons that held, so people can see why they were introduced.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from cmo_contracts.members import (
    CollaborationClosed,
    CollaborationInterestExpressed,
    CollaborationMatched,
    CollaborationPosted,
)
from cmo_shared.errors import Conflict, Invalid

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


class OwnPost(Invalid):
    """A member cannot express interest in its own post."""

    code = "own_post"


class PostKind(StrEnum):
    """Whether a member asks for something or offers it."""

    REQUEST = "request"
    OFFER = "offer"


class Category(StrEnum):
    """What kind of collaboration a post is about."""

    JOINT_EXPORT = "joint_export"
    SHARED_EQUIPMENT = "shared_equipment"
    SUBCONTRACTING = "subcontracting"
    JOINT_RND = "joint_rnd"


PARTNER_SEEKING = frozenset({Category.JOINT_EXPORT, Category.JOINT_RND})


@dataclass(frozen=True)
class Candidate:
    """What the board knows of a member it may introduce."""

    member_id: str
    sector: str
    products: Sequence[str] = ()
    certifications: Sequence[str] = ()
    export_markets: Sequence[str] = ()


@dataclass(frozen=True)
class PostFacts:
    """The matchable facts of a post."""

    post_id: str
    member_id: str
    kind: PostKind
    category: Category
    tags: frozenset[str] = frozenset()
    sectors: tuple[str, ...] = ()
    markets: frozenset[str] = frozenset()


@dataclass
class Match:
    """A member the post is introduced to, the counterpart post if any, and why."""

    member_id: str
    post_id: str | None = None
    reasons: list[str] = field(default_factory=list)


def _folded(values: Iterable[str]) -> dict[str, str]:
    return {v.casefold(): v for v in values}


def profile_reasons(post: PostFacts, candidate: Candidate) -> list[str]:
    """Why a member's profile fits the post; empty when it does not."""
    reasons = [
        f"sector {candidate.sector} is within {prefix}"
        for prefix in post.sectors
        if candidate.sector.startswith(prefix)
    ][:1]
    tags = {t.casefold() for t in post.tags}
    products = _folded(candidate.products)
    reasons += [f"offers product {products[t]}" for t in sorted(tags & products.keys())]
    certificates = _folded(candidate.certifications)
    reasons += [f"holds {certificates[t]}" for t in sorted(tags & certificates.keys())]
    if post.category is Category.JOINT_EXPORT:
        markets = sorted(post.markets & set(candidate.export_markets))
        reasons += [f"exports to {m}" for m in markets]
    return reasons


def complements(post: PostFacts, other: PostFacts) -> bool:
    """Whether two posts of different members could be answered by each other."""
    if post.member_id == other.member_id or post.category != other.category:
        return False
    return post.kind != other.kind or (
        post.kind is PostKind.REQUEST and post.category in PARTNER_SEEKING
    )


def post_reasons(post: PostFacts, other: PostFacts) -> list[str]:
    """Why an open post answers the new one; empty when it does not."""
    if not complements(post, other):
        return []
    shared_tags = sorted({t.casefold() for t in post.tags} & {t.casefold() for t in other.tags})
    shared_sectors = sorted(
        {a for a in post.sectors for b in other.sectors if a.startswith(b) or b.startswith(a)}
    )
    shared_markets = sorted(post.markets & other.markets)
    reasons = [f"{other.kind} {other.post_id} shares tag {t}" for t in shared_tags]
    reasons += [f"{other.kind} {other.post_id} shares sector {s}" for s in shared_sectors]
    reasons += [f"{other.kind} {other.post_id} targets {m} too" for m in shared_markets]
    return reasons


def find_matches(
    post: PostFacts, candidates: Iterable[Candidate], open_posts: Iterable[PostFacts]
) -> list[Match]:
    """One match per other member in good standing (a candidate) whose profile or post fits."""
    matches: dict[str, Match] = {}
    eligible: set[str] = set()
    for candidate in candidates:
        eligible.add(candidate.member_id)
        if candidate.member_id == post.member_id:
            continue
        reasons = profile_reasons(post, candidate)
        if reasons:
            matches[candidate.member_id] = Match(candidate.member_id, reasons=reasons)
    for other in open_posts:
        reasons = post_reasons(post, other)
        if not reasons or other.member_id not in eligible:
            continue
        match = matches.setdefault(other.member_id, Match(other.member_id))
        if match.post_id is None:
            match.post_id = other.post_id
        match.reasons += reasons
    return sorted(matches.values(), key=lambda m: m.member_id)


@dataclass
class Post:
    """A member's request or offer on the board, with the members it was matched with."""

    post_id: str
    member_id: str
    kind: PostKind
    category: Category
    title: str
    description: str
    posted_by: str
    posted_at: datetime
    tags: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    expires_on: str | None = None
    status: str = "open"
    closed_by: str | None = None
    close_reason: str | None = None
    matches: list[Match] = field(default_factory=list)

    @property
    def facts(self) -> PostFacts:
        """What matching looks at."""
        return PostFacts(
            post_id=self.post_id,
            member_id=self.member_id,
            kind=self.kind,
            category=self.category,
            tags=frozenset(self.tags),
            sectors=tuple(self.sectors),
            markets=frozenset(self.markets),
        )

    def _about(self) -> dict[str, Any]:
        """The fields every collaboration event repeats about its post."""
        return {
            "post_id": self.post_id,
            "member_id": self.member_id,
            "kind": self.kind.value,
            "category": self.category.value,
            "title": self.title,
        }

    def check_open_on(self, today: date) -> None:
        """Refuse a post whose last day has passed already."""
        if self.expires_on is not None and date.fromisoformat(self.expires_on) < today:
            raise ExpiryPassed("the last day of the post has passed", field="expires_on")

    def publish(
        self, candidates: Iterable[Candidate], open_posts: Iterable[PostFacts]
    ) -> list[CollaborationPosted | CollaborationMatched]:
        """Match the new post; its events: `posted`, then one `matched` per matched member."""
        self.matches = find_matches(self.facts, candidates, open_posts)
        about = self._about()
        posted = CollaborationPosted(
            **about,
            tags=self.tags,
            sectors=self.sectors,
            markets=self.markets,
            expires_on=self.expires_on,
        )
        return [
            posted,
            *(
                CollaborationMatched(
                    **about,
                    matched_member_id=m.member_id,
                    matched_post_id=m.post_id,
                    reasons=m.reasons,
                )
                for m in self.matches
            ),
        ]

    def interest(self, member_id: str, message: str | None) -> CollaborationInterestExpressed:
        """Another member answers the post (checked here; stored as an `Interest`)."""
        if self.status != "open":
            raise PostClosed("the post is closed", field="post_id")
        if self.member_id == member_id:
            raise OwnPost("a member cannot express interest in its own post", field="member_id")
        return CollaborationInterestExpressed(
            **self._about(), interested_member_id=member_id, message=message
        )

    def close(self, *, actor: str, reason: str | None) -> CollaborationClosed:
        """Close an open post."""
        if self.status != "open":
            raise PostClosed("the post is already closed", field="status")
        self.status, self.closed_by, self.close_reason = "closed", actor, reason
        return CollaborationClosed(**self._about(), actor=actor, reason=reason)


@dataclass(frozen=True)
class Interest:
    """A member's answer to a post."""

    post_id: str
    member_id: str
    message: str | None
    expressed_at: datetime

    @property
    def interest_id(self) -> str:
        """`<post id>:<member id>`: one interest per member and post."""
        return f"{self.post_id}:{self.member_id}"
