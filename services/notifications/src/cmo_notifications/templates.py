"""Jinja2 message templates in Georgian and English, falling back to English."""

import logging
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound, select_autoescape

log = logging.getLogger(__name__)
FALLBACK_LANGUAGE = "en"

_environment = Environment(
    loader=PackageLoader("cmo_notifications", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # packaged templates do not change while the service runs
)


@dataclass(frozen=True)
class RenderedMessage:
    """A message ready to send: subject, plain text and HTML, in one language."""

    language: str
    subject: str
    text: str
    html: str


def render(template: str, language: str, context: dict[str, Any]) -> RenderedMessage:
    """Render a template in the recipient's language, or in English if it has no translation."""
    try:
        return _render(template, language, context)
    except TemplateNotFound:
        log.warning("no %s translation of template %s; using English", language, template)
        return _render(template, FALLBACK_LANGUAGE, context)


def _render(template: str, language: str, context: dict[str, Any]) -> RenderedMessage:
    def part(kind: str) -> str:
        return _environment.get_template(f"{language}/{template}.{kind}.j2").render(context)

    return RenderedMessage(language, part("subject").strip(), part("txt"), part("html"))
