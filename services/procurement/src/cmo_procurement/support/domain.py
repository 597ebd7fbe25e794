"""Support services: vetted providers, and members' requests routed to them. Pure rules.

A request goes `submitted -> triaged -> matched -> engaged -> completed`, or `declined` before
it is engaged; a completed request can be rated once, which feeds the provider's score.
Providers whose accreditation lapsed (`valid_until` passed) count as expired and are not
offered, nor are suspended ones.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from cmo_contracts.procurement import (
    ProviderRegistered,
    ProviderStatusChanged,
    SupportRequestCompleted,
    SupportRequestCreated,
    SupportRequestDeclined,
    SupportRequestEngaged,
    SupportRequestMatched,
    SupportRequestRated,
    SupportRequestTriaged,
)
from cmo_shared.errors import Conflict


class ServiceType(StrEnum):
    """The support services the CMO gives access to."""

    CERTIFICATION = "certification"
    AUDIT = "audit"
    ERP = "erp"
    ADVISORY = "advisory"
    TECHNOLOGY = "technology"


CATALOGUE_SLUG = {
    ServiceType.CERTIFICATION: "certification-access",
    ServiceType.AUDIT: "audit-access",
    ServiceType.ERP: "erp-access",
    ServiceType.ADVISORY: "advisory-access",
    ServiceType.TECHNOLOGY: "technology-support",
}
"""The catalogue entry each service type is offered under."""


class ProviderStatus(StrEnum):
    """`active` or `suspended` as staff set it; `expired` once its accreditation lapsed."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"


class RequestStatus(StrEnum):
    """`submitted -> triaged -> matched -> engaged -> completed`, or `declined`."""

    SUBMITTED = "submitted"
    TRIAGED = "triaged"
    MATCHED = "matched"
    ENGAGED = "engaged"
    COMPLETED = "completed"
    DECLINED = "declined"


R = RequestStatus
DECLINABLE = frozenset({R.SUBMITTED, R.TRIAGED, R.MATCHED})


class ProviderNotAvailable(Conflict):
    """The provider is suspended, expired, or does not give that service."""

    code = "provider_not_available"


class RequestStateConflict(Conflict):
    """The request cannot do that in its status."""

    code = "request_state_conflict"


@dataclass
class Provider:
    """A vetted provider of certification, audit, ERP, advisory or technology services."""

    provider_id: str
    name: str
    service_types: list[ServiceType]
    standards: list[str]
    scope: str
    contact_email: str
    created_at: datetime
    accreditation_body: str | None = None
    accreditation_number: str | None = None
    valid_until: date | None = None
    status: ProviderStatus = ProviderStatus.ACTIVE
    ratings: list[int] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    def status_on(self, today: date) -> ProviderStatus:
        """Its status today: expired once the accreditation's date passed."""
        if self.status is ProviderStatus.ACTIVE and self.valid_until and self.valid_until < today:
            return ProviderStatus.EXPIRED
        return self.status

    def facts(self, today: date) -> dict[str, Any]:
        """The provider as its events describe it."""
        return {
            "provider_id": self.provider_id,
            "name": self.name,
            "service_types": [s.value for s in self.service_types],
            "standards": list(self.standards),
            "valid_until": None if self.valid_until is None else self.valid_until.isoformat(),
            "status": self.status_on(today).value,
        }

    def registered(self, today: date) -> ProviderRegistered:
        """The event announcing the provider."""
        return ProviderRegistered(**self.facts(today))

    def set_status(
        self, status: ProviderStatus, reason: str, *, actor: str, at: datetime, today: date
    ) -> ProviderStatusChanged | None:
        """Suspend or reactivate (an expired provider is renewed by a new `valid_until`)."""
        if status is ProviderStatus.EXPIRED:
            raise Conflict("expiry follows the accreditation date", field="status")
        if status is self.status:
            return None
        self.status = status
        self.history.append({"status": status.value, "reason": reason, "actor": actor, "at": at})
        return ProviderStatusChanged(**self.facts(today), reason=reason)

    def offer(self, service_type: ServiceType, today: date) -> None:
        """Refuse to offer a provider that is not active today or lacks the service."""
        status = self.status_on(today)
        if status is not ProviderStatus.ACTIVE:
            raise ProviderNotAvailable(f"{self.name} is {status}", field="provider_id")
        if service_type not in self.service_types:
            raise ProviderNotAvailable(
                f"{self.name} does not give {service_type} services", field="provider_id"
            )

    @property
    def score(self) -> float | None:
        """0-100 from members' ratings (1 to 5); none before the first."""
        return round(sum(self.ratings) / len(self.ratings) * 20, 1) if self.ratings else None


@dataclass
class SupportRequest:
    """A member's request for a support service."""

    request_id: str
    member_id: str
    service_type: ServiceType
    summary: str
    created_at: datetime
    standard: str | None = None
    status: RequestStatus = RequestStatus.SUBMITTED
    provider_id: str | None = None
    provider_name: str | None = None
    rating: int | None = None
    comment: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    def _facts(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "member_id": self.member_id,
            "service_type": self.service_type.value,
            "catalogue_slug": CATALOGUE_SLUG[self.service_type],
            "standard": self.standard,
            "summary": self.summary,
            "status": self.status.value,
        }

    def created(self) -> SupportRequestCreated:
        """The event of the new request."""
        self.history.append({"status": self.status.value, "at": self.created_at})
        return SupportRequestCreated(**self._facts())

    def _move(self, wanted: RequestStatus, allowed: frozenset[RequestStatus], **log: Any) -> None:
        if self.status not in allowed:
            raise RequestStateConflict(
                f"a {self.status} request cannot become {wanted}", field="status"
            )
        self.status = wanted
        self.history.append({"status": wanted.value, **log})

    def triage(self, note: str | None, *, actor: str, at: datetime) -> SupportRequestTriaged:
        """Staff take the request up."""
        self._move(R.TRIAGED, frozenset({R.SUBMITTED}), actor=actor, at=at, note=note)
        return SupportRequestTriaged(**self._facts(), actor=actor, note=note)

    def match(
        self, provider: Provider, *, actor: str, at: datetime, today: date
    ) -> SupportRequestMatched:
        """A provider that gives the service and is active today is matched."""
        provider.offer(self.service_type, today)
        self._move(
            R.MATCHED,
            frozenset({R.TRIAGED, R.MATCHED}),
            actor=actor,
            at=at,
            provider_id=provider.provider_id,
        )
        self.provider_id, self.provider_name = provider.provider_id, provider.name
        return SupportRequestMatched(
            **self._facts(),
            provider_id=provider.provider_id,
            provider_name=provider.name,
            provider_email=provider.contact_email,
            actor=actor,
        )

    def engage(self, *, actor: str, at: datetime) -> SupportRequestEngaged:
        """The member and the provider started working together."""
        self._move(R.ENGAGED, frozenset({R.MATCHED}), actor=actor, at=at)
        assert self.provider_id is not None
        return SupportRequestEngaged(**self._facts(), provider_id=self.provider_id, actor=actor)

    def complete(self, *, actor: str, at: datetime) -> SupportRequestCompleted:
        """The engagement was completed."""
        self._move(R.COMPLETED, frozenset({R.ENGAGED}), actor=actor, at=at)
        assert self.provider_id is not None
        return SupportRequestCompleted(**self._facts(), provider_id=self.provider_id, actor=actor)

    def decline(self, reason: str, *, actor: str, at: datetime) -> SupportRequestDeclined:
        """Staff decline a request not yet engaged."""
        self._move(R.DECLINED, DECLINABLE, actor=actor, at=at, reason=reason)
        return SupportRequestDeclined(**self._facts(), actor=actor, reason=reason)

    def rate(self, rating: int, comment: str | None, *, at: datetime) -> SupportRequestRated:
        """The member rates a completed engagement, once."""
        if self.status is not R.COMPLETED:
            raise RequestStateConflict("only a completed request is rated", field="rating")
        if self.rating is not None:
            raise RequestStateConflict("the request was rated already", field="rating")
        assert self.provider_id is not None
        self.rating, self.comment = rating, comment
        self.history.append({"rating": rating, "at": at})
        return SupportRequestRated(
            **self._facts(), provider_id=self.provider_id, rating=rating, comment=comment
        )
