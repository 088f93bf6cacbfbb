"""Login, the current account, accounts (admin) and the audit trail — adapters over docsearch.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from api.deps import AdminAccess, EditorAccess, IndexDep, SettingsDep, UserDep
from docsearch import service
from docsearch.views import AuditOut, SessionOut, UserOut

router = APIRouter(tags=["accounts"])


@router.post("/login/access-token", response_model=SessionOut)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], index: IndexDep) -> SessionOut:
    """Log in with a name and password: a session token to send as `Authorization: Bearer …`."""
    return service.login(index, form.username, form.password)


class Me(BaseModel):
    user: str | None
    role: str | None
    public_read: bool


@router.get("/me", response_model=Me)
def me(user: UserDep, settings: SettingsDep) -> Me:
    return Me(user=user.name if user else None, role=user.role if user else None, public_read=settings.public_read)


class NewUser(BaseModel):
    name: str = Field(max_length=64)
    role: str = Field(pattern="^(viewer|editor|admin)$")
    password: str = Field(min_length=8, max_length=200)


class NewToken(BaseModel):
    label: str = Field(default="", max_length=200)


class TokenOut(BaseModel):
    token: str = Field(description="shown once; send as X-API-Key or Authorization: Bearer")


@router.get("/users", response_model=list[UserOut])
def list_users(_: AdminAccess, index: IndexDep) -> list[UserOut]:
    return service.users(index)


@router.post("/users", response_model=UserOut, status_code=201)
def add_user(body: NewUser, admin: AdminAccess, index: IndexDep) -> UserOut:
    return service.add_user(index, body.name, body.role, body.password, actor=admin.name)


@router.delete("/users/{name}", status_code=204)
def remove_user(name: Annotated[str, Path(max_length=64)], admin: AdminAccess, index: IndexDep) -> None:
    service.remove_user(index, name, actor=admin.name)


@router.post("/users/{name}/tokens", response_model=TokenOut, status_code=201)
def new_token(name: Annotated[str, Path(max_length=64)], body: NewToken, admin: AdminAccess,
              index: IndexDep) -> TokenOut:
    """A per-user API token for scripts (admin)."""
    return TokenOut(token=service.new_api_token(index, name, body.label, actor=admin.name))


@router.get("/audit", response_model=list[AuditOut])
def audit(_: EditorAccess, index: IndexDep, actor: Annotated[str | None, Query(max_length=64)] = None,
          action: Annotated[str | None, Query(max_length=40)] = None,
          limit: Annotated[int, Query(ge=1, le=5000)] = 200) -> list[AuditOut]:
    """Who did what and when: uploads, deletions, linking runs, confirmations, rejections, accounts."""
    return service.audit(index, actor=actor, action=action, limit=limit)
