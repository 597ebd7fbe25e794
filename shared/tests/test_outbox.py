from cmo_shared.events import decode, new_event
from cmo_shared.events.members import MemberApplied
from cmo_shared.outbox import push_events


def test_push_events_keeps_order_and_everything_the_relay_needs() -> None:
    events = [
        new_event(
            MemberApplied(
                member_id=f"m{i}",
                legal_name="A",
                tax_id="204567890",
                sector="10.51",
                employees=1,
                region="Imereti",
                contacts=[],
            ),
            producer="members",
            subject_id="m-1",
            correlation_id="req",
        )
        for i in range(3)
    ]
    entries = push_events(events)["outbox"]["$each"]
    assert [e["event_id"] for e in entries] == [str(e.event_id) for e in events]
    assert {(e["topic"], e["key"], e["correlation_id"]) for e in entries} == {
        ("cmo.members", "m-1", "req")
    }
    assert [decode(e["body"]) for e in entries] == events
