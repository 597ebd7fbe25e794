"""The raw baseline of `bench.gateway_overhead`: a bare Starlette route doing the members
service's `find_one` on the same collection, with nothing else (no identity, no schema).

Run by the benchmark as `uvicorn --factory bench.bare_members:create_app`, with
`CMO_MONGODB_URL` and `BENCH_MEMBERS_DB` naming the database.
"""

import contextlib
import os
from collections.abc import AsyncIterator

from bson import json_util
from pymongo import AsyncMongoClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def create_app() -> Starlette:
    """One route: `GET /members/{id}` answered straight from the collection."""
    client: AsyncMongoClient = AsyncMongoClient(os.environ["CMO_MONGODB_URL"])
    members = client[os.environ["BENCH_MEMBERS_DB"]]["members"]

    async def member(request: Request) -> Response:
        found = await members.find_one({"_id": request.path_params["member_id"]})
        if found is None:
            return Response(status_code=404)
        return Response(json_util.dumps(found), media_type="application/json")

    async def ready(_: Request) -> Response:
        return Response("ok")

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await client.close()

    return Starlette(
        routes=[Route("/members/{member_id}", member), Route("/ready", ready)], lifespan=lifespan
    )
