"""docker-compose.yml is valid and runs every service that has code, with its Dockerfile."""

import shutil
import subprocess
from pathlib import Path

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
    assert with_code <= composed, f"missing from docker-compose.yml: {with_code - composed}"
    assert {"kafka", "mongo", "mailpit"} <= composed
    for service in with_code:
        assert (ROOT / "services" / service / "Dockerfile").is_file()
