from datetime import UTC, date, datetime, timedelta

import pytest
from cmo_funding.applications.domain import (
    ApplicationStatus,
    ApplicationTransitionNotAllowed,
    next_status,
    reminder_due,
)
from cmo_funding.calls.domain import (
    CallAlreadyClosing,
    CallStateConflict,
    CallStatus,
    FundingCall,
)
from cmo_funding.matching.domain import Criteria

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


def _call(closes_on: date = TODAY + timedelta(days=30)) -> FundingCall:
    return FundingCall(
        call_id="c1",
        programme="p",
        funder="EBRD",
        funder_kind="ifi",
        title={"ka": "ს", "en": "t"},
        description={"ka": "ს", "en": "d"},
        instrument="loan",
        currency="GEL",
        opens_on=TODAY,
        closes_on=closes_on,
        criteria=Criteria(),
    )


def test_a_draft_is_edited_published_and_closed_in_that_order() -> None:
    call = _call()
    call.edit({"funder": "Gazelle Finance"})
    call.publish(today=TODAY, now=NOW)
    assert call.status is CallStatus.PUBLISHED
    with pytest.raises(CallStateConflict):
        call.edit({"funder": "x"})
    with pytest.raises(CallStateConflict):
        call.publish(today=TODAY, now=NOW)
    call.close(actor="staff", now=NOW)
    assert (call.status, call.closed_by) == (CallStatus.CLOSED, "staff")
    with pytest.raises(CallStateConflict):
        call.close(actor="staff", now=NOW)


def test_a_call_whose_date_passed_cannot_be_published() -> None:
    with pytest.raises(CallAlreadyClosing):
        _call(closes_on=TODAY - timedelta(days=1)).publish(today=TODAY, now=NOW)


def test_a_call_closes_the_day_after_its_close_date() -> None:
    call = _call(closes_on=TODAY)
    call.publish(today=TODAY, now=NOW)
    assert not call.due_to_close(TODAY)
    assert call.due_to_close(TODAY + timedelta(days=1))


def test_the_application_pipeline() -> None:
    status = ApplicationStatus.INTERESTED
    for wanted in ("preparing", "submitted", "awarded"):
        status = next_status(status, ApplicationStatus(wanted))
    assert status is ApplicationStatus.AWARDED
    with pytest.raises(ApplicationTransitionNotAllowed):
        next_status(ApplicationStatus.INTERESTED, ApplicationStatus.AWARDED)
    with pytest.raises(ApplicationTransitionNotAllowed):
        next_status(ApplicationStatus.AWARDED, ApplicationStatus.REJECTED)


def test_reminders_fall_within_the_last_week_before_submission() -> None:
    call = _call(closes_on=TODAY + timedelta(days=7))
    call.publish(today=TODAY, now=NOW)
    assert reminder_due(call, ApplicationStatus.PREPARING, TODAY)
    assert not reminder_due(call, ApplicationStatus.PREPARING, TODAY - timedelta(days=1))
    assert not reminder_due(call, ApplicationStatus.SUBMITTED, TODAY)
