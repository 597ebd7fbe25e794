"""A 405 lists in `Allow` the methods of the path the URL names, as routing picks it."""

import httpx
from cmo_shared.http import install_http_conventions
from fastapi import APIRouter, FastAPI


def _app() -> FastAPI:
    app = FastAPI()
    install_http_conventions(app)

    hooks = APIRouter()

    @hooks.get("/event-types")
    def event_types() -> list[str]:
        return []

    @hooks.patch("/{hook_id}")
    def change(hook_id: str) -> str:
        return hook_id

    @hooks.delete("/{hook_id}")
    def remove(hook_id: str) -> str:
        return hook_id

    app.include_router(hooks, prefix="/hooks")
    return app


async def _ask(path: str, method: str = "OPTIONS") -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.request(method, path)


async def test_a_fixed_path_is_not_credited_with_the_methods_of_a_templated_one() -> None:
    answer = await _ask("/hooks/event-types")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"


async def test_a_templated_path_lists_its_own_methods() -> None:
    answer = await _ask("/hooks/h-1", "TRACE")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "PATCH, DELETE"


async def test_a_path_no_route_serves_is_not_found() -> None:
    assert (await _ask("/elsewhere", "TRACE")).status_code == 404
