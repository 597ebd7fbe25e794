"""A delivery's current state is its record overlaid with its latest log entry."""

from datetime import UTC, datetime, timedelta

from cmo_notifications.deliveries.domain import current_state

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
RECORD = {"_id": "d1", "status": "pending", "attempts": 0, "last_error": None}


def test_a_record_without_log_entries_is_in_its_initial_state() -> None:
    assert current_state(RECORD, []) == RECORD


def test_the_latest_entry_wins_whatever_order_the_log_is_read_in() -> None:
    retrying = {"at": T0, "status": "retrying", "attempts": 1, "last_error": "451"}
    sent = {"at": T0 + timedelta(seconds=5), "status": "sent", "attempts": 2, "last_error": None}
    state = current_state(RECORD, [sent, retrying])
    assert (state["status"], state["attempts"], state["last_error"]) == ("sent", 2, None)
    assert state["updated_at"] == sent["at"]


def test_log_bookkeeping_does_not_leak_into_the_state() -> None:
    entry = {"_id": "e1", "delivery_id": "d1", "at": T0, "status": "dead", "attempts": 1}
    state = current_state(RECORD, [entry])
    assert state["_id"] == "d1" and "delivery_id" not in state
