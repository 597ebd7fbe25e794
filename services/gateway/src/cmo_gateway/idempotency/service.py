"""Running a POST once per `Idempotency-Key`, and answering repeats from the stored answer."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request, Response

from ..accounts.domain import Principal
from .domain import RETENTION, StoredAnswer, checked_key, fingerprint, record_id
from .repository import IdempotencyKeys

REPLAYED = "Idempotent-Replayed"


@dataclass
class IdempotentCommands:
    """Runs a command once per caller and key."""

    keys: IdempotencyKeys

    async def run(
        self,
        request: Request,
        principal: Principal | None,
        key: str,
        command: Callable[[], Awaitable[Response]],
    ) -> Response:
        """The command's answer: run now, or the first run's answer given again."""
        scope = principal.user_id if principal is not None else "anonymous"
        where = record_id(scope, checked_key(key))
        body = await request.body()
        query = request.url.query
        this = fingerprint(request.method, request.url.path, query, body)
        now = datetime.now(UTC)
        while not await self.keys.claim(where, this, now):
            record = await self.keys.get(where)
            if record is None:
                continue  # released meanwhile: claim it again
            if record.expired(now):
                await self.keys.release(where)
                continue
            stored = record.replay(this)
            headers = {REPLAYED: "true"}
            return Response(
                stored.body, stored.status, headers=headers, media_type=stored.content_type
            )
        try:
            response = await command()
        except BaseException:
            await asyncio.shield(self.keys.release(where))
            raise
        if response.status_code >= 500:
            await self.keys.release(where)
        else:
            answer = StoredAnswer(
                response.status_code, bytes(response.body), response.headers.get("content-type")
            )
            await self.keys.answer(where, answer)
        return response

    async def clean_up(self) -> str:
        """Forget keys past the retention (what a TTL index would do on MongoDB)."""
        forgotten = await self.keys.forget_before(datetime.now(UTC) - RETENTION)
        return f"{forgotten} idempotency keys forgotten"
