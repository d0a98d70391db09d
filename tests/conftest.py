"""Shared fixtures: a fixed 'today', databases on both backends, the app and an HTTP client."""

import re
from collections.abc import AsyncIterator
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import db
from service.app import create_app
from service.settings import Settings

pytest_plugins = ["tests.plugins.meili", "tests.plugins.databases", "tests.plugins.accounts", "tests.plugins.golden"]

BACKEND_ID = re.compile(r"\[(?:[^\]]*-)?(sqlite|postgres)(?:-[^\]]*)?\]$")
# The seed catalog's statuses were computed for late November 2026; a fixed day keeps them reproducible.
TODAY = date(2026, 11, 25)
# Nothing listens on the discard port: the app sees Meilisearch as unreachable unless a test provides one.
NO_MEILI = "http://127.0.0.1:9"


@pytest.fixture
def today() -> date:
    """The day tests run 'on'."""
    return TODAY


@pytest.fixture
async def session(demo_db_url: str) -> AsyncIterator[AsyncSession]:
    """A session on a private copy of the demo catalog."""
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as s:
        yield s
    await engine.dispose()


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings for a test app: no Meilisearch and no background worker unless asked for."""
    values: dict[str, object] = {"database_url": database_url, "meili_url": NO_MEILI, "sync_worker": False}
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def app(demo_db_url: str, today: date) -> Litestar:
    """The app on the demo catalog, living on the fixed day."""
    return create_app(make_settings(demo_db_url), today=lambda: today)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """An HTTP client that runs the app's lifespan."""
    async with AsyncTestClient(app) as c:
        yield c


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many database tests ran on each backend, so a silently skipped PostgreSQL is visible."""
    outcomes: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if getattr(report, "when", "call") not in ("call", "setup") or not nodeid.endswith(
                ("[sqlite]", "[postgres]")
            ):
                continue
            if outcome == "passed" and report.when != "call":
                continue
            backend = nodeid.rsplit("[", 1)[1].rstrip("]")
            outcomes.setdefault(backend, {}).setdefault(outcome, 0)
            outcomes[backend][outcome] += 1
    if outcomes:
        terminalreporter.section("database backends")
        for backend, counts in sorted(outcomes.items()):
            terminalreporter.write_line(f"{backend}: " + ", ".join(f"{n} {o}" for o, n in sorted(counts.items())))
