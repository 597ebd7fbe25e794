"""HTTP API of value chain assessments."""

from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES
from cmo_shared.identity import Actor
from fastapi import APIRouter, Query, status

from .domain import Finding, StageAssessment
from .schemas import (
    AssessmentRead,
    AssessmentWrite,
    ChainRead,
    ChainWrite,
    FindingWrite,
    StageChangeRead,
)
from .service import ValueChainService

router = APIRouter(tags=["advocacy"], responses=ERROR_RESPONSES)
Service = Annotated[ValueChainService, provided(ValueChainService)]


def _findings(items: list[FindingWrite]) -> list[Finding]:
    return [Finding(f.text, f.link_kind, f.link) for f in items]


@router.post("/value-chains", status_code=status.HTTP_201_CREATED, summary="Define a value chain")
async def define(body: ChainWrite, service: Service) -> ChainRead:
    """A value chain to assess, by a unique name."""
    chain = await service.define(body.name, body.title.model_dump(), list(body.sectors))
    return ChainRead.model_validate(chain)


@router.get("/value-chains", summary="List value chains")
async def chains(service: Service) -> list[ChainRead]:
    """Every value chain with its assessments."""
    return [ChainRead.model_validate(c) for c in await service.all()]


@router.get("/value-chains/{value_chain_id}", summary="Get a value chain")
async def get(value_chain_id: str, service: Service) -> ChainRead:
    """One value chain with its assessment versions."""
    return ChainRead.model_validate(await service.get(value_chain_id))


@router.post(
    "/value-chains/{value_chain_id}/assessments",
    status_code=status.HTTP_201_CREATED,
    summary="Record an assessment",
)
async def assess(
    value_chain_id: str, body: AssessmentWrite, service: Service, actor: Actor
) -> AssessmentRead:
    """A new dated version; emits `value_chain.assessed`."""
    stages = [
        StageAssessment(s.stage, list(s.members), _findings(s.gaps), _findings(s.opportunities))
        for s in body.stages
    ]
    assessment = await service.assess(
        value_chain_id, body.assessed_on, stages, body.summary, actor=actor
    )
    return AssessmentRead.model_validate(assessment)


@router.get("/value-chains/{value_chain_id}/compare", summary="Compare two assessments")
async def compare(
    value_chain_id: str,
    service: Service,
    from_version: Annotated[int, Query(ge=1)],
    to_version: Annotated[int, Query(ge=1)],
) -> list[StageChangeRead]:
    """Stage by stage: members joined and left, gaps closed and new, new opportunities."""
    changes = await service.compare(value_chain_id, from_version, to_version)
    return [StageChangeRead.model_validate(c) for c in changes]
