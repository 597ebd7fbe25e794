import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cmo_contracts import (
    REGISTRY,
    EventDecodeError,
    Payload,
    UnknownEventType,
    decode,
    derived_event_id,
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


def test_fresh_event_ids_are_version_7_and_sort_in_the_order_they_were_made() -> None:
    made = [
        new_event(_joined(), producer="members", subject_id="m-1", correlation_id="c").event_id
        for _ in range(2000)
    ]
    parsed = [uuid.UUID(str(i)) for i in made]  # read back by the standard library
    assert {i.version for i in parsed} == {7}
    assert [str(i) for i in parsed] == sorted(str(i) for i in parsed)  # as text keys, too
    assert len(set(parsed)) == len(parsed)


def test_a_derived_event_id_stays_the_same_version_5_id_for_its_natural_key() -> None:
    first, again = derived_event_id("call-1", "m-1"), derived_event_id("call-1", "m-1")
    assert first == again and first.version == 5
    event = new_event(
        _joined(), producer="funding", subject_id="m-1", correlation_id="c", event_id=first
    )
    assert event.event_id == first
