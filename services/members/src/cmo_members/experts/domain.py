"""Engineers and technology experts, and members' requests for them: pure rules, no I/O."""

from dataclasses import dataclass
from datetime import datetime

from cmo_contracts.members import ExpertMatched, ExpertRequested
from cmo_shared.errors import Conflict

GEORGIA = "GE"


class AlreadyMatched(Conflict):
    """A request has its expert already."""

    code = "conflict"


@dataclass(frozen=True)
class Expert:
    """An engineer or technology expert in the directory."""

    expert_id: str
    name: str
    email: str
    country: str
    expertise: list[str]
    languages: list[str]
    availability: str
    daily_rate: str | None
    rate_currency: str
    added_at: datetime

    @property
    def scope(self) -> str:
        """`local` (in Georgia) or `international`."""
        return "local" if self.country == GEORGIA else "international"


@dataclass
class ExpertRequest:
    """A member's request for an expert, open until staff match one."""

    request_id: str
    member_id: str
    need: str
    tags: list[str]
    expert_id: str | None
    requested_at: datetime
    status: str = "open"
    matched_by: str | None = None

    def requested(self) -> ExpertRequested:
        """The event of the request."""
        return ExpertRequested(
            request_id=self.request_id,
            member_id=self.member_id,
            need=self.need,
            tags=self.tags,
            expert_id=self.expert_id,
        )

    def match(self, expert: Expert, *, actor: str) -> ExpertMatched:
        """Give the request its expert."""
        if self.status != "open":
            raise AlreadyMatched("the request is already matched", field="status")
        self.status, self.expert_id, self.matched_by = "matched", expert.expert_id, actor
        return ExpertMatched(
            request_id=self.request_id,
            member_id=self.member_id,
            expert_id=expert.expert_id,
            expert_name=expert.name,
        )
