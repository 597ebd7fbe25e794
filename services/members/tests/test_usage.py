from datetime import UTC, datetime

from cmo_contracts import REGISTRY
from cmo_members.catalogue.domain import DEFINITIONS
from cmo_members.usage.domain import RULES, use_of


def test_every_rule_names_a_registered_event_its_fields_and_a_catalogue_entry() -> None:
    slugs = {d.slug for d in DEFINITIONS.values()}
    for event_type, rule in RULES.items():
        fields = REGISTRY[event_type].payload.model_fields
        assert rule.slug in slugs, event_type
        assert {rule.member_field, *rule.key_fields} <= fields.keys(), event_type


def test_a_use_is_identified_by_service_member_and_natural_key() -> None:
    at = datetime(2026, 12, 31, 21, 30, tzinfo=UTC)  # already 2027 in Tbilisi (UTC+4)
    payload = {"member_id": "m1", "assessment_id": "a1", "period": "2026", "question_id": "q"}
    use = use_of("need.identified", payload, at)
    assert use is not None
    assert (use.use_id, use.slug, use.member_id, use.year) == (
        "needs-assessments:m1:a1:2026",
        "needs-assessments",
        "m1",
        2027,
    )
    other_question = use_of("need.identified", {**payload, "question_id": "q2"}, at)
    assert other_question is not None and other_question.use_id == use.use_id


def test_interest_counts_for_the_interested_member() -> None:
    payload = {"post_id": "p", "member_id": "author", "interested_member_id": "m2"}
    use = use_of("collaboration.interest_expressed", payload, datetime.now(UTC))
    assert use is not None and use.member_id == "m2" and use.slug == "collaboration"


def test_events_that_are_not_uses_are_ignored() -> None:
    assert use_of("fee.paid", {"member_id": "m"}, datetime.now(UTC)) is None
