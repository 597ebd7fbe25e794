"""`./cmo up` as a newcomer runs it: two whole stacks side by side on their own ports, each
stopped by one Ctrl-C, and what the command says about pid files left by an earlier run."""

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cmo_cli.infra.process import free_port, port_open
from cmo_shared.services import SERVICES

from tests.helpers import applicant

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "side-by-side-stacks-1"


def _alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


def _gone_pid() -> int:
    """The pid of a process that has ended."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    return ended.pid


@dataclass
class Stack:
    """One `./cmo up` with every port of its own and its data in `folder`."""

    folder: Path
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.ports = {f"CMO_{s.name.upper()}_PORT": free_port() for s in SERVICES}
        for name in ("KAFKA", "KAFKA_CONTROLLER", "MONGODB", "SMTP"):
            self.ports[f"CMO_{name}_PORT"] = free_port()

    @property
    def env(self) -> dict[str, str]:
        """The environment of a newcomer who only set ports and a data folder."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not (k.startswith("CMO_") and k.endswith(("_URL", "_BOOTSTRAP", "_PORT")))
        }
        env |= {k: str(v) for k, v in self.ports.items()}
        return env | {"CMO_DATA_DIR": self.data, "COLUMNS": "250"}

    @property
    def data(self) -> str:
        """Its data folder (var/)."""
        return str(self.folder / "var")

    @property
    def output(self) -> str:
        """What `./cmo up` printed so far, its lines joined (long messages wrap)."""
        return " ".join((self.folder / "cmo-up.log").read_text(errors="replace").split())

    def url(self, service: str) -> str:
        """Where this stack runs a service."""
        return f"http://127.0.0.1:{self.ports[f'CMO_{service.upper()}_PORT']}"

    def start(self) -> None:
        """Run `./cmo up` in a process group of its own, as a terminal gives it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "cmo-up.log").open("wb") as log:
            self.process = subprocess.Popen(
                ["./cmo", "up"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, deadline: float) -> float:
        """Wait for the line saying every service is ready, and return the seconds it gives."""
        assert self.process is not None
        while "every service ready in" not in self.output:
            assert self.process.poll() is None, self.output[-3000:]
            assert time.monotonic() < deadline, self.output[-3000:]
            time.sleep(0.5)
        said = re.search(r"every service ready in ([0-9.]+) s \((\d+) services\)", self.output)
        assert said is not None, self.output[-3000:]
        assert int(said[2]) == len(SERVICES)
        return float(said[1])

    def create_admin(self, login: str) -> None:
        """`./cmo users create-admin` on this stack's database."""
        made = subprocess.run(
            ["./cmo", "users", "create-admin", "--login", login, "--password-stdin"],
            cwd=ROOT,
            env=self.env,
            input=f"{PASSWORD}\n".encode(),
            capture_output=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stderr.decode()[-2000:]

    def interrupt(self) -> None:
        """Ctrl-C twice, 200 ms apart (`uv run` used to send the second one)."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGINT)
        time.sleep(0.2)
        os.killpg(self.process.pid, signal.SIGINT)

    def kill(self) -> None:
        """Clean up after a failed test: a Ctrl-C (its parts run in sessions of their own and
        would outlive a killed `./cmo up`), and a kill only if that does not stop it."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def open_ports(self) -> list[str]:
        """Ports of this stack something still listens on (the controller's is internal)."""
        return [
            name
            for name, port in self.ports.items()
            if name != "CMO_KAFKA_CONTROLLER_PORT" and port_open(port)
        ]

    def live_pid_files(self) -> list[str]:
        """Pid files naming a process that still runs."""
        return [p.name for p in Path(self.data).rglob("*.pid") if _alive(p)]


def _token(gateway: str, login: str) -> httpx.Response:
    return httpx.post(
        f"{gateway}/auth/token",
        data={"grant_type": "password", "username": login, "password": PASSWORD},
        timeout=30,
    )


def test_two_stacks_run_side_by_side_and_one_ctrl_c_stops_each(tmp_path: Path) -> None:
    first, second = Stack(tmp_path / "first"), Stack(tmp_path / "second")
    # An earlier run of the first stack left pid files naming processes that are gone.
    for part in ("kafka", "ferretdb"):
        (Path(first.data) / part).mkdir(parents=True)
        (Path(first.data) / part / f"{part}.pid").write_text(str(_gone_pid()))
    first.start()
    second.start()
    try:
        deadline = time.monotonic() + 300
        assert first.wait_ready(deadline) > 0
        assert second.wait_ready(deadline) > 0
        for part in ("kafka", "ferretdb"):
            assert re.search(rf"{part}: removed the stale pid file .*is not running", first.output)
        assert "using the one already running" not in first.output + second.output

        first.create_admin("admin@first.example")
        second.create_admin("admin@second.example")
        gateway, other = first.url("gateway"), second.url("gateway")
        signed_in = _token(gateway, "admin@first.example")
        assert signed_in.status_code == 200, signed_in.text
        # The second stack keeps its own accounts: the first one's admin is unknown there.
        assert _token(other, "admin@first.example").status_code == 401
        staff = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}

        # Each gateway calls its own stack's services, every one of them ready.
        reached = httpx.get(f"{gateway}/upstreams", headers=staff, timeout=30)
        assert reached.status_code == 200, reached.text
        assert {u["service"]: (u["url"], u["ready"]) for u in reached.json()} == {
            s.name: (first.url(s.name), True) for s in SERVICES if s.routed
        }
        second_staff = _token(other, "admin@second.example")
        second_reached = httpx.get(
            f"{other}/upstreams",
            headers={"Authorization": f"Bearer {second_staff.json()['access_token']}"},
            timeout=30,
        )
        assert {u["url"] for u in second_reached.json()} == {
            second.url(s.name) for s in SERVICES if s.routed
        }

        # A company applying on the first stack is found through its gateway, not the other's.
        created = httpx.post(
            f"{first.url('members')}/members",
            json=applicant(("A", "a@x.example", "en")),
            timeout=30,
        )
        assert created.status_code == 201, created.text
        member = f"/members/{created.json()['member_id']}"
        assert httpx.get(f"{gateway}{member}", headers=staff, timeout=30).status_code == 200
        second_admin = {"Authorization": f"Bearer {second_staff.json()['access_token']}"}
        assert httpx.get(f"{other}{member}", headers=second_admin, timeout=30).status_code == 404
        assert 'name="password"' in httpx.get(f"{first.url('console')}/login", timeout=10).text

        stopped_at = time.monotonic()
        first.interrupt()
        second.interrupt()
        for stack in (first, second):
            assert stack.process is not None
            stack.process.wait(timeout=60)
    finally:
        first.kill()
        second.kill()

    assert time.monotonic() - stopped_at < 30, "everything stopped within 30 s"
    for stack in (first, second):
        assert stack.open_ports() == [], stack.output[-3000:]
        assert stack.live_pid_files() == []
