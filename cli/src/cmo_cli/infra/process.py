"""Starting, waiting for and stopping background processes."""

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

log = logging.getLogger("cmo")
_children: dict[int, subprocess.Popen[bytes]] = {}


class ProcessExited(RuntimeError):
    """A background process ended while it was awaited."""


class PortTaken(RuntimeError):
    """A port the stack needs is held by a process the stack did not start."""


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on the port."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_holder(port: int) -> str | None:
    """Who listens on the port (`pid N: command`), or None when nobody does."""
    if not port_open(port):
        return None
    try:
        sockets = psutil.net_connections(kind="tcp")
    except psutil.AccessDenied:
        sockets = []
    for found in sockets:
        if found.status == psutil.CONN_LISTEN and found.laddr and found.laddr.port == port:
            if found.pid is None:
                break
            with contextlib.suppress(psutil.Error):
                return f"pid {found.pid}: {' '.join(psutil.Process(found.pid).cmdline())[:160]}"
            return f"pid {found.pid}"
    return "a process this user cannot see"


def ensure_free(port: int, what: str, setting: str) -> None:
    """Raise `PortTaken`, naming the holder and the setting that moves it, if the port is held."""
    holder = port_holder(port)
    if holder is not None:
        raise PortTaken(
            f"{what} port {port} is held by {holder}; stop that process or set {setting}"
        )


@dataclass
class Daemon:
    """A background process with a pid file and a log file."""

    name: str
    command: list[str]
    run_dir: Path
    log_file: Path
    env: dict[str, str] | None = None

    @property
    def pid_file(self) -> Path:
        """Where the pid of the running process is kept."""
        return self.run_dir / f"{self.name}.pid"

    def pid(self) -> int | None:
        """Pid of the running process, if the pid file names a live process of this program."""
        recorded = self._recorded_pid()
        if recorded is None or self._stale_because(recorded) is not None:
            return None
        return recorded

    def _recorded_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text())
        except (OSError, ValueError):
            return None

    def _stale_because(self, pid: int) -> str | None:
        """Why the recorded pid is not this daemon any more (None: it is)."""
        try:
            argv = psutil.Process(pid).cmdline()
        except psutil.NoSuchProcess:
            return f"pid {pid} is not running"
        except psutil.Error:
            return None  # alive, but not ours to read: assume it is what the file says
        if argv and _program(argv[0]) != _program(self.command[0]):
            # an empty argv is a process between exec and its arguments: not conclusive
            return f"pid {pid} is now another program ({' '.join(argv)[:80]})"
        return None

    def forget_stale(self) -> None:
        """Remove a pid file left by a process that is gone, saying so."""
        recorded = self._recorded_pid()
        if recorded is None:
            self.pid_file.unlink(missing_ok=True)
            return
        why = self._stale_because(recorded)
        if why is not None:
            log.warning("%s: removed the stale pid file %s (%s)", self.name, self.pid_file, why)
            self.pid_file.unlink(missing_ok=True)

    def ensure_alive(self) -> None:
        """Raise `ProcessExited` with the end of its log if the started process has ended."""
        pid = self._recorded_pid()
        child = _children.get(pid) if pid is not None else None
        if child is not None:
            if child.poll() is None:
                return
            code = f" with code {child.returncode}"
        elif pid is not None and _alive(pid):
            return
        else:
            code = ""
        tail = ""
        with contextlib.suppress(OSError):
            tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
        raise ProcessExited(
            f"{self.name} exited{code}; the end of {self.log_file}:\n{tail or '(empty)'}"
        )

    def launch(self, ports: list[tuple[int, str]], prepare: Callable[[], None]) -> None:
        """Start unless running; a running one is used and said so, a held port refused.

        `ports` are (port, the setting that moves it); `prepare` runs just before starting.
        """
        pid = self.pid()
        if pid is not None:
            log.warning(
                "%s: using the one already running from %s (pid %s); `./cmo infra down` stops it",
                self.name,
                self.run_dir,
                pid,
            )
            return
        for port, setting in ports:
            ensure_free(port, self.name, setting)
        prepare()
        self.start()

    def listening(self, port: int) -> bool:
        """Whether the process accepts connections on the port; `ProcessExited` if it ended."""
        self.ensure_alive()
        return port_open(port)

    def start(self) -> int:
        """Start detached, in its own session so a Ctrl-C in the terminal does not reach it."""
        self.forget_stale()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env={**os.environ, **(self.env or {})},
            )
        _children[process.pid] = process  # reaped in stop(); never garbage-collected running
        self.pid_file.write_text(str(process.pid))
        return process.pid

    def stop(self, *, kill: bool = False, timeout_s: float = 20.0) -> None:
        """Stop gracefully (SIGTERM, then SIGKILL after the timeout), or kill at once."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL if kill else signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    with contextlib.suppress(ChildProcessError):
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(check, *, timeout_s: float, what: str, interval_s: float = 0.2) -> None:
    """Poll `check()` until it is true, or raise `TimeoutError` naming `what`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval_s)
    raise TimeoutError(f"{what} not ready after {timeout_s:.0f}s")


def _program(path: str) -> str:
    """A binary's program name without its version (`ferretdb-v1.24.2-1a2b` is `ferretdb`).

    So that a daemon started by an older build is still recognised as the same program.
    """
    return Path(path).name.split("-", 1)[0]
