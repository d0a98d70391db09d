"""Pytest plugin: a throwaway Meilisearch per test session, and per-test index prefixes."""

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from search.local_server import LocalMeili, ProvisionError, free_loopback_port, provision_binary

MeiliServer = LocalMeili
TASK_TIMEOUT_S = 30.0
POLL_INTERVAL_S = 0.05


def _provision_binary() -> Path:
    """Provision the binary; skip locally or fail on CI when it cannot be had."""
    try:
        return provision_binary()
    except ProvisionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Meilisearch provisioning failed:\n{exc}", pytrace=False)
        reason = str(exc).strip().splitlines()[-1].removeprefix("provision-meilisearch: ").removeprefix("ERROR: ")
        pytest.skip(f"Meilisearch unavailable, skipping (deploy/meilisearch/provision.sh: {reason})")


@pytest.fixture(scope="session")
def meili_server() -> Iterator[MeiliServer]:
    """One throwaway Meilisearch for the whole session, torn down with its data at the end."""
    binary = _provision_binary()
    root = Path(tempfile.mkdtemp(prefix="greenshelf-meili-"))
    for sub in ("data", "dumps", "snapshots"):
        (root / sub).mkdir()
    server = MeiliServer(
        binary=binary,
        port=free_loopback_port(),
        master_key=secrets.token_hex(16),
        root_dir=root,
        data_dir=root / "data",
        log_path=root / "meilisearch.log",
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _wait_task(client: httpx.Client, task_uid: int) -> None:
    """Wait for a Meilisearch task so the next test starts from a settled state."""
    deadline = time.monotonic() + TASK_TIMEOUT_S
    while time.monotonic() < deadline:
        status = client.get(f"/tasks/{task_uid}").raise_for_status().json()["status"]
        if status in ("succeeded", "failed", "canceled"):
            return
        time.sleep(POLL_INTERVAL_S)
    raise TimeoutError(f"meilisearch task {task_uid} did not finish in {TASK_TIMEOUT_S:.0f}s")


@pytest.fixture
def meili_prefix(meili_server: MeiliServer) -> Iterator[str]:
    """A unique index-uid prefix per test, whose indexes are deleted afterwards."""
    prefix = f"t_{secrets.token_hex(4)}_"
    yield prefix
    # A test that simulated an outage may have left the server down; later tests need it.
    if not meili_server.is_running():
        meili_server.start()
    with httpx.Client(base_url=meili_server.url, headers=meili_server.headers, timeout=10.0) as client:
        indexes = client.get("/indexes", params={"limit": 1000}).raise_for_status().json()
        task_uids = [
            client.delete(f"/indexes/{idx['uid']}").raise_for_status().json()["taskUid"]
            for idx in indexes["results"]
            if idx["uid"].startswith(prefix)
        ]
        for task_uid in task_uids:
            _wait_task(client, task_uid)
