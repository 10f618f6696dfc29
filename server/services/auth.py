"""Users, passwords and bearer tokens."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, select
from werkzeug.security import check_password_hash, generate_password_hash

from server.database import write_transaction
from server.domain.errors import Conflict, Invalid, NotFound, Unauthorized
from server.extensions import db
from server.models import ROLES, ApiToken, User
from server.models.base import utcnow

TOKEN_PREFIX = "tdu_"  # recognisable by secret scanners
MIN_PASSWORD = 8
# Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough, no salt or stretching needed.
    return hashlib.sha256(raw.encode()).hexdigest()


def create_user(username: str, role: str, password: str) -> User:
    if role not in ROLES:
        raise Invalid("unknown_role", f"Role must be one of {', '.join(ROLES)}.",
                      f"Le rôle doit être l'un de {', '.join(ROLES)}.", field="role")
    if len(password) < MIN_PASSWORD:
        raise Invalid("password_too_short", f"Passwords have at least {MIN_PASSWORD} characters.",
                      f"Les mots de passe ont au moins {MIN_PASSWORD} caractères.", field="password")
    with write_transaction() as s:
        if s.scalar(select(User).where(User.username == username)):
            raise Conflict("duplicate", f"User {username} exists already.", f"L'utilisateur {username} existe déjà.",
                           field="username")
        user = User(username=username, role=role, password_hash=generate_password_hash(password))
        s.add(user)
    return user


def issue_token(username: str, password: str, ttl_hours: int, device: str | None = None,
                address: str | None = None) -> tuple[str, ApiToken]:
    throttle = current_app.extensions["tendu_login_throttle"]
    throttle.check(username, address)
    user = db.session.scalar(select(User).where(User.username == username))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if not (user and valid and user.active):
        throttle.failed(username, address)
        raise Unauthorized("bad_credentials", "Wrong user name or password.",
                           "Nom d'utilisateur ou mot de passe incorrect.")
    throttle.succeeded(username)
    return new_token(user, ttl_hours, device)


def new_token(user: User, ttl_hours: int, device: str | None = None) -> tuple[str, ApiToken]:
    """A fresh bearer token for an already authenticated user; only its hash is stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with write_transaction() as s:
        token = ApiToken(user_id=user.id, token_hash=hash_token(raw), device=device,
                         expires_at=utcnow() + timedelta(hours=ttl_hours))
        s.add(token)
    token.user = user
    return raw, token


@dataclass(frozen=True)
class Caller:
    """The signed-in user as the request sees it (what ``/auth/me`` shows), not a session object."""
    id: int
    username: str
    role: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class Credential:
    id: int        # the token's row, for signing out
    user: Caller


_TOKENS, _USERS = ApiToken.__table__, User.__table__
# Every authenticated request runs this: one Core statement, built once, no ORM objects to load.
_BY_HASH = (select(_TOKENS.c.id, _TOKENS.c.expires_at, _TOKENS.c.revoked_at, _USERS.c.id, _USERS.c.username,
                   _USERS.c.role, _USERS.c.active, _USERS.c.created_at)
            .join(_USERS, _USERS.c.id == _TOKENS.c.user_id).where(_TOKENS.c.token_hash == bindparam("h")))


def authenticate(raw: str) -> Credential:
    row = db.session.execute(_BY_HASH, {"h": hash_token(raw)}).first()
    if row is None or row[2] is not None or not row[6]:
        raise Unauthorized("invalid_token", "This token is not valid; sign in again.",
                           "Ce jeton n'est pas valide ; reconnectez-vous.")
    if row[1] <= utcnow():
        raise Unauthorized("token_expired", "Your session has expired; sign in again.",
                           "Votre session a expiré ; reconnectez-vous.")
    return Credential(row[0], Caller(*row[3:]))


def revoke(token_id: int, by: Caller) -> ApiToken:
    with write_transaction() as s:
        token = s.get(ApiToken, token_id)
        if token is None or (token.user_id != by.id and by.role != "admin"):
            raise NotFound("token_not_found", "No such token.", "Jeton introuvable.")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
    return token
