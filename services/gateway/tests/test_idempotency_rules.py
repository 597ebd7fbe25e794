"""Idempotency keys: which keys are usable, what makes two requests the same, and the replay."""

from datetime import UTC, datetime, timedelta

import pytest
from cmo_gateway.idempotency.domain import (
    InvalidIdempotencyKey,
    KeyInFlight,
    KeyRecord,
    KeyReused,
    StoredAnswer,
    checked_key,
    fingerprint,
    record_id,
)

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def test_a_key_is_one_to_255_printable_ascii_characters() -> None:
    assert checked_key("6f1c2a4e-8d0b-4c55") == "6f1c2a4e-8d0b-4c55"
    for bad in ("", "x" * 256, "ключ", "tab\there"):
        with pytest.raises(InvalidIdempotencyKey):
            checked_key(bad)


def test_the_same_key_of_two_callers_is_two_keys() -> None:
    assert record_id("user-1", "k") != record_id("user-2", "k")
    assert record_id("user-1", "k") == record_id("user-1", "k")


def test_a_request_is_the_same_only_with_the_same_method_path_query_and_body() -> None:
    first = fingerprint("POST", "/members", "", b'{"a": 1}')
    assert first == fingerprint("POST", "/members", "", b'{"a": 1}')
    assert first != fingerprint("POST", "/members", "", b'{"a": 2}')
    assert first != fingerprint("POST", "/calls", "", b'{"a": 1}')
    assert first != fingerprint("POST", "/members", "x=1", b'{"a": 1}')


def test_the_stored_answer_is_given_for_the_same_request_only_once_it_is_there() -> None:
    answer = StoredAnswer(201, b"{}", "application/json")
    done = KeyRecord("same", NOW, answer)
    assert done.replay("same") == answer
    with pytest.raises(KeyReused):
        done.replay("other")
    with pytest.raises(KeyInFlight) as running:
        KeyRecord("same", NOW, None).replay("same")
    assert running.value.headers == {"Retry-After": "1"}


def test_a_key_is_kept_24_hours() -> None:
    record = KeyRecord("same", NOW, None)
    assert not record.expired(NOW + timedelta(hours=23, minutes=59))
    assert record.expired(NOW + timedelta(hours=24, seconds=1))
