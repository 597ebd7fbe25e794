"""docker-compose.yml is valid and runs every service that has code, as the services table says."""

import shutil
import subprocess
from pathlib import Path

import yaml
from cmo_shared.services import SERVICES

ROOT = Path(__file__).resolve().parents[1]


def _compose(*args: str) -> str:
    executable = shutil.which("docker-compose")
    assert executable, "docker-compose is required (Debian package docker-compose)"
    result = subprocess.run(
        [executable, "-f", str(ROOT / "docker-compose.yml"), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_compose_file_is_valid() -> None:
    _compose("config", "--quiet")


def test_every_service_with_code_is_composed_with_a_dockerfile() -> None:
    composed = set(_compose("config", "--services").split())
    with_code = {
        folder.name
        for folder in (ROOT / "services").iterdir()
        if (folder / "src" / f"cmo_{folder.name}" / "app.py").exists()
    }
    assert with_code, "no service with code found"
    assert with_code <= {s.name for s in SERVICES}, "a service is missing from the services table"
    assert with_code <= composed, f"missing from docker-compose.yml: {with_code - composed}"
    assert {"kafka", "mongo", "mailpit"} <= composed
    for service in with_code:
        assert (ROOT / "services" / service / "Dockerfile").is_file()


def test_composed_services_listen_where_the_services_table_says() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    gateway_env = compose["gateway"]["environment"]
    for service in SERVICES:
        if service.name not in compose:
            continue
        definition = compose[service.name]
        published = [str(p).split(":")[-1] for p in definition.get("ports", [])]
        assert str(service.port) in [*map(str, definition.get("expose", [])), *published]
        dockerfile = (ROOT / "services" / service.name / "Dockerfile").read_text()
        assert f'"--port", "{service.port}"' in dockerfile
        if service.routed:
            url = gateway_env[f"CMO_{service.name.upper()}_URL"]
            assert url == f"http://{service.name}:{service.port}"


def test_prometheus_scrapes_every_service_with_an_api_at_its_port() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert compose["prometheus"]["profiles"] == ["metrics"]
    config = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    targets = {
        t for job in config["scrape_configs"] for c in job["static_configs"] for t in c["targets"]
    }
    assert targets == {f"{s.name}:{s.port}" for s in SERVICES if s.api}


def test_every_service_exports_traces_where_the_tracing_profile_receives_them() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert compose["jaeger"]["profiles"] == ["tracing"]
    for service in SERVICES:
        if service.name in compose:
            environment = compose[service.name]["environment"]
            assert environment["CMO_OTLP_ENDPOINT"] == "${CMO_OTLP_ENDPOINT:-}", service.name
