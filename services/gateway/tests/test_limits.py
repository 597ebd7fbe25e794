"""Limits that filter a service's answer for member users."""

from cmo_gateway.accounts.domain import Principal, Role
from cmo_gateway.routing.limits import Call, OwnEntriesOnly


def _call(member_id: str) -> Call:
    principal = Principal("u1", "u@x.example", Role.MEMBER, member_id=member_id)
    return Call(principal, {}, [], None, lookup=None)  # type: ignore[arg-type]


def test_a_member_sees_only_its_own_entries_of_a_shared_resource() -> None:
    delegation = {
        "delegation_id": "d1",
        "applications": [
            {"member_id": "a", "score": "90", "share": "1200.00"},
            {"member_id": "b", "score": "70", "share": None},
        ],
    }
    page = {"items": [delegation, {**delegation, "applications": list(delegation["applications"])}]}
    limit = OwnEntriesOnly(field_name="applications")
    shown = limit.after(_call("b"), page)
    assert [i["applications"] for i in shown["items"]] == [
        [{"member_id": "b", "score": "70", "share": None}]
    ] * 2
    single = limit.after(
        _call("c"), {**delegation, "applications": list(delegation["applications"])}
    )
    assert single["applications"] == []
