"""Request and response bodies of the value chains API."""

from datetime import date, datetime
from typing import Annotated

from cmo_shared.http import IsoDate
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..vocabulary import SECTORS, Sectors, Title
from .domain import LinkKind

Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]


class ChainWrite(BaseModel):
    """A value chain to assess."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="Unique short name, e.g. `dairy`.")
    title: Title
    sectors: Sectors = SECTORS


class FindingWrite(BaseModel):
    """A gap or an opportunity, optionally leading somewhere."""

    model_config = ConfigDict(extra="forbid")

    text: text(1000)
    link_kind: LinkKind | None = None
    link: text(200) | None = Field(
        None, description="The topic id, procurement category or training need it leads to."
    )


class StageWrite(BaseModel):
    """One stage of the chain as assessed."""

    model_config = ConfigDict(extra="forbid")

    stage: text(100) = Field(description="e.g. `milk collection`, `processing`.")
    members: list[text(100)] = Field(default_factory=list, max_length=1000)
    gaps: list[FindingWrite] = Field(default_factory=list, max_length=100)
    opportunities: list[FindingWrite] = Field(default_factory=list, max_length=100)


class AssessmentWrite(BaseModel):
    """A new assessment of the chain."""

    model_config = ConfigDict(extra="forbid")

    assessed_on: IsoDate
    stages: list[StageWrite] = Field(min_length=1, max_length=30)
    summary: text(5000)


class FindingRead(BaseModel):
    """A gap or an opportunity."""

    model_config = ConfigDict(from_attributes=True)

    text: str
    link_kind: LinkKind | None
    link: str | None


class StageRead(BaseModel):
    """One assessed stage."""

    model_config = ConfigDict(from_attributes=True)

    stage: str
    members: list[str]
    gaps: list[FindingRead]
    opportunities: list[FindingRead]


class AssessmentRead(BaseModel):
    """One version of the assessment."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    assessed_on: date
    stages: list[StageRead]
    summary: str
    recorded_at: datetime
    recorded_by: str


class ChainRead(BaseModel):
    """A value chain and its assessment versions."""

    model_config = ConfigDict(from_attributes=True)

    value_chain_id: str
    name: str
    title: dict[str, str]
    sectors: list[str]
    assessments: list[AssessmentRead]
    created_at: datetime


class StageChangeRead(BaseModel):
    """How one stage changed between two versions."""

    model_config = ConfigDict(from_attributes=True)

    stage: str
    members_joined: list[str]
    members_left: list[str]
    gaps_closed: list[str]
    gaps_new: list[str]
    opportunities_new: list[str]
