"""Sample events for tests and benchmarks: valid payloads with overridable fields."""

import uuid
from typing import Any

from cmo_contracts import Envelope, new_event
from cmo_contracts.members import ContactSnapshot, MemberApplied, MemberJoined


def sample_contact(**overrides: Any) -> ContactSnapshot:
    """A contact person; any field can be overridden."""
    fields: dict[str, Any] = {
        "contact_id": str(uuid.uuid4()),
        "name": "Nino Beridze",
        "email": "nino@agro.example",
        "language": "ka",
    }
    return ContactSnapshot(**{**fields, **overrides})


def _profile(member_id: str, overrides: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "member_id": member_id,
        "legal_name": "Agro LLC",
        "tax_id": "204567890",
        "sector": "10.51",
        "employees": 12,
        "region": "Imereti",
        "contacts": [],
    }
    return {**fields, **overrides}


def member_applied(
    member_id: str | None = None, *, correlation_id: str = "test", **overrides: Any
) -> Envelope[MemberApplied]:
    """A `member.applied` event in its envelope."""
    member_id = member_id or str(uuid.uuid4())
    payload = MemberApplied(**_profile(member_id, overrides))
    return new_event(
        payload, producer="members", subject_id=member_id, correlation_id=correlation_id
    )


def member_joined(
    member_id: str | None = None, *, correlation_id: str = "test", **overrides: Any
) -> Envelope[MemberJoined]:
    """A `member.joined` event in its envelope."""
    member_id = member_id or str(uuid.uuid4())
    payload = MemberJoined(**_profile(member_id, {"approved_by": "staff", **overrides}))
    return new_event(
        payload, producer="members", subject_id=member_id, correlation_id=correlation_id
    )
