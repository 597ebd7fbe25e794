"""Domain errors get their HTTP status from their kind, in one table."""

import importlib

import pytest
from cmo_shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, TooManyRequests
from cmo_shared.http import status_of


class Settled(Conflict):
    code = "settled"


class TooMuch(Invalid):
    code = "too_much"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Settled("paid already"), 409),
        (TooMuch("over the limit"), 422),
        (NotFound("nothing here"), 404),
        (Forbidden("not yours"), 403),
        (TooManyRequests("wait"), 429),
        (DomainError("no rule accepts it"), 400),
    ],
)
def test_an_error_answers_the_status_of_its_kind(error: DomainError, status: int) -> None:
    assert status_of(error) == status


def test_no_error_class_names_a_status_of_its_own() -> None:
    for service in ("members", "funding", "notifications", "gateway"):
        importlib.import_module(f"cmo_{service}.app")

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    named = [c.__qualname__ for c in subclasses(DomainError) if "status" in vars(c)]
    assert named == []
