"""Events produced by the advocacy service, on topic `cmo.advocacy`."""

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
