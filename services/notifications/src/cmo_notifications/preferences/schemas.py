"""Request and response bodies of the preferences API."""

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cmo_shared.numbers import WHOLE_NUMBER, JsonInt
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

Topic = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]


class ChannelChoice(BaseModel):
    """Whether a topic reaches the contact by email and in the inbox (omitted: unchanged)."""

    model_config = ConfigDict(extra="forbid")

    email: StrictBool | None = None
    inbox: StrictBool | None = None


class QuietHours(BaseModel):
    """Local hours during which non-urgent email waits (may span midnight, e.g. 22 to 8)."""

    model_config = ConfigDict(extra="forbid")

    start_hour: JsonInt = Field(ge=0, le=23)
    end_hour: JsonInt = Field(ge=0, le=23)

    @model_validator(mode="after")
    def _not_empty(self) -> "QuietHours":
        if self.start_hour == self.end_hour:
            raise ValueError("start_hour and end_hour must differ")
        return self


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name


class PreferencesWrite(BaseModel):
    """Channel choices per topic (mandatory topics stay on), digest and quiet hours."""

    model_config = ConfigDict(extra="forbid")

    channels: dict[Topic, ChannelChoice] = Field(default_factory=dict, max_length=50)
    digest: StrictBool | None = Field(
        None, description="Gather low-priority email (news) into one daily email."
    )
    digest_hour: Annotated[int, Field(ge=0, le=23), WHOLE_NUMBER] | None = Field(
        None, description="Local hour of the digest."
    )
    quiet_hours: QuietHours | None = None
    timezone: Annotated[str, AfterValidator(_known_zone)] | None = Field(
        None, description="IANA zone of the hours; `Asia/Tbilisi` by default."
    )


class PreferencesRead(BaseModel):
    """A contact's choices; topics not listed reach every channel."""

    contact_id: str
    channels: dict[str, dict[str, bool]]
    mandatory_topics: list[str]
    topics: list[str] = Field(description="Every topic there is to choose channels for.")
    digest: bool = False
    digest_hour: int = 18
    quiet_hours: QuietHours | None = None
    timezone: str = "Asia/Tbilisi"
