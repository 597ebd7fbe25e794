"""HTTP API of consultations and positions."""

from dataclasses import asdict
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, status

from .domain import Consultation, Question, Status
from .schemas import (
    BallotRead,
    ConsultationPage,
    ConsultationRead,
    ConsultationWrite,
    PositionPage,
    PositionRead,
    PositionWrite,
    ResponseReceipt,
    ResponseWrite,
    TurnoutRead,
)
from .service import ConsultationService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[ConsultationService, provided(ConsultationService)]


def _read(consultation: Consultation) -> ConsultationRead:
    closed = consultation.status is not Status.OPEN
    return ConsultationRead.model_validate(
        {
            **{
                k: getattr(consultation, k)
                for k in ConsultationRead.model_fields
                if hasattr(consultation, k)
            },
            "questions": consultation.questions,
            "tally": [asdict(count) for count in consultation.tally or []] or None,
            "electorate_size": len(consultation.electorate),
            "quorum_reached": consultation.quorum_reached if closed else None,
        }
    )


@router.post("/consultations", status_code=status.HTTP_201_CREATED, summary="Open a consultation")
async def open_consultation(body: ConsultationWrite, service: Service) -> ConsultationRead:
    """Consult the members in good standing of the sectors; emits `consultation.opened`."""
    questions = [
        Question(q.question_id, q.kind, q.text.model_dump(), list(q.options))
        for q in body.questions
    ]
    fields = body.model_dump(exclude={"questions"})
    fields["weighting"] = body.weighting
    return _read(await service.open(fields, questions))


@router.get("/consultations", summary="List consultations")
async def list_consultations(
    service: Service,
    status: Status | None = None,
    member_id: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> ConsultationPage:
    """Consultations, newest first; with `member_id`, those the company is consulted in."""
    items, total = await service.search(
        status=status, member_id=member_id, page=page, page_size=page_size
    )
    return ConsultationPage.of([_read(c) for c in items], total, page, page_size)


@router.get("/consultations/{consultation_id}", summary="Get a consultation")
async def get_consultation(consultation_id: str, service: Service) -> ConsultationRead:
    """One consultation, with its tally once closed."""
    return _read(await service.get(consultation_id))


@router.post(
    "/consultations/{consultation_id}/responses",
    summary="Respond for a member company",
)
async def respond(consultation_id: str, body: ResponseWrite, service: Service) -> ResponseReceipt:
    """One response per company: a new one replaces the earlier."""
    first = await service.respond(consultation_id, body.member_id, body.answers)
    return ResponseReceipt(
        consultation_id=consultation_id, member_id=body.member_id, replaced=not first
    )


@router.get(
    "/consultations/{consultation_id}/responses/{member_id}",
    summary="A company's own response",
)
async def own_response(consultation_id: str, member_id: str, service: Service) -> BallotRead | None:
    """The company's response, if it gave one (null if not)."""
    ballot = await service.own_ballot(consultation_id, member_id)
    if ballot is None:
        return None
    return BallotRead(member_id=member_id, weight=ballot.weight, answers=ballot.answers)


@router.get("/consultations/{consultation_id}/answers", summary="Every response (staff)")
async def answers(consultation_id: str, service: Service) -> list[BallotRead]:
    """The filed responses; in secret mode none says whose it is."""
    return [
        BallotRead(member_id=b.member_id, weight=b.weight, answers=b.answers)
        for b in await service.answers(consultation_id)
    ]


@router.get("/consultations/{consultation_id}/turnout", summary="Who responded (staff)")
async def turnout(consultation_id: str, service: Service) -> list[TurnoutRead]:
    """Companies that responded and when, never what."""
    return [TurnoutRead(**t) for t in await service.participation(consultation_id)]


@router.post("/consultations/{consultation_id}/close", summary="Close and tally")
async def close(consultation_id: str, service: Service) -> ConsultationRead:
    """Close now and count; emits `consultation.closed` with the tally."""
    return _read(await service.close(consultation_id))


@router.post("/positions", status_code=status.HTTP_201_CREATED, summary="Adopt a position")
async def adopt(body: PositionWrite, service: Service, actor: Actor) -> PositionRead:
    """Adopt a position (from a closed consultation, once); emits `position.adopted`."""
    fields = body.model_dump()
    if not body.sectors:
        fields.pop("sectors")
    return PositionRead.model_validate(await service.adopt(fields, actor=actor))


@router.get("/positions", summary="List positions")
async def list_positions(
    service: Service, page: PageNumber = 1, page_size: PageSize = 20
) -> PositionPage:
    """Adopted positions, newest first."""
    items, total = await service.list_positions(page=page, page_size=page_size)
    return PositionPage.of([PositionRead.model_validate(p) for p in items], total, page, page_size)


@router.get("/positions/{position_id}", summary="Get a position")
async def get_position(position_id: str, service: Service) -> PositionRead:
    """One adopted position."""
    return PositionRead.model_validate(await service.position(position_id))
