"""What `cmo` does with pid files left behind, processes it finds running and ports held by
others: it says so, and never silently reuses or waits for nothing."""

import logging
import os
import socket
import subprocess
from pathlib import Path

import pytest
from cmo_cli.infra.process import Daemon, PortTaken, ProcessExited, free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]


def _sleeper(folder: Path) -> Daemon:
    return Daemon("sleeper", ["sleep", "60"], folder, folder / "sleeper.log")


def test_a_pid_file_naming_an_ended_process_is_removed_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ended = subprocess.Popen(["true"])
    ended.wait()
    daemon = _sleeper(tmp_path)
    daemon.pid_file.write_text(str(ended.pid))
    with caplog.at_level(logging.WARNING, logger="cmo"):
        started = daemon.start()
    try:
        assert f"removed the stale pid file {daemon.pid_file} (pid {ended.pid} is not running)" in (
            caplog.text
        )
        assert daemon.pid() == started != ended.pid
    finally:
        daemon.stop(kill=True)


def test_a_pid_file_naming_another_program_is_not_taken_for_the_daemon(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    daemon = _sleeper(tmp_path)
    daemon.pid_file.write_text(str(os.getpid()))  # this test's Python, alive but not `sleep`
    assert daemon.pid() is None
    with caplog.at_level(logging.WARNING, logger="cmo"):
        daemon.forget_stale()
    assert f"pid {os.getpid()} is now another program" in caplog.text
    assert not daemon.pid_file.exists()


def test_a_daemon_already_running_is_used_and_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = _sleeper(tmp_path)
    pid = first.start()
    prepared: list[bool] = []
    try:
        with caplog.at_level(logging.WARNING, logger="cmo"):
            _sleeper(tmp_path).launch([], lambda: prepared.append(True))
        assert f"sleeper: using the one already running from {tmp_path} (pid {pid})" in (
            caplog.text
        )
        assert prepared == [] and first.pid() == pid
    finally:
        first.stop(kill=True)


def test_a_port_held_by_another_process_is_refused_naming_it_and_the_setting(
    tmp_path: Path,
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        daemon = _sleeper(tmp_path)
        with pytest.raises(PortTaken) as refused:
            daemon.launch([(port, "CMO_SLEEPER_PORT")], lambda: None)
    assert f"sleeper port {port} is held by pid {os.getpid()}" in str(refused.value)
    assert "set CMO_SLEEPER_PORT" in str(refused.value)
    assert daemon.pid() is None


def test_waiting_for_a_process_that_exited_fails_at_once_with_its_log(tmp_path: Path) -> None:
    daemon = Daemon(
        "broken", ["sh", "-c", "echo cannot bind the port; exit 3"], tmp_path, tmp_path / "b.log"
    )
    daemon.start()
    port = free_port()
    with pytest.raises(ProcessExited) as exited:
        wait_until(lambda: daemon.listening(port), timeout_s=60, what="broken port")
    assert "broken exited with code 3" in str(exited.value)
    assert "cannot bind the port" in str(exited.value)


def test_cmo_infra_up_names_who_holds_the_database_port(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("CMO_")}
        env |= {"CMO_MONGODB_PORT": str(port), "CMO_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
        answer = subprocess.run(
            ["./cmo", "infra", "up"], cwd=ROOT, env=env, capture_output=True, timeout=300
        )
    said = " ".join(answer.stdout.decode().split())
    assert answer.returncode == 1, said
    assert f"ferretdb port {port} is held by pid {os.getpid()}" in said
    assert "set CMO_MONGODB_PORT" in said
