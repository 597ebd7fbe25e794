"""How a route limits a member (or integration) to its own resources.

Each limit acts before the request is forwarded (checking or setting what it names) or on the
service's answer (hiding what is not the caller's). Another company's single resource answers
404, as if it did not exist; a list is filtered to the caller's own items.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from cmo_shared.errors import Forbidden, NotFound

from ..accounts.domain import Principal, Role

MEMBERS = frozenset({Role.MEMBER})
OWNERS = frozenset({Role.MEMBER, Role.INTEGRATION})
Lookup = Callable[[str], Awaitable[dict[str, Any] | None]]


class NotYours(Forbidden):
    """The request names another company (or integration) as its owner."""

    code = "not_your_resource"


@dataclass
class Call:
    """One forwarded request, as the limits see and change it."""

    principal: Principal
    path_params: dict[str, str]
    query: list[tuple[str, str]]
    body: Any
    lookup: Lookup

    def scoped_id(self, scope: str) -> str | None:
        """The caller's own id for a scope: its company/integration, or its contact."""
        return self.principal.contact_id if scope == "contact" else self.principal.owner_id


@dataclass(frozen=True, kw_only=True)
class Limit:
    """A restriction of a route for some roles (member users unless said); by default none."""

    roles: frozenset[Role] = MEMBERS

    def applies(self, principal: Principal) -> bool:
        """Whether this limit binds the caller."""
        return principal.role in self.roles

    async def before(self, call: Call) -> None:
        """Check or change the request before it is forwarded."""

    def after(self, call: Call, payload: Any) -> Any:
        """Check or filter the service's successful answer."""
        return payload


@dataclass(frozen=True, kw_only=True)
class PathIsOwn(Limit):
    """A path parameter must name the caller's own company (or contact)."""

    param: str = "member_id"
    scope: str = "owner"

    async def before(self, call: Call) -> None:
        """404 unless the path names the caller's own resource."""
        own = call.scoped_id(self.scope)
        if own is None or call.path_params.get(self.param) != own:
            raise NotFound(f"no such {self.param.removesuffix('_id')}", field=self.param)


@dataclass(frozen=True, kw_only=True)
class QueryIsOwn(Limit):
    """A list is asked for the caller's own items only (the filter is set, not trusted)."""

    param: str = "member_id"
    kind_param: str | None = None

    async def before(self, call: Call) -> None:
        """Replace the filter with the caller's own id."""
        dropped = {self.param, self.kind_param}
        call.query = [(k, v) for k, v in call.query if k not in dropped]
        call.query.append((self.param, call.principal.owner_id or ""))
        if self.kind_param:
            call.query.append((self.kind_param, call.principal.owner_kind or ""))


@dataclass(frozen=True, kw_only=True)
class BodyIsOwn(Limit):
    """A body field names the owner: filled in with the caller's own id, refused if another."""

    field_name: str = "member_id"
    kind_field: str | None = None

    async def before(self, call: Call) -> None:
        """403 if the body names someone else; otherwise set the caller as owner."""
        if not isinstance(call.body, dict):
            return  # the service answers 422 for a body that is not an object
        own = call.principal.owner_id
        given = call.body.get(self.field_name)
        if given is not None and given != own:
            raise NotYours("you can act only for your own company", field=self.field_name)
        call.body[self.field_name] = own
        if self.kind_field:
            call.body[self.kind_field] = call.principal.owner_kind


@dataclass(frozen=True, kw_only=True)
class AnswerIsOwn(Limit):
    """A single resource is shown only to its owner (404 to anyone else)."""

    field_name: str = "member_id"

    def after(self, call: Call, payload: Any) -> Any:
        """404 unless the resource is the caller's."""
        if not isinstance(payload, dict) or payload.get(self.field_name) != call.scoped_id("owner"):
            raise NotFound("no such resource")
        return payload


@dataclass(frozen=True, kw_only=True)
class TargetIsOwn(Limit):
    """A change is forwarded only if the resource it targets (looked up first) is the caller's."""

    path: str = ""
    field_name: str = "member_id"

    async def before(self, call: Call) -> None:
        """404 unless the resource exists and is the caller's."""
        resource = await call.lookup(self.path.format(**call.path_params))
        if resource is None or resource.get(self.field_name) != call.scoped_id("owner"):
            raise NotFound("no such resource")


@dataclass(frozen=True, kw_only=True)
class DraftHidden(Limit):
    """A resource in a hidden state (a draft) exists only for staff: 404 to anyone else."""

    field_name: str = "status"
    hidden: frozenset[str] = frozenset({"draft"})

    def after(self, call: Call, payload: Any) -> Any:
        """404 if the resource is in a hidden state."""
        if isinstance(payload, dict) and payload.get(self.field_name) in self.hidden:
            raise NotFound("no such resource")
        return payload


@dataclass(frozen=True, kw_only=True)
class QueryWithin(Limit):
    """A list filter is kept within the values the caller may see (all of them if not given)."""

    param: str = "status"
    allowed: tuple[str, ...] = ("published", "closed")

    async def before(self, call: Call) -> None:
        """Narrow the filter to the allowed values; 403 if nothing allowed was asked for."""
        asked = [v for k, v in call.query if k == self.param]
        kept = [v for v in asked if v in self.allowed] if asked else list(self.allowed)
        if not kept:
            raise NotYours(f"{self.param} {', '.join(asked)} is for staff only", field=self.param)
        call.query = [(k, v) for k, v in call.query if k != self.param]
        call.query += [(self.param, v) for v in kept]


@dataclass(frozen=True, kw_only=True)
class OthersRedacted(Limit):
    """A shared resource's private part is shown to its owner only, and emptied for others.

    Every member sees the board's posts, but only a post's author sees whom it matched.
    """

    field_name: str = "matches"
    owner_field: str = "member_id"

    def after(self, call: Call, payload: Any) -> Any:
        """Empty the private field of every item the caller does not own."""
        own = call.scoped_id("owner")
        items = payload.get("items", [payload]) if isinstance(payload, dict) else payload
        for item in items:
            if isinstance(item, dict) and item.get(self.owner_field) != own:
                item[self.field_name] = []
        return payload


@dataclass(frozen=True, kw_only=True)
class OwnEntriesOnly(Limit):
    """A shared resource lists entries of many companies: the caller sees only its own.

    Every member sees a fair delegation, but only its own application, score and share.
    """

    field_name: str = "applications"
    owner_field: str = "member_id"

    def after(self, call: Call, payload: Any) -> Any:
        """Keep, in every item, only the caller's own entries of the list."""
        own = call.scoped_id("owner")
        items = payload.get("items", [payload]) if isinstance(payload, dict) else payload
        for item in items:
            if isinstance(item, dict) and isinstance(item.get(self.field_name), list):
                item[self.field_name] = [
                    e for e in item[self.field_name] if e.get(self.owner_field) == own
                ]
        return payload
