"""`greenshelf backup` / `restore` on both backends: every table comes back, and a backup taken mid-write is whole."""

import asyncio
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlmodel import col

from catalog import db, products, tables
from catalog.audit import AuditEntry
from catalog.outbox import Outbox
from catalog.products import Product, ProductPatch
from search import documents
from search.local_server import LocalMeili
from service.cli import cli
from tests.plugins.databases import Templates, _admin, _postgres_url

EVIDENCE = b"%PDF-1.4 illustrative certificate scan\n"


@pytest.fixture
def empty_db_url(db_templates: Templates, backend: str, tmp_path: Path) -> Iterator[str]:
    """A new database of the test's backend with nothing in it, as an operator creates one to restore into."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"gs_restore_{secrets.token_hex(5)}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield _postgres_url(name)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _greenshelf(database_url: str, *args: str, **env: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={"GREENSHELF_DATABASE_URL": database_url, **env})
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


async def _tables(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the migration revision), in primary-key order."""
    engine = db.create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = {}
            for table in tables.metadata.sorted_tables:
                rows = await connection.execute(table.select().order_by(*table.primary_key))
                found[table.name] = [tuple(row) for row in rows]
            revision = await connection.execute(text("SELECT version_num FROM alembic_version"))
            found["alembic_version"] = [tuple(row) for row in revision]
            return found
    finally:
        await engine.dispose()


def test_a_restored_backup_holds_every_row_of_every_table_and_the_uploaded_files(
    demo_db_url: str, empty_db_url: str, tmp_path: Path
) -> None:
    files = tmp_path / "evidence"
    (files / "ab").mkdir(parents=True)
    (files / "ab" / "abcdef.pdf").write_bytes(EVIDENCE)
    archive = tmp_path / "backup.tar.gz"

    said = _greenshelf(demo_db_url, "backup", "-o", str(archive), "--files", str(files))
    assert "1 files" in said
    restored_files = tmp_path / "restored-evidence"
    _greenshelf(empty_db_url, "restore", str(archive), "--files", str(restored_files), "--no-reindex")

    original, restored = asyncio.run(_tables(demo_db_url)), asyncio.run(_tables(empty_db_url))
    assert original["product"], "the demo catalog has products"
    assert restored == original
    assert (restored_files / "ab" / "abcdef.pdf").read_bytes() == EVIDENCE


@pytest.mark.meili
def test_restore_rebuilds_the_search_index_from_the_restored_rows(
    demo_db_url: str, empty_db_url: str, tmp_path: Path, meili_server: LocalMeili, meili_prefix: str
) -> None:
    archive = tmp_path / "backup.tar.gz"
    _greenshelf(demo_db_url, "backup", "-o", str(archive), "--files", str(tmp_path / "none"))
    index_uid = f"{meili_prefix}products"
    said = _greenshelf(
        empty_db_url,
        "restore",
        str(archive),
        "--files",
        str(tmp_path / "restored"),
        GREENSHELF_MEILI_URL=meili_server.url,
        GREENSHELF_MEILI_MASTER_KEY=meili_server.master_key,
        GREENSHELF_MEILI_INDEX=index_uid,
    )
    assert "reindexed" in said

    async def published() -> int:
        engine = db.create_engine(empty_db_url)
        try:
            async with db.session_factory(engine)() as session:
                return len(await documents.published_ids(session))
        finally:
            await engine.dispose()

    stats = httpx.get(f"{meili_server.url}/indexes/{index_uid}/stats", headers=meili_server.headers, timeout=30)
    assert stats.json()["numberOfDocuments"] == asyncio.run(published()) > 0


def test_restore_refuses_a_database_that_is_not_empty(demo_db_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    _greenshelf(demo_db_url, "backup", "-o", str(archive), "--files", str(tmp_path / "none"))
    result = CliRunner().invoke(
        cli, ["restore", str(archive), "--no-reindex"], env={"GREENSHELF_DATABASE_URL": demo_db_url}
    )
    assert result.exit_code != 0
    assert "not empty" in result.output


class Writer(threading.Thread):
    """Renames one product over and over, each time a product row, an audit entry and an outbox row together."""

    def __init__(self, database_url: str, product_id: int) -> None:
        super().__init__(daemon=True)
        self.database_url, self.product_id = database_url, product_id
        self.writes = 0
        self.stop = threading.Event()
        self.progress = threading.Condition()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._write())
        except BaseException as exc:
            self.error = exc
            with self.progress:
                self.progress.notify_all()

    async def _write(self) -> None:
        engine = db.create_engine(self.database_url)
        try:
            while not self.stop.is_set():
                async with db.session_factory(engine)() as session, session.begin():
                    product = await products.get(session, self.product_id)
                    change = ProductPatch(version=product.version, name_en=f"Beef balls, edit {self.writes + 1}")
                    await products.patch(session, product, change, actor_id=None)
                with self.progress:
                    self.writes += 1
                    self.progress.notify_all()
        finally:
            await engine.dispose()

    def wait_for_more_than(self, count: int) -> None:
        """Block until the writer has committed more than `count` writes (it writes without pause)."""
        with self.progress:
            if not self.progress.wait_for(lambda: self.writes > count or self.error is not None, timeout=60):
                raise AssertionError(f"the writer did not get past {count} writes within 60 s")
        if self.error is not None:
            raise self.error


async def _product_state(database_url: str, product_id: int) -> tuple[int, int, int]:
    """The product's version, its update audit entries and its outbox rows."""
    engine = db.create_engine(database_url)
    try:
        async with db.session_factory(engine)() as session:
            version = await session.scalar(select(Product.version).where(col(Product.id) == product_id))
            audits = len(
                (
                    await session.execute(
                        select(AuditEntry.id).where(
                            col(AuditEntry.entity) == "product",
                            col(AuditEntry.entity_id) == product_id,
                            col(AuditEntry.action) == "update",
                        )
                    )
                ).all()
            )
            changes = len(
                (
                    await session.execute(
                        select(Outbox.id).where(col(Outbox.entity) == "product", col(Outbox.entity_id) == product_id)
                    )
                ).all()
            )
            assert version is not None
            return version, audits, changes
    finally:
        await engine.dispose()


def test_a_backup_taken_during_writes_restores_to_a_consistent_catalog(
    demo_db_url: str, empty_db_url: str, tmp_path: Path
) -> None:
    async def first_product() -> int:
        engine = db.create_engine(demo_db_url)
        try:
            async with engine.connect() as connection:
                return int(await connection.scalar(select(Product.id).where(col(Product.code) == "P001")))
        finally:
            await engine.dispose()

    product_id = asyncio.run(first_product())
    before = asyncio.run(_product_state(demo_db_url, product_id))
    writer = Writer(demo_db_url, product_id)
    writer.start()
    try:
        writer.wait_for_more_than(0)
        archive = tmp_path / "backup.tar.gz"
        _greenshelf(demo_db_url, "backup", "-o", str(archive), "--files", str(tmp_path / "none"))
        # Writes went on after the backup finished, so the backup was taken in the middle of them.
        writer.wait_for_more_than(writer.writes)
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.error is None

    _greenshelf(empty_db_url, "restore", str(archive), "--no-reindex", "--files", str(tmp_path / "restored"))
    version, audits, changes = asyncio.run(_product_state(empty_db_url, product_id))
    final_version = asyncio.run(_product_state(demo_db_url, product_id))[0]
    # Each write moved all three together; a torn copy would hold one without the others.
    edits = version - before[0]
    assert 0 < edits < final_version - before[0]
    assert (audits - before[1], changes - before[2]) == (edits, edits)


def test_backup_and_restore_explain_themselves_with_help() -> None:
    for command in ("backup", "restore"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, result.output
    assert "backup" in CliRunner().invoke(cli, ["--help"]).output
