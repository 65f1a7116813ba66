"""Accounts, sessions and throttling in the database. Passwords are hashed with argon2; session tokens and
throttle keys are stored as SHA-256 digests, so the database holds no token and no address in a throttle key."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from igsatlas.errors import DatabaseError, InvalidArgumentError
from igsatlas.store import schema_editing
from igsatlas.store.changelog import now

IDLE = timedelta(hours=2)  # a session unused this long has expired
LONGEST = timedelta(hours=12)  # and every session ends after this long
_hasher = PasswordHasher()


class AccountRole(StrEnum):
    EDITOR = "redacteur"  # proposes changes within their scope
    REVIEWER = "eindredacteur"  # accepts or rejects proposals and reports
    ADMIN = "beheerder"  # manages accounts (and may review)


ROLE_LABELS = {
    AccountRole.EDITOR: "Redacteur",
    AccountRole.REVIEWER: "Eindredacteur",
    AccountRole.ADMIN: "Beheerder",
}


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    role: AccountRole
    scope: frozenset[str]  # NIS codes and organisation ids; "*" for everything

    @property
    def reviews(self) -> bool:
        return self.role in (AccountRole.REVIEWER, AccountRole.ADMIN)

    @property
    def manages_accounts(self) -> bool:
        return self.role is AccountRole.ADMIN

    def covers(self, nis_codes: set[str], organisation_id: str | None = None) -> bool:
        """Whether a municipality (by NIS code) or an organisation lies in this account's scope."""
        if "*" in self.scope or self.role is not AccountRole.EDITOR:
            return True
        return bool(self.scope & nis_codes) or (organisation_id is not None and organisation_id in self.scope)


@dataclass(frozen=True)
class Session:
    account: Account
    csrf: str


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _account(row: object) -> Account:
    return Account(
        id=row.id,  # type: ignore[attr-defined]
        email=row.email,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        role=AccountRole(row.role),  # type: ignore[attr-defined]
        scope=frozenset(json.loads(row.scope)),  # type: ignore[attr-defined]
    )


def add(conn: Connection, email: str, name: str, password: str, role: AccountRole, scope: list[str]) -> Account:
    email = email.strip().lower()
    if "@" not in email or len(password) < 12:
        raise InvalidArgumentError(
            "an account needs an e-mail address and a password of at least 12 characters.",
            code="invalid-account",
            hint="Give --email with an address and a password of 12 characters or more.",
        )
    if conn.execute(select(schema_editing.account.c.id).where(schema_editing.account.c.email == email)).first():
        raise InvalidArgumentError("an account with that e-mail address exists already.", code="account-exists")
    result = conn.execute(
        schema_editing.account.insert().values(
            email=email,
            name=name.strip(),
            password_hash=_hasher.hash(password),
            role=role.value,
            scope=json.dumps(sorted(set(scope) or {"*"})),
            active=True,
            created_at=now(),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    found = by_id(conn, int(key[0]))
    assert found is not None
    return found


def by_id(conn: Connection, account_id: int) -> Account | None:
    row = conn.execute(select(schema_editing.account).where(schema_editing.account.c.id == account_id)).first()
    return _account(row) if row else None


def all_accounts(conn: Connection) -> list[Account]:
    return [_account(r) for r in conn.execute(select(schema_editing.account).order_by(schema_editing.account.c.name))]


def names(conn: Connection) -> dict[int, str]:
    return {r.id: r.name for r in conn.execute(select(schema_editing.account.c.id, schema_editing.account.c.name))}


def verify(conn: Connection, email: str, password: str) -> Account | None:
    """The active account with this address and password, or None (the same for an unknown address)."""
    row = conn.execute(
        select(schema_editing.account).where(
            schema_editing.account.c.email == email.strip().lower(), schema_editing.account.c.active
        )
    ).first()
    try:
        if row is None:
            _hasher.verify(_DUMMY, password)  # the same work for an unknown address
            return None
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return _account(row)


_DUMMY = _hasher.hash("not a password of anyone")


def start_session(conn: Connection, account: Account) -> str:
    token = secrets.token_urlsafe(32)
    at = now()
    conn.execute(
        schema_editing.session.insert().values(
            token_hash=digest(token), account_id=account.id, csrf=secrets.token_urlsafe(24), created_at=at, last_seen=at
        )
    )
    return token


def session(conn: Connection, token: str | None) -> Session | None:
    """The session of a cookie's token, if it is still valid; touches its last use."""
    if not token:
        return None
    s = schema_editing.session
    row = conn.execute(select(s).where(s.c.token_hash == digest(token))).first()
    at = now()
    if row is None or at - row.last_seen > IDLE or at - row.created_at > LONGEST:
        return None
    account = by_id(conn, row.account_id)
    if account is None:
        return None
    if at - row.last_seen > timedelta(minutes=1):
        conn.execute(s.update().where(s.c.token_hash == row.token_hash).values(last_seen=at))
    return Session(account, row.csrf)


def end_session(conn: Connection, token: str | None) -> None:
    if token:
        conn.execute(schema_editing.session.delete().where(schema_editing.session.c.token_hash == digest(token)))


def throttled(conn: Connection, key: str, limit: int, window: timedelta, at: datetime | None = None) -> bool:
    """Count one attempt under ``key``; True when more than ``limit`` fell in the current window.

    The count moves in single statements (never read, then written), so that attempts made at the same moment
    each get their own number: of twenty at once, exactly ``limit`` pass."""
    return count_attempt(conn, digest(key), window, at or now()) > limit


def count_attempt(conn: Connection, hashed: str, window: timedelta, at: datetime) -> int:
    """This attempt's number in the current window of ``hashed`` (a new window starts at 1)."""
    t = schema_editing.throttle
    for _ in range(3):
        counted = conn.execute(
            t.update()
            .where(t.c.key == hashed, t.c.window_start >= at - window)
            .values(count=t.c.count + 1)
            .returning(t.c.count)
        ).scalar()
        if counted is not None:
            return int(counted)
        restarted = conn.execute(
            t.update().where(t.c.key == hashed, t.c.window_start < at - window).values(count=1, window_start=at)
        )
        if restarted.rowcount == 1:
            return 1
        try:
            with conn.begin_nested():  # a first attempt: another one may insert the row at the same moment
                conn.execute(t.insert().values(key=hashed, window_start=at, count=1))
            return 1
        except IntegrityError:
            continue
    raise DatabaseError("the attempt could not be counted.", code="throttle-contended")


def forgive(conn: Connection, key: str) -> None:
    """Take back one attempt under ``key`` (a login that succeeded: only failures count)."""
    t = schema_editing.throttle
    conn.execute(t.update().where(t.c.key == digest(key), t.c.count > 0).values(count=t.c.count - 1))
