"""A local SMTP server that keeps every received message as an `.eml` file a person can open."""

import argparse
import asyncio
import contextlib
import logging
import uuid
from datetime import UTC, datetime
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger("smtp-sink")


class MailFolder:
    """aiosmtpd handler writing each message to `<folder>/<time>-<id>.eml`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Store the message and accept it."""
        content = envelope.original_content or b""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(content)
        temporary.rename(path)  # readers never see a half-written file
        subject = str(make_header(decode_header(message_from_bytes(content)["Subject"] or "")))
        log.info("mail to %s: %s (%s)", ", ".join(envelope.rcpt_tos), subject, path.name)
        return "250 Message accepted for delivery"


def main() -> None:
    """Run the sink until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(MailFolder(args.folder), hostname="127.0.0.1", port=args.port)
    controller.start()
    log.info("SMTP sink on 127.0.0.1:%d, mail kept in %s", args.port, args.folder)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(asyncio.Event().wait())
    controller.stop()


if __name__ == "__main__":
    main()
