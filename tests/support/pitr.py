"""A private PostgreSQL 15 cluster archiving its WAL, and the runbook's point-in-time recovery of it (docs/operations.md,
"Point-in-time recovery"): a base backup, then a new data directory replaying the archive up to a moment."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import psycopg

BIN = Path("/usr/lib/postgresql/15/bin")
TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def available() -> bool:
    return all((BIN / tool).is_file() for tool in TOOLS)


def _as_owner() -> list[str]:
    """PostgreSQL refuses to run as root: as root, its tools run as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _owned(path: Path) -> Path:
    """`path`, made if missing, belonging to whoever runs the server."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for folder, _dirs, files in os.walk(path):
            for name in [folder, *(os.path.join(folder, f) for f in files)]:
                os.chown(name, owner.pw_uid, owner.pw_gid)
    return path


def workspace() -> Path:
    """A folder for a cluster, its archive and its backups, outside pytest's (which only its user may enter)."""
    return _owned(Path(tempfile.mkdtemp(prefix="ochotnicy-pitr-")))


def _run(*command: str | Path) -> str:
    done = subprocess.run([*_as_owner(), *(str(part) for part in command)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{command[0]}: {done.stdout}{done.stderr}"
    return done.stdout


class Cluster:
    """A server on `port` whose data directory is `data`, archiving every WAL segment into `archive` as it fills."""

    def __init__(self, data: Path, archive: Path, port: int) -> None:
        self.data, self.archive, self.port = data, archive, port
        self.restored: Cluster | None = None

    @classmethod
    def create(cls, data: Path, archive: Path, port: int) -> Cluster:
        _run(BIN / "initdb", "-D", _owned(data), "-U", "postgres", "--auth=trust", "--no-sync")
        _owned(archive)
        settings = {  # what docs/operations.md gives compose's postgres, the archive a folder here
            "listen_addresses": "'127.0.0.1'", "port": str(port), "unix_socket_directories": "''",  # TCP only
            "wal_level": "replica", "archive_mode": "on", "archive_timeout": "60",
            "archive_command": f"'test ! -f {archive}/%f && cp %p {archive}/%f'",
            "fsync": "off",  # a test's throwaway cluster: nothing to keep through a power cut
        }
        with open(data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        return cls(data, archive, port)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres"):
        with psycopg.connect(self.url(database).replace("+psycopg", ""), autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchone() if cursor.description else None

    def start(self) -> Cluster:
        _run(BIN / "pg_ctl", "-D", self.data, "-l", self.data.parent / f"{self.data.name}.log", "-w", "start")
        return self

    def stop(self) -> None:
        subprocess.run([*_as_owner(), str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                       capture_output=True)

    def base_backup(self, into: Path) -> Path:
        """`pg_basebackup -D <into> -Ft -z -X fetch --checkpoint=fast`: one compressed tar of the server and the WAL it needs."""
        _run(BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-D", _owned(into),
             "-Ft", "-z", "-X", "fetch", "--checkpoint=fast")
        return into / "base.tar.gz"

    def archive_all(self, timeout: float = 30.0) -> None:
        """Closes the current WAL segment and waits until the archiver has copied it (archive_timeout would, in time)."""
        (segment,) = self.sql("SELECT pg_walfile_name(pg_switch_wal())")
        deadline = time.monotonic() + timeout
        while not (self.archive / segment).exists():
            assert time.monotonic() < deadline, f"{segment} was not archived in {timeout} s"
            time.sleep(0.1)

    def restore(self, base: Path, target_time: str, into: Path) -> Cluster:
        """The runbook's steps: unpack the base backup into an empty data directory, say where the archive is and the
        moment to stop at, create recovery.signal, start; the server replays the archive to the moment and opens."""
        into.mkdir(mode=0o700)
        with tarfile.open(base) as tar:
            tar.extractall(into, filter="tar")
        with open(into / "postgresql.auto.conf", "a") as conf:
            conf.write(f"restore_command = 'cp {self.archive}/%f %p'\n")
            conf.write(f"recovery_target_time = '{target_time}'\n")
            conf.write("recovery_target_action = 'promote'\n")
        (into / "recovery.signal").touch()
        _owned(into)
        restored = self.restored = Cluster(into, self.archive, self.port).start()
        deadline = time.monotonic() + 30
        while restored.sql("SELECT pg_is_in_recovery()")[0]:
            assert time.monotonic() < deadline, "the restored server is still replaying the archive after 30 s"
            time.sleep(0.1)
        return restored

    def remove(self) -> None:
        """Stops the server, and the one restored from it, and removes their whole workspace."""
        if self.restored is not None:
            self.restored.stop()
        self.stop()
        shutil.rmtree(self.data.parent, ignore_errors=True)
