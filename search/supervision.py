"""Keeping `greenshelf serve --local-meili`'s Meilisearch alive, alone on its data directory, and tied to its server.

- One Meilisearch per data directory: `claim_data_dir` takes an exclusive flock on `<root>/meilisearch.lock`, and
  the Meilisearch child inherits the locked descriptor, so the lock lasts while either process lives. A second
  server on the same var/ finds it taken and uses the running Meilisearch instead of starting another.
- Ended with its parent: the child asks the kernel for SIGTERM when its parent dies (PR_SET_PDEATHSIG), so a
  `kill -9` of the server leaves no orphan to collide with the next one.
- Restarted with backoff: a thread waits on the child (which also reaps it, so no zombie) and starts it again
  after 0.5 s, 1 s, 2 s … up to 10 s; a run that stayed up a minute resets the delay.
"""

import contextlib
import fcntl
import json
import logging
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from search.local_server import LocalMeili

log = logging.getLogger(__name__)

LOCK_FILE = "meilisearch.lock"
BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 10.0
HEALTHY_RUN_S = 60.0
# A Meilisearch orphaned by a killed server is ending (PR_SET_PDEATHSIG); wait this long for its lock.
ORPHAN_EXIT_S = 30.0
POLL_S = 0.1


class DataDirInUse(RuntimeError):
    """Another live server's Meilisearch runs on this data directory."""

    def __init__(self, owner: dict[str, object]) -> None:
        super().__init__(f"Meilisearch already runs on this data directory: {owner}")
        self.owner = owner

    @property
    def url(self) -> str | None:
        """Where the running Meilisearch listens, as its owner recorded it."""
        url = self.owner.get("url")
        return url if isinstance(url, str) else None


@dataclass
class DataDirLock:
    """The held lock on a data directory; its descriptor is handed to the Meilisearch child."""

    path: Path
    file: IO[str]

    @property
    def fd(self) -> int:
        """The locked descriptor, for `pass_fds`."""
        return self.file.fileno()

    def record(self, **owner: object) -> None:
        """Write who holds the directory (server pid, Meilisearch pid and URL) for the next server to read."""
        self.file.seek(0)
        self.file.truncate()
        self.file.write(json.dumps(owner))
        self.file.flush()

    def release(self) -> None:
        """Unlock and close (the child's copy of the descriptor ends with the child)."""
        with contextlib.suppress(OSError):
            fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def _owner(path: Path) -> dict[str, object]:
    try:
        found = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim_data_dir(root: Path, *, orphan_exit_s: float = ORPHAN_EXIT_S) -> DataDirLock:
    """Lock `root` for one Meilisearch, or raise DataDirInUse when a live server's Meilisearch holds it.

    When the recorded server is dead, the holder is its orphaned Meilisearch on its way out: wait for the lock.
    """
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    file = path.open("a+")
    deadline = time.monotonic() + orphan_exit_s
    while True:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return DataDirLock(path=path, file=file)
        except BlockingIOError:
            owner = _owner(path)
            if _alive(owner.get("server_pid")) or time.monotonic() >= deadline:
                file.close()
                raise DataDirInUse(owner) from None
            time.sleep(POLL_S)


class Supervisor:
    """Runs a LocalMeili and restarts it with backoff whenever it exits, until `stop`."""

    def __init__(self, server: LocalMeili, lock: DataDirLock) -> None:
        self.server = server
        self.lock = lock
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.restarts = 0

    def start(self) -> None:
        """Start Meilisearch (blocking until healthy) and the watching thread."""
        # The child inherits the locked descriptor: the data directory stays locked while it lives.
        self.server.keep_fds = (self.lock.fd,)
        self._start_server()
        self._thread = threading.Thread(target=self._watch, name="meilisearch-supervisor", daemon=True)
        self._thread.start()

    def _start_server(self) -> None:
        self.server.start()
        process = self.server.process
        self.lock.record(server_pid=os.getpid(), meili_pid=process.pid if process else None, url=self.server.url)

    def _watch(self) -> None:
        delay, started = BACKOFF_START_S, time.monotonic()
        while not self._stopping.is_set():
            process = self.server.process
            if process is None:
                code: int | None = None
            else:
                try:
                    code = process.wait(timeout=POLL_S * 5)  # waiting reaps it: no zombie
                except subprocess.TimeoutExpired:
                    continue
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= HEALTHY_RUN_S:
                delay = BACKOFF_START_S
            log.warning("Meilisearch exited (code %s); restarting in %.1fs", code, delay)
            if self._stopping.wait(delay):
                return
            self.server.stop()
            try:
                self._start_server()
                self.restarts += 1
                started = time.monotonic()
                log.info("Meilisearch restarted at %s", self.server.url)
            except RuntimeError as exc:
                log.error("Meilisearch did not restart: %s", str(exc).splitlines()[0])
            delay = min(BACKOFF_MAX_S, delay * 2)

    def stop(self) -> None:
        """Stop watching, end Meilisearch and release the data directory."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        self.server.stop()
        self.lock.release()
