"""Tokens, sessions, limits and hygiene of the gateway, against the real processes."""

import base64
import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from cmo_cli.infra.process import free_port
from cmo_gateway.settings import GatewaySettings
from cmo_shared.identity import Identity, identity_headers

from tests.conftest import ADMIN_PASSWORD, Gateway, Infra, gateway_env, start_service, stop_services
from tests.helpers import (
    applicant,
    bearer,
    consumed,
    eventually,
    invited_user,
    mails_to,
    resolved,
    sign_in,
)

PASSWORD = "a long and unguessable pass"
DEV = GatewaySettings()  # the tests' gateway runs with the default (development) settings


@pytest.fixture(scope="module")
def strict_gateway(
    infra: Infra, stack: dict[str, str], gateway: Gateway, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A second gateway on the same accounts: tight limits, and a funding service that is down."""
    service = start_service(
        "gateway",
        infra,
        tmp_path_factory.mktemp("logs"),
        **gateway_env(
            stack,
            CMO_FUNDING_URL=f"http://127.0.0.1:{free_port()}",
            CMO_LOGIN_ATTEMPTS_PER_ADDRESS="3",
            CMO_MAX_BODY_BYTES="2048",
        ),
    )
    try:
        yield service.url
    finally:
        stop_services([service])


async def _staff(http: httpx.AsyncClient, gateway: Gateway) -> dict[str, str]:
    admin = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
    login = f"staff-{uuid.uuid4().hex[:8]}@cmo.example"
    return bearer(await invited_user(http, admin, login, PASSWORD, role="staff"))


def _forged(claims: dict, **changes: object) -> str:
    now = datetime.now(UTC)
    base = {
        "iss": DEV.jwt_issuer,
        "aud": DEV.jwt_audience,
        "sub": claims["sub"],
        "lgn": claims["lgn"],
        "role": claims["role"],
        "sid": claims["sid"],
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode({**base, **changes}, DEV.jwt_secret, algorithm="HS256")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_tokens_that_the_gateway_did_not_issue_as_they_are_are_refused(
    gateway: Gateway,
) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        staff = (await _staff(http, gateway))["Authorization"].split()[1]
        claims = jwt.decode(staff, options={"verify_signature": False})
        header, _, signature = staff.split(".")
        as_admin = _b64({**claims, "role": "admin"})
        unsigned = _b64({"alg": "none", "typ": "JWT"})
        attacks = {
            "alg none": f"{unsigned}.{as_admin}.",
            "expired": _forged(claims, exp=datetime.now(UTC) - timedelta(minutes=1)),
            "wrong signature": jwt.encode(claims, "another key of at least 32 bytes!!", "HS256"),
            "wrong audience": _forged(claims, aud="someone-else"),
            "wrong issuer": _forged(claims, iss="someone-else"),
            "tampered role": f"{header}.{as_admin}.{signature}",
            "garbage": "not-a-token",
        }
        genuine = await http.get("/users", headers={"Authorization": f"Bearer {staff}"})
        assert genuine.status_code == 403, "staff may not list users: the baseline"
        for name, token in attacks.items():
            response = await http.get("/users", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, f"{name}: {response.status_code}"
            assert response.json()["error"]["code"] == "invalid_token", name
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), name


async def test_a_reused_refresh_token_revokes_the_whole_session(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        first = await sign_in(http, gateway.admin_login, ADMIN_PASSWORD)

        async def refresh(token: str) -> httpx.Response:
            form = {"grant_type": "refresh_token", "refresh_token": token}
            return await http.post("/auth/token", data=form)

        second = await refresh(first["refresh_token"])
        assert second.status_code == 200
        assert (await http.get("/auth/me", headers=bearer(second.json()))).status_code == 200
        replayed = await refresh(first["refresh_token"])
        later = await refresh(second.json()["refresh_token"])
        after = await http.get("/auth/me", headers=bearer(second.json()))
    assert replayed.status_code == 401
    assert later.status_code == 401, "the thief's replay ends the rightful chain too"
    assert after.status_code == 401, "and the session's access tokens"


async def test_logging_out_ends_the_access_and_the_refresh_token(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        tokens = await sign_in(http, gateway.admin_login, ADMIN_PASSWORD)
        assert (await http.post("/auth/logout", headers=bearer(tokens))).status_code == 204
        me = await http.get("/auth/me", headers=bearer(tokens))
        form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        refreshed = await http.post("/auth/token", data=form)
    assert me.status_code == 401
    assert refreshed.status_code == 401


async def test_sign_in_is_limited_per_account(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        login = f"staff-{uuid.uuid4().hex[:8]}@cmo.example"
        admin = bearer(await sign_in(http, gateway.admin_login, ADMIN_PASSWORD))
        await invited_user(http, admin, login, PASSWORD, role="staff")
        answers = []
        for _ in range(6):
            form = {"grant_type": "password", "username": login, "password": "wrong password!"}
            answers.append(await http.post("/auth/token", data=form))
        form = {"grant_type": "password", "username": login, "password": PASSWORD}
        right_but_late = await http.post("/auth/token", data=form)
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 401, 429]
    assert right_but_late.status_code == 429
    assert int(right_but_late.headers["Retry-After"]) >= 1
    assert right_but_late.json()["error"]["code"] == "too_many_attempts"


async def test_sign_in_is_limited_per_client_address(strict_gateway: str) -> None:
    async with httpx.AsyncClient(base_url=strict_gateway) as http:
        answers = []
        for i in range(4):
            form = {"grant_type": "password", "username": f"nobody{i}@x.ge", "password": "x" * 12}
            answers.append((await http.post("/auth/token", data=form)).status_code)
    assert answers == [401, 401, 401, 429]


async def test_bodies_over_the_limit_are_refused_whole_or_streamed(
    strict_gateway: str, gateway: Gateway
) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as main:
        staff = await _staff(main, gateway)  # the same accounts and keys as the strict gateway
    async with httpx.AsyncClient(base_url=strict_gateway) as http:
        big = applicant(("A", "a@x.example", "en"), products=["x" * 100] * 50)
        declared = await http.post("/members", json=big, headers=staff)

        async def chunks():
            for _ in range(10):
                yield b" " * 1024

        streamed = await http.post(
            "/members", content=chunks(), headers={**staff, "Content-Type": "application/json"}
        )
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "payload_too_large"
    assert streamed.status_code == 413


async def test_a_service_that_is_down_answers_503_at_once(
    strict_gateway: str, gateway: Gateway
) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as main:
        staff = await _staff(main, gateway)
    async with httpx.AsyncClient(base_url=strict_gateway, timeout=10) as http:
        started = datetime.now(UTC)
        response = await http.get("/calls", headers=staff)
        took = datetime.now(UTC) - started
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert "funding" in response.json()["error"]["message"]
    assert took < timedelta(seconds=5)


async def test_page_sizes_are_capped_and_unknown_fields_refused(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        staff = await _staff(http, gateway)
        too_big = await http.get("/members", params={"page_size": 1000}, headers=staff)
        sneaky = applicant(("A", "a@x.example", "en"), status="active")
        created = await http.post("/members", json=sneaky, headers=staff)
        invitation = {"login": "x@y.example", "role": "member", "member_id": "m", "admin": True}
        invited = await http.post("/auth/invitations", json=invitation, headers=staff)
    assert too_big.status_code == 422 and too_big.json()["error"]["field"] == "page_size"
    assert created.status_code == 422 and created.json()["error"]["field"] == "status"
    assert invited.status_code == 422 and invited.json()["error"]["field"].endswith("admin")


async def test_staff_cannot_invite_staff_but_admins_can(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        staff = await _staff(http, gateway)
        body = {"login": f"s-{uuid.uuid4().hex[:6]}@cmo.example", "role": "staff"}
        refused = await http.post("/auth/invitations", json=body, headers=staff)
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "role"


async def test_a_suspended_company_s_users_can_read_but_not_act(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = await _staff(http, gateway)
        member = (
            await http.post("/members", json=applicant(("C", "c@x.example", "en")), headers=staff)
        ).json()
        member_id = member["member_id"]
        await http.post(f"/members/{member_id}/approve", headers=staff)
        user = bearer(
            await invited_user(
                http,
                staff,
                f"user-{uuid.uuid4().hex[:8]}@c.example",
                PASSWORD,
                role="member",
                member_id=member_id,
                contact_id=member["contacts"][0]["contact_id"],
            )
        )
        await eventually(  # the gateway learns of the joining from the members' events
            lambda: http.get("/auth/me", headers=user),
            lambda r: r.json()["member_status"] == "active",
        )
        change = {"website": "https://c.example"}
        assert (
            await http.patch(f"/members/{member_id}", json=change, headers=user)
        ).status_code == 200
        suspended = await http.post(
            f"/members/{member_id}/suspend", json={"reason": "fees unpaid"}, headers=staff
        )
        assert suspended.status_code == 200, suspended.text
        me = await eventually(
            lambda: http.get("/auth/me", headers=user),
            lambda r: r.json()["member_status"] == "suspended",
        )
        read = await http.get(f"/members/{member_id}", headers=user)
        acted = await http.patch(f"/members/{member_id}", json=change, headers=user)
    assert me.status_code == 200
    assert read.status_code == 200
    assert acted.status_code == 403
    assert acted.json()["error"]["code"] == "member_not_in_good_standing"


async def test_services_trust_identity_headers_only_when_the_gateway_signed_them(
    stack: dict[str, str],
) -> None:
    identity = Identity("mallory@x.example", "admin")
    async with httpx.AsyncClient(base_url=stack["members"]) as http:
        correlation = str(uuid.uuid4())
        forged = identity_headers("not the shared secret", identity, correlation)
        refused = await http.post(
            "/members",
            json=applicant(("A", "a@x.example", "en")),
            headers={**forged, "X-Correlation-ID": correlation},
        )
        signed = identity_headers(DEV.internal_secret, identity, correlation)
        accepted = await http.post(
            "/members",
            json=applicant(("A", "a@x.example", "en")),
            headers={**signed, "X-Correlation-ID": correlation},
        )
        replayed = await http.post(
            "/members",
            json=applicant(("A", "a@x.example", "en")),
            headers={**signed, "X-Correlation-ID": str(uuid.uuid4())},
        )
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "untrusted_identity"
    assert accepted.status_code == 201, accepted.text
    assert replayed.status_code == 401, "a signature is bound to its request's correlation id"


async def test_every_answer_carries_security_headers_and_no_cors(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        response = await http.get("/directory.json", headers={"Origin": "https://evil.example"})
        refused = await http.get("/members")
    for answer in (response, refused):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
        assert "Access-Control-Allow-Origin" not in answer.headers


async def test_changes_are_audited_with_who_what_and_the_correlation_id(gateway: Gateway) -> None:
    correlation = f"audit-{uuid.uuid4()}"
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        staff = await _staff(http, gateway)
        me = (await http.get("/auth/me", headers=staff)).json()
        created = await http.post(
            "/members",
            json=applicant(("A", "a@x.example", "en")),
            headers={**staff, "X-Correlation-ID": correlation},
        )
        anonymous = await http.post("/members", json={}, headers={"X-Correlation-ID": correlation})
        admin = bearer(await sign_in(http, gateway.admin_login, ADMIN_PASSWORD))
        entries = await http.get(
            "/audit", params={"route": "/members", "page_size": 100}, headers=admin
        )
    assert created.status_code == 201 and anonymous.status_code == 401
    mine = [e for e in entries.json()["items"] if e["correlation_id"] == correlation]
    by_outcome = {e["outcome"]: e for e in mine}
    assert set(by_outcome) == {"success", "refused"}
    assert by_outcome["success"]["user_id"] == me["user_id"]
    assert by_outcome["success"]["role"] == "staff"
    assert by_outcome["success"]["status"] == 201
    assert by_outcome["refused"]["user_id"] is None and by_outcome["refused"]["status"] == 401


async def test_an_invitee_gets_an_email_whose_link_sets_their_password(
    gateway: Gateway, infra: Infra
) -> None:
    login = f"invitee-{uuid.uuid4().hex[:8]}@newcomer.example"
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        invited = await http.post(
            "/auth/invitations",
            json={"login": login, "role": "staff", "name": "Nino", "language": "ka"},
            headers=bearer(await sign_in(http, gateway.admin_login, ADMIN_PASSWORD)),
        )
        assert invited.status_code == 201, invited.text
        mails = await eventually(lambda: resolved(mails_to(infra.mail_dir, login)), bool)
        body = mails[0].get_body(("plain",)).get_content()
        token = re.search(r"#token=([A-Za-z0-9_-]+)", body).group(1)
        accepted = await http.post(
            "/auth/invitations/accept", json={"token": token, "password": PASSWORD}
        )
        again = await http.post(
            "/auth/invitations/accept", json={"token": token, "password": PASSWORD}
        )
        signed_in = await sign_in(http, login, PASSWORD)
    assert token == invited.json()["token"], "the emailed link carries the invitation's token"
    assert mails[0]["Content-Language"] == "ka" and "ძვირფასო Nino" in body
    assert mails[0]["List-Unsubscribe"] is None, "security mail cannot be unsubscribed from"
    assert accepted.status_code == 201 and accepted.json()["role"] == "staff"
    assert again.status_code == 404, "an invitation works once"
    assert signed_in["access_token"]


async def test_a_contact_is_invited_by_its_own_name_and_in_its_own_language(
    gateway: Gateway, infra: Infra
) -> None:
    tag = uuid.uuid4().hex[:8]
    english = f"john-{tag}@dairy.example"
    georgian = f"nino-{tag}@dairy.example"
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, ADMIN_PASSWORD))
        body = applicant(("John Smith", english, "en"), ("Nino Beridze", georgian, "ka"))
        member = (await http.post("/members", json=body, headers=staff)).json()
        await http.post(f"/members/{member['member_id']}/approve", headers=staff)
        await consumed(
            infra.kafka_bootstrap,
            f"{infra.db_prefix}-notifications",
            "cmo.members",
            member["member_id"],
            "member.joined",
        )
        john, nino = member["contacts"]
        for contact, language in ((john, None), (nino, "en")):
            invitation = {
                "login": contact["email"],
                "role": "member",
                "member_id": member["member_id"],
                "contact_id": contact["contact_id"],
            }
            if language is not None:
                invitation["language"] = language
            invited = await http.post("/auth/invitations", json=invitation, headers=staff)
            assert invited.status_code == 201, invited.text

        def invitations(address: str) -> list:  # their welcome emails came before
            found = mails_to(infra.mail_dir, address)
            return [m for m in found if "#token=" in m.get_body(("plain",)).get_content()]

        to_john = await eventually(lambda: resolved(invitations(english)), bool)
        to_nino = await eventually(lambda: resolved(invitations(georgian)), bool)

    john_body = to_john[0].get_body(("plain",)).get_content()
    nino_body = to_nino[0].get_body(("plain",)).get_content()
    assert to_john[0]["Content-Language"] == "en" and "Dear John Smith," in john_body
    assert to_nino[0]["Content-Language"] == "en", "the language the inviter chose wins"
    assert "Dear Nino Beridze," in nino_body


async def test_a_disabled_account_and_a_revoked_key_stop_working_at_once(
    gateway: Gateway,
) -> None:
    login = f"leaver-{uuid.uuid4().hex[:8]}@cmo.example"
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        admin = bearer(await sign_in(http, gateway.admin_login, ADMIN_PASSWORD))
        leaver = bearer(await invited_user(http, admin, login, PASSWORD, role="staff"))
        user_id = (await http.get("/auth/me", headers=leaver)).json()["user_id"]
        key = (await http.post("/integrations", json={"name": "crm"}, headers=admin)).json()
        integration = {"X-API-Key": key["api_key"]}
        assert (await http.get("/members", headers=integration)).status_code == 200

        disabled = await http.post(f"/users/{user_id}/disable", headers=admin)
        revoked = await http.delete(f"/integrations/{key['integration_id']}", headers=admin)
        after = await http.get("/auth/me", headers=leaver)
        form = {"grant_type": "password", "username": login, "password": PASSWORD}
        again = await http.post("/auth/token", data=form)
        with_key = await http.get("/members", headers=integration)
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    assert revoked.status_code == 204
    assert after.status_code == 401, "the disabled account's session ended"
    assert again.status_code == 401, "and it cannot sign in again"
    assert with_key.status_code == 401, "a revoked key is refused"
