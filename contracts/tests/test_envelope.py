from datetime import UTC, datetime, timedelta, timezone

import pytest
from cmo_contracts import (
    REGISTRY,
    EventDecodeError,
    Payload,
    UnknownEventType,
    decode,
    encode,
    event_type,
    new_event,
)
from cmo_contracts.members import ContactSnapshot, MemberJoined


def _joined() -> MemberJoined:
    return MemberJoined(
        member_id="m-1",
        legal_name="Agro",
        tax_id="204567890",
        sector="10.51",
        employees=5,
        region="Imereti",
        approved_by="staff",
        contacts=[ContactSnapshot(contact_id="c-1", name="N", email="n@a.ge", language="ka")],
    )


def test_round_trip_restores_the_typed_payload_and_every_envelope_field() -> None:
    event = new_event(_joined(), producer="members", subject_id="m-1", correlation_id="req-1")
    decoded = decode(encode(event))
    assert decoded == event
    assert isinstance(decoded.payload, MemberJoined)
    assert decoded.type == "member.joined" and decoded.schema_version == 1
    assert decoded.payload.contacts[0].language == "ka"


def test_occurred_at_is_normalised_to_utc() -> None:
    event = new_event(_joined(), producer="members", subject_id="m-1", correlation_id="c")
    tbilisi = timezone(timedelta(hours=4))
    local = event.model_copy(update={"occurred_at": datetime(2026, 1, 1, 12, tzinfo=tbilisi)})
    assert decode(encode(local)).occurred_at == datetime(2026, 1, 1, 8, tzinfo=UTC)


def test_invalid_json_and_invalid_payloads_are_decode_errors() -> None:
    with pytest.raises(EventDecodeError):
        decode(b"{not json")
    event = new_event(_joined(), producer="members", subject_id="m-1", correlation_id="c")
    broken = encode(event).replace(b'"employees":5', b'"employees":-5')
    with pytest.raises(EventDecodeError, match=r"member\.joined payload"):
        decode(broken)


def test_unknown_types_are_recognisable_so_consumers_can_ignore_them() -> None:
    event = new_event(_joined(), producer="members", subject_id="m-1", correlation_id="c")
    renamed = encode(event).replace(b'"member.joined"', b'"member.teleported"')
    with pytest.raises(UnknownEventType):
        decode(renamed)


def test_a_type_cannot_be_registered_twice() -> None:
    assert "member.joined" in REGISTRY
    with pytest.raises(ValueError, match="registered twice"):

        @event_type("member.joined", topic="x")
        class Again(Payload):
            """Duplicate."""
