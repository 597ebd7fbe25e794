import logging
from datetime import UTC, datetime, timedelta

import pytest
from cmo_notifications.domain import next_attempt_at
from cmo_notifications.templates import render


def test_retries_follow_the_schedule_with_jitter_until_it_is_spent() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    schedule = [0, 5, 300]
    second = next_attempt_at(schedule, 1, now)
    assert second is not None
    assert timedelta(seconds=4.5) <= second - now <= timedelta(seconds=5.5)
    assert next_attempt_at(schedule, 3, now) is None


def test_retry_after_is_honoured_when_longer_than_the_schedule() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert next_attempt_at([0, 5], 1, now, retry_after_s=60) == now + timedelta(seconds=60)


@pytest.mark.parametrize(("language", "greeting"), [("ka", "ძვირფასო"), ("en", "Dear")])
def test_welcome_is_rendered_in_the_recipients_language(language: str, greeting: str) -> None:
    message = render("welcome", language, {"name": "Nino", "company": "Agro", "event": {}})
    assert message.language == language
    assert message.text.startswith(f"{greeting} Nino")
    assert "Agro" in message.subject


def test_html_escapes_user_values_and_text_keeps_them() -> None:
    message = render("welcome", "en", {"name": "<script>", "company": "A & B", "event": {}})
    assert "&lt;script&gt;" in message.html and "<script>" not in message.html
    assert "A &amp; B" in message.html
    assert "A & B" in message.text


def test_missing_translation_falls_back_to_english_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        message = render("welcome", "de", {"name": "N", "company": "C", "event": {}})
    assert message.language == "en"
    assert "no de translation of template welcome" in caplog.text
