"""Backups of the catalog database and the uploaded files, and restoring them into an empty database.

One archive (`.tar.gz`) holds `manifest.json`, the database (`database.sqlite` from SQLite's online backup API, or
`database.pgdump` from `pg_dump --format=custom`) and `files/`, a copy of the uploads folder. Both database copies are
a single consistent snapshot taken while the app keeps writing. The search index is never backed up: it is rebuilt
from the database after a restore.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DUMP_NAMES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says what to do."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds, so a restore can refuse the wrong target before touching it."""

    backend: str
    created_at: str
    files: int

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        """The manifest of an unpacked archive."""
        try:
            data: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"not a Green Shelf backup (no readable {MANIFEST})") from exc
        if data.get("format") != FORMAT or data.get("backend") not in DUMP_NAMES:
            raise BackupError(f"unsupported backup format: {data.get('format')!r} / {data.get('backend')!r}")
        return cls(backend=data["backend"], created_at=data["created_at"], files=int(data.get("files", 0)))


def _backend(url: URL) -> str:
    name = url.get_backend_name()
    if name not in DUMP_NAMES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore and their environment; the password never goes on argv."""
    args = ["--dbname", url.database or "", "--host", url.host or "127.0.0.1", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} not found: install postgresql-client matching the server's major version")
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(url: URL, target: Path) -> None:
    if _backend(url) == "sqlite":
        source_path = _sqlite_path(url)
        if not source_path.exists():
            raise BackupError(f"no database at {source_path}")
        # The online backup API copies a consistent snapshot while other connections keep writing.
        with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        source.close()
        return
    args, env = _libpq(url)
    # pg_dump reads in one repeatable-read snapshot: a consistent catalog even while the app writes.
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)


def backup(database_url: str, files_dir: Path | None, archive: Path) -> Manifest:
    """Write the database and the uploads folder (when it exists) into `archive`."""
    url = make_url(database_url)
    backend = _backend(url)
    with tempfile.TemporaryDirectory(prefix="greenshelf-backup-") as work:
        folder = Path(work)
        _dump_database(url, folder / DUMP_NAMES[backend])
        copied = 0
        if files_dir is not None and files_dir.is_dir():
            shutil.copytree(files_dir, folder / FILES)
            copied = sum(1 for path in (folder / FILES).rglob("*") if path.is_file())
        manifest = Manifest(backend=backend, created_at=datetime.now(UTC).isoformat(), files=copied)
        (folder / MANIFEST).write_text(
            json.dumps({"format": FORMAT, **manifest.__dict__}, indent=2) + "\n", encoding="utf-8"
        )
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            for path in sorted(folder.iterdir()):
                tar.add(path, arcname=path.name)
        # Renamed only when complete, so a crash never leaves a truncated file under the real name.
        partial.replace(archive)
    return manifest


def _is_empty(url: URL) -> bool:
    if _backend(url) == "sqlite":
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(path) as connection:
            found = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        connection.close()
        return int(found[0]) == 0
    args, env = _libpq(url)
    psql = shutil.which("psql")
    if psql is None:
        raise BackupError("psql not found: install postgresql-client matching the server's major version")
    query = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    result = subprocess.run(
        [psql, *args, "--no-psqlrc", "--tuples-only", "--no-align", "--command", query],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"cannot reach the target database: {result.stderr.strip()}")
    return int(result.stdout.strip() or 0) == 0


def _extract(archive: Path, folder: Path) -> None:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"cannot read {archive}: {exc}") from exc


def restore(archive: Path, database_url: str, files_dir: Path | None) -> Manifest:
    """Load `archive` into an empty database of the same kind and put its files back."""
    url = make_url(database_url)
    backend = _backend(url)
    with tempfile.TemporaryDirectory(prefix="greenshelf-restore-") as work:
        folder = Path(work)
        _extract(archive, folder)
        manifest = Manifest.read(folder)
        if manifest.backend != backend:
            raise BackupError(f"this backup is of a {manifest.backend} database; the target is {backend}")
        if not _is_empty(url):
            raise BackupError("the target database is not empty: restore only into a new, empty database")
        dump = folder / DUMP_NAMES[backend]
        if backend == "sqlite":
            target = _sqlite_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(dump) as source, sqlite3.connect(target) as copy:
                source.backup(copy)
            copy.close()
            source.close()
        else:
            args, env = _libpq(url)
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  *args, str(dump)], env)  # fmt: skip
        if files_dir is not None and (folder / FILES).is_dir():
            shutil.copytree(folder / FILES, files_dir, dirs_exist_ok=True)
    return manifest
