"""Events produced by the gateway about user accounts, on topic `cmo.users`."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from .envelope import Payload, Visibility, event_type

TOPIC = "cmo.users"


@event_type("user.invited", topic=TOPIC, visibility=Visibility.INTERNAL)
class UserInvited(Payload):
    """Someone was invited to create an account; they are emailed how to accept.

    The invitation's secret token is not in the event: the notifications service derives it
    from `invitation_id` with the key it shares with the gateway (`invitation_token`).
    """

    invitation_id: str = Field(description="Id of the invitation; the token derives from it.")
    login: str = Field(description="The invitee's email address, their future login.")
    name: str = Field(
        description="The invitee's name as the inviter gave it; empty: the company contact's "
        "own name (for member users), else the login."
    )
    role: Literal["admin", "staff", "member"] = Field(description="The role they are invited to.")
    member_id: str | None = Field(None, description="Their company, for member users.")
    contact_id: str | None = Field(
        None, description="The company contact the member user is, when the inviter said so."
    )
    language: Literal["ka", "en"] | None = Field(
        description="Language of the invitation email as the inviter chose it; None: the "
        "contact's own language (for member users), else Georgian."
    )
    expires_at: datetime = Field(description="Until when the invitation can be accepted (UTC).")
    invited_by: str = Field(description="Login of the staff member or admin who invited.")
