"""FastAPI dependencies as `Annotated` aliases: DbSession, CurrentUser, OptionalUser, Now."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from openler.accounts import service
from openler.settings import Settings
from openler.storage.tables import User


class SignInRequired(Exception):
    """The page needs a signed-in user; web.errors redirects to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign-in required")
        self.next_path = next_path


def get_db(request: Request) -> Iterator[Session]:
    """One session per request, committed when the route finishes without error."""
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so the next request sees it.
DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


AppSettings = Annotated[Settings, Depends(get_settings)]


def get_now(request: Request) -> datetime:
    """The current time from the app's clock (replaceable in tests)."""
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


Now = Annotated[datetime, Depends(get_now)]


def optional_user(request: Request, db: DbSession) -> User | None:
    """The signed-in user, or None for a visitor."""
    user = service.current_user(db, user_id=request.session.get("uid"))
    if user is None and "uid" in request.session:
        request.session.pop("uid")
    request.state.user = user
    db.info["openler.actor_id"] = user.id if user else None  # who acts, for the audit log
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def required_user(request: Request, user: OptionalUser) -> User:
    """The signed-in user; visitors are sent to sign in first."""
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path)
    return user


CurrentUser = Annotated[User, Depends(required_user)]


def client_ip(request: Request) -> str:
    """The peer address, used to rate-limit sign-in attempts."""
    return request.client.host if request.client else "unknown"
