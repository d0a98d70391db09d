"""A local Meilisearch process: provisioned by deploy/meilisearch/provision.sh, started and stopped here.

Used by `greenshelf serve --local-meili` (what `make run` does), the test suite and the benchmarks.
"""

import ctypes
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

PROVISION_TIMEOUT_S = 900.0
HEALTH_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
TASK_TIMEOUT_S = 30.0
POLL_INTERVAL_S = 0.05
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when the parent dies, so no Meilisearch is orphaned."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return  # not Linux: the supervisor's lock file still keeps a second instance off the data directory


def free_loopback_port() -> int:
    """Ask the kernel for an unused loopback port so parallel sessions never collide."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:`port` (so a second `make run` does not collide)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def tail_of_log(path: Path, lines: int = 30) -> str:
    """Return the end of a log file so start-up failures explain themselves."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no log>"


@dataclass
class LocalMeili:
    """A Meilisearch process on a fixed port and data dir that tests can stop and restart."""

    binary: Path
    port: int
    master_key: str
    root_dir: Path
    data_dir: Path
    log_path: Path
    extra_args: tuple[str, ...] = ()
    # Descriptors the child inherits (the supervisor's data-directory lock).
    keep_fds: tuple[int, ...] = ()
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _log_file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Base URL, so callers never build it from the port themselves."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def headers(self) -> dict[str, str]:
        """Master-key auth header, for tests that talk to the REST API directly."""
        return {"Authorization": f"Bearer {self.master_key}"}

    def is_running(self) -> bool:
        """Tell whether the process is alive, so teardown can undo a test's outage."""
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = HEALTH_TIMEOUT_S) -> None:
        """(Re)start on the same port and data dir and block until /health says available."""
        if self.is_running():
            return
        args = [
            str(self.binary),
            "--db-path",
            # Absolute: Meilisearch runs in root_dir, where a relative var/meili/data meant var/meili/var/meili/data.
            str(self.data_dir.resolve()),
            "--http-addr",
            f"127.0.0.1:{self.port}",
            "--master-key",
            self.master_key,
            "--env",
            "development",
            "--no-analytics",
            "--dump-dir",
            str(self.root_dir.resolve() / "dumps"),
            "--snapshot-dir",
            str(self.root_dir.resolve() / "snapshots"),
            *self.extra_args,
        ]
        # Drop MEILI_* so a developer's environment cannot change the instance under test.
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
        self._log_file = self.log_path.open("ab")
        # cwd=root_dir keeps Meilisearch from picking up a stray ./config.toml.
        self.process = subprocess.Popen(
            args,
            cwd=self.root_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            pass_fds=self.keep_fds,
            # Only prctl runs between fork and exec, which is safe even with other threads running.
            preexec_fn=die_with_parent,
        )
        self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float) -> None:
        """Poll /health within a deadline, failing fast if the process dies first."""
        deadline = time.monotonic() + timeout
        last_error = "no answer yet"
        with httpx.Client(timeout=1.0) as client:
            while time.monotonic() < deadline:
                if self.process is None or self.process.poll() is not None:
                    code = None if self.process is None else self.process.returncode
                    self.stop()
                    raise RuntimeError(
                        f"meilisearch exited (code {code}) before becoming healthy; "
                        f"log {self.log_path}:\n{tail_of_log(self.log_path)}"
                    )
                try:
                    resp = client.get(f"{self.url}/health")
                    if resp.status_code == 200 and resp.json().get("status") == "available":
                        return
                    last_error = f"HTTP {resp.status_code}: {resp.text[:200]}"
                except (httpx.HTTPError, ValueError) as exc:
                    last_error = repr(exc)
                time.sleep(POLL_INTERVAL_S)
        self.stop()
        raise RuntimeError(
            f"meilisearch not healthy after {timeout:.0f}s ({last_error}); "
            f"log {self.log_path}:\n{tail_of_log(self.log_path)}"
        )

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Terminate and reap the process (kill if it hangs), simulating an outage."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


class ProvisionError(RuntimeError):
    """No Meilisearch binary could be had; the message says why in one line."""


def provision_script(repo_root: Path | None = None) -> Path:
    """Where the provisioning script lives in a source checkout."""
    root = repo_root or Path(__file__).resolve().parents[1]
    return root / "deploy" / "meilisearch" / "provision.sh"


def provision_binary(script: Path | None = None) -> Path:
    """Run the provisioning script and return the binary's path, or raise ProvisionError."""
    script = script or provision_script()
    if not script.exists():
        raise ProvisionError(f"{script} not found (not a source checkout?)")
    try:
        result = subprocess.run(
            ["bash", str(script)], capture_output=True, text=True, timeout=PROVISION_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProvisionError(f"provisioning could not run: {exc!r}") from exc
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise ProvisionError(result.stderr.strip() or f"{script} exited {result.returncode}")
    return Path(lines[-1])
