"""FerretDB (MongoDB wire protocol over SQLite) run as a local process."""

from dataclasses import dataclass
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from .process import Daemon, wait_until


@dataclass
class FerretNode:
    """One FerretDB server with its SQLite files under `home`."""

    binary: Path
    home: Path
    port: int = 27017

    @property
    def url(self) -> str:
        """The MongoDB connection URL."""
        return f"mongodb://127.0.0.1:{self.port}/"

    @property
    def daemon(self) -> Daemon:
        """The server's process."""
        data = self.home / "data"
        return Daemon(
            name="ferretdb",
            command=[
                str(self.binary),
                "--listen-addr",
                f"127.0.0.1:{self.port}",
                "--sqlite-url",
                f"file:{data}/?_pragma=synchronous(normal)&_pragma=busy_timeout(30000)&_txlock=immediate",
                "--log-level",
                "warn",
            ],
            run_dir=self.home,
            log_file=self.home / "ferretdb.log",
        )

    def running(self) -> bool:
        """Whether this server's process is alive."""
        return self.daemon.pid() is not None

    def start(self, timeout_s: float = 30.0) -> None:
        """Start the server and wait until it answers a ping."""
        daemon = self.daemon
        daemon.launch(
            [(self.port, "CMO_MONGODB_PORT")],
            lambda: (self.home / "data").mkdir(parents=True, exist_ok=True),
        )
        wait_until(lambda: daemon.listening(self.port), timeout_s=timeout_s, what="FerretDB port")
        wait_until(lambda: _ping(self.url), timeout_s=timeout_s, what="FerretDB ping")

    def stop(self) -> None:
        """Stop the server."""
        self.daemon.stop()


def _ping(url: str) -> bool:
    client: MongoClient = MongoClient(url, serverSelectionTimeoutMS=1000)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()
