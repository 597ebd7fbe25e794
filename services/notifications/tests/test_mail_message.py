"""The email message written out by hand parses back, with every header and part intact."""

from email import message_from_bytes, policy

import pytest
from cmo_notifications.deliveries.channel_errors import PermanentDeliveryError
from cmo_notifications.deliveries.mail import build_message, encoded_words

DELIVERY = {
    "_id": "d-1",
    "event_id": "e-1",
    "name": "ნინო ბერიძე",
    "address": "nino@example.ge",
    "subject": "ახალი საგრანტო კონკურსი: სოფლის მეურნეობის ტექნოლოგიების მოდერნიზაცია 2027",
    "text": "გამარჯობა ნინო,\nახალი კონკურსი.",
    "html": "<p>გამარჯობა <b>ნინო</b></p>",
    "language": "ka",
    "unsubscribe_url": "https://cmo.example/unsubscribe/abc",
}


def _parsed(delivery: dict[str, object]) -> object:
    return message_from_bytes(
        build_message(delivery, sender="CMO <no-reply@cmo.local>"), policy=policy.default
    )


def test_georgian_headers_and_both_parts_read_back() -> None:
    message = _parsed(DELIVERY)
    assert message["Subject"] == DELIVERY["subject"]
    assert message["To"].addresses[0].display_name == "ნინო ბერიძე"
    assert message["To"].addresses[0].addr_spec == "nino@example.ge"
    assert message["Content-Language"] == "ka"
    assert message["List-Unsubscribe"] == "<https://cmo.example/unsubscribe/abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Date"] is not None and message["Message-ID"].endswith("@cmo.local>")
    assert message.get_body(("plain",)).get_content() == DELIVERY["text"]
    assert message.get_body(("html",)).get_content() == DELIVERY["html"]


def test_long_subjects_fold_into_encoded_words_within_the_line_limit() -> None:
    raw = build_message(DELIVERY, sender="CMO <no-reply@cmo.local>")
    head = raw.split(b"\r\n\r\n")[0].decode()
    subject = head[head.index("Subject:") : head.index("\r\nDate:")].split("\r\n")
    assert len(subject) > 1 and max(len(line) for line in subject) <= 78
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert encoded_words("plain ascii") == "plain ascii"


def test_line_breaks_in_values_cannot_add_headers() -> None:
    sneaky = {**DELIVERY, "subject": "Hi\r\nBcc: victim@example.com", "name": "A\nB"}
    message = _parsed(sneaky)
    assert message["Bcc"] is None
    assert message["Subject"] == "Hi Bcc: victim@example.com"


def test_no_mandatory_topic_message_carries_an_unsubscribe_header() -> None:
    message = _parsed({**DELIVERY, "unsubscribe_url": None})
    assert message["List-Unsubscribe"] is None


def test_an_address_with_a_line_break_is_refused_for_good() -> None:
    with pytest.raises(PermanentDeliveryError):
        build_message({**DELIVERY, "address": "a@b.ge\r\nBcc: x@y.z"}, sender="x@cmo.local")


CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:s1.p1@training.cmo\r\nSEQUENCE:2\r\nDTSTAMP:20270301T060000Z\r\n"
    "DTSTART:20270301T060000Z\r\nDTEND:20270301T090000Z\r\nSUMMARY:ჰასპი\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_calendar_invitation_rides_along_as_an_itip_part() -> None:
    import vobject

    message = _parsed({**DELIVERY, "calendar": CALENDAR})
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(("plain",)).get_content() == DELIVERY["text"]
    assert message.get_body(("html",)).get_content() == DELIVERY["html"]
    [invite] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert invite.get_param("method") == "REQUEST"
    assert invite.get_filename() == "invite.ics"
    event = vobject.readOne(invite.get_content()).vevent
    assert (event.uid.value, event.sequence.value, event.summary.value) == (
        "s1.p1@training.cmo",
        "2",
        "ჰასპი",
    )


def test_without_a_calendar_the_message_stays_text_and_html_only() -> None:
    message = _parsed(DELIVERY)
    assert message.get_content_type() == "multipart/alternative"
    assert list(message.iter_attachments()) == []
