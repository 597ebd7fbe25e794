"""Which events count as a member's use of which common service: pure rules.

Each rule names the catalogue entry (by slug), the payload field naming the member who used
it, and the payload fields that identify one use, so that an event published again (or a
corrected answer to the same assessment) is still one use.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cmo_shared.schedule import TBILISI


@dataclass(frozen=True)
class UsageRule:
    """How one event type counts as a use of a common service."""

    slug: str
    member_field: str
    key_fields: tuple[str, ...]


@dataclass(frozen=True)
class Use:
    """One member's use of one common service."""

    use_id: str
    member_id: str
    slug: str
    year: int
    event_type: str
    used_at: datetime


RULES: dict[str, UsageRule] = {
    "collaboration.posted": UsageRule("collaboration", "member_id", ("post_id",)),
    "collaboration.interest_expressed": UsageRule(
        "collaboration", "interested_member_id", ("post_id",)
    ),
    "expert.requested": UsageRule("expert-directory", "member_id", ("request_id",)),
    "need.identified": UsageRule("needs-assessments", "member_id", ("assessment_id", "period")),
    "kpi.submitted": UsageRule("industry-reports", "member_id", ("quarter",)),
}


def use_of(event_type: str, payload: dict[str, Any], occurred_at: datetime) -> Use | None:
    """The use an event records, or None if the event is not a use of a common service."""
    rule = RULES.get(event_type)
    if rule is None:
        return None
    member_id = str(payload[rule.member_field])
    key = ":".join(str(payload[f]) for f in rule.key_fields)
    return Use(
        use_id=f"{rule.slug}:{member_id}:{key}",
        member_id=member_id,
        slug=rule.slug,
        year=occurred_at.astimezone(TBILISI).year,
        event_type=event_type,
        used_at=occurred_at,
    )


@dataclass(frozen=True)
class Tally:
    """How often a member used a common service, and when last."""

    member_id: str
    slug: str
    uses: int
    last_used_at: datetime


def tally(uses: list[Use]) -> list[Tally]:
    """Uses counted per member and service, ordered by member, then service."""
    rows: dict[tuple[str, str], Tally] = {}
    for use in uses:
        key = (use.member_id, use.slug)
        seen = rows.get(key)
        rows[key] = Tally(
            use.member_id,
            use.slug,
            (seen.uses if seen else 0) + 1,
            max(seen.last_used_at, use.used_at) if seen else use.used_at,
        )
    return [rows[key] for key in sorted(rows)]
