"""Fetch Kafka's jars from Maven Central and build FerretDB with Go, once, into the cache."""

import hashlib
import os
import shutil
import subprocess
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ..config import FERRETDB_VERSION, KAFKA_VERSION, LOG4J_VERSION, SLF4J_VERSION

console = Console(stderr=True)
PATCH = "sqlite-pushdown.patch"

KAFKA_POM = f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.cmo</groupId>
  <artifactId>kafka-dist</artifactId>
  <version>{KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>
      <version>{LOG4J_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j2-impl</artifactId><version>{LOG4J_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
      <version>{SLF4J_VERSION}</version></dependency>
  </dependencies>
</project>
"""


class ProvisionError(RuntimeError):
    """A tool needed to provision local infrastructure is missing or failed."""


def _run(step: str, command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    """Run a build step, streaming its output as progress."""
    if shutil.which(command[0]) is None:
        raise ProvisionError(f"{command[0]} is not installed; it is needed to {step}")
    console.print(f"[bold cyan]{step}[/] ({' '.join(command)})")
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    for line in process.stdout:
        console.print(Text(f"  {line.rstrip()}", style="dim"))
    if process.wait() != 0:
        raise ProvisionError(f"{step} failed (exit {process.returncode})")


def kafka_libs(cache_dir: Path) -> Path:
    """The folder of Kafka's runtime jars, downloading them on first use."""
    dist = cache_dir / f"kafka-{KAFKA_VERSION}"
    libs = dist / "libs"
    marker = dist / ".complete"
    if marker.exists():
        return libs
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "pom.xml").write_text(KAFKA_POM)
    _run(
        f"Fetching Apache Kafka {KAFKA_VERSION} jars",
        [
            "mvn",
            "-B",
            "--no-transfer-progress",
            "-Dstyle.color=never",
            "dependency:copy-dependencies",
            f"-DoutputDirectory={libs}",
            "-DincludeScope=runtime",
        ],
        cwd=dist,
    )
    marker.write_text(KAFKA_VERSION)
    return libs


def ferretdb_binary(cache_dir: Path) -> Path:
    """The FerretDB binary, built from the Go module proxy with our patch, on first use.

    FerretDB 1.24's SQLite backend creates its `_id` index on one spelling of the path and
    looks `_id` up with another, so SQLite never uses the index, and it narrows no other field
    in SQL: every look-up, update and delete scanned the table. `sqlite-pushdown.patch` spells
    both alike and narrows equality with strings and ObjectIds (`v`, `$eq`, `$in`) on any
    top-level field in SQL, on the expression its index uses (FerretDB 2 does this upstream;
    1.x is no longer developed).
    """
    source = resources.files("cmo_cli") / "assets" / "ferretdb"
    patch = (source / PATCH).read_bytes()
    tag = hashlib.sha256(patch).hexdigest()[:8]
    binary = cache_dir / "bin" / f"ferretdb-{FERRETDB_VERSION}-{tag}"
    if binary.exists():
        return binary
    build = cache_dir / "ferretdb-build"
    build.mkdir(parents=True, exist_ok=True)
    for name in ("main.go", "go.mod", "go.sum"):
        (build / name).write_text((source / name).read_text())
    _run(
        f"Fetching FerretDB {FERRETDB_VERSION}",
        ["go", "mod", "download", "github.com/FerretDB/FerretDB"],
        cwd=build,
    )
    module = subprocess.run(
        ["go", "list", "-m", "-f", "{{.Dir}}", "github.com/FerretDB/FerretDB"],
        cwd=build,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    patched = build / "ferretdb-src"
    shutil.rmtree(patched, ignore_errors=True)
    shutil.copytree(module, patched, copy_function=shutil.copyfile)  # the cache is read-only
    (build / PATCH).write_bytes(patch)
    _run("Patching FerretDB", ["git", "apply", "-p1", str(build / PATCH)], cwd=patched)
    _run(
        "Using the patched FerretDB",
        ["go", "mod", "edit", "-replace", "github.com/FerretDB/FerretDB=./ferretdb-src"],
        cwd=build,
    )
    binary.parent.mkdir(parents=True, exist_ok=True)
    _run(
        f"Building FerretDB {FERRETDB_VERSION} (first time only, about a minute)",
        ["go", "build", "-o", str(binary), "."],
        cwd=build,
        env={"CGO_ENABLED": "0"},
    )
    return binary


def provision(cache_dir: Path) -> tuple[Path, Path]:
    """Make sure Kafka's jars and the FerretDB binary are in the cache."""
    return kafka_libs(cache_dir), ferretdb_binary(cache_dir)


def installed_chromium() -> Path | None:
    """The Chromium `CMO_CHROMIUM` names, else the one on PATH, if any."""
    found = os.environ.get("CMO_CHROMIUM") or shutil.which("chromium")
    return Path(found) if found else None


def chromium() -> Path:
    """Debian's Chromium for the browser tests: found, or installed with apt-get when root."""
    if found := installed_chromium():
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        _run("install Chromium for the browser tests", ["apt-get", "update", "-qq"], Path("."))
        _run(
            "install Chromium for the browser tests",
            ["apt-get", "install", "-y", "-qq", "chromium"],
            Path("."),
            environment,
        )
        if found := installed_chromium():
            return found
    raise ProvisionError(
        "missing: chromium (the console's browser tests drive it), e.g. apt-get install chromium"
    )
