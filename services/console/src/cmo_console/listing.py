"""One way to show an API list as a page: columns, filters and paging declared per list.

A feature declares a `Listing` (the API path, its columns and filters) and `add_listing` serves
it at a console address; `listing.html` draws every one of them the same way.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .gateway import Gateway, SignedOut
from .pages import paging, render
from .session import visitor

Kind = Literal["text", "when", "day", "money", "word", "title", "count", "share", "list"]
PAGE_SIZE = 20


@dataclass(frozen=True)
class Column:
    """One column: its heading, the item's field, how it is written, and where it links."""

    label: str
    key: str
    kind: Kind = "text"
    link: str | None = None
    """An address with `{field}` placeholders filled from the item, e.g. `/members/{member_id}`."""


@dataclass(frozen=True)
class Filter:
    """A query parameter the visitor chooses from fixed values."""

    name: str
    label: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    """An API list shown as a page."""

    title: str
    path: str
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...] = ()
    own: str | None = None
    """The query parameter a member user's own company id fills (the gateway insists on it)."""
    paged: bool = True
    intro: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    staff_actions: str | None = None
    """A template of forms shown to staff above the list (e.g. the invoicing run)."""


def cell(item: dict[str, Any], key: str) -> Any:
    """A field of an item; dots go into objects and lists (`fill.members`, `sittings.0.ends_at`)."""
    value: Any = item
    for part in key.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def add_listing(router: APIRouter, address: str, listing: Listing) -> None:
    """Serve a listing at an address of the console."""

    async def page(request: Request) -> HTMLResponse:
        who = visitor(request)
        if who is None:
            raise SignedOut
        chosen = {f.name: request.query_params.get(f.name, "") for f in listing.filters}
        params = {k: v for k, v in chosen.items() if v in dict.fromkeys(_choices(listing, k))}
        params.update(listing.params)
        if listing.own and not who.staff:
            params[listing.own] = who.member_id
        number = max(int(request.query_params.get("page", "1") or 1), 1)
        if listing.paged:
            params.update(page=number, page_size=PAGE_SIZE)
        gateway: Gateway = request.app.state.gateway
        found = await gateway.get(request, listing.path, **params)
        items = found["items"] if listing.paged else found
        pages = paging(found["page"], PAGE_SIZE, found["total"]) if listing.paged else None
        query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
        return render(
            request,
            "listing.html",
            listing=listing,
            items=items,
            pages=pages,
            chosen=chosen,
            base=f"{address}?{query}&" if query else f"{address}?",
            cell=cell,
        )

    router.add_api_route(address, page, methods=["GET"], response_class=HTMLResponse)


def _choices(listing: Listing, name: str) -> tuple[str, ...]:
    return next(f.choices for f in listing.filters if f.name == name)


def N_(text: str) -> str:  # the name message extraction looks for
    """Mark a text for translation where it is declared; the page translates it when shown."""
    return text
