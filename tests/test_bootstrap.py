"""`./cmo` sets itself up from a clone on a stock distribution Python, with nothing installed."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PATH = ["/usr/local/go/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]


def _clean_env(home: Path, path: list[str]) -> dict[str, str]:
    """The environment of a newcomer: no pyenv, no virtualenv, no uv, an empty home."""
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYENV", "VIRTUAL_ENV", "UV_", "CMO_", "PYTHON"))
    }
    return {**kept, "HOME": str(home), "PATH": os.pathsep.join(path)}


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of this repository (what has been committed)."""
    target = tmp_path_factory.mktemp("bootstrap") / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    return target


def test_cmo_sets_up_on_an_externally_managed_python_without_uv(
    clone: Path, tmp_path: Path
) -> None:
    python = shutil.which("python3", path=os.pathsep.join(SYSTEM_PATH))
    assert python, "a distribution python3 is expected in /usr/bin on this machine"
    probe = "import sys, sysconfig, os; print(os.path.exists(os.path.join("
    probe += "sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"
    managed = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    assert managed.stdout.strip() == "True", "the test needs an externally managed Python"
    path = [*SYSTEM_PATH]
    for tool in ("java", "mvn", "go"):
        found = shutil.which(tool)
        assert found, f"{tool} is needed by ./cmo"
        if os.path.dirname(found) not in path:
            path.append(os.path.dirname(found))
    assert not any((Path(d) / "uv").exists() for d in path), "uv must not be on this PATH"
    home = tmp_path / "home"
    home.mkdir()

    result = subprocess.run(
        ["./cmo", "--help"],
        cwd=clone,
        env=_clean_env(home, path),
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Run the CMO platform locally." in result.stdout
    assert (clone / ".cache" / "uv" / "bin" / "uv").exists(), "uv goes into the clone's cache"
    assert not (home / ".local" / "bin" / "uv").exists(), "nothing is installed into HOME"


def test_cmo_names_each_missing_tool_with_how_to_get_it(clone: Path, tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("bash", "dirname", "python3", "go"):  # java and mvn are missing
        found = shutil.which(tool, path=os.pathsep.join(SYSTEM_PATH))
        assert found, tool
        (tools / tool).symlink_to(found)

    result = subprocess.run(
        ["bash", "./cmo", "--help"],
        cwd=clone,
        env=_clean_env(tmp_path, [str(tools)]),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "missing: java (Java 17+ runs Kafka, e.g. apt-get install openjdk-17-jre-headless)" in lines
    )
    assert "missing: mvn (Maven fetches Kafka's jars, e.g. apt-get install maven)" in lines
    assert not any(line.startswith(("missing: python3", "missing: go")) for line in lines)
