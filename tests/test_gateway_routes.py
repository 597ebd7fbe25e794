"""The routing table covers every operation, and limits member users wherever company data is.

The service documents are the checked-in ones (`cmo docs --check` keeps them current): an
operation added to a service without a line in `ROUTES` (or `NOT_ROUTED`) fails here.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from cmo_gateway.accounts.domain import Role
from cmo_gateway.app import create_app
from cmo_gateway.routing.limits import (
    AnswerIsOwn,
    BodyIsOwn,
    OthersRedacted,
    PathIsOwn,
    QueryIsOwn,
    TargetIsOwn,
)
from cmo_gateway.routing.routes import NOT_ROUTED, ROUTES, Route, forwarded
from cmo_gateway.settings import UPSTREAMS

DOCS = Path(__file__).parent.parent / "docs" / "openapi"
# Company-owned data that every member may see by design (the board is for everyone).
SHARED_WITH_ALL_MEMBERS = {
    ("GET", "/collaboration/posts"),
    ("GET", "/collaboration/posts/{post_id}"),
}


def _document(service: str) -> dict[str, Any]:
    return json.loads((DOCS / f"{service}.json").read_text())


def _operations(service: str) -> set[tuple[str, str]]:
    paths = _document(service)["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def _member_routes() -> list[Route]:
    return [r for r in forwarded() if Role.MEMBER in r.roles]


def _binding(route: Route, kind: type) -> list[Any]:
    return [lim for lim in route.limits if isinstance(lim, kind) and Role.MEMBER in lim.roles]


def _schema(service: str, ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    return _document(service)["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _operation(route: Route) -> dict[str, Any]:
    return _document(route.service)["paths"][route.path][route.method.lower()]


@pytest.mark.parametrize("service", UPSTREAMS)
def test_every_service_operation_is_routed_or_deliberately_not(service: str) -> None:
    routed = {(r.method, r.path) for r in ROUTES if r.service == service}
    missing = _operations(service) - routed - NOT_ROUTED
    assert not missing, f"declare the roles of these {service} operations in ROUTES: {missing}"
    unknown = routed - _operations(service)
    assert not unknown, f"ROUTES names operations {service} does not have: {unknown}"


def test_every_route_of_the_gateway_itself_is_in_the_table() -> None:
    paths = create_app().openapi()["paths"]
    own = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    own -= NOT_ROUTED
    table = {(r.method, r.path) for r in ROUTES if r.service == "gateway"}
    assert own == table


def test_no_route_is_declared_twice() -> None:
    keys = [(r.method, r.path) for r in ROUTES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("route", _member_routes(), ids=lambda r: f"{r.method} {r.path}")
def test_member_users_are_held_to_their_own_company(route: Route) -> None:
    operation = _operation(route)
    params = {p["name"]: p["in"] for p in operation.get("parameters", [])}
    path_owned = _binding(route, PathIsOwn)
    if "member_id" in route.path or "contact_id" in route.path:
        assert path_owned, "a member or contact in the path must be the caller's own"
    shared = (route.method, route.path) in SHARED_WITH_ALL_MEMBERS
    if shared:
        assert _binding(route, OthersRedacted), "shared data keeps each owner's private part"
    if params.get("member_id") == "query" and not shared:
        assert _binding(route, QueryIsOwn), "a list by member must be filtered to the caller"
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None and "member_id" in _schema(route.service, body["schema"]).get(
        "properties", {}
    ):
        assert _binding(route, BodyIsOwn) or path_owned, "a body naming a member must be own"
    answer = operation["responses"].get("200", {}).get("content", {}).get("application/json")
    single = answer is not None and "member_id" in _schema(route.service, answer["schema"]).get(
        "properties", {}
    )
    if (
        route.method == "GET"
        and single
        and (route.method, route.path) not in SHARED_WITH_ALL_MEMBERS
    ):
        assert path_owned or _binding(route, AnswerIsOwn), "another company's resource: 404"
    ids = [p for p, where in params.items() if where == "path" and p.endswith("_id")]
    if route.changes_state and ids and not path_owned and not _binding(route, BodyIsOwn):
        assert _binding(route, TargetIsOwn), "a change to a resource must be to the caller's"


def test_integrations_only_read_or_manage_webhooks() -> None:
    for route in ROUTES:
        if Role.INTEGRATION in route.roles and route.changes_state:
            assert route.path.startswith(("/webhooks", "/auth/logout")), route.path


def test_every_request_body_refuses_unknown_fields() -> None:
    for service in UPSTREAMS:
        for name, schema in _document(service)["components"]["schemas"].items():
            if (
                name.endswith(("Write", "Create", "Update", "Move"))
                and schema.get("type") == "object"
            ):
                assert schema.get("additionalProperties") is False, f"{service} {name}"
