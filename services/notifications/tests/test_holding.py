from datetime import UTC, datetime

from cmo_notifications.deliveries.domain import DeliveryStatus, retry_class
from cmo_notifications.fanout.domain import Priority, digest_day, email_hold, quiet_until, wants

# 23:30 in Tbilisi (UTC+4) on 28 November.
LATE = datetime(2026, 11, 28, 19, 30, tzinfo=UTC)
NIGHT = {"quiet_hours": {"start_hour": 22, "end_hour": 8}}


def test_quiet_hours_spanning_midnight_hold_until_their_end_in_local_time() -> None:
    assert quiet_until(LATE, NIGHT) == datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
    morning = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # 09:00 in Tbilisi
    assert quiet_until(morning, NIGHT) is None
    assert quiet_until(LATE, {**NIGHT, "timezone": "UTC"}) is None
    assert quiet_until(LATE, None) is None


def test_urgent_email_ignores_quiet_hours_and_low_priority_goes_to_the_digest() -> None:
    assert email_hold(Priority.URGENT, NIGHT, LATE) == (DeliveryStatus.PENDING, LATE)
    assert email_hold(Priority.NORMAL, NIGHT, LATE)[1] == datetime(2026, 11, 29, 4, tzinfo=UTC)
    assert email_hold(Priority.LOW, {**NIGHT, "digest": True}, LATE) == (
        DeliveryStatus.DIGEST,
        None,
    )
    assert email_hold(Priority.NORMAL, {"digest": True}, LATE) == (DeliveryStatus.PENDING, LATE)


def test_the_digest_is_due_from_its_local_hour_on() -> None:
    assert digest_day(LATE, {"digest_hour": 23}) == "2026-11-28"
    assert digest_day(LATE, None) == "2026-11-28", "18:00 by default"
    early = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # 14:00 in Tbilisi
    assert digest_day(early, None) is None


def test_mandatory_topics_cannot_be_opted_out_of() -> None:
    choices = {"channels": {"fees": {"email": False}, "news": {"email": False}}}
    assert wants(choices, "fees", "email")
    assert not wants(choices, "news", "email")
    assert wants(choices, "news", "inbox")


def test_webhook_answers_are_classified_like_svix() -> None:
    assert [retry_class(s) for s in (200, 204, 408, 429, 500, 503, 410, 400, 404)] == [
        "ok",
        "ok",
        "retry",
        "retry",
        "retry",
        "retry",
        "gone",
        "permanent",
        "permanent",
    ]
