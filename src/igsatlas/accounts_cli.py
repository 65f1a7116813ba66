"""`igs user add | list`: accounts are made by a beheerder on the command line (or on /beheer/accounts)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from igsatlas.config import Settings
from igsatlas.store import accounts
from igsatlas.store.accounts import AccountRole
from igsatlas.store.engine import create_schema, make_engine


def add_parser(sub: Any) -> None:
    user = sub.add_parser("user", help="manage accounts of redacteurs, eindredacteurs and beheerders")
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an account")
    add.add_argument("--email", required=True, help="the address the person signs in with")
    add.add_argument("--name", required=True, help="the name reviewers see")
    add.add_argument("--role", required=True, choices=[r.value for r in AccountRole], help="what the account may do")
    add.add_argument(
        "--scope",
        action="append",
        default=[],
        help="a NIS code or organisation id a redacteur may edit (repeatable; default: everything)",
    )
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    actions.add_parser("list", help="list the accounts (names and roles; no addresses)")


def cmd_user(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        create_schema(engine)
        if args.action == "list":
            with engine.connect() as conn:
                found = accounts.all_accounts(conn)
            for a in found:
                print(f"{a.id}\t{a.name}\t{a.role.value}\t{','.join(sorted(a.scope))}")
            if not found:
                print("No accounts yet: a beheerder adds one with `igs user add`.")
            return 0
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
        with engine.begin() as conn:
            made = accounts.add(conn, args.email, args.name, password, AccountRole(args.role), args.scope)
        print(f"created account {made.id} for {made.name} ({made.role.value})")
        return 0
    finally:
        engine.dispose()
