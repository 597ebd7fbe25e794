"""Email over SMTP: build a text+HTML message and send it with aiosmtplib."""

from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

import aiosmtplib

from .channel_errors import PermanentDeliveryError


def build_message(delivery: dict[str, Any], *, sender: str) -> EmailMessage:
    """The MIME message for an email delivery record."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((delivery["name"], delivery["address"]))
    message["Subject"] = delivery["subject"]
    message["Message-ID"] = make_msgid(domain="cmo.local")
    message["X-CMO-Event-ID"] = delivery["event_id"]
    message["X-CMO-Delivery-ID"] = delivery["_id"]
    message.set_content(delivery["text"])
    message.add_alternative(delivery["html"], subtype="html")
    message["Content-Language"] = delivery["language"]  # after set_content, which drops it
    if delivery.get("unsubscribe_url"):
        message["List-Unsubscribe"] = f"<{delivery['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


async def send(message: EmailMessage, *, host: str, port: int, timeout_s: float) -> None:
    """Send one message; SMTP 5xx answers raise `PermanentDeliveryError`."""
    try:
        await aiosmtplib.send(message, hostname=host, port=port, timeout=timeout_s)
    except aiosmtplib.SMTPResponseException as exc:
        if 500 <= exc.code < 600:
            raise PermanentDeliveryError(f"{exc.code} {exc.message}") from exc
        raise
