import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import col, func, select

from catalog import db
from catalog.accounts import Account
from catalog.products import Product
from service.cli import cli
from tests.csv_files import PRODUCT_HEADER, product_rows, to_csv
from tests.plugins.accounts import PASSWORD


@pytest.fixture
def runner(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The command line pointed at a private demo catalog."""
    monkeypatch.setenv("GREENSHELF_DATABASE_URL", demo_db_url)
    return CliRunner()


def _count(url: str, table: type) -> int:
    async def count() -> int:
        engine = db.create_engine(url)
        async with db.session_factory(engine)() as session:
            total = await session.scalar(select(func.count()).select_from(table)) or 0
        await engine.dispose()
        return total

    return asyncio.run(count())


def _account(url: str, email: str) -> Account | None:
    async def find() -> Account | None:
        engine = db.create_engine(url)
        async with db.session_factory(engine)() as session:
            account = await session.scalar(select(Account).where(col(Account.email) == email))
        await engine.dispose()
        return account

    return asyncio.run(find())


def test_users_create_reads_the_password_from_stdin(runner: CliRunner, demo_db_url: str) -> None:
    args = ["users", "create", "--email", "Tan.Hung@Example.vn", "--role", "producer", "--producer", "1"]
    result = runner.invoke(cli, [*args, "--password-stdin"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "created producer account" in result.output and "tan.hung@example.vn" in result.output
    account = _account(demo_db_url, "tan.hung@example.vn")
    assert account is not None and account.password_hash.startswith("$argon2id$")
    again = runner.invoke(cli, [*args, "--password-stdin"], input=f"{PASSWORD}\n")
    assert again.exit_code == 1 and "already exists" in again.output


def test_users_create_asks_twice_and_refuses_a_short_password(runner: CliRunner) -> None:
    args = ["users", "create", "--email", "so@camau.gov.vn", "--role", "admin"]
    result = runner.invoke(cli, args, input=f"short\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "at least 10 characters" in result.output
    assert "Repeat for confirmation" in result.output


def test_a_store_account_needs_its_store(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["users", "create", "--email", "x@example.vn", "--role", "store", "--password-stdin"])
    assert result.exit_code == 2 and "store_id" in result.output


def test_import_products_names_the_bad_row_then_imports_the_corrected_file(
    runner: CliRunner, demo_db_url: str, tmp_path: Path
) -> None:
    rows = product_rows(20)
    rows[9][2] = "no_such_category"
    path = tmp_path / "honey.csv"
    path.write_bytes(to_csv(PRODUCT_HEADER, rows))
    before = _count(demo_db_url, Product)
    rejected = runner.invoke(cli, ["import", "products", str(path), "--producer", "1"])
    assert rejected.exit_code == 1
    assert "row 11, category_code: unknown category 'no_such_category'" in rejected.output
    assert _count(demo_db_url, Product) == before

    rows[9][2] = "bee_products"
    path.write_bytes(to_csv(PRODUCT_HEADER, rows))
    imported = runner.invoke(cli, ["import", "products", str(path), "--producer", "1"])
    assert imported.exit_code == 0, imported.output
    assert "imported 20 products for producer 1" in imported.output
    assert _count(demo_db_url, Product) == before + 20


def test_import_and_users_commands_have_help() -> None:
    runner = CliRunner()
    for args in (["users", "create", "--help"], ["import", "products", "--help"], ["import", "listings", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0 and "Usage:" in result.output
