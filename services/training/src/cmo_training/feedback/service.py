"""Feedback use cases: participants answer the reaction and follow-up surveys; results."""

from dataclasses import dataclass
from datetime import UTC, datetime

from cmo_shared.errors import NotFound

from ..registrations.service import RegistrationService
from ..sessions.domain import SessionStatus
from ..sessions.service import SessionService
from .domain import Feedback, Kind, Summary, check_answer, check_due, summarise
from .repository import FeedbackRepository


@dataclass
class FeedbackService:
    """Reaction and follow-up surveys of sessions."""

    feedback: FeedbackRepository
    sessions: SessionService
    registrations: RegistrationService

    async def answer(
        self,
        session_id: str,
        member_id: str,
        contact_id: str,
        kind: Kind,
        *,
        rating: int | None,
        applied: bool | None,
        comment: str | None,
    ) -> Feedback:
        """A participant's answer (a second of the same kind replaces the first)."""
        session = await self.sessions.get(session_id)
        now = datetime.now(UTC)
        check_due(kind, session.status is SessionStatus.COMPLETED, session.ends_at, now)
        check_answer(kind, rating, applied)
        attended = await self.registrations.of_session(session_id, member_id, ["attended"])
        if not any(p.contact_id == contact_id for r in attended for p in r.people):
            raise NotFound(f"{contact_id} did not take part for {member_id}", field="contact_id")
        feedback = Feedback(
            f"{session_id}:{contact_id}:{kind.value}",
            session_id,
            session.provider,
            member_id,
            contact_id,
            kind,
            rating,
            applied,
            comment,
            now,
        )
        await self.feedback.put(feedback)
        return feedback

    async def summary(self, *, session_id: str | None, provider: str | None) -> Summary:
        """The answers of a session, or of a provider's sessions, summed."""
        return summarise(await self.feedback.of(session_id=session_id, provider=provider))
