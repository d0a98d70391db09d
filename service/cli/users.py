"""`greenshelf users …`: accounts for producers, stores and the province."""

import sys

import click
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import accounts
from catalog.accounts import Account, AccountDraft, Role
from catalog.errors import CatalogError
from service import auth
from service.cli.sessions import run_in_transaction
from service.settings import Settings


@click.group()
def users() -> None:
    """Accounts of producers, stores and the province."""


def _acceptable(password: str) -> str:
    try:
        auth.check_password_strength(password)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    return password


@users.command()
@click.option("--email", required=True, help="The login; stored in lower case.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="What the account acts as.")
@click.option("--producer", "producer_id", type=int, help="Producer id (role producer).")
@click.option("--store", "store_id", type=int, help="Store id (role store).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_obj
def create(
    settings: Settings, email: str, role: str, producer_id: int | None, store_id: int | None, password_stdin: bool
) -> None:
    """Create an account; the password is asked twice unless --password-stdin is given."""
    try:
        draft = AccountDraft(email=email, role=Role(role), producer_id=producer_id, store_id=store_id)
    except ValidationError as exc:
        raise click.UsageError("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from exc
    if password_stdin:
        password = _acceptable(sys.stdin.readline().rstrip("\r\n"))
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, value_proc=_acceptable)
    password_hash = auth.hash_password(password)

    async def work(session: AsyncSession) -> Account:
        return await accounts.create(session, draft, password_hash=password_hash, actor_id=None)

    try:
        account = run_in_transaction(settings.database_url, work)
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {account.role.value} account {account.id}: {account.email}")
