"""Users, passwords and bearer tokens."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select, update
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
    _check_password(password)
    with write_transaction() as s:
        # Names differing only in case ('Lea' beside 'lea') are two accounts nobody can tell apart: refused too.
        existing = s.scalar(select(User.username).where(func.lower(User.username) == username.lower()).limit(1))
        if existing is not None:
            raise Conflict("duplicate", f"User {existing} exists already.", f"L'utilisateur {existing} existe déjà.",
                           field="username")
        user = User(username=username, role=role, password_hash=generate_password_hash(password))
        s.add(user)
    return user


def _check_password(password: str) -> None:
    if not password.strip():   # eight spaces pass the length rule, and are the first thing anyone would try
        raise Invalid("password_blank", "A password cannot be blank or only spaces.",
                      "Un mot de passe ne peut pas être vide ni fait que d'espaces.", field="password")
    if len(password) < MIN_PASSWORD:
        raise Invalid("password_too_short", f"Passwords have at least {MIN_PASSWORD} characters.",
                      f"Les mots de passe ont au moins {MIN_PASSWORD} caractères.", field="password")


def update_user(username: str, *, active: bool | None = None, role: str | None = None,
                password: str | None = None, by: Credential | None = None) -> tuple[User, int]:
    """An admin deactivates a user, changes their role or sets a new password. Any of these signs the user out
    everywhere (a lost handheld's token stops working at once). Returns the user and the tokens revoked.

    ``by``: the admin's own credential. Their own account they may not deactivate nor demote (another admin
    does that: nobody locks themselves out by a wrong click), and a new password of their own keeps the session
    they changed it from (their other devices are signed out)."""
    if password is not None:
        _check_password(password)
    with write_transaction() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound("unknown_user", f"No user {username}.", f"Aucun utilisateur {username}.")
        stays_admin = (user.active if active is None else active) and (role or user.role) == "admin"
        if user.role == "admin" and user.active and not stays_admin and not s.scalar(
                select(func.count(User.id)).where(User.role == "admin", User.active, User.id != user.id)):
            raise Conflict("last_admin", "This is the last active admin: make another admin first.",
                           "C'est le dernier administrateur actif : nommez-en d'abord un autre.", field="username")
        own = by is not None and by.user.id == user.id
        if own and (active is False or role not in (None, "admin")):
            raise Conflict("own_account", "You cannot deactivate your own account or take away your own admin "
                           "role: another admin has to do it.",
                           "Vous ne pouvez pas désactiver votre propre compte ni vous retirer le rôle "
                           "d'administrateur : un autre administrateur doit le faire.",
                           field="active" if active is False else "role")
        if active is not None:
            user.active = active
        if role is not None:
            user.role = role
        if password is not None:
            user.password_hash = generate_password_hash(password)
        revoked = 0
        if active is False or role is not None or password is not None:
            kept = [ApiToken.id != by.id] if own else []
            revoked = s.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                                       *kept).values(revoked_at=utcnow())).rowcount
    return user, revoked


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
    throttle.succeeded(username, address)
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
