"""Which events count as a member's use of which common service: pure rules.

Each rule names the catalogue entry (by slug, or the payload field naming it), the payload
field naming the member who used it, and the payload fields that identify one use, so that an
event published again (or a corrected answer to the same assessment) is still one use. A use
may carry a value (GEL saved in a joint purchase), which the report sums.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from cmo_shared.schedule import TBILISI


@dataclass(frozen=True)
class UsageRule:
    """How one event type counts as a use of a common service."""

    slug: str
    member_field: str
    key_fields: tuple[str, ...]
    slug_field: str | None = None
    """A payload field naming the entry instead (one event type serving several entries)."""
    value_field: str | None = None
    """A payload field holding the use's value, an exact decimal (e.g. the GEL saved)."""


@dataclass(frozen=True)
class Use:
    """One member's use of one common service."""

    use_id: str
    member_id: str
    slug: str
    year: int
    event_type: str
    used_at: datetime
    value: str | None = None


RULES: dict[str, UsageRule] = {
    "collaboration.posted": UsageRule("collaboration", "member_id", ("post_id",)),
    "collaboration.interest_expressed": UsageRule(
        "collaboration", "interested_member_id", ("post_id",)
    ),
    "expert.requested": UsageRule("expert-directory", "member_id", ("request_id",)),
    "need.identified": UsageRule("needs-assessments", "member_id", ("assessment_id", "period")),
    "kpi.submitted": UsageRule("industry-reports", "member_id", ("quarter",)),
    "savings.realized": UsageRule(
        "joint-procurement", "member_id", ("tender_id", "lot_id"), value_field="savings"
    ),
    "support_request.created": UsageRule(
        "", "member_id", ("request_id",), slug_field="catalogue_slug"
    ),
}


def use_of(event_type: str, payload: dict[str, Any], occurred_at: datetime) -> Use | None:
    """The use an event records, or None if the event is not a use of a common service."""
    rule = RULES.get(event_type)
    if rule is None:
        return None
    member_id = str(payload[rule.member_field])
    key = ":".join(str(payload[f]) for f in rule.key_fields)
    slug = str(payload[rule.slug_field]) if rule.slug_field else rule.slug
    return Use(
        use_id=f"{slug}:{member_id}:{key}",
        member_id=member_id,
        slug=slug,
        year=occurred_at.astimezone(TBILISI).year,
        event_type=event_type,
        used_at=occurred_at,
        value=str(payload[rule.value_field]) if rule.value_field else None,
    )


@dataclass(frozen=True)
class Tally:
    """How often a member used a common service, and when last."""

    member_id: str
    slug: str
    uses: int
    last_used_at: datetime
    value: Decimal | None = None
    """The sum of the uses' values, where they have one."""


def tally(uses: list[Use]) -> list[Tally]:
    """Uses counted per member and service, ordered by member, then service."""
    rows: dict[tuple[str, str], Tally] = {}
    for use in uses:
        key = (use.member_id, use.slug)
        seen = rows.get(key)
        value = seen.value if seen else None
        if use.value is not None:
            value = (value or Decimal(0)) + Decimal(use.value)
        rows[key] = Tally(
            use.member_id,
            use.slug,
            (seen.uses if seen else 0) + 1,
            max(seen.last_used_at, use.used_at) if seen else use.used_at,
            value,
        )
    return [rows[key] for key in sorted(rows)]


@dataclass(frozen=True)
class ServiceTotal:
    """One service's use over every member."""

    slug: str
    members: int
    uses: int
    value: Decimal | None


def totals(rows: list[Tally]) -> list[ServiceTotal]:
    """Per service, the members that used it, their uses and the sum of the values, by slug."""
    by_slug: dict[str, list[Tally]] = {}
    for row in rows:
        by_slug.setdefault(row.slug, []).append(row)
    result = []
    for slug in sorted(by_slug):
        values = [r.value for r in by_slug[slug] if r.value is not None]
        result.append(
            ServiceTotal(
                slug,
                len(by_slug[slug]),
                sum(r.uses for r in by_slug[slug]),
                sum(values, Decimal(0)) if values else None,
            )
        )
    return result
