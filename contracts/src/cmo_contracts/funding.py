"""Events produced by the funding service, on topic `cmo.funding`.

Call events are keyed by call id; match, interest and application events by member id, so one
member's funding story stays in order.
"""

from typing import Literal

from pydantic import Field

from .envelope import Payload, Visibility, event_type

TOPIC = "cmo.funding"

Instrument = Literal["grant", "loan", "guarantee", "equity", "technical_assistance"]
FunderKind = Literal["donor", "government", "ifi", "bank"]
ApplicationStatus = Literal["interested", "preparing", "submitted", "awarded", "rejected"]


class Criteria(Payload):
    """Who a funding call is for, as structured data; an empty field does not restrict."""

    sectors: list[str] = Field(description="NACE Rev. 2 code prefixes, e.g. `10` or `10.5`.")
    min_employees: int | None = Field(None, description="Fewest employees, inclusive.")
    max_employees: int | None = Field(None, description="Most employees, inclusive.")
    turnover_bands: list[str] = Field(description="Turnover bands (GEL) admitted, e.g. `1m-5m`.")
    regions: list[str] = Field(description="Regions of Georgia admitted.")
    certifications: list[str] = Field(description="Certifications an applicant must all hold.")
    min_years_in_operation: int | None = Field(
        None, description="Minimum full years since the company was founded."
    )
    fees_paid_up: bool = Field(
        description="Whether members in their fee grace period are excluded. Suspended or "
        "departed members are never matched."
    )
    conditions: dict[str, str] = Field(
        description="Free-text conditions shown to people, by language (`ka`, `en`)."
    )


class CallFacts(Payload):
    """What every call event says about the call."""

    call_id: str = Field(description="Id of the funding call.")
    programme: str = Field(description="Programme the call belongs to, e.g. `DCFTA credit line`.")
    funder: str = Field(description="Who funds it, e.g. `EBRD`.")
    funder_kind: FunderKind = Field(description="donor | government | ifi | bank.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    instrument: Instrument = Field(
        description="grant | loan | guarantee | equity | technical_assistance."
    )
    amount_min: str | None = Field(None, description="Smallest amount per applicant (decimal).")
    amount_max: str | None = Field(None, description="Largest amount per applicant (decimal).")
    currency: str = Field(description="ISO 4217 currency of the amounts, e.g. `GEL`, `EUR`.")
    closes_on: str = Field(description="Last day to apply (ISO 8601 date, Tbilisi time).")


@event_type("funding_call.published", topic=TOPIC, visibility=Visibility.MEMBERS)
class FundingCallPublished(CallFacts):
    """Staff published a funding call; every eligible member is matched against it."""

    description: dict[str, str] = Field(description="Description by language (`ka`, `en`).")
    co_financing_share: float | None = Field(
        None, description="Share (%) of the project the applicant must finance itself."
    )
    opens_on: str = Field(description="First day to apply (ISO 8601 date, Tbilisi time).")
    criteria: Criteria = Field(description="Eligibility criteria.")


@event_type("funding_call.closed", topic=TOPIC, visibility=Visibility.MEMBERS)
class FundingCallClosed(CallFacts):
    """A call stopped taking applications: its close date passed, or staff closed it."""

    actor: str = Field(description="Who closed it; `system:deadline` when its date passed.")


@event_type("funding.match_found", topic=TOPIC)
class FundingMatchFound(CallFacts):
    """A member is eligible for an open call; at most one per call and member, ever."""

    member_id: str = Field(description="Id of the eligible member.")
    reasons: list[str] = Field(description="The criteria that held, readable by people.")


@event_type("funding.interest_expressed", topic=TOPIC)
class FundingInterestExpressed(CallFacts):
    """A matched member said it wants to apply; its application is followed from here."""

    member_id: str = Field(description="Id of the interested member.")
    application_id: str = Field(description="Id of the application, `<call id>:<member id>`.")


@event_type("funding.application_status_changed", topic=TOPIC)
class FundingApplicationStatusChanged(CallFacts):
    """Staff moved a member's application along its pipeline."""

    member_id: str = Field(description="Id of the applying member.")
    application_id: str = Field(description="Id of the application.")
    from_status: ApplicationStatus = Field(description="Status before.")
    to_status: ApplicationStatus = Field(description="Status after.")
    note: str | None = Field(None, description="Staff note recorded with the change.")
    amount_awarded: str | None = Field(
        None, description="Amount awarded (decimal, in the call's currency), when awarded."
    )


@event_type("funding.deadline_approaching", topic=TOPIC)
class FundingDeadlineApproaching(CallFacts):
    """An interested member's call closes in a few days (sent once per application)."""

    member_id: str = Field(description="Id of the interested member.")
    application_id: str = Field(description="Id of the application.")
    days_left: int = Field(description="Whole days until the close date.")
