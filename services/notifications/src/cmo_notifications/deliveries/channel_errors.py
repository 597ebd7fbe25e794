"""How a channel reports a failed attempt: for good, or worth retrying (maybe not before)."""


class PermanentDeliveryError(Exception):
    """The channel refused the message for good (SMTP 5xx, webhook 4xx): retrying cannot help."""


class TemporaryDeliveryError(Exception):
    """The channel failed this time; `retry_after_s` is the receiver's own wish, if it said."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class EndpointGone(PermanentDeliveryError):
    """The webhook endpoint answered 410 Gone: it is disabled."""
