"""Calendar invitations as a calendar reads them, certificates as an independent verifier does."""

import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import vobject
import zxingcpp
from cmo_training.certificates.document import certificate_pdf
from cmo_training.certificates.domain import Certificate, open_badge
from cmo_training.certificates.signer import Signer
from cmo_training.registrations.calendar import invitation
from cmo_training.registrations.domain import Person
from cmo_training.sessions.domain import Session, Sitting
from jwcrypto import jwk, jws
from pypdf import PdfReader

START = datetime(2027, 3, 1, 6, tzinfo=UTC)
NINO = Person("p1", "Nino Beridze", "nino@dairy.example", "ka")


def _session() -> Session:
    return Session(
        "s1",
        {"ka": "ჰასპი", "en": "HACCP"},
        "course",
        "haccp",
        [Sitting("a", START, START + timedelta(hours=3))],
        capacity=10,
        company_cap=2,
        created_at=START,
        priority_until=START,
        invited=[],
        venue="Kutaisi, Technopark",
    )


def _read(text: str):
    return vobject.readOne(text)


def test_an_invitation_is_an_itip_request_with_a_stable_uid() -> None:
    session = _session()
    calendar = _read(
        invitation(session, NINO, organiser="training@cmo.example", organiser_name="CMO")
    )
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.uid.value == "s1.p1@training.cmo"
    assert event.sequence.value == "0"
    assert event.summary.value == "ჰასპი"
    assert event.dtstart.value == START and event.location.value == "Kutaisi, Technopark"
    assert event.attendee.value == "mailto:nino@dairy.example"
    assert event.organizer.value == "mailto:training@cmo.example"


def test_a_move_raises_the_sequence_and_a_cancellation_cancels_the_same_event() -> None:
    session = _session()
    later = [Sitting("a", START + timedelta(days=1), START + timedelta(days=1, hours=3))]
    session.reschedule(later, None, None)
    moved = _read(invitation(session, NINO, organiser="t@cmo.example", organiser_name="CMO"))
    assert (moved.vevent.sequence.value, moved.vevent.dtstart.value) == ("1", later[0].starts_at)
    cancel = _read(
        invitation(session, NINO, organiser="t@cmo.example", organiser_name="CMO", cancel=True)
    )
    assert cancel.method.value == "CANCEL"
    assert cancel.vevent.uid.value == moved.vevent.uid.value
    assert int(cancel.vevent.sequence.value) > int(moved.vevent.sequence.value)
    assert cancel.vevent.status.value == "CANCELLED"


def _credential() -> dict:
    return open_badge(
        certificate_id="c1",
        issuer_id="https://cmo.example/issuer",
        issuer_name="CMO",
        achievement_id="https://cmo.example/sessions/s1",
        title={"ka": "ჰასპი", "en": "HACCP"},
        threshold=0.8,
        email="Nino@Dairy.example",
        salt="abc",
        issued_at=START,
    )


def test_a_certificate_verifies_with_the_published_key_in_another_jose_library() -> None:
    signer = Signer("a long secret used only in this test, 32+ bytes")
    credential = _credential()
    token = signer.sign(credential, START)
    key = jwk.JWK(**signer.jwk())
    verified = jws.JWS()
    verified.deserialize(token)
    verified.verify(key, alg="Ed25519")
    claims = json.loads(verified.payload)
    assert claims["vc"] == credential
    assert (claims["iss"], claims["jti"]) == ("https://cmo.example/issuer", "urn:uuid:c1")
    assert verified.jose_header["kid"] == signer.kid


def test_an_altered_certificate_or_another_key_fails_verification() -> None:
    signer = Signer("a long secret used only in this test, 32+ bytes")
    token = signer.sign(_credential(), START)
    header, payload, signature = token.split(".")
    forged = jws.JWS()
    forged.deserialize(f"{header}.{payload[:-4]}AAAA.{signature}")
    other = jwk.JWK(**Signer("another secret of thirty-two bytes or more").jwk())
    for candidate, key in ((forged, jwk.JWK(**signer.jwk())), (None, other)):
        check = candidate or jws.JWS()
        if candidate is None:
            check.deserialize(token)
        try:
            check.verify(key, alg="Ed25519")
        except jws.InvalidJWSSignature:
            continue
        raise AssertionError("a forged or foreign signature verified")
    assert signer.verify(f"{header}.{payload[:-4]}AAAA.{signature}") is None


def test_the_subject_is_a_salted_hash_of_the_email_never_the_email() -> None:
    credential = _credential()
    identifier = credential["credentialSubject"]["identifier"][0]
    expected = hashlib.sha256(b"nino@dairy.example" + b"abc").hexdigest()
    assert identifier["identityHash"] == f"sha256${expected}"
    assert "nino" not in json.dumps(credential).casefold()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_the_pdf_reads_in_georgian_and_english_and_its_qr_code_holds_the_verify_address() -> None:
    certificate = Certificate(
        "c1", "s1", "m1", "Kutaisi Dairy LLC", "p1", "ნინო ბერიძე", "nino@dairy.example", "ka",
        {"ka": "ჰასპის კურსი", "en": "HACCP course"}, 1.0, START, _credential(), "token",
    )  # fmt: skip
    url = "https://cmo.example/certificates/c1/verify"
    document = PdfReader(io.BytesIO(certificate_pdf(certificate, "Georgian Food Cluster", url)))
    (page,) = document.pages
    text = page.extract_text()
    for expected in ("ნინო ბერიძე", "ჰასპის კურსი", "HACCP course", "Georgian Food Cluster", url):
        assert expected in text, expected
    assert "01.03.2027" in text  # issued 06:00 UTC, the same day in Tbilisi
    (image,) = page.images
    (code,) = zxingcpp.read_barcodes(image.image)
    assert (code.format, code.text) == (zxingcpp.BarcodeFormat.QRCode, url)
