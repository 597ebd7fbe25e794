"""The status of each member company, kept from member events (suspended users cannot act)."""

from collections.abc import Awaitable, Callable
from typing import Any

from cmo_contracts import Envelope
from cmo_contracts.members import GOOD_STANDING, status_set_by
from pymongo.asynchronous.collection import AsyncCollection

MEMBER_STATUS = "member_status"


class MemberStatus:
    """Each member company's lifecycle status, as the members service announced it.

    The read model may lag the members service by the events on their way (a company just
    approved or reinstated); before refusing, the status is asked of the members service,
    so a refusal is never out of date. `current` is that question (None: not known there).
    """

    def __init__(
        self, collection: AsyncCollection, current: Callable[[str], Awaitable[str | None]]
    ) -> None:
        self._collection = collection
        self._current = current

    async def may_act(self, member_id: str | None) -> bool:
        """Whether a member company's users may change things (unknown yet counts as yes)."""
        if member_id is None:
            return False
        known = await self._collection.find_one({"_id": member_id})
        if known is None or known["status"] in GOOD_STANDING:
            return True
        return await self._current(member_id) in GOOD_STANDING

    async def status(self, member_id: str) -> str | None:
        """A member company's status, if known."""
        known = await self._collection.find_one({"_id": member_id})
        return None if known is None else known["status"]

    async def on_event(self, event: Envelope[Any]) -> None:
        """Record the status a member event sets."""
        status = status_set_by(event)
        if status is None:
            return
        await self._collection.update_one(
            {"_id": event.payload.member_id}, {"$set": {"status": status}}, upsert=True
        )
