"""Response bodies of the training needs API."""

from pydantic import BaseModel, ConfigDict, Field


class RankedTopicRead(BaseModel):
    """A topic of the year's needs assessment."""

    model_config = ConfigDict(from_attributes=True)

    topic: str
    companies: int = Field(description="Member companies that need it.")
    people: int = Field(description="People they would send.")
    members: list[str] = Field(description="The companies, for the plan to answer.")
    last_year_companies: int = Field(description="Companies that needed it the year before.")
    change: int = Field(description="Companies more (or fewer) than last year.")
