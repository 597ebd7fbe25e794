import pytest
from cmo_members.membership.domain import MemberStatus, TransitionNotAllowed, apply_for_membership
from cmo_shared.http import status_of


def _applicant():
    return apply_for_membership(
        legal_name="Agro",
        tax_id="204567890",
        sector="10.51",
        employees=12,
        region="Imereti",
        contacts=[
            {"name": "Nino", "email": "n@agro.ge", "language": "ka", "role": None, "phone": None}
        ],
        actor="staff-1",
    )


def test_application_creates_an_applicant_with_contact_ids_and_history() -> None:
    member, applied = _applicant()
    assert member.status is MemberStatus.APPLICANT
    assert member.contacts[0].contact_id
    assert applied.member_id == member.member_id
    assert applied.contacts[0].contact_id == member.contacts[0].contact_id
    assert [(h.from_status, h.to_status, h.actor) for h in member.history] == [
        (None, MemberStatus.APPLICANT, "staff-1")
    ]


def test_approval_activates_records_who_and_why_and_emits_joined() -> None:
    member, _ = _applicant()
    joined = member.approve(actor="staff-2", reason="documents checked")
    assert member.status is MemberStatus.ACTIVE
    last = member.history[-1]
    assert (last.from_status, last.to_status, last.actor, last.reason) == (
        MemberStatus.APPLICANT,
        MemberStatus.ACTIVE,
        "staff-2",
        "documents checked",
    )
    assert joined.approved_by == "staff-2" and joined.legal_name == "Agro"


@pytest.mark.parametrize("status", [s for s in MemberStatus if s is not MemberStatus.APPLICANT])
def test_only_applicants_can_be_approved(status: MemberStatus) -> None:
    member, _ = _applicant()
    member.status = status
    with pytest.raises(TransitionNotAllowed) as refused:
        member.approve(actor="staff", reason=None)
    assert status_of(refused.value) == 409 and refused.value.field == "status"
    assert member.status is status and len(member.history) == 1


@pytest.mark.parametrize(
    ("command", "allowed"),
    [
        ("reject", {MemberStatus.APPLICANT}),
        ("suspend", {MemberStatus.ACTIVE, MemberStatus.GRACE}),
        ("reinstate", {MemberStatus.GRACE, MemberStatus.SUSPENDED}),
        ("lapse", {MemberStatus.SUSPENDED}),
        (
            "terminate",
            {MemberStatus.ACTIVE, MemberStatus.GRACE, MemberStatus.SUSPENDED, MemberStatus.LAPSED},
        ),
    ],
)
def test_commands_move_only_from_their_statuses(command: str, allowed: set) -> None:
    for status in MemberStatus:
        member, _ = _applicant()
        member.status = status
        if status in allowed:
            event = member.apply(command, actor="staff", reason="why")
            assert event.from_status == status.value
            assert event.to_status == member.status.value
            assert event.event_type_name.startswith("member.")
        else:
            with pytest.raises(TransitionNotAllowed):
                member.apply(command, actor="staff", reason="why")


def test_profile_update_reports_changed_fields_only() -> None:
    member, _ = _applicant()
    assert member.update_profile({"employees": 12, "region": "Imereti"}) is None
    event = member.update_profile({"employees": 60, "products": ["wine"]})
    assert event is not None and event.changed == ["employees", "products"]
