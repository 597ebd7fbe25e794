"""Events produced by the notifications service, on topic `cmo.notifications`, keyed by delivery."""

from typing import Literal

from pydantic import Field

from .envelope import Payload, Visibility, event_type

TOPIC = "cmo.notifications"

Channel = Literal["email", "webhook", "inbox"]


class DeliveryOutcome(Payload):
    """What happened to one message for one recipient on one channel."""

    delivery_id: str = Field(description="Id of the delivery record.")
    source_event_id: str = Field(description="Id of the event the message was sent for.")
    source_event_type: str = Field(description="Type of that event, e.g. `member.joined`.")
    recipient_id: str = Field(description="Contact id (or endpoint id) the message was for.")
    channel: Channel = Field(description="Channel used.")
    attempts: int = Field(ge=1, description="Attempts made, including the last one.")


@event_type("notification.delivered", topic=TOPIC, visibility=Visibility.INTERNAL)
class NotificationDelivered(DeliveryOutcome):
    """A message reached its recipient's channel."""


@event_type("notification.failed", topic=TOPIC, visibility=Visibility.INTERNAL)
class NotificationFailed(DeliveryOutcome):
    """A message could not be delivered and no more attempts will be made."""

    error: str = Field(description="The last error, as reported by the channel.")
