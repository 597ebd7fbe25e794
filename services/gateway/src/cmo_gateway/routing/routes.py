"""The routing table: every route the gateway serves, who may call it, and how it is limited.

A route not in this table does not exist at the gateway. `tests/test_gateway_routes.py` fails
when a service has an operation that is neither routed here nor named in `NOT_ROUTED`.
"""

from dataclasses import dataclass

from ..accounts.domain import EVERYONE, STAFF_ROLES, Role
from .limits import (
    OWNERS,
    AnswerIsOwn,
    BodyIsOwn,
    DraftHidden,
    Limit,
    OthersRedacted,
    OwnEntriesOnly,
    PathIsOwn,
    QueryIsOwn,
    QueryWithin,
    TargetIsOwn,
)

PUBLIC: frozenset[Role] = frozenset()
S = STAFF_ROLES
M = frozenset({Role.MEMBER})
I = frozenset({Role.INTEGRATION})  # noqa: E741
ANY = EVERYONE
PEOPLE = S | M  # humans with a contact id: staff and member users
WEBHOOKS = S | M | I


@dataclass(frozen=True)
class Route:
    """One operation: its method and path (as the service names it), owner and callers."""

    method: str
    path: str
    service: str
    roles: frozenset[Role]
    limits: tuple[Limit, ...] = ()

    @property
    def public(self) -> bool:
        """Whether the route needs no authentication."""
        return not self.roles

    @property
    def changes_state(self) -> bool:
        """Whether a call is recorded in the audit log."""
        return self.method not in ("GET", "HEAD", "OPTIONS")


def _r(method: str, path: str, service: str, roles: frozenset[Role], *limits: Limit) -> Route:
    return Route(method, path, service, roles, tuple(limits))


OWN_MEMBER = PathIsOwn(param="member_id")
OWN_CONTACT = PathIsOwn(roles=PEOPLE, param="contact_id", scope="contact")
OWN_QUERY = QueryIsOwn(param="member_id")
OWN_BODY = BodyIsOwn(field_name="member_id")
OWN_ANSWER = AnswerIsOwn(field_name="member_id")
# The board is for every member; whom a post matched (and why) is its author's business.
OWN_NEED = TargetIsOwn(path="/needs/{need_id}")
OWN_REQUEST = TargetIsOwn(path="/support-requests/{request_id}")
OWN_REGISTRATION = TargetIsOwn(path="/registrations/{registration_id}")
OWN_APPLICATION = OwnEntriesOnly(roles=OWNERS, field_name="applications")
MATCHES_PRIVATE = OthersRedacted(roles=OWNERS, field_name="matches", owner_field="member_id")

ROUTES: tuple[Route, ...] = (
    # gateway: sessions, users, integrations, audit
    _r("POST", "/auth/token", "gateway", PUBLIC),
    _r("POST", "/auth/logout", "gateway", ANY),
    _r("GET", "/auth/me", "gateway", ANY),
    _r("POST", "/auth/invitations", "gateway", S),
    _r("POST", "/auth/invitations/accept", "gateway", PUBLIC),
    _r("GET", "/users", "gateway", frozenset({Role.ADMIN})),
    _r("POST", "/users/{user_id}/disable", "gateway", frozenset({Role.ADMIN})),
    _r("POST", "/integrations", "gateway", frozenset({Role.ADMIN})),
    _r("GET", "/integrations", "gateway", frozenset({Role.ADMIN})),
    _r("DELETE", "/integrations/{integration_id}", "gateway", frozenset({Role.ADMIN})),
    _r("GET", "/audit", "gateway", frozenset({Role.ADMIN})),
    _r("GET", "/upstreams", "gateway", S),
    # members: companies and their lifecycle
    _r("POST", "/members", "members", S),
    _r("GET", "/members", "members", S | I),
    _r("GET", "/members/{member_id}", "members", S | M | I, OWN_MEMBER),
    _r("PATCH", "/members/{member_id}", "members", S | M, OWN_MEMBER),
    _r("POST", "/members/{member_id}/{command}", "members", S),
    # members: fees
    _r("PUT", "/fees/schedules/{year}", "members", S),
    _r("GET", "/fees/schedules/{year}", "members", S | M),
    _r("POST", "/fees/invoicing/run", "members", S),
    _r("GET", "/fees/invoices", "members", S | M, OWN_QUERY),
    _r("GET", "/fees/invoices/{invoice_id}", "members", S | M, OWN_ANSWER),
    _r("POST", "/fees/invoices/{invoice_id}/payments", "members", S),
    _r("POST", "/fees/overdue/run", "members", S),
    # members: visibility and the catalogue of common services
    _r("GET", "/directory.json", "members", PUBLIC),
    _r("GET", "/directory.csv", "members", PUBLIC),
    _r("GET", "/catalogue/{year}", "members", ANY),
    _r("GET", "/catalogue/{year}/usage", "members", S | M, OWN_QUERY),
    _r("GET", "/catalogue/{year}/services/{slug}", "members", ANY),
    _r("PATCH", "/catalogue/{year}/services/{slug}", "members", S),
    _r("POST", "/catalogue/{year}", "members", S),
    # members: needs assessments and KPI surveys
    _r("POST", "/assessments", "members", S),
    _r("GET", "/assessments", "members", S | M),
    _r("GET", "/assessments/{assessment_id}", "members", S | M),
    _r("POST", "/assessments/{assessment_id}/close", "members", S),
    _r("PUT", "/assessments/{assessment_id}/answers/{member_id}", "members", S | M, OWN_MEMBER),
    _r("GET", "/assessments/{assessment_id}/answers/{member_id}", "members", S | M, OWN_MEMBER),
    _r("PUT", "/kpi/{member_id}/{quarter}", "members", S | M, OWN_MEMBER),
    _r("GET", "/kpi", "members", S | M, OWN_QUERY),
    # members: experts
    _r("POST", "/experts", "members", S),
    _r("GET", "/experts", "members", ANY),
    _r("GET", "/experts/{expert_id}", "members", ANY),
    _r("POST", "/expert-requests", "members", S | M, OWN_BODY),
    _r("POST", "/expert-requests/{request_id}/match", "members", S),
    # members: collaboration board
    _r("POST", "/collaboration/posts", "members", S | M, OWN_BODY),
    _r("GET", "/collaboration/posts", "members", ANY, MATCHES_PRIVATE),
    _r("GET", "/collaboration/posts/{post_id}", "members", ANY, MATCHES_PRIVATE),
    _r("POST", "/collaboration/posts/{post_id}/interest", "members", S | M, OWN_BODY),
    _r(
        "GET",
        "/collaboration/posts/{post_id}/interest",
        "members",
        S | M,
        TargetIsOwn(path="/collaboration/posts/{post_id}"),
    ),
    _r(
        "POST",
        "/collaboration/posts/{post_id}/close",
        "members",
        S | M,
        TargetIsOwn(path="/collaboration/posts/{post_id}"),
    ),
    # advocacy: topics from screening and their strategies
    _r("POST", "/topics", "advocacy", S),
    _r("GET", "/topics", "advocacy", S | M),
    _r("GET", "/topics/{topic_id}", "advocacy", S | M),
    _r("POST", "/topics/{topic_id}/prioritise", "advocacy", S),
    _r("POST", "/topics/{topic_id}/close", "advocacy", S),
    _r("POST", "/topics/{topic_id}/activities", "advocacy", S),
    _r("POST", "/topics/{topic_id}/activities/{activity_id}/status", "advocacy", S),
    # advocacy: the legislative tracker (public texts, open to every member and integration)
    _r("POST", "/initiatives", "advocacy", S),
    _r("GET", "/initiatives", "advocacy", ANY),
    _r("GET", "/initiatives/{initiative_id}", "advocacy", ANY),
    _r("POST", "/initiatives/{initiative_id}/stage", "advocacy", S),
    _r("POST", "/initiatives/{initiative_id}/versions", "advocacy", S),
    _r("GET", "/initiatives/{initiative_id}/versions/{number}", "advocacy", ANY),
    _r("GET", "/initiatives/{initiative_id}/diff", "advocacy", ANY),
    # advocacy: consultations (a member lists those it is consulted in and answers for itself;
    # who answered what is staff's, and in secret mode nobody's)
    _r("POST", "/consultations", "advocacy", S),
    _r("GET", "/consultations", "advocacy", S | M, OWN_QUERY),
    _r("GET", "/consultations/{consultation_id}", "advocacy", S | M),
    _r("POST", "/consultations/{consultation_id}/responses", "advocacy", S | M, OWN_BODY),
    _r(
        "GET",
        "/consultations/{consultation_id}/responses/{member_id}",
        "advocacy",
        S | M,
        OWN_MEMBER,
    ),
    _r("GET", "/consultations/{consultation_id}/answers", "advocacy", S),
    _r("GET", "/consultations/{consultation_id}/turnout", "advocacy", S),
    _r("POST", "/consultations/{consultation_id}/close", "advocacy", S),
    _r("POST", "/positions", "advocacy", S),
    _r("GET", "/positions", "advocacy", ANY),
    _r("GET", "/positions/{position_id}", "advocacy", ANY),
    # advocacy: engagement with government, parliament, donors and IFIs (staff's working log)
    _r("POST", "/engagements", "advocacy", S),
    _r("GET", "/engagements", "advocacy", S),
    _r("GET", "/engagements/{engagement_id}", "advocacy", S),
    # advocacy: news (drafts are staff's) and its public feeds
    _r("POST", "/news", "advocacy", S),
    _r("GET", "/news", "advocacy", S | M | I, QueryWithin(roles=OWNERS, allowed=("published",))),
    _r("GET", "/news/feed.atom", "advocacy", PUBLIC),
    _r("GET", "/news/feed.json", "advocacy", PUBLIC),
    _r("GET", "/news/{news_id}", "advocacy", S | M | I, DraftHidden(roles=OWNERS)),
    _r("POST", "/news/{news_id}/publish", "advocacy", S),
    # advocacy: trend-scouting (radar, bulletins) and project ideas members back
    _r("POST", "/radar", "advocacy", S),
    _r("GET", "/radar", "advocacy", S | M),
    _r("POST", "/radar/{entry_id}/ring", "advocacy", S),
    _r("POST", "/bulletins", "advocacy", S),
    _r("GET", "/bulletins", "advocacy", S | M),
    _r("GET", "/bulletins/{bulletin_id}", "advocacy", S | M),
    _r("POST", "/ideas", "advocacy", S),
    _r("GET", "/ideas", "advocacy", S | M),
    _r("GET", "/ideas/{idea_id}", "advocacy", S | M),
    _r("POST", "/ideas/{idea_id}/backers", "advocacy", S | M, OWN_BODY),
    _r("DELETE", "/ideas/{idea_id}/backers/{member_id}", "advocacy", S | M, OWN_MEMBER),
    _r("POST", "/ideas/{idea_id}/promote", "advocacy", S),
    _r("POST", "/ideas/{idea_id}/drop", "advocacy", S),
    # advocacy: industry reports (drafts and why cells are hidden are staff's; a member sees
    # published aggregates and its own position against them)
    _r("POST", "/reports", "advocacy", S),
    _r(
        "GET",
        "/reports",
        "advocacy",
        S | M | I,
        QueryWithin(roles=OWNERS, allowed=("published",)),
    ),
    _r(
        "GET",
        "/reports/{report_id}",
        "advocacy",
        S | M | I,
        DraftHidden(roles=OWNERS, hidden=frozenset({"draft", "reviewed"})),
    ),
    _r("GET", "/reports/{report_id}/suppressions", "advocacy", S),
    _r("POST", "/reports/{report_id}/review", "advocacy", S),
    _r("POST", "/reports/{report_id}/publish", "advocacy", S),
    _r("GET", "/reports/{report_id}/table.csv", "advocacy", ANY),
    _r("GET", "/reports/{report_id}/page", "advocacy", ANY),
    _r("GET", "/reports/{report_id}/position/{member_id}", "advocacy", S | M, OWN_MEMBER),
    # advocacy: value chain assessments (which companies sit where is staff's)
    _r("POST", "/value-chains", "advocacy", S),
    _r("GET", "/value-chains", "advocacy", S),
    _r("GET", "/value-chains/{value_chain_id}", "advocacy", S),
    _r("POST", "/value-chains/{value_chain_id}/assessments", "advocacy", S),
    _r("GET", "/value-chains/{value_chain_id}/compare", "advocacy", S),
    # training: the annual needs assessment and plan
    _r("GET", "/training-needs/{year}", "training", S),
    _r("POST", "/plans/{year}/items", "training", S),
    _r("GET", "/plans/{year}", "training", S | M),
    _r("POST", "/plans/{year}/publish", "training", S),
    # training: sessions (members see them all; who is invited first is staff's)
    _r("POST", "/sessions", "training", S),
    _r("GET", "/sessions", "training", S | M | I),
    _r("GET", "/sessions/{session_id}", "training", S | M | I),
    _r("POST", "/sessions/{session_id}/open", "training", S),
    _r("POST", "/sessions/{session_id}/reschedule", "training", S),
    _r("POST", "/sessions/{session_id}/cancel", "training", S),
    # training: registrations (a member registers its own people and sees its own)
    _r("POST", "/sessions/{session_id}/registrations", "training", S | M, OWN_BODY),
    _r("GET", "/sessions/{session_id}/registrations", "training", S | M, OWN_QUERY),
    _r("GET", "/registrations/{registration_id}", "training", S | M, OWN_ANSWER),
    _r("POST", "/registrations/{registration_id}/accept", "training", S | M, OWN_REGISTRATION),
    _r("POST", "/registrations/{registration_id}/cancel", "training", S | M, OWN_REGISTRATION),
    _r("POST", "/registration-offers/run", "training", S),
    _r("GET", "/calendar/{member_id}/link", "training", S | M, OWN_MEMBER),
    _r("GET", "/calendar/{member_id}.ics", "training", PUBLIC),  # its private token guards it
    # training: attendance and certificates (verification and the key are public)
    _r("POST", "/sessions/{session_id}/attendance", "training", S),
    _r("POST", "/sessions/{session_id}/complete", "training", S),
    _r("GET", "/certificates", "training", S | M, OWN_QUERY),
    _r("GET", "/certificates/{certificate_id}", "training", PUBLIC),
    _r("GET", "/certificates/{certificate_id}/pdf", "training", PUBLIC),
    _r("GET", "/certificates/{certificate_id}/verify", "training", PUBLIC),
    _r("POST", "/certificates/{certificate_id}/revoke", "training", S),
    _r("GET", "/.well-known/jwks.json", "training", PUBLIC),
    # training: feedback (participants answer for themselves; results are staff's)
    _r("POST", "/sessions/{session_id}/feedback", "training", S | M, OWN_BODY),
    _r("GET", "/training-feedback", "training", S),
    # training: delegations to fairs (scores and shares of others are staff's)
    _r("POST", "/delegations", "training", S),
    _r("GET", "/delegations", "training", S | M, OWN_APPLICATION),
    _r("GET", "/delegations/{delegation_id}", "training", S | M, OWN_APPLICATION),
    _r("POST", "/delegations/{delegation_id}/applications", "training", S | M, OWN_BODY),
    _r("POST", "/delegations/{delegation_id}/applications/{member_id}/score", "training", S),
    _r("POST", "/delegations/{delegation_id}/select", "training", S),
    # funding
    _r("POST", "/calls", "funding", S),
    _r("GET", "/calls", "funding", ANY, QueryWithin(roles=OWNERS)),
    _r("GET", "/calls/{call_id}", "funding", ANY, DraftHidden(roles=OWNERS)),
    _r("PUT", "/calls/{call_id}", "funding", S),
    _r("POST", "/calls/{call_id}/publish", "funding", S),
    _r("POST", "/calls/{call_id}/close", "funding", S),
    _r("GET", "/calls/{call_id}/matches", "funding", S),
    _r("GET", "/calls/{call_id}/summary", "funding", S),
    _r("POST", "/calls/{call_id}/interest", "funding", S | M, OWN_BODY),
    _r("GET", "/matches", "funding", S | M, OWN_QUERY),
    _r("GET", "/applications", "funding", S | M, OWN_QUERY),
    _r("GET", "/applications/{application_id}", "funding", S | M, OWN_ANSWER),
    _r("POST", "/applications/{application_id}/status", "funding", S),
    _r("POST", "/deadlines/run", "funding", S),
    # procurement: the vocabulary, needs and pools (members see pools' totals only)
    _r("PUT", "/categories", "procurement", S),
    _r("GET", "/categories", "procurement", ANY),
    _r("POST", "/needs", "procurement", S | M, OWN_BODY),
    _r("GET", "/needs", "procurement", S | M, OWN_QUERY),
    _r("GET", "/needs/{need_id}", "procurement", S | M, OWN_ANSWER),
    _r("POST", "/needs/{need_id}/confirm", "procurement", S | M, OWN_NEED),
    _r("POST", "/needs/{need_id}/withdraw", "procurement", S | M, OWN_NEED),
    _r("GET", "/pools", "procurement", S | M),
    _r("GET", "/pools/{pool_id}", "procurement", S | M),
    _r("PUT", "/pools/{pool_id}/threshold", "procurement", S),
    _r("POST", "/pools/{pool_id}/cancel", "procurement", S),
    # procurement: suppliers and joint tenders (offers' prices: staff, after the deadline)
    _r("POST", "/suppliers", "procurement", S),
    _r("GET", "/suppliers", "procurement", S),
    _r("GET", "/suppliers/{supplier_id}", "procurement", S),
    _r("POST", "/suppliers/{supplier_id}/status", "procurement", S),
    _r("POST", "/suppliers/{supplier_id}/feedback", "procurement", S),
    _r("POST", "/tenders", "procurement", S),
    _r("GET", "/tenders", "procurement", S | M),
    _r("GET", "/tenders/{tender_id}", "procurement", S | M),
    _r("POST", "/tenders/{tender_id}/open", "procurement", S),
    _r("POST", "/tenders/{tender_id}/offers", "procurement", S),
    _r("GET", "/tenders/{tender_id}/offers", "procurement", S),
    _r("POST", "/tenders/{tender_id}/evaluate", "procurement", S),
    _r("GET", "/tenders/{tender_id}/comparison", "procurement", S),
    _r("POST", "/tenders/{tender_id}/award", "procurement", S),
    _r("POST", "/tenders/{tender_id}/close", "procurement", S),
    _r("POST", "/tenders/{tender_id}/cancel", "procurement", S),
    _r("GET", "/tenders/{tender_id}/ocds", "procurement", PUBLIC),
    _r("POST", "/tender-deadlines/run", "procurement", S),
    # procurement: each member's allocations and savings (the report across members: staff)
    _r("GET", "/allocations", "procurement", S | M, OWN_QUERY),
    _r("GET", "/savings/report", "procurement", S),
    _r("GET", "/savings/report.csv", "procurement", S),
    # procurement: support-service providers and members' requests
    _r("POST", "/providers", "procurement", S),
    _r("GET", "/providers", "procurement", S | M),
    _r("GET", "/providers/{provider_id}", "procurement", S | M),
    _r("POST", "/providers/{provider_id}/status", "procurement", S),
    _r("POST", "/support-requests", "procurement", S | M, OWN_BODY),
    _r("GET", "/support-requests", "procurement", S | M, OWN_QUERY),
    _r("GET", "/support-requests/{request_id}", "procurement", S | M, OWN_ANSWER),
    _r("POST", "/support-requests/{request_id}/status", "procurement", S),
    _r("POST", "/support-requests/{request_id}/match", "procurement", S),
    _r("POST", "/support-requests/{request_id}/feedback", "procurement", S | M, OWN_REQUEST),
    # notifications: each person's inbox and preferences
    _r("GET", "/inbox/{contact_id}", "notifications", PEOPLE, OWN_CONTACT),
    _r("PATCH", "/inbox/{contact_id}/{entry_id}", "notifications", PEOPLE, OWN_CONTACT),
    _r("GET", "/preferences/{contact_id}", "notifications", PEOPLE, OWN_CONTACT),
    _r("PUT", "/preferences/{contact_id}", "notifications", PEOPLE, OWN_CONTACT),
    _r("POST", "/unsubscribe/{token}", "notifications", PUBLIC),
    # notifications: operations
    _r("GET", "/deliveries", "notifications", S),
    _r("POST", "/deliveries/replay", "notifications", S),
    _r("POST", "/digests/run", "notifications", S),
    # notifications: webhooks of a member company or an integration
    _r("GET", "/webhooks/event-types", "notifications", WEBHOOKS),
    _r(
        "POST",
        "/webhooks",
        "notifications",
        WEBHOOKS,
        BodyIsOwn(roles=OWNERS, field_name="owner_id", kind_field="owner_kind"),
    ),
    _r(
        "GET",
        "/webhooks",
        "notifications",
        WEBHOOKS,
        QueryIsOwn(roles=OWNERS, param="owner_id", kind_param="owner_kind"),
    ),
    _r(
        "GET",
        "/webhooks/{endpoint_id}",
        "notifications",
        WEBHOOKS,
        AnswerIsOwn(roles=OWNERS, field_name="owner_id"),
    ),
)

_OWN_WEBHOOK = TargetIsOwn(roles=OWNERS, path="/webhooks/{endpoint_id}", field_name="owner_id")
ROUTES += tuple(
    _r(method, path, "notifications", WEBHOOKS, _OWN_WEBHOOK)
    for method, path in (
        ("PATCH", "/webhooks/{endpoint_id}"),
        ("DELETE", "/webhooks/{endpoint_id}"),
        ("POST", "/webhooks/{endpoint_id}/rotate-secret"),
        ("POST", "/webhooks/{endpoint_id}/test"),
    )
)

# Service operations the gateway deliberately does not expose.
NOT_ROUTED = frozenset({("GET", "/health"), ("GET", "/ready")})


def forwarded() -> tuple[Route, ...]:
    """The routes served by a service behind the gateway."""
    return tuple(r for r in ROUTES if r.service != "gateway")
