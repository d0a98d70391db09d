"""A live app under uvicorn on a free loopback port, per database backend, for schemathesis to fuzz."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from catalog import db
from catalog.accounts import Role
from search.local_server import free_loopback_port
from tests.conftest import NO_MEILI
from tests.plugins.accounts import PASSWORD, add_account
from tests.plugins.databases import BACKENDS, POSTGRES_ADMIN_DSN, Templates
from tests.waiting import wait_until

ADMIN = "fuzz.admin@camau.gov.vn"
START_WITHIN_S = 180.0  # a busy 2-core machine can take a minute to import and start


@dataclass(frozen=True)
class LiveApi:
    """Where the app listens, and the headers its caller sends (an admin's bearer token, or none)."""

    backend: str
    url: str
    headers: dict[str, str]


def _add_admin(url: str, password_hash: str) -> None:
    async def work() -> None:
        engine = db.create_engine(url)
        async with db.session_factory(engine)() as session, session.begin():
            await add_account(session, ADMIN, Role.ADMIN, password_hash)
        await engine.dispose()

    asyncio.run(work())


def _wait_for_health(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    async def healthy() -> bool:
        if server.poll() is not None:
            raise AssertionError(f"uvicorn exited ({server.returncode}); its log is {log}")
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(f"{url}/healthz")).status_code in (200, 503)
        except httpx.TransportError:
            return False

    asyncio.run(wait_until(healthy, within_s=START_WITHIN_S, what=f"uvicorn answering at {url}"))


@pytest.fixture(scope="module", params=[(b, w) for b in BACKENDS for w in ("anonymous", "admin")], ids="-".join)
def live_api(
    request: pytest.FixtureRequest,
    db_templates: Templates,
    password_hash: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveApi]:
    """The real app, served by uvicorn on a copy of the demo catalog, called anonymously or as an admin."""
    backend, who = request.param
    if backend == "postgres" and (problem := db_templates.postgres_problem()):
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required when CI is set: {POSTGRES_ADMIN_DSN}: {problem}", pytrace=False)
        pytest.skip(f"PostgreSQL unreachable ({problem})")
    database_url = db_templates.copy(backend, "demo")
    _add_admin(database_url, password_hash)
    port = free_loopback_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("uvicorn") / "server.log"
    env = {
        **os.environ,
        "GREENSHELF_DATABASE_URL": database_url,
        "GREENSHELF_MEILI_URL": NO_MEILI,
        "GREENSHELF_SYNC_WORKER": "false",
        "GREENSHELF_PUBLIC_BASE_URL": url,
    }
    command = [sys.executable, "-m", "uvicorn", "service.app:app_from_env", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_for_health(url, server, log)
        token = httpx.post(f"{url}/api/v1/auth/token", json={"email": ADMIN, "password": PASSWORD}, timeout=30)
        token.raise_for_status()
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        yield LiveApi(backend, url, bearer if who == "admin" else {})
    finally:
        server.terminate()
        server.wait(timeout=30)
        db_templates.drop(database_url)
