"""HTTP API of session feedback."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES
from fastapi import APIRouter, Query, status

from .schemas import FeedbackWrite, SummaryRead
from .service import FeedbackService

router = APIRouter(tags=["training"], responses=ERROR_RESPONSES)
Service = Annotated[FeedbackService, provided(FeedbackService)]


@router.post(
    "/sessions/{session_id}/feedback",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Answer a session's survey",
)
async def answer(session_id: str, body: FeedbackWrite, service: Service) -> None:
    """The reaction after the session, the follow-up from 90 days after it."""
    await service.answer(
        session_id,
        body.member_id,
        body.contact_id,
        body.kind,
        rating=body.rating,
        applied=body.applied,
        comment=body.comment,
    )


@router.get("/training-feedback", summary="Feedback results")
async def summary(
    service: Service,
    session_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    provider: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
) -> SummaryRead:
    """Of one session, of a provider's sessions, or of every session."""
    return SummaryRead.model_validate(
        await service.summary(session_id=session_id, provider=provider)
    )
