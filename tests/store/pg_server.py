"""A real, throw-away PostgreSQL server for the store tests, from Debian's packages.

`PostgresServer.start()` runs `initdb` into a fresh temporary folder and starts `postgres`
with `pg_ctl`, listening on a Unix socket in that folder only (`listen_addresses=''`: no TCP
port at all), trust authentication, fsync off (a test server: speed over durability across
power cuts; crash atomicity within the server is untouched). PostgreSQL refuses to run as
root, so under root the server runs as the `postgres` system user the Debian package
creates (`runuser -u postgres --`), and the folder is handed to that user. `stop()` shuts
the server down (`pg_ctl stop -m fast`) and deletes the folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, if any."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(v) if (v := Path(p).parent.parent.name).isdigit() else 0,
    )
    for initdb in reversed(candidates):
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists() and (bindir / "postgres").exists():
            return bindir
    return None


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root: Path | None = None
        self._as_user: list[str] = []
        self._databases = 0

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root

    def _run(self, *args: str | Path) -> None:
        completed = subprocess.run(
            [*self._as_user, *map(str, args)],
            capture_output=True, text=True, cwd=self.root, timeout=120, check=False,
        )
        if completed.returncode != 0:
            log = self.root / "server.log" if self.root else None
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(
                f"{args[0]} failed ({completed.returncode}):\n{completed.stdout}\n"
                f"{completed.stderr}\n{tail}"
            )

    def start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="auditor-pg-"))
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")  # created by Debian's postgresql-common
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as_user = ["runuser", "-u", "postgres", "--"]
        data = self.root / "data"
        self._run(
            self.bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses='' -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(
            self.bindir / "pg_ctl", "-D", data, "-l", self.root / "server.log",
            "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        if self.root is None:
            return
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(self.bindir / "pg_ctl", "-D", self.root / "data", "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        """A new, empty database; its URL."""
        self._databases += 1
        name = f"store_test_{self._databases}"
        with self.admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}"
