from datetime import UTC, datetime
from decimal import Decimal

from cmo_contracts import REGISTRY
from cmo_members.catalogue.domain import DEFINITIONS
from cmo_members.usage.domain import RULES, tally, totals, use_of


def test_every_rule_names_a_registered_event_its_fields_and_a_catalogue_entry() -> None:
    slugs = {d.slug for d in DEFINITIONS.values()}
    for event_type, rule in RULES.items():
        fields = REGISTRY[event_type].payload.model_fields
        assert rule.slug in slugs or rule.slug_field in fields, event_type
        named = {rule.member_field, *rule.key_fields, rule.slug_field, rule.value_field}
        assert named - {None} <= fields.keys(), event_type


def test_every_support_service_type_names_a_catalogue_entry() -> None:
    from cmo_procurement.support.domain import CATALOGUE_SLUG

    slugs = {d.slug: d.served_by for d in DEFINITIONS.values()}
    assert {slugs[s] for s in CATALOGUE_SLUG.values()} == {"procurement"}


def test_savings_are_summed_per_member_and_for_the_whole_cmo() -> None:
    at = datetime(2026, 6, 1, tzinfo=UTC)
    uses = [
        use_of(
            "savings.realized", {"member_id": m, "tender_id": "t", "lot_id": lot, "savings": v}, at
        )
        for m, lot, v in (("a", "L1", "100.50"), ("a", "L2", "20.25"), ("b", "L1", "0.10"))
    ]
    rows = tally([u for u in uses if u is not None])
    assert [(r.member_id, r.uses, r.value) for r in rows] == [
        ("a", 2, Decimal("120.75")),
        ("b", 1, Decimal("0.10")),
    ]
    (total,) = totals(rows)
    assert (total.slug, total.members, total.uses, total.value) == (
        "joint-procurement",
        2,
        3,
        Decimal("120.85"),
    )


def test_a_support_request_counts_for_the_entry_it_names() -> None:
    payload = {"member_id": "m", "request_id": "r1", "catalogue_slug": "audit-access"}
    use = use_of("support_request.created", payload, datetime.now(UTC))
    assert use is not None and (use.slug, use.use_id) == ("audit-access", "audit-access:m:r1")


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
