"""Dataclasses to documents and back, by their type hints: one codec instead of one per store.

Decimals are stored as exact strings and dates as ISO strings (MongoDB and FerretDB have no
decimal type that both read alike, and no date without a time); datetimes, strings, numbers
and booleans are stored as they are; enums by value; nested dataclasses, lists and string-keyed
dicts of them recursively.
"""

import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


_AS_THEY_ARE = frozenset({str, int, float, bool, type(None), datetime})


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def to_document(value: Any) -> Any:
    """A value as a document stores it."""
    kind = type(value)
    if kind in _AS_THEY_ARE:
        return value
    if kind is Decimal:
        return str(value)
    if hasattr(kind, "__dataclass_fields__"):
        return {name: to_document(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_document(v) for v in value]
    if isinstance(value, dict):
        return {k: to_document(v) for k, v in value.items()}
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_document(kind: Any, value: Any) -> Any:
    """A value of a type from what a document stored (the inverse of `to_document`)."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return from_document(options[0], value) if len(options) == 1 else value
    if origin in (list, tuple):
        (item,) = typing.get_args(kind)[:1] or (Any,)
        items = [from_document(item, v) for v in value]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        _, item = typing.get_args(kind) or (str, Any)
        return {k: from_document(item, v) for k, v in value.items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return item_from(kind, value)
    if kind is Decimal:
        return Decimal(value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value


def item_from(cls: type[T], document: dict[str, Any]) -> T:
    """A dataclass from a document; keys it does not declare (`_id`, `version`) are left out."""
    hints = _hints(cls)
    values = {
        f.name: from_document(hints[f.name], document[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in document and f.init
    }
    return cls(**values)
