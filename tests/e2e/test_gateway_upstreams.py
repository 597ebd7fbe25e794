"""Staff see which services the gateway reaches, at the URLs it was given."""

import httpx
from cmo_cli.infra.process import free_port

from tests.conftest import Gateway, Infra, gateway_env, start_service, stop_services
from tests.helpers import bearer, sign_in


async def test_the_gateway_shows_each_service_it_reaches_and_one_it_cannot(
    infra: Infra, stack: dict[str, str], gateway: Gateway, tmp_path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    second = start_service("gateway", infra, tmp_path, **gateway_env(stack, CMO_FUNDING_URL=dead))
    try:
        async with httpx.AsyncClient(base_url=second.url, timeout=30) as http:
            admin = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
            anonymous = await http.get("/upstreams")
            answer = await http.get("/upstreams", headers=admin)
    finally:
        stop_services([second])
    assert anonymous.status_code == 401
    assert answer.status_code == 200, answer.text
    seen = {u["service"]: (u["url"], u["ready"]) for u in answer.json()}
    expected = {name: (url, True) for name, url in stack.items() if name in seen}
    assert seen == {**expected, "funding": (dead, False)}
    assert set(seen) >= {"members", "procurement", "notifications", "funding"}
