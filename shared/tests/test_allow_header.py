"""A 405 lists in `Allow` the methods of the path the URL names, as routing picks it."""

import httpx
from cmo_shared.http import install_http_conventions
from fastapi import FastAPI


def _app() -> FastAPI:
    app = FastAPI()
    install_http_conventions(app)

    @app.get("/hooks/event-types")
    def event_types() -> list[str]:
        return []

    @app.patch("/hooks/{hook_id}")
    def change(hook_id: str) -> str:
        return hook_id

    @app.delete("/hooks/{hook_id}")
    def remove(hook_id: str) -> str:
        return hook_id

    return app


async def _options(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.options(path)


async def test_a_fixed_path_is_not_credited_with_the_methods_of_a_templated_one() -> None:
    answer = await _options("/hooks/event-types")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"


async def test_a_templated_path_lists_its_own_methods() -> None:
    answer = await _options("/hooks/h-1")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "PATCH, DELETE"
