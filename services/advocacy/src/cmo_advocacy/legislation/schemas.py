"""Request and response bodies of the legislation API."""

from datetime import date, datetime
from typing import Literal

from cmo_shared.http import IsoDate, Page
from cmo_shared.text import text
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from ..vocabulary import SECTORS, Sectors, Title
from .domain import Stage

RegistrationNumber = text(60)


class InitiativeWrite(BaseModel):
    """An initiative the CMO starts to follow."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    sponsor: text(300) = Field(description="Who initiated it, e.g. `Ministry of Economy`.")
    committee: text(300) | None = Field(None, description="The leading committee, once named.")
    sectors: Sectors = SECTORS
    stage: Literal[Stage.PUBLIC_CONSULTATION, Stage.REGISTERED] = Stage.REGISTERED
    registration_number: RegistrationNumber | None = Field(
        None, description="Parliament's number; required from `registered` on."
    )
    link: AnyHttpUrl | None = Field(None, description="Where its text is published.")
    topic_id: text(100) | None = Field(None, description="The advocacy topic it belongs to.")
    next_deadline: IsoDate | None = Field(None, description="The next date to act by.")
    on: IsoDate | None = Field(None, description="Date it reached this stage; today if not given.")
    note: text(2000) | None = None


class StageWrite(BaseModel):
    """A move of the initiative to another stage."""

    model_config = ConfigDict(extra="forbid")

    stage: Stage
    on: IsoDate | None = Field(None, description="Date of the move; today if not given.")
    note: text(2000) | None = None
    next_deadline: IsoDate | None = None
    registration_number: RegistrationNumber | None = None


class VersionWrite(BaseModel):
    """A version of the initiative's text."""

    model_config = ConfigDict(extra="forbid")

    label: text(200) = Field(description="e.g. `as registered`, `after first reading`.")
    text: text(500_000)


class StageEntryRead(BaseModel):
    """One dated move."""

    model_config = ConfigDict(from_attributes=True)

    stage: Stage
    on: date
    note: str | None
    actor: str
    recorded_at: datetime


class VersionRead(BaseModel):
    """A text version (its text at `GET .../versions/{number}`)."""

    model_config = ConfigDict(from_attributes=True)

    number: int
    label: str
    stage: Stage
    added_at: datetime


class VersionText(VersionRead):
    """A text version with its text."""

    text: str


class InitiativeRead(BaseModel):
    """An initiative, its stage, dated history and text versions."""

    model_config = ConfigDict(from_attributes=True)

    initiative_id: str
    title: dict[str, str]
    sponsor: str
    committee: str | None
    sectors: list[str]
    stage: Stage
    registration_number: str | None
    link: str | None
    topic_id: str | None
    next_deadline: date | None
    history: list[StageEntryRead]
    versions: list[VersionRead]
    created_at: datetime


class InitiativePage(Page[InitiativeRead]):
    """A page of initiatives."""


class DiffRead(BaseModel):
    """What changed between two versions of the text."""

    model_config = ConfigDict(from_attributes=True)

    unified: str = Field(description="A unified diff (as `diff -u`).")
    added: int = Field(description="Lines added.")
    removed: int = Field(description="Lines removed.")
