from cmo_contracts import decode
from cmo_shared.outbox import push_events
from cmo_shared.testing import member_applied


def test_push_events_keeps_order_and_everything_the_relay_needs() -> None:
    events = [member_applied("m-1", legal_name=f"A{i}", correlation_id="req") for i in range(3)]
    entries = push_events(events)["outbox"]["$each"]
    assert [e["event_id"] for e in entries] == [str(e.event_id) for e in events]
    assert {(e["topic"], e["key"], e["correlation_id"]) for e in entries} == {
        ("cmo.members", "m-1", "req")
    }
    assert [decode(e["body"]) for e in entries] == events
