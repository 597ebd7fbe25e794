"""Events produced by the training service, on topic `cmo.training`.

Plan and session events are keyed by year and session id; registration and certificate events
by member id, so one company's registrations stay in order. Times are UTC (ISO 8601).
"""

from datetime import datetime
from typing import Literal

from pydantic import Field

from .envelope import Payload, Visibility, event_type
from .members import ContactSnapshot

TOPIC = "cmo.training"

Format = Literal["course", "workshop", "fair", "capacity_development"]


class PlanItemFacts(Payload):
    """One item of the annual training plan."""

    item_id: str = Field(description="Id of the plan item.")
    topic: str = Field(description="The training topic it answers, as the needs name it.")
    format: Format = Field(description="Course, internal workshop, fair or capacity service.")
    quarter: str = Field(description="Target quarter, e.g. `2027-Q2`.")
    companies: int = Field(description="Member companies whose needs it answers.")


@event_type("training.plan_published", topic=TOPIC, visibility=Visibility.MEMBERS)
class PlanPublished(Payload):
    """The annual training plan built from the members' needs was published."""

    year: int = Field(description="Year of the plan.")
    items: list[PlanItemFacts] = Field(description="Its items.")


class SessionFacts(Payload):
    """What every session event says about the session."""

    session_id: str = Field(description="Id of the session.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    format: Format = Field(description="Course, internal workshop, fair or capacity service.")
    topic: str = Field(description="The training topic it answers.")
    starts_at: datetime = Field(description="Start of its first sitting (UTC).")
    ends_at: datetime = Field(description="End of its last sitting (UTC).")
    venue: str | None = Field(description="Where it takes place, if in person.")
    online_url: str | None = Field(description="Where to join, if online.")


@event_type("training.scheduled", topic=TOPIC, visibility=Visibility.MEMBERS)
class TrainingScheduled(SessionFacts):
    """A session was scheduled; members with a matching need are invited first."""

    capacity: int = Field(description="Seats in all.")
    invited: list[str] = Field(description="Ids of the members invited in the priority window.")
    priority_until: datetime = Field(description="When registration opens to every member.")


@event_type("training.registration_opened", topic=TOPIC, visibility=Visibility.MEMBERS)
class RegistrationOpened(SessionFacts):
    """The priority window ended: every member in good standing may register."""

    sectors: list[str] = Field(
        default_factory=list, description="NACE prefixes of the members told; empty: all."
    )
    seats_left: int = Field(description="Seats not taken when it opened.")


@event_type("training.cancelled", topic=TOPIC, visibility=Visibility.MEMBERS)
class TrainingCancelled(SessionFacts):
    """A session was called off: every registration of it is cancelled with it."""

    reason: str = Field(description="Why, as the CMO's staff gave it.")
    registrations: int = Field(description="How many active registrations were cancelled.")


class RegistrationFacts(SessionFacts):
    """What every registration event says: the session, the company and its people."""

    registration_id: str = Field(description="Id of the registration.")
    member_id: str = Field(description="Id of the member company.")
    legal_name: str = Field(description="The company's name.")
    contacts: list[ContactSnapshot] = Field(description="The people registered.")


@event_type("registration.confirmed", topic=TOPIC)
class RegistrationConfirmed(RegistrationFacts):
    """Seats were taken for a company's people (or its places changed: a new invitation)."""

    invitations: dict[str, str] = Field(
        description="Per person (`contact_id`), an iCalendar invitation (RFC 5545, "
        "`METHOD:REQUEST`, a stable `UID`, `SEQUENCE` raised on every change of time or place)."
    )


@event_type("registration.waitlisted", topic=TOPIC)
class RegistrationWaitlisted(RegistrationFacts):
    """The session was full: the company's people are on its waitlist."""

    position: int = Field(description="Place on the waitlist, from 1.")


@event_type("registration.offered", topic=TOPIC)
class RegistrationOffered(RegistrationFacts):
    """Seats freed up and are held for a waitlisted registration until it accepts or expires."""

    hold_until: datetime = Field(description="When the held seats pass to the next in line.")


@event_type("registration.cancelled", topic=TOPIC)
class RegistrationCancelled(RegistrationFacts):
    """A registration was cancelled (or left the waitlist, or let an offer expire)."""

    reason: str = Field(description="Why, e.g. `cancelled by the member`, `offer expired`.")
    invitations: dict[str, str] = Field(
        description="Per person, an iCalendar `METHOD:CANCEL` for the seats given up (empty "
        "for a registration that held none)."
    )


@event_type("certificate.issued", topic=TOPIC)
class CertificateIssued(Payload):
    """A participant attended enough of a session to be certified (Open Badges 3.0)."""

    certificate_id: str = Field(description="Id of the certificate.")
    session_id: str = Field(description="The session attended.")
    member_id: str = Field(description="The participant's company.")
    legal_name: str = Field(description="The company's name.")
    contacts: list[ContactSnapshot] = Field(description="The certified person.")
    title: dict[str, str] = Field(description="The session's title by language.")
    attendance: float = Field(description="Share of the sittings attended (0-1).")
    url: str = Field(
        description="Where the credential is downloaded (JSON); `/pdf` after it prints it, "
        "`/verify` checks it."
    )


@event_type("certificate.revoked", topic=TOPIC)
class CertificateRevoked(Payload):
    """A certificate was revoked; verifying it now fails."""

    certificate_id: str = Field(description="Id of the certificate.")
    member_id: str = Field(description="The participant's company.")
    reason: str = Field(description="Why it was revoked.")


@event_type("delegation.member_selected", topic=TOPIC)
class DelegationMemberSelected(Payload):
    """A member was selected for a fair delegation; its share of the cost is due.

    The amount is for the fees module to charge (it is not invoiced here).
    """

    delegation_id: str = Field(description="Id of the delegation.")
    fair: str = Field(description="The fair or exhibition.")
    member_id: str = Field(description="The selected member company.")
    legal_name: str = Field(description="Its name.")
    rank: int = Field(description="Its place in the selection, from 1.")
    share: str = Field(description="Its share of the cost after co-financing, GEL (exact).")
    starts_on: str = Field(description="First day of the fair (ISO 8601).")


@event_type("delegation.member_not_selected", topic=TOPIC)
class DelegationMemberNotSelected(Payload):
    """A member applied for a fair delegation and was not selected this time."""

    delegation_id: str = Field(description="Id of the delegation.")
    fair: str = Field(description="The fair or exhibition.")
    member_id: str = Field(description="The member company.")
    rank: int = Field(description="Its place in the ranking, from 1.")
