"""The checked-in API documents are current, and every event field is described."""

from pathlib import Path

from cmo_cli import api_docs
from cmo_cli.stack import existing_services
from cmo_contracts import REGISTRY, Envelope
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]


def _undescribed(model: type[BaseModel], prefix: str = "") -> list[str]:
    missing = []
    for name, field in model.model_fields.items():
        if not field.description:
            missing.append(f"{prefix}{name}")
        for candidate in (field.annotation, *getattr(field.annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                missing += _undescribed(candidate, f"{prefix}{name}.")
    return missing


def test_checked_in_documents_match_a_fresh_generation() -> None:
    assert api_docs.stale(ROOT) == [], "run `cmo docs` and commit the result"


def test_every_event_field_has_a_description() -> None:
    assert _undescribed(Envelope) == []
    for event in REGISTRY.values():
        assert event.description, f"{event.name} has no docstring"
        assert _undescribed(event.payload) == [], event.name


def test_asyncapi_lists_every_registered_event_on_its_topic() -> None:
    document = api_docs.asyncapi()
    listed = {m["name"] for m in document["components"]["messages"].values()}
    assert listed == set(REGISTRY)
    addresses = {c["address"] for c in document["channels"].values()}
    assert addresses == {t.topic for t in REGISTRY.values()}


def test_every_constraint_is_stated_in_json_schema_terms() -> None:
    """`ge`/`le` leaking into a schema means pydantic could not place the constraint: the
    document would not say it, and clients (and the fuzzer) could not know it."""
    leaked = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            leaked.extend(f"{path}.{k}" for k in ("ge", "le", "gt", "lt") if k in node)
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    for service in existing_services():
        walk(api_docs.openapi(service)["components"], service)
    assert leaked == []
