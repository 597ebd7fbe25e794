"""`python -m cmo_gateway.admin create-admin`: the first account, created on the database."""

import asyncio
import os
import sys
from typing import Annotated

import typer
from cmo_shared.errors import DomainError
from cmo_shared.mongo import connect

from .accounts.domain import Role
from .accounts.repository import Users
from .settings import GatewaySettings

app = typer.Typer(help="Administer the gateway's accounts.", no_args_is_help=True)
PASSWORD_ENV = "CMO_ADMIN_PASSWORD"


@app.callback()
def main() -> None:
    """Administer the gateway's accounts."""


@app.command("create-admin")
def create_admin(
    login: Annotated[str, typer.Option(help="The admin's email address (their login).")],
    name: Annotated[str, typer.Option(help="The admin's name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an admin account (password from stdin, $CMO_ADMIN_PASSWORD or a prompt)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = os.environ.get(PASSWORD_ENV) or typer.prompt(
            "password", hide_input=True, confirmation_prompt=True
        )
    try:
        user_id = asyncio.run(_create(login, name, password))
    except DomainError as exc:
        typer.echo(f"refused: {exc.message}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"admin {login} created ({user_id})")


async def _create(login: str, name: str, password: str) -> str:
    settings = GatewaySettings()
    client = connect(settings.mongodb_url)
    try:
        users = Users(client[f"{settings.db_prefix}_gateway"])
        await users.ensure_indexes()
        user = await users.create(
            login=login, password=password, role=Role.ADMIN, name=name, created_by="cli"
        )
        return str(user["_id"])
    finally:
        await client.close()


if __name__ == "__main__":
    app()
