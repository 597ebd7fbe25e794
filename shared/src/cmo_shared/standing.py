"""Members' good standing as the services other than members know it, from member events.

Each such service keeps a read model of the members it serves (its own facts of each: a name,
a sector, a size...) and asks it one question before acting for a member: is it known and in
good standing? `MemberStanding` keeps the model from `PROFILE_EVENTS` and `STATUS_EVENTS` and
answers that question; a service subclasses it to say which facts it keeps.
"""

from dataclasses import asdict, dataclass
from typing import Any, Generic, Protocol, TypeVar

from cmo_contracts import Envelope
from cmo_contracts.members import GOOD_STANDING, status_set_by
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .errors import Forbidden, NotFound
from .mongo import find_by_ids, insert_new


class Standing(Protocol):
    """What a service knows of a member: at least its id and status."""

    @property
    def member_id(self) -> str:
        """The member's id."""
        ...

    @property
    def status(self) -> str:
        """Its membership status."""
        ...


F = TypeVar("F", bound=Standing)


class NotInGoodStanding(Forbidden):
    """The member is suspended or gone: it cannot use the common services now."""

    code = "member_not_in_good_standing"


def in_good_standing(member: Standing | None) -> bool:
    """Whether a member is known and may use the services now."""
    return member is not None and member.status in GOOD_STANDING


def admitted(member_id: str, member: F | None, service: str) -> F:
    """The member, if it may use the services now; an error naming `member_id` otherwise."""
    if member is None:
        raise NotFound(f"member {member_id} is not known to {service}", field="member_id")
    if not in_good_standing(member):
        raise NotInGoodStanding(
            f"member {member_id} is {member.status}, not in good standing", field="member_id"
        )
    return member


class MemberView(Protocol[F]):
    """The read model of members a service keeps."""

    async def put(self, member: F) -> None:
        """Insert or replace a member."""
        ...

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status (one not seen yet is ignored)."""
        ...

    async def get(self, member_id: str) -> F | None:
        """A member, if known."""
        ...


@dataclass
class MemberStanding(Generic[F]):
    """Keeps a service's member read model from member events and admits members by it."""

    members: MemberView[F]
    service = "this service"

    def facts(self, payload: Any, status: str) -> F:
        """The facts the service keeps of a member, from an event carrying its profile."""
        raise NotImplementedError

    async def on_profile(self, event: Envelope[Any]) -> None:
        """Keep a member's facts; its status is the event's, else the one known."""
        status = status_set_by(event)
        if status is None:
            known = await self.members.get(event.payload.member_id)
            status = known.status if known is not None else "applicant"
        await self.members.put(self.facts(event.payload, status))

    async def on_status(self, event: Envelope[Any]) -> None:
        """Keep a member's status."""
        status = status_set_by(event)
        assert status is not None, f"{event.type} sets no status"
        await self.members.set_status(event.payload.member_id, status)

    async def admit(self, member_id: str) -> F:
        """The member if it is in good standing; 403 `member_not_in_good_standing` if not."""
        return admitted(member_id, await self.members.get(member_id), self.service)

    async def may_use(self, member_id: str) -> bool:
        """Whether a member is known and in good standing."""
        return in_good_standing(await self.members.get(member_id))


class MongoMemberView(Generic[F]):
    """A member read model in one collection, `_id` the member id, of one dataclass of facts."""

    collection_name = "member_view"
    indexes = [IndexModel([("status", ASCENDING)])]

    def __init__(self, collection: AsyncCollection, facts: type[F]) -> None:
        self._collection = collection
        self._facts = facts

    async def put(self, member: F) -> None:
        """Insert first (FerretDB's cheapest write), replace if it exists."""
        document = asdict(member)  # type: ignore[call-overload]
        document["_id"] = document.pop("member_id")
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": document["_id"]}, document)

    async def set_status(self, member_id: str, status: str) -> None:
        """Record a member's new status (one not seen yet is ignored)."""
        await self._collection.update_one({"_id": member_id}, {"$set": {"status": status}})

    async def get(self, member_id: str) -> F | None:
        """A member, if known."""
        document = await self._collection.find_one({"_id": member_id})
        return None if document is None else self._member(document)

    async def many(self, member_ids: list[str]) -> dict[str, F]:
        """The known members among some ids."""
        return {d["_id"]: self._member(d) async for d in find_by_ids(self._collection, member_ids)}

    async def with_status(self, statuses: list[str]) -> list[F]:
        """Every member in one of the statuses."""
        return [self._member(d) async for d in self._collection.find({"status": {"$in": statuses}})]

    def _member(self, document: dict[str, Any]) -> F:
        values = {k: v for k, v in document.items() if k != "_id"}
        return self._facts(member_id=document["_id"], **values)
