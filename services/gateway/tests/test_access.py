"""The gateway's access rules on in-memory stand-ins: who may call which route, in milliseconds."""

import time
from typing import Any

import pytest
from cmo_gateway.accounts.domain import EVERYONE, STAFF_ROLES, Principal, Role
from cmo_gateway.accounts.tokens import LEEWAY_S, AccessTokens, InvalidToken
from cmo_gateway.routing.access import Forbidden, Gatekeeper, MemberSuspended, NotAuthenticated
from cmo_gateway.routing.routes import Route
from cmo_gateway.settings import GatewaySettings
from starlette.requests import Request

from tests.fakes import FakeIntegrations, FakeMemberStatus, FakeSessions

STAFF_ONLY = Route("POST", "/members/{member_id}/approve", "members", STAFF_ROLES)
MEMBER_WRITE = Route("PATCH", "/members/{member_id}", "members", EVERYONE)
MEMBER_READ = Route("GET", "/members/{member_id}", "members", EVERYONE)
PUBLIC = Route("GET", "/directory.json", "members", frozenset())


def _request(**headers: str) -> Request:
    raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


class Scene:
    """A gatekeeper whose sessions, integrations and member statuses are set by the test."""

    def __init__(self) -> None:
        self.tokens = AccessTokens(GatewaySettings())
        self.sessions = FakeSessions()
        self.integrations = FakeIntegrations()
        self.statuses = FakeMemberStatus()
        self.gate = Gatekeeper(self.tokens, self.sessions, self.integrations, self.statuses)  # type: ignore[arg-type]

    def bearer(self, role: Role, member_id: str | None = None) -> dict[str, str]:
        principal = Principal("u1", "u@x.example", role, member_id=member_id, session_id="s1")
        return {"authorization": f"Bearer {self.tokens.issue(principal)}"}

    async def admit(self, route: Route, **headers: str) -> Any:
        return await self.gate.admit(_request(**headers), route)


@pytest.fixture
def scene() -> Scene:
    return Scene()


async def test_public_routes_admit_anyone_and_others_ask_for_credentials(scene: Scene) -> None:
    assert await scene.admit(PUBLIC) is None
    with pytest.raises(NotAuthenticated) as refused:
        await scene.admit(MEMBER_READ)
    assert refused.value.headers == {"WWW-Authenticate": "Bearer"}


async def test_roles_are_held_to_their_routes(scene: Scene) -> None:
    staff = await scene.admit(STAFF_ONLY, **scene.bearer(Role.STAFF))
    assert staff.role is Role.STAFF
    with pytest.raises(Forbidden):
        await scene.admit(STAFF_ONLY, **scene.bearer(Role.MEMBER, "m1"))


async def test_a_company_not_in_good_standing_reads_but_does_not_act(scene: Scene) -> None:
    scene.statuses.status["m1"] = "suspended"
    scene.statuses.status["m2"] = "grace"
    member = scene.bearer(Role.MEMBER, "m1")
    assert (await scene.admit(MEMBER_READ, **member)).member_id == "m1"
    with pytest.raises(MemberSuspended):
        await scene.admit(MEMBER_WRITE, **member)
    in_grace = await scene.admit(MEMBER_WRITE, **scene.bearer(Role.MEMBER, "m2"))
    assert in_grace.member_id == "m2"
    staff = await scene.admit(MEMBER_WRITE, **scene.bearer(Role.STAFF))
    assert staff.role is Role.STAFF, "staff act on suspended companies"


async def test_ended_sessions_bad_schemes_and_unknown_keys_are_refused(scene: Scene) -> None:
    member = scene.bearer(Role.MEMBER, "m1")
    scene.sessions.revoked.add("s1")
    with pytest.raises(InvalidToken):
        await scene.admit(MEMBER_READ, **member)
    with pytest.raises(InvalidToken):
        await scene.admit(MEMBER_READ, authorization="Basic dTpw")
    with pytest.raises(InvalidToken):
        await scene.admit(MEMBER_READ, x_api_key="cmo_ik_unknown")


async def test_an_integration_key_admits_the_integration_by_either_header(scene: Scene) -> None:
    scene.integrations.keys["cmo_ik_k1"] = {"_id": "i1", "login": "erp@x.example"}
    by_header = await scene.admit(MEMBER_READ, x_api_key="cmo_ik_k1")
    by_bearer = await scene.admit(MEMBER_READ, authorization="Bearer cmo_ik_k1")
    assert by_header == by_bearer == Principal("i1", "erp@x.example", Role.INTEGRATION)
    with pytest.raises(Forbidden):
        await scene.admit(STAFF_ONLY, x_api_key="cmo_ik_k1")


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _principal() -> Principal:
    return Principal("u1", "u@x.example", Role.STAFF, session_id="s1")


def test_a_token_read_again_is_the_same_principal_and_a_forged_copy_is_not() -> None:
    tokens = AccessTokens(GatewaySettings())
    token = tokens.issue(_principal())
    assert tokens.read(token) == tokens.read(token) == _principal()
    header, claims, signature = token.split(".")
    forged = f"{header}.{claims}.{signature[::-1]}"
    with pytest.raises(InvalidToken):
        tokens.read(forged)


def test_a_token_read_before_is_refused_once_it_expires() -> None:
    clock = Clock()
    settings = GatewaySettings()
    tokens = AccessTokens(settings, clock=clock)
    token = tokens.issue(_principal())
    assert tokens.read(token).user_id == "u1"
    clock.now += settings.access_token_ttl_s + LEEWAY_S - 1
    assert tokens.read(token).user_id == "u1", "within the leeway"
    clock.now += 2
    with pytest.raises(InvalidToken, match="expired"):
        tokens.read(token)
