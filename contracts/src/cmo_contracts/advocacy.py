"""Events produced by the advocacy service, on topic `cmo.advocacy`."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from .envelope import Payload, Visibility, event_type

TOPIC = "cmo.advocacy"


@event_type("news.published", topic=TOPIC, visibility=Visibility.MEMBERS)
class NewsPublished(Payload):
    """Staff published news for members: to all in good standing, or to some sectors."""

    news_id: str = Field(description="Id of the news item.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    summary: dict[str, str] = Field(description="Short text by language (`ka`, `en`).")
    url: str | None = Field(None, description="Where the full text is published.")
    sectors: list[str] = Field(
        default_factory=list,
        description="NACE code prefixes of the members it is for; empty: every member.",
    )


Stage = Literal[
    "public_consultation",
    "registered",
    "committee",
    "reading_1",
    "reading_2",
    "reading_3",
    "adopted",
    "signed",
    "published",
    "rejected",
    "withdrawn",
]


@event_type("topic.prioritised", topic=TOPIC, visibility=Visibility.MEMBERS)
class TopicPrioritised(Payload):
    """A topic from the industry screening became active: the CMO works on it now."""

    topic_id: str = Field(description="Id of the topic.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    sectors: list[str] = Field(description="NACE code prefixes the topic concerns.")
    priority: Literal["high", "medium", "low"] = Field(description="Its priority.")


@event_type("topic.closed", topic=TOPIC, visibility=Visibility.MEMBERS)
class TopicClosed(Payload):
    """Work on a topic ended."""

    topic_id: str = Field(description="Id of the topic.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    outcome: str = Field(description="What came of it.")


@event_type("legislation.stage_changed", topic=TOPIC, visibility=Visibility.MEMBERS)
class LegislationStageChanged(Payload):
    """A legislative initiative was registered or moved to another stage."""

    initiative_id: str = Field(description="Id of the initiative.")
    registration_number: str | None = Field(description="Parliament's number, once registered.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    link: str | None = Field(description="Where its text is published.")
    sectors: list[str] = Field(description="NACE code prefixes of the members it affects.")
    from_stage: Stage | None = Field(description="The stage before; none when just tracked.")
    to_stage: Stage = Field(description="The stage it is in now.")
    on: str = Field(description="Date of the move (ISO 8601, Tbilisi).")
    next_deadline: str | None = Field(description="The next date to act by (ISO 8601), if any.")
    note: str | None = Field(description="What happened, as staff noted it.")


class QuestionTally(Payload):
    """The counted answers to one question."""

    question_id: str = Field(description="Id of the question.")
    kind: Literal["yes_no_abstain", "choice", "text"] = Field(description="Kind of question.")
    counts: dict[str, str] = Field(
        description="Weighted count per option (exact decimal); for text questions, none."
    )
    abstentions: str = Field(description="Weighted abstentions (exact decimal).")
    answered: int = Field(description="Companies that answered this question.")


@event_type("consultation.opened", topic=TOPIC, visibility=Visibility.MEMBERS)
class ConsultationOpened(Payload):
    """Members of the affected sectors are consulted, one response per company."""

    consultation_id: str = Field(description="Id of the consultation.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    initiative_id: str | None = Field(description="The initiative it is about, if any.")
    topic_id: str | None = Field(description="The topic it is about, if any.")
    sectors: list[str] = Field(description="NACE code prefixes of the electorate.")
    electorate: int = Field(description="Member companies in good standing that may respond.")
    quorum: float = Field(description="Share of the electorate that must respond (0-1).")
    secret: bool = Field(description="Whether who responded is kept apart from the answers.")
    closes_at: datetime = Field(description="When it closes (UTC).")


@event_type("consultation.closed", topic=TOPIC, visibility=Visibility.MEMBERS)
class ConsultationClosed(Payload):
    """A consultation closed; its tally, turnout and whether the quorum was reached."""

    consultation_id: str = Field(description="Id of the consultation.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    electorate: int = Field(description="Companies that could respond.")
    responded: int = Field(description="Companies that responded.")
    turnout: float = Field(description="responded / electorate (0-1).")
    quorum: float = Field(description="The quorum set when it opened (0-1).")
    quorum_reached: bool = Field(description="Whether turnout reached the quorum.")
    tally: list[QuestionTally] = Field(description="Per question, the counted answers.")


@event_type("position.adopted", topic=TOPIC, visibility=Visibility.MEMBERS)
class PositionAdopted(Payload):
    """The CMO adopted a position, sent to the members of the affected sectors."""

    position_id: str = Field(description="Id of the position.")
    consultation_id: str | None = Field(description="The consultation it came from, if any.")
    initiative_id: str | None = Field(description="The initiative it answers, if any.")
    topic_id: str | None = Field(description="The topic it belongs to, if any.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    text: dict[str, str] = Field(description="The position by language (`ka`, `en`).")
    sectors: list[str] = Field(description="NACE code prefixes of the members it concerns.")


@event_type("engagement.logged", topic=TOPIC, visibility=Visibility.STAFF)
class EngagementLogged(Payload):
    """A contact with government, parliament, a donor or an IFI was logged."""

    engagement_id: str = Field(description="Id of the entry.")
    kind: Literal["meeting", "letter", "hearing", "working_group", "conference", "submission"] = (
        Field(description="What kind of contact.")
    )
    target_kind: Literal["government", "parliament", "donor", "ifi", "other"] = Field(
        description="Who was engaged."
    )
    target_body: str = Field(description="The body, e.g. `Ministry of Economy`.")
    on: str = Field(description="Date (ISO 8601).")
    subject: str = Field(description="What it was about.")
    initiative_id: str | None = Field(description="Linked initiative, if any.")
    topic_id: str | None = Field(description="Linked topic, if any.")
    position_id: str | None = Field(description="Linked position (e.g. the one submitted).")
    follow_up_on: str | None = Field(description="When to follow up (ISO 8601), if set.")


@event_type("report.published", topic=TOPIC, visibility=Visibility.MEMBERS)
class ReportPublished(Payload):
    """A periodic industry report was published, its cells protected by disclosure control."""

    report_id: str = Field(description="Id of the report.")
    period: str = Field(description="Quarter (`2026-Q3`) or half-year (`2026-H1`).")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    companies: int = Field(description="Companies whose surveys it aggregates.")
    cells_published: int = Field(description="Cells shown.")
    cells_suppressed: int = Field(description="Cells hidden to protect single companies.")
    url: str = Field(description="Where members read it.")


@event_type("bulletin.published", topic=TOPIC, visibility=Visibility.MEMBERS)
class BulletinPublished(Payload):
    """A trend-scouting bulletin was built from the radar and published."""

    bulletin_id: str = Field(description="Id of the bulletin.")
    period: str = Field(description="Its period, e.g. `2026-Q4`.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    url: str = Field(description="Where members read it.")
    sectors: list[str] = Field(
        default_factory=list, description="NACE code prefixes it is for; empty: every member."
    )
    entries: int = Field(description="Radar entries it shows.")
    moved: int = Field(description="Entries whose ring changed since the last bulletin.")


@event_type("idea.promoted", topic=TOPIC, visibility=Visibility.MEMBERS)
class IdeaPromoted(Payload):
    """Staff turned an innovative project idea into a collaboration post or a funding search."""

    idea_id: str = Field(description="Id of the idea.")
    title: dict[str, str] = Field(description="Title by language (`ka`, `en`).")
    promoted_to: Literal["collaboration", "funding_search"] = Field(description="What it became.")
    backers: list[str] = Field(description="Ids of the member companies that backed it.")


@event_type("value_chain.assessed", topic=TOPIC, visibility=Visibility.STAFF)
class ValueChainAssessed(Payload):
    """A value chain assessment was recorded as a new dated version."""

    value_chain_id: str = Field(description="Id of the value chain.")
    name: str = Field(description="e.g. `dairy`.")
    version: int = Field(description="Version number, from 1.")
    assessed_on: str = Field(description="Date of the assessment (ISO 8601).")
    gaps: int = Field(description="Gaps identified across its stages.")
