"""Whom an invitation email addresses, and in which language."""

from datetime import UTC, datetime

from cmo_contracts.users import UserInvited
from cmo_notifications.fanout.domain import invitee

CONTACT = {"contact_id": "c1", "name": "John Smith", "email": "john@x.example", "language": "en"}


def _invitation(**overrides: object) -> UserInvited:
    fields: dict[str, object] = {
        "invitation_id": "i1",
        "login": "john@x.example",
        "name": "",
        "role": "member",
        "member_id": "m1",
        "contact_id": "c1",
        "language": None,
        "expires_at": datetime(2027, 1, 1, tzinfo=UTC),
        "invited_by": "staff@cmo.example",
    }
    return UserInvited(**{**fields, **overrides})


def test_a_known_contact_is_invited_by_its_own_name_and_in_its_own_language() -> None:
    person = invitee(_invitation(), CONTACT)
    assert (person.name, person.language, person.email) == ("John Smith", "en", "john@x.example")


def test_what_the_inviter_said_wins_over_the_contact() -> None:
    person = invitee(_invitation(name="Johnny", language="ka"), CONTACT)
    assert (person.name, person.language) == ("Johnny", "ka")


def test_without_a_known_contact_the_login_in_georgian() -> None:
    person = invitee(_invitation(contact_id=None), None)
    assert (person.name, person.language) == ("john@x.example", "ka")
