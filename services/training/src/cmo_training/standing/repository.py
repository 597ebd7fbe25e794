"""The member read model's storage (MongoDB: `cmo_shared.standing.MongoMemberView`)."""

from typing import Protocol

from .domain import MemberFacts


class MemberView(Protocol):
    """The members as training knows them."""

    async def put(self, member: MemberFacts) -> None:
        """Insert or replace a member."""
        ...

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status."""
        ...

    async def get(self, member_id: str) -> MemberFacts | None:
        """A member, if known."""
        ...

    async def many(self, member_ids: list[str]) -> dict[str, MemberFacts]:
        """The known members among some ids."""
        ...
