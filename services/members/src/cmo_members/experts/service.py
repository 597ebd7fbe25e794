"""Expert use cases: the directory of engineers and technology experts, and members' requests."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from ..membership.service import MembershipService
from .domain import Expert, ExpertRequest
from .repository import ExpertRepository, ExpertRequestRepository
from .schemas import ExpertRequestWrite, ExpertWrite


@dataclass
class ExpertService:
    """Experts and members' requests for them."""

    experts: ExpertRepository
    requests: ExpertRequestRepository
    membership: MembershipService

    async def add(self, body: ExpertWrite) -> Expert:
        """Add an expert to the directory."""
        expert = Expert(
            expert_id=str(uuid4()), added_at=datetime.now(UTC), **body.model_dump(mode="json")
        )
        await self.experts.add(expert)
        return expert

    async def get(self, expert_id: str) -> Expert:
        """One expert, or `NotFound`."""
        return await self.experts.get(expert_id)

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Expert], int]:
        """Experts matching the filters, by name."""
        return await self.experts.search(filters, page=page, page_size=page_size)

    async def request(self, body: ExpertRequestWrite) -> ExpertRequest:
        """Record a member's request; emits `expert.requested`."""
        await self.membership.in_good_standing(body.member_id)
        if body.expert_id is not None:
            await self.experts.get(body.expert_id)
        request = ExpertRequest(
            request_id=str(uuid4()), requested_at=datetime.now(UTC), **body.model_dump()
        )
        await self.requests.add(request, [request.requested()])
        return request

    async def match(self, request_id: str, expert_id: str, *, actor: str) -> ExpertRequest:
        """Record the expert matched to a request; emits `expert.matched`."""
        expert = await self.experts.get(expert_id)
        async with self.requests.changing(request_id) as change:
            change.record(change.item.match(expert, actor=actor))
        return change.item
