"""``cctns users``: dashboard users, their roles and login lockouts."""

from __future__ import annotations

from typing import Annotated

import typer

from dashboards import logins
from dashboards.auth import (
    AuthError,
    Role,
    add_user,
    ensure_demo_users,
    load_users,
    remove_user,
    users_file,
)

users_app = typer.Typer(name="users", help="Dashboard users and their roles.", no_args_is_help=True)


@users_app.command("add")
def cli_add(
    name: Annotated[str, typer.Argument(help="Username (lower-case letters, digits, . _ -).")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(r.value for r in Role)}.")],
    state: Annotated[str | None, typer.Option(help="State code (SCRB: required; officer: optional).")] = None,
    display_name: Annotated[str, typer.Option(help="Name shown in the app.")] = "",
    password: Annotated[
        str | None, typer.Option(help="Password (prompted, hidden, when not given).", show_default=False)
    ] = None,
    replace: Annotated[bool, typer.Option(help="Overwrite an existing user.")] = False,
) -> None:
    """Add a dashboard user with a bcrypt-hashed password."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = add_user(None, name, password, role, state, display_name=display_name, replace=replace)
    except AuthError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"user {user.username}: {user.label} written to {users_file()}")


@users_app.command("list")
def cli_list() -> None:
    """List dashboard users (no hashes)."""
    for user in load_users(None).values():
        typer.echo(f"{user.username}\t{user.role.value}\t{user.state_code or '-'}")


@users_app.command("remove")
def cli_remove(name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Remove a dashboard user."""
    try:
        remove_user(None, name)
    except AuthError as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"user {name} removed")


@users_app.command("demo")
def cli_demo() -> None:
    """Create the demo users (one per role) and print their passwords."""
    for name, password in ensure_demo_users(None).items():
        typer.echo(f"{name}\t{password}")


@users_app.command("unlock")
def cli_unlock(name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Lift a login lockout (after too many failed logins) and reset the failure count."""

    if logins.unlock(None, name, by="cctns users unlock"):
        typer.echo(f"user {name}: lockout lifted, failure count reset")
    else:
        typer.echo(f"user {name}: not locked, no failed logins counted")
