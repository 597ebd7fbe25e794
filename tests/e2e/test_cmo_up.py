"""`./cmo up` as a newcomer runs it: the whole stack on its own ports, stopped by one Ctrl-C."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
from cmo_cli.infra.process import free_port, port_open
from cmo_shared.services import SERVICES

from tests.helpers import applicant

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


def test_one_ctrl_c_stops_every_process_of_a_stack_on_other_ports(tmp_path: Path) -> None:
    ports = {f"CMO_{s.name.upper()}_PORT": free_port() for s in SERVICES}
    infra_ports = {
        name: free_port()
        for name in ("CMO_KAFKA_PORT", "CMO_KAFKA_CONTROLLER_PORT", "CMO_MONGODB_PORT")
    }
    infra_ports["CMO_SMTP_PORT"] = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("CMO_") and k.endswith(("_URL", "_BOOTSTRAP", "_PORT")))
    }
    env |= {k: str(v) for k, v in {**ports, **infra_ports}.items()}
    env["CMO_DATA_DIR"] = str(tmp_path / "var")
    log = (tmp_path / "cmo-up.log").open("wb")
    stack = subprocess.Popen(
        ["./cmo", "up"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own, as a terminal gives it
    )
    gateway = f"http://127.0.0.1:{ports['CMO_GATEWAY_PORT']}"
    members = f"http://127.0.0.1:{ports['CMO_MEMBERS_PORT']}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert stack.poll() is None, (tmp_path / "cmo-up.log").read_text()[-3000:]
            try:
                if httpx.get(f"{gateway}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            raise AssertionError("the stack was not ready in 240 s")
        # The command says how long the whole stack took to start, once every service answers.
        output = tmp_path / "cmo-up.log"
        while "every service ready in" not in output.read_text(errors="replace"):
            assert time.monotonic() < deadline, output.read_text()[-3000:]
            time.sleep(0.5)
        said = re.search(
            r"every service ready in ([0-9.]+) s \((\d+) services\)", output.read_text()
        )
        assert said is not None and float(said[1]) > 0
        assert int(said[2]) == len(SERVICES)
        console = f"http://127.0.0.1:{ports['CMO_CONSOLE_PORT']}"
        assert 'name="password"' in httpx.get(f"{console}/login", timeout=10).text

        # The gateway reaches this stack's members service, not one on the default port.
        public = httpx.get(f"{gateway}/directory.json", timeout=10)
        assert public.status_code == 200, public.text
        created = httpx.post(
            f"{members}/members", json=applicant(("A", "a@x.example", "en")), timeout=10
        )
        assert created.status_code == 201, created.text

        stopped_at = time.monotonic()
        os.killpg(stack.pid, signal.SIGINT)
        time.sleep(0.2)
        os.killpg(stack.pid, signal.SIGINT)  # a second one (uv run used to send it) changes nothing
        stack.wait(timeout=60)
    finally:
        if stack.poll() is None:
            os.killpg(stack.pid, signal.SIGKILL)
        log.close()

    open_ports = [
        name
        for name, port in {**ports, **infra_ports}.items()
        if name != "CMO_KAFKA_CONTROLLER_PORT" and port_open(port)
    ]
    leftovers = [p.name for p in (tmp_path / "var").rglob("*.pid") if _alive(p)]
    assert time.monotonic() - stopped_at < 30, "everything stopped within 30 s"
    assert open_ports == [], (tmp_path / "cmo-up.log").read_text()[-3000:]
    assert leftovers == []
