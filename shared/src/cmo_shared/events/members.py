"""Events produced by the members service, on topic `cmo.members`, keyed by member id."""

from typing import Literal

from pydantic import Field

from .envelope import Payload, event_type

TOPIC = "cmo.members"

Language = Literal["ka", "en"]


class ContactSnapshot(Payload):
    """A member company's contact person as known when the event happened."""

    contact_id: str = Field(description="Stable id of the contact; addresses their inbox.")
    name: str = Field(description="Full name.")
    email: str = Field(description="Email address.")
    role: str | None = Field(None, description="Role in the company, e.g. `CEO`.")
    phone: str | None = Field(None, description="Phone number, free form.")
    language: Language = Field(description="Preferred language: `ka` (Georgian) or `en`.")


class MemberProfile(Payload):
    """The facts about a member company that other services build read models from."""

    member_id: str = Field(description="Id of the member company.")
    legal_name: str = Field(description="Registered legal name.")
    tax_id: str = Field(description="Georgian tax identification number.")
    sector: str = Field(description="NACE rev. 2 code of the main activity, e.g. `10.51`.")
    employees: int = Field(ge=0, description="Number of employees.")
    region: str = Field(description="Region of Georgia where the company operates.")
    contacts: list[ContactSnapshot] = Field(description="Contact people of the company.")


@event_type("member.applied", topic=TOPIC)
class MemberApplied(MemberProfile):
    """A company applied for membership and awaits approval."""


@event_type("member.joined", topic=TOPIC)
class MemberJoined(MemberProfile):
    """An applicant was approved and is now an active member."""

    approved_by: str = Field(description="Who approved the application.")
    reason: str | None = Field(None, description="Why, as recorded with the approval.")
