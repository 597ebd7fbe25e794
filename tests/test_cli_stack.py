"""What `cmo up` tells each service it starts: where this stack's other parts are."""

import pytest
from cmo_cli.config import CliSettings
from cmo_cli.stack import Infra, service_environment


def test_a_stack_on_other_ports_points_its_services_at_its_own_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("CMO_MEMBERS_URL", "CMO_FUNDING_URL", "CMO_PUBLIC_URL", "CMO_KAFKA_BOOTSTRAP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CMO_GATEWAY_PORT", "9100")
    monkeypatch.setenv("CMO_MEMBERS_PORT", "9101")
    monkeypatch.setenv("CMO_KAFKA_PORT", "9192")
    settings = CliSettings()

    env = service_environment(settings, Infra(settings))

    assert env["CMO_MEMBERS_URL"] == "http://127.0.0.1:9101"
    assert env["CMO_FUNDING_URL"] == "http://127.0.0.1:8005", "unmoved services keep theirs"
    assert env["CMO_PUBLIC_URL"] == "http://127.0.0.1:9100", "links go through this gateway"
    assert env["CMO_KAFKA_BOOTSTRAP"] == "127.0.0.1:9192"


def test_urls_given_explicitly_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMO_MEMBERS_PORT", "9101")
    monkeypatch.setenv("CMO_MEMBERS_URL", "http://members.internal:8001")
    monkeypatch.setenv("CMO_PUBLIC_URL", "https://cmo.example")
    settings = CliSettings()

    env = service_environment(settings, Infra(settings))

    assert env["CMO_MEMBERS_URL"] == "http://members.internal:8001"
    assert env["CMO_PUBLIC_URL"] == "https://cmo.example"
