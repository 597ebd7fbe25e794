"""Events produced by the members service, on topic `cmo.members`, keyed by member id."""

from typing import Any, Literal

from pydantic import Field

from .envelope import Envelope, Payload, Visibility, event_type

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
    turnover_band: str | None = Field(
        None, description="Annual turnover band in GEL, e.g. `1m-5m`; None when not given."
    )
    products: list[str] = Field(default_factory=list, description="Main products.")
    certifications: list[str] = Field(
        default_factory=list, description="Certifications held, e.g. `ISO 22000`, `HACCP`."
    )
    export_markets: list[str] = Field(
        default_factory=list, description="Export markets as ISO 3166 alpha-2 country codes."
    )
    website: str | None = Field(None, description="Company website.")
    public_listing: bool = Field(
        False, description="Whether the company consented to the public directory."
    )
    founded_year: int | None = Field(
        None, description="Year the company started operating; None when not given."
    )


@event_type("member.applied", topic=TOPIC)
class MemberApplied(MemberProfile):
    """A company applied for membership and awaits approval."""


@event_type("member.joined", topic=TOPIC)
class MemberJoined(MemberProfile):
    """An applicant was approved and is now an active member."""

    approved_by: str = Field(description="Who approved the application.")
    reason: str | None = Field(None, description="Why, as recorded with the approval.")


class StatusChange(Payload):
    """A move of a member through its lifecycle."""

    member_id: str = Field(description="Id of the member company.")
    from_status: str = Field(description="Status before the change.")
    to_status: str = Field(description="Status after the change.")
    actor: str = Field(description="Who made the change (a user, or `system:fees`).")
    reason: str | None = Field(None, description="Why, as recorded in the member's history.")


GOOD_STANDING = frozenset({"active", "grace"})
"""Statuses of members that use the common services (a grace period is for unpaid fees)."""
PROFILE_EVENTS = ("member.applied", "member.joined", "member.profile_updated")
"""Member events carrying the whole profile, from which read models are built."""
STATUS_EVENTS = (
    "member.rejected",
    "member.grace_started",
    "member.suspended",
    "member.reinstated",
    "member.left",
)
"""Member events that move a member to another status without repeating its profile.

Read models change a member's status only from these and the profile events: `fee.overdue`
says an invoice fell due, not that its member's status changed (a suspended member stays so).
"""


def status_set_by(event: Envelope[Any]) -> str | None:
    """The status a member event gives its member; None when it keeps the status it had."""
    if event.type == "member.applied":
        return "applicant"
    if event.type == "member.joined":
        return "active"
    if isinstance(event.payload, StatusChange):
        return event.payload.to_status
    return None


@event_type("member.rejected", topic=TOPIC)
class MemberRejected(StatusChange):
    """An application for membership was rejected."""


@event_type("member.grace_started", topic=TOPIC)
class MemberGraceStarted(StatusChange):
    """An active member's invoice fell due unpaid: it keeps its access for the grace period."""


@event_type("member.suspended", topic=TOPIC)
class MemberSuspended(StatusChange):
    """A member lost access to the common services (e.g. fees unpaid past the grace period)."""


@event_type("member.reinstated", topic=TOPIC)
class MemberReinstated(StatusChange):
    """A member in grace or suspended is active again (e.g. its arrears were paid)."""


@event_type("member.left", topic=TOPIC)
class MemberLeft(StatusChange):
    """A membership ended: lapsed (unpaid) or terminated."""


@event_type("member.profile_updated", topic=TOPIC)
class MemberProfileUpdated(MemberProfile):
    """A member's profile changed; the full profile after the change is included."""

    changed: list[str] = Field(description="Names of the profile fields that changed.")


@event_type("fee.invoiced", topic=TOPIC)
class FeeInvoiced(Payload):
    """A yearly membership fee invoice was issued to a member."""

    invoice_id: str = Field(description="Id of the invoice, `<year>:<member id>`.")
    member_id: str = Field(description="Id of the invoiced member.")
    year: int = Field(description="Membership year the fee is for.")
    size_tier: str = Field(description="Size tier the fee was set by: micro|small|medium|large.")
    amount: str = Field(description="Amount due in GEL, an exact decimal string, e.g. `1200.00`.")
    due_date: str = Field(description="Date the fee is due (ISO 8601, Tbilisi).")


@event_type("fee.paid", topic=TOPIC)
class FeePaid(Payload):
    """A payment (full or an instalment) was recorded against an invoice."""

    invoice_id: str = Field(description="Id of the invoice paid against.")
    member_id: str = Field(description="Id of the paying member.")
    amount: str = Field(description="Amount of this payment in GEL (exact decimal string).")
    outstanding: str = Field(description="Amount still due after it, in GEL.")
    settled: bool = Field(description="Whether the invoice is now paid in full.")


@event_type("fee.overdue", topic=TOPIC)
class FeeOverdue(Payload):
    """An invoice passed its due date unpaid.

    An active member then enters its grace period, announced by `member.grace_started`; a member
    suspended or terminated before keeps its status.
    """

    invoice_id: str = Field(description="Id of the overdue invoice.")
    member_id: str = Field(description="Id of the member.")
    outstanding: str = Field(description="Amount due in GEL (exact decimal string).")
    due_date: str = Field(description="The due date that passed.")
    suspension_date: str = Field(description="Date the member is suspended if still unpaid.")


CATALOGUE_TOPIC = "cmo.catalogue"


@event_type("catalogue.entry_updated", topic=CATALOGUE_TOPIC, visibility=Visibility.MEMBERS)
class CatalogueEntryUpdated(Payload):
    """A common service's entry in a year's catalogue was created or changed.

    Other services keep a read model of these to answer "is service X offered this year?".
    """

    year: int = Field(description="Catalogue year.")
    slug: str = Field(description="Stable id of the common service, e.g. `ifi-funding`.")
    title: str = Field(description="The service as the CMO lists it.")
    group: str = Field(description="Group of services it belongs to.")
    served_by: str = Field(description="Platform service that delivers it, e.g. `funding`.")
    availability: Literal["offered", "not_this_year"] = Field(
        description="Whether the service is offered this year."
    )
    funding_source: Literal["membership_fees", "reserves"] = Field(
        description="Budget line that finances it."
    )
    budget: str | None = Field(None, description="Budget in GEL (exact decimal), if set.")


NeedKind = Literal["procurement", "training", "technology", "funding", "advisory"]


@event_type("need.identified", topic=TOPIC)
class NeedIdentified(Payload):
    """A member's answer to a needs assessment stated a need."""

    member_id: str = Field(description="Id of the member with the need.")
    assessment_id: str = Field(description="Needs assessment the answer belongs to.")
    period: str = Field(description="Period of the assessment, e.g. `2026` or `2026-H1`.")
    question_id: str = Field(description="Question whose answer stated the need.")
    kind: NeedKind = Field(description="What kind of service can meet the need.")
    category: str = Field(description="What is needed, e.g. `glass jars` or `HACCP training`.")
    quantity: float | None = Field(None, description="How much, where the question asks it.")
    unit: str | None = Field(None, description="Unit of the quantity, e.g. `pieces`, `people`.")


@event_type("kpi.submitted", topic=TOPIC)
class KpiSubmitted(Payload):
    """A member submitted (or corrected) its quarterly KPI survey."""

    member_id: str = Field(description="Id of the member.")
    quarter: str = Field(description="Quarter reported, e.g. `2026-Q3`.")
    revenue_band: str = Field(description="Revenue band of the quarter in GEL, e.g. `1m-5m`.")
    employees: int = Field(ge=0, description="Employees at the end of the quarter.")
    export_share: float = Field(ge=0, le=100, description="Share of revenue from exports, %.")
    investment: str = Field(description="Investment in the quarter, GEL (exact decimal).")


@event_type("expert.requested", topic=TOPIC)
class ExpertRequested(Payload):
    """A member asked the CMO for an engineer or technology expert for a need."""

    request_id: str = Field(description="Id of the expert request.")
    member_id: str = Field(description="Id of the requesting member.")
    need: str = Field(description="What the member needs help with.")
    tags: list[str] = Field(description="Expertise wanted, e.g. `dairy processing`.")
    expert_id: str | None = Field(None, description="A specific expert asked for, if any.")


@event_type("expert.matched", topic=TOPIC)
class ExpertMatched(Payload):
    """Staff matched an expert to a member's request."""

    request_id: str = Field(description="Id of the expert request.")
    member_id: str = Field(description="Id of the requesting member.")
    expert_id: str = Field(description="Id of the expert matched.")
    expert_name: str = Field(description="Name of the expert matched.")


COLLABORATION_TOPIC = "cmo.collaboration"
PostKind = Literal["request", "offer"]
CollaborationCategory = Literal["joint_export", "shared_equipment", "subcontracting", "joint_rnd"]


class CollaborationPost(Payload):
    """What every collaboration event says about the post it concerns."""

    post_id: str = Field(description="Id of the post on the collaboration board.")
    member_id: str = Field(description="Id of the member that posted it.")
    kind: PostKind = Field(description="`request` (the member looks for) or `offer`.")
    category: CollaborationCategory = Field(
        description="joint_export | shared_equipment | subcontracting | joint_rnd."
    )
    title: str = Field(description="Short title of the post.")


@event_type("collaboration.posted", topic=COLLABORATION_TOPIC)
class CollaborationPosted(CollaborationPost):
    """A member posted a request or offer on the collaboration board."""

    tags: list[str] = Field(description="What it is about, lower case, e.g. `cold storage`.")
    sectors: list[str] = Field(description="NACE code prefixes it addresses, e.g. `10.5`.")
    markets: list[str] = Field(description="Target markets (ISO 3166 alpha-2), for joint export.")
    expires_on: str | None = Field(None, description="Last day the post is open (ISO 8601).")


@event_type(
    "collaboration.matched", topic=COLLABORATION_TOPIC, members=("member_id", "matched_member_id")
)
class CollaborationMatched(CollaborationPost):
    """A post was matched with another member; both sides are told.

    One event per (post, matched member), emitted when the post is published.
    """

    matched_member_id: str = Field(description="Id of the member the post was matched with.")
    matched_post_id: str | None = Field(
        None, description="The matched member's open post that answers this one, if any."
    )
    reasons: list[str] = Field(description="Why they were matched, readable by people.")


@event_type(
    "collaboration.interest_expressed",
    topic=COLLABORATION_TOPIC,
    members=("member_id", "interested_member_id"),
)
class CollaborationInterestExpressed(CollaborationPost):
    """A member expressed interest in another member's post; the author is told."""

    interested_member_id: str = Field(description="Id of the member interested in the post.")
    message: str | None = Field(None, description="What the interested member wrote.")


@event_type("collaboration.closed", topic=COLLABORATION_TOPIC)
class CollaborationClosed(CollaborationPost):
    """A post was closed by its author or staff, or expired."""

    actor: str = Field(description="Who closed it (`system:expiry` when it expired).")
    reason: str | None = Field(None, description="Why it was closed, e.g. `partner found`.")
