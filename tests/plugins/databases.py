"""Pytest plugin: migrated and seeded databases on SQLite and PostgreSQL, one fresh copy per test.

A template is migrated and seeded once per session (per xdist worker); each test gets a copy: a file copy on
SQLite, `CREATE DATABASE … TEMPLATE …` on PostgreSQL. Tests never share state.
"""

import asyncio
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from catalog import db, migrations
from seeds import load

POSTGRES_ADMIN_DSN = os.environ.get("GREENSHELF_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgres")


def _postgres_url(database: str) -> str:
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{database}"


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _postgres_reachable() -> str | None:
    try:
        asyncio.run(_admin("SELECT 1"))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _seed(url: str, demo: bool) -> None:
    migrations.upgrade(url)

    async def work() -> None:
        engine = db.create_engine(url)
        try:
            async with db.session_factory(engine)() as session, session.begin():
                await (load.load_demo(session) if demo else load.load_reference(session))
        finally:
            await engine.dispose()

    asyncio.run(work())


class Templates:
    """Session-wide templates per backend and kind ('demo' or 'reference'), made on first use."""

    def __init__(self, root: Path, worker: str) -> None:
        self.root = root
        self.worker = worker
        self.made: dict[tuple[str, str], str] = {}
        self.postgres_error: str | bool | None = False  # False: not checked yet
        self.databases: list[str] = []

    def postgres_problem(self) -> str | None:
        """Why PostgreSQL cannot be used, or None."""
        if self.postgres_error is False:
            self.postgres_error = _postgres_reachable()
        return self.postgres_error  # type: ignore[return-value]

    def template(self, backend: str, kind: str) -> str:
        """The template's file path (SQLite) or database name (PostgreSQL)."""
        key = (backend, kind)
        if key not in self.made:
            if backend == "sqlite":
                path = self.root / f"template-{kind}.db"
                _seed(f"sqlite+aiosqlite:///{path}", demo=kind == "demo")
                self.made[key] = str(path)
            else:
                name = f"gs_tpl_{kind}_{self.worker}_{secrets.token_hex(3)}"
                asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
                self.databases.append(name)
                _seed(_postgres_url(name), demo=kind == "demo")
                self.made[key] = name
        return self.made[key]

    def copy(self, backend: str, kind: str) -> str:
        """A fresh database cloned from the template; returns its async URL."""
        template = self.template(backend, kind)
        if backend == "sqlite":
            path = self.root / f"test-{secrets.token_hex(6)}.db"
            shutil.copyfile(template, path)
            return f"sqlite+aiosqlite:///{path}"
        name = f"gs_t_{self.worker}_{secrets.token_hex(5)}"
        asyncio.run(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        self.databases.append(name)
        return _postgres_url(name)

    def drop(self, url: str) -> None:
        """Remove a test's database."""
        if url.startswith("sqlite"):
            path = Path(url.split("///", 1)[1])
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        name = url.rsplit("/", 1)[1]
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.databases.remove(name)

    def close(self) -> None:
        """Drop every PostgreSQL database this session made."""
        for name in list(self.databases):
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Templates]:
    """The session's database templates."""
    templates = Templates(tmp_path_factory.mktemp("databases"), worker_id.replace("-", "_"))
    yield templates
    templates.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, db_templates: Templates) -> str:
    """Each database test runs once on SQLite and once on PostgreSQL."""
    name: str = request.param
    if name == "postgres":
        problem = db_templates.postgres_problem()
        if problem:
            if os.environ.get("CI"):
                pytest.fail(f"PostgreSQL is required when CI is set: {POSTGRES_ADMIN_DSN}: {problem}", pytrace=False)
            pytest.skip(f"PostgreSQL unreachable at {POSTGRES_ADMIN_DSN} ({problem}); PostgreSQL tests skipped")
    return name


def _fresh(db_templates: Templates, backend: str, kind: str) -> Iterator[str]:
    url = db_templates.copy(backend, kind)
    yield url
    db_templates.drop(url)


@pytest.fixture
def demo_db_url(db_templates: Templates, backend: str) -> Iterator[str]:
    """A private database holding the Cà Mau demo catalog."""
    yield from _fresh(db_templates, backend, "demo")


@pytest.fixture
def reference_db_url(db_templates: Templates, backend: str) -> Iterator[str]:
    """A private database with the schema and reference data only (schemes, categories, materials)."""
    yield from _fresh(db_templates, backend, "reference")
