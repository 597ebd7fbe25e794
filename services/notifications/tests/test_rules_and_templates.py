import logging
from datetime import UTC, datetime, timedelta

import pytest
from cmo_notifications.deliveries.domain import next_attempt_at
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


MATCH = {
    "title": {"ka": "კრედიტი <მცირე> საწარმოებს", "en": "Credit line for <small> firms"},
    "funder": "EBRD",
    "programme": "DCFTA",
    "instrument": "technical_assistance",
    "amount_min": None,
    "amount_max": "500000.00",
    "currency": "EUR",
    "closes_on": "2026-12-31",
    "reasons": ["sector 10.51 is within 10", "45 employees (within 0-250)"],
    "days_left": 7,
}


@pytest.mark.parametrize(
    ("language", "title", "deadline"),
    [("ka", "კრედიტი <მცირე> საწარმოებს", "ბოლო ვადა"), ("en", "Credit line", "Deadline")],
)
def test_a_funding_match_shows_the_call_in_the_recipients_language(
    language: str, title: str, deadline: str
) -> None:
    context = {"name": "Nino", "company": "Agro", "language": language, "event": MATCH}
    message = render("funding_match", language, context)
    assert title in message.subject and title in message.text
    assert f"{deadline}: 2026-12-31" in message.text
    assert "500000.00 EUR" in message.text
    assert "- sector 10.51 is within 10" in message.text
    assert "<li>45 employees (within 0-250)</li>" in message.html
    assert "&lt;" in message.html
    assert "<მცირე>" not in message.html and "<small>" not in message.html


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_deadline_reminder_counts_the_days_left(language: str) -> None:
    context = {"name": "Nino", "company": "Agro", "language": language, "event": MATCH}
    message = render("funding_deadline", language, context)
    assert message.subject.startswith(("7 days left", "დარჩა 7 დღე"))
    assert "2026-12-31" in message.text


def test_every_rule_has_its_template_in_georgian_and_english() -> None:
    from pathlib import Path

    from cmo_notifications.fanout.domain import RULES

    root = Path(render.__globals__["__file__"]).parent / "templates"
    for rules in RULES.values():
        for rule in rules:
            for language in ("ka", "en"):
                for part in ("subject", "txt", "html"):
                    assert (root / language / f"{rule.template}.{part}.j2").is_file(), (
                        rule.template,
                        language,
                        part,
                    )


def test_every_rule_names_a_registered_event_with_its_member_fields() -> None:
    from cmo_contracts import REGISTRY
    from cmo_notifications.fanout.domain import RULES, Audience

    for event_type, rules in RULES.items():
        fields = REGISTRY[event_type].payload.model_fields
        for rule in rules:
            if rule.audience is Audience.MEMBER_CONTACTS:
                assert set(rule.member_fields) <= fields.keys(), event_type


STAGE_CHANGED = {
    "initiative_id": "i1",
    "registration_number": "07-3/12",
    "title": {"ka": "რძის კანონი", "en": "Dairy law"},
    "link": "https://matsne.gov.ge/draft/1",
    "sectors": ["10.5"],
    "from_stage": "registered",
    "to_stage": "reading_1",
    "on": "2026-12-01",
    "next_deadline": "2026-12-20",
    "note": None,
}


@pytest.mark.parametrize(("language", "stage"), [("ka", "I მოსმენა"), ("en", "reading 1")])
def test_a_stage_change_names_the_stage_and_deadline_in_the_recipients_language(
    language: str, stage: str
) -> None:
    context = {"name": "Nino", "company": "Agro", "language": language, "event": STAGE_CHANGED}
    message = render("legislation_stage", language, context)
    assert stage in message.subject and stage in message.text
    assert "07-3/12" in message.subject
    assert "2026-12-20" in message.text and "matsne.gov.ge" in message.html


@pytest.mark.parametrize(
    ("template", "event", "expected"),
    [
        (
            "consultation_opened",
            {
                "consultation_id": "c1",
                "title": {"ka": "პოზიცია", "en": "Position"},
                "closes_at": "2026-12-10T12:00:00Z",
                "secret": True,
            },
            "2026-12-10T12:00:00Z",
        ),
        (
            "position_adopted",
            {
                "title": {"ka": "პოზიცია", "en": "Position"},
                "text": {"ka": "გარდამავალი პერიოდი", "en": "A transition period"},
            },
            {"ka": "გარდამავალი პერიოდი", "en": "A transition period"},
        ),
        (
            "bulletin",
            {
                "period": "2026-Q4",
                "title": {"ka": "ბიულეტენი", "en": "Bulletin"},
                "entries": 12,
                "moved": 3,
                "url": "https://cmo.example/bulletins/b1",
            },
            "https://cmo.example/bulletins/b1",
        ),
    ],
)
@pytest.mark.parametrize("language", ["ka", "en"])
def test_advocacy_messages_render_in_both_languages(
    template: str, event: dict, expected: str | dict, language: str
) -> None:
    context = {"name": "Nino", "company": "Agro", "language": language, "event": event}
    message = render(template, language, context)
    wanted = expected[language] if isinstance(expected, dict) else expected
    assert wanted in message.text and wanted in message.html
    assert event["title"][language] in message.subject
