"""Rendering a page: the template, the visitor, the language, the CSRF token, the formats."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from . import i18n
from .session import csrf_token, visitor

TEMPLATES = Path(__file__).parent / "templates"
environment = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(), trim_blocks=True
)


def language(request: Request) -> str:
    """The page's language: the visitor's choice, else the browser's."""
    return i18n.chosen(request.session.get("lang"), request.headers.get("accept-language", ""))


def render(request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
    """A page in the visitor's language."""
    lang = language(request)
    words = i18n.translations(lang)
    page = environment.get_template(template).render(
        request=request,
        who=visitor(request),
        lang=lang,
        csrf=csrf_token(request),
        _=words.gettext,
        when=lambda v: i18n.when(v, lang),
        day=lambda v: i18n.day(v, lang),
        money=lambda v, c="GEL": i18n.money(v, lang, c),
        flash=request.session.pop("flash", None),
        public_url=request.app.state.public_url,
        **context,
    )
    return HTMLResponse(page, status_code=code)


def back(request: Request, to: str, message: str | None = None) -> RedirectResponse:
    """After a form: go to a page (303, so a reload does not post again), with a notice."""
    if message:
        request.session["flash"] = message
    return RedirectResponse(to, status_code=303)


def paging(page: int, page_size: int, total: int) -> dict[str, int | None]:
    """Previous and next page numbers of a paged list, as the API pages it."""
    last = max(1, -(-total // page_size))
    return {
        "page": page,
        "pages": last,
        "total": total,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < last else None,
    }


def refused(request: Request, address: str, error: Any) -> RedirectResponse:
    """After a form the platform refused: back to the page, saying why and which field."""
    _ = words(request)
    field = f" ({error.field})" if error.field else ""
    return back(request, address, f"{_('Not done')}{field}: {error.message}")


def words(request: Request):
    """The visitor's language's `gettext`, for notices composed in code."""
    return i18n.translations(language(request)).gettext


def local_path(target: str | None, default: str = "/") -> str:
    """A path on this site to go back to (never another site's address)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
