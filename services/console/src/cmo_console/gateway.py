"""The gateway as the signed-in user calls it: bearer token, refresh on expiry, error envelope."""

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
from cmo_shared.logging import correlation_id
from cmo_shared.tracing import trace_client
from starlette.requests import Request

from .session import Visitor, sign_out, visitor


@dataclass
class ApiError(Exception):
    """The gateway refused a call: status, machine-readable code, message, field at fault."""

    status: int
    code: str
    message: str
    field: str | None = None


class SignedOut(Exception):
    """The session ended (expired, revoked, or never started): sign in again."""


def _error(response: httpx.Response) -> ApiError:
    try:
        body = response.json()["error"]
        return ApiError(response.status_code, body["code"], body["message"], body.get("field"))
    except (ValueError, KeyError, TypeError):
        return ApiError(response.status_code, "unavailable", response.text[:200] or "no answer")


class Gateway:
    """One HTTP client to the gateway, shared by every request of the console."""

    def __init__(self, base_url: str) -> None:
        self._http = trace_client(httpx.AsyncClient(base_url=base_url, timeout=60))

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def healthy(self) -> bool:
        """Whether the gateway answers its health probe."""
        try:
            answer = await self._http.get("/health", timeout=3)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200

    async def sign_in(self, login: str, password: str, client_ip: str) -> dict[str, Any]:
        """Tokens for a login and password (`ApiError` when refused)."""
        answer = await self._http.post(
            "/auth/token",
            data={"grant_type": "password", "username": login, "password": password},
            headers={"X-Forwarded-For": client_ip},
        )
        if answer.status_code != 200:
            raise _error(answer)
        return answer.json()

    async def _refresh(self, request: Request, who: Visitor) -> Visitor:
        answer = await self._http.post(
            "/auth/token", data={"grant_type": "refresh_token", "refresh_token": who.refresh}
        )
        if answer.status_code != 200:
            sign_out(request)
            raise SignedOut
        tokens = answer.json()
        request.session.update(access=tokens["access_token"], refresh=tokens["refresh_token"])
        return visitor(request)  # type: ignore[return-value]

    async def call(
        self,
        request: Request,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Call the gateway as the signed-in user; the answer's JSON, or `ApiError`."""
        who = visitor(request)
        if who is None:
            raise SignedOut
        query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        for attempt in range(2):
            headers = {
                "Authorization": f"Bearer {who.access}",
                "X-Correlation-ID": correlation_id.get() or "",
            }
            answer = await self._http.request(
                method, path, params=query, json=json, headers=headers
            )
            if answer.status_code == 401 and attempt == 0:
                who = await self._refresh(request, who)
                continue
            if answer.status_code == 401:
                sign_out(request)
                raise SignedOut
            if answer.status_code >= 400:
                raise _error(answer)
            return answer.json() if answer.content else None
        raise SignedOut

    async def get(self, request: Request, path: str, **params: Any) -> Any:
        """GET as the signed-in user."""
        return await self.call(request, "GET", path, params=params)

    async def legal_names(self, request: Request, member_ids: list[str]) -> dict[str, str]:
        """Companies' names by id; one the members service no longer shows keeps its id."""
        unique = list(dict.fromkeys(member_ids))
        found = await asyncio.gather(
            *(self.get(request, f"/members/{i}") for i in unique), return_exceptions=True
        )
        return {
            i: c["legal_name"] if isinstance(c, dict) else i
            for i, c in zip(unique, found, strict=True)
        }

    async def post(self, request: Request, path: str, json: Any = None, **params: Any) -> Any:
        """POST as the signed-in user."""
        return await self.call(request, "POST", path, params=params, json=json)
