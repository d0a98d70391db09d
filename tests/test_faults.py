"""Fault injection on real processes: `greenshelf serve` and its Meilisearch killed with SIGKILL.

Each test runs the real command in a scratch directory (its own var/) and kills whole process groups by pid.
"""

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import col

from catalog import db
from catalog.audit import AuditEntry
from catalog.outbox import Outbox
from catalog.products import Product
from search.local_server import free_loopback_port
from search.supervision import LOCK_FILE
from tests.conftest import NO_MEILI
from tests.csv_files import PRODUCT_HEADER, product_gtin, product_rows, to_csv
from tests.database_locks import product_write_probe
from tests.plugins.accounts import PASSWORD, Cast
from tests.plugins.databases import Templates
from tests.waiting import wait_until

GREENSHELF = Path(sys.executable).with_name("greenshelf")
STARTUP_S = 300.0
IMPORT_ROWS = 1000
PROBE_INTERVAL_S = 0.005


class Served:
    """A running `greenshelf serve` in its own process group."""

    def __init__(self, process: asyncio.subprocess.Process, port: int, cwd: Path) -> None:
        self.process = process
        self.port = port
        self.cwd = cwd

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.port}"

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the server's whole process group (uvicorn and anything it started)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    async def health(self) -> dict[str, str] | None:
        """/healthz, or None while it does not answer."""
        try:
            async with httpx.AsyncClient(base_url=self.url, timeout=5.0) as http:
                return dict((await http.get("/healthz")).json())
        except httpx.HTTPError:
            return None


@contextlib.asynccontextmanager
async def serve(cwd: Path, database_url: str, *args: str, **env: str) -> AsyncIterator[Served]:
    """Run `greenshelf serve ARGS` in `cwd` until the block ends, then end its process group."""
    port = free_loopback_port()
    (cwd / "var").mkdir(parents=True, exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GREENSHELF_")}
    environment.update({"GREENSHELF_DATABASE_URL": database_url, **env})
    with (cwd / f"serve-{port}.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            str(GREENSHELF),
            "serve",
            "--port",
            str(port),
            *args,
            cwd=cwd,
            env=environment,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    served = Served(process, port, cwd)
    try:
        yield served
    finally:
        served.kill(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            served.kill()
            await process.wait()


def meilisearch_pids(data_dir: Path) -> list[int]:
    """Live (not zombie) Meilisearch processes running on `data_dir`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if cmdline and cmdline[0].endswith(b"meilisearch") and str(data_dir).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def process_exists(pid: int) -> bool:
    """A process with this pid exists, zombies included (a zombie keeps its /proc entry until reaped)."""
    return Path(f"/proc/{pid}").exists()


def lock_owner(cwd: Path) -> dict[str, object]:
    """What the supervisor recorded in var/meili's lock file."""
    try:
        return dict(json.loads((cwd / "var" / "meili" / LOCK_FILE).read_text() or "{}"))
    except (OSError, ValueError):
        return {}


@pytest.fixture
def sqlite_demo_url(db_templates: Templates) -> Iterator[str]:
    """A private SQLite demo catalog (these tests are about processes, not backends)."""
    url = db_templates.copy("sqlite", "demo")
    yield url
    db_templates.drop(url)


async def search_is_ok(served: Served) -> bool:
    """The server's /healthz says search ok."""
    return ((await served.health()) or {}).get("search") == "ok"


@pytest.mark.meili
async def test_a_killed_local_meilisearch_is_restarted_and_search_is_healthy_within_15_s(
    tmp_path: Path, sqlite_demo_url: str
) -> None:
    async with serve(tmp_path, sqlite_demo_url, "--local-meili") as served:
        await wait_until(lambda: search_is_ok(served), within_s=STARTUP_S, what="search ok after start")
        first = lock_owner(tmp_path)["meili_pid"]
        assert isinstance(first, int)
        os.kill(first, signal.SIGKILL)

        async def restarted_and_healthy() -> bool:
            return lock_owner(tmp_path).get("meili_pid") != first and await search_is_ok(served)

        await wait_until(restarted_and_healthy, within_s=15, what="search healthy again without restarting serve")
        assert served.process.returncode is None, "the service itself kept running"
        assert not process_exists(first), "the killed Meilisearch was reaped, not left a zombie"
        assert meilisearch_pids(tmp_path / "var" / "meili" / "data") == [lock_owner(tmp_path)["meili_pid"]]


@pytest.mark.meili
async def test_a_second_serve_on_the_same_var_uses_the_running_meilisearch_instead_of_starting_another(
    tmp_path: Path, sqlite_demo_url: str
) -> None:
    data_dir = tmp_path / "var" / "meili" / "data"
    async with serve(tmp_path, sqlite_demo_url, "--local-meili") as first:
        await wait_until(lambda: search_is_ok(first), within_s=STARTUP_S, what="the first server's search is ok")
        running = meilisearch_pids(data_dir)
        assert len(running) == 1
        async with serve(tmp_path, sqlite_demo_url, "--local-meili") as second:
            await wait_until(lambda: search_is_ok(second), within_s=STARTUP_S, what="the second server's search is ok")
            assert meilisearch_pids(data_dir) == running
        assert meilisearch_pids(data_dir) == running, "the second server's exit left the first one's Meilisearch"


@pytest.mark.meili
async def test_a_killed_server_takes_its_meilisearch_with_it_and_the_next_one_starts_cleanly(
    tmp_path: Path, sqlite_demo_url: str
) -> None:
    data_dir = tmp_path / "var" / "meili" / "data"
    async with serve(tmp_path, sqlite_demo_url, "--local-meili") as first:
        await wait_until(lambda: search_is_ok(first), within_s=STARTUP_S, what="search ok after start")
        orphan = meilisearch_pids(data_dir)
        # Only the server: its Meilisearch is not signalled by us.
        os.kill(first.process.pid, signal.SIGKILL)
        await first.process.wait()

        async def gone() -> bool:
            return not any(pid in meilisearch_pids(data_dir) for pid in orphan)

        await wait_until(gone, within_s=30, what="the orphaned Meilisearch ends with its server")
    async with serve(tmp_path, sqlite_demo_url, "--local-meili") as second:
        await wait_until(lambda: search_is_ok(second), within_s=STARTUP_S, what="the next server's search is ok")
        assert len(meilisearch_pids(data_dir)) == 1


async def counts(database_url: str) -> tuple[int, int, int]:
    """Products, outbox rows and audit entries in the database."""
    engine = db.create_engine(database_url)
    try:
        async with db.session_factory(engine)() as session:
            return (
                int(await session.scalar(select(func.count(col(Product.id)))) or 0),
                int(await session.scalar(select(func.count(col(Outbox.id)))) or 0),
                int(await session.scalar(select(func.count(col(AuditEntry.id)))) or 0),
            )
    finally:
        await engine.dispose()


async def test_a_server_killed_while_an_import_writes_leaves_nothing_of_it(
    tmp_path: Path, demo_db_url: str, cast: Cast
) -> None:
    rows = product_rows(IMPORT_ROWS)
    for n, row in enumerate(rows):
        row[3] = product_gtin(300000 + n)
    body = to_csv(PRODUCT_HEADER, rows)
    async with serve(tmp_path, demo_db_url, GREENSHELF_MEILI_URL=NO_MEILI, GREENSHELF_SYNC_WORKER="false") as served:
        await wait_until(lambda: served_answers(served), within_s=STARTUP_S, what="the server answers")
        async with httpx.AsyncClient(base_url=served.url, timeout=300.0) as http:
            token = await http.post("/api/v1/auth/token", json={"email": cast.producer_a, "password": PASSWORD})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            before = await counts(demo_db_url)
            importing = asyncio.create_task(
                http.post("/api/v1/imports/products", files={"file": ("honey.csv", body, "text/csv")}, headers=headers)
            )
            deadline = asyncio.get_running_loop().time() + STARTUP_S
            async with product_write_probe(demo_db_url) as import_writes:
                # The write lasts well under a second: probe often rather than every 0.1 s.
                while not await import_writes():
                    assert not importing.done(), f"the import ended before it was seen writing: {importing.result()}"
                    assert asyncio.get_running_loop().time() < deadline, "the import never started writing"
                    await asyncio.sleep(PROBE_INTERVAL_S)
                served.kill()
            with pytest.raises(httpx.HTTPError):
                await importing
        await served.process.wait()
    assert await counts(demo_db_url) == before


async def served_answers(served: Served) -> bool:
    """The server answers /healthz at all."""
    return await served.health() is not None
