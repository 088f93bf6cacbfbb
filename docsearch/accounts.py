"""Accounts, roles and sessions: who may read, who may change what, and who did.

Three roles, each including the one before: viewer (search and read), editor (upload, link, confirm/reject),
admin (delete documents, manage accounts). Passwords are hashed with Argon2 (pwdlib, as the FastAPI full-stack
template does). A person logs in and gets a session token (a signed JWT with an expiry, like the template's
access token); a script uses a per-user API token (random, stored only as its SHA-256). With
DOCSEARCH_PUBLIC_READ=1 (the default) anyone may read without logging in; every write needs a role."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from docsearch.errors import DocsearchError, InvalidRequestError, NotFoundError

ROLES = ("viewer", "editor", "admin")
ROLE_NAMES = {"viewer": "người xem", "editor": "biên tập viên", "admin": "quản trị viên"}
_NAME_RE = re.compile(r"^[\w.@-]{2,64}$")
MIN_PASSWORD = 8


class AuthError(DocsearchError):
    """Not logged in (401), or logged in without the role a request needs (403)."""

    def __init__(self, message: str, status: int, *, en: str | None = None) -> None:
        super().__init__(message, en=en)
        self.status = status


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _hasher():
    from pwdlib import PasswordHash

    return PasswordHash.recommended()  # Argon2id


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, hashed: str) -> bool:
    try:
        return _hasher().verify(password, hashed)
    except Exception:  # a malformed stored hash never logs anyone in
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_new_user(name: str, role: str, password: str) -> None:
    if not _NAME_RE.match(name):
        raise InvalidRequestError("tên tài khoản gồm 2–64 chữ, số hoặc . _ - @",
                                  en="an account name has 2-64 letters, digits or . _ - @")
    if role not in ROLES:
        raise InvalidRequestError(f"vai trò '{role}' không có (viewer, editor, admin)")
    if len(password) < MIN_PASSWORD:
        raise InvalidRequestError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự",
                                  en=f"a password needs at least {MIN_PASSWORD} characters")


def add_user(store, name: str, role: str, password: str, actor: str) -> User:
    check_new_user(name, role, password)
    store.put_user(name, role, hash_password(password), actor)
    return User(name, role)


def new_api_token(store, name: str, label: str, actor: str) -> str:
    """A token for scripts, shown once; only its digest is kept."""
    if store.user(name) is None:
        raise NotFoundError(f"không có tài khoản '{name}'")
    token = "ds_" + secrets.token_urlsafe(32)
    store.add_token(name, token_digest(token), label, actor)
    return token


def authenticate(store, name: str, password: str) -> User | None:
    row = store.user(name)
    if row is None or not row["active"]:
        hash_password(password)  # the same work whether or not the account exists
        return None
    if not verify_password(password, row["password_hash"]):
        return None
    return User(row["name"], row["role"])


def _secret(store, configured: str | None) -> str:
    """The key that signs session tokens: DOCSEARCH_SECRET_KEY, else one made once and kept in the store (so
    every worker of one index agrees on it)."""
    if configured:
        return configured
    return store.get_meta("session_secret") or store.meta_setdefault("session_secret", secrets.token_urlsafe(48))


def session_token(store, user: User, minutes: int, configured_secret: str | None) -> str:
    import jwt

    exp = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    return jwt.encode({"sub": user.name, "exp": exp}, _secret(store, configured_secret), algorithm="HS256")


def user_for_token(store, token: str, configured_secret: str | None) -> User | None:
    """The user a bearer token stands for: a session token (JWT) or a per-user API token; None when it is neither,
    expired, or its account was removed."""
    import jwt

    name = None
    if token.count(".") == 2:
        try:
            name = jwt.decode(token, _secret(store, configured_secret), algorithms=["HS256"])["sub"]
        except jwt.PyJWTError:
            return None
    else:
        name = store.token_user(token_digest(token))
    row = store.user(name) if name else None
    if row is None or not row["active"]:
        return None
    return User(row["name"], row["role"])


def require(user: User | None, role: str, public_read: bool) -> User | None:
    """The check every request passes: reading is open when public_read; everything else needs `role`."""
    if role == "viewer" and public_read:
        return user
    if user is None:
        raise AuthError("cần đăng nhập để làm việc này", 401, en="log in first")
    if not user.can(role):
        raise AuthError(f"tài khoản '{user.name}' ({ROLE_NAMES[user.role]}) không có quyền làm việc này; cần vai trò "
                        f"{ROLE_NAMES[role]}", 403,
                        en=f"account '{user.name}' ({user.role}) may not do this; it needs the {role} role")
    return user
