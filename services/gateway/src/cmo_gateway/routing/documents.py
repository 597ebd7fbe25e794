"""The gateway's API document (its own routes and every routed service's) and its viewer."""

import asyncio
import time
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from ..settings import UPSTREAMS, GatewaySettings
from .openapi import document
from .proxy import Upstreams

OPENAPI_CACHE_S = 60.0

DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")
"""Swagger UI's pages: they load its script and styles, so they go without the API's CSP."""


def serve_documents(app: FastAPI, upstreams: Upstreams) -> None:
    """`/openapi.json` (the gateway's routes and every routed one) and `/docs`."""
    cache: dict[str, Any] = {"at": 0.0, "document": None}
    replaced = ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", "") not in replaced]

    async def merged() -> dict[str, Any]:
        if cache["document"] is None or time.monotonic() - cache["at"] > OPENAPI_CACHE_S:
            documents = await asyncio.gather(
                *(upstreams.get_json(s, "/openapi.json", {}) for s in UPSTREAMS),
                return_exceptions=True,
            )
            services = {
                s: d for s, d in zip(UPSTREAMS, documents, strict=True) if isinstance(d, dict)
            }
            merged_document = document(
                app.openapi(),
                services,
                max_page_size=app.state.services[GatewaySettings].max_page_size,
            )
            cache.update(at=time.monotonic(), document=merged_document)
        return cache["document"]

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(await merged())

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="CMO platform API")
