"""Scorocode application state: keys, sessions and the three collections used by messaging."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from .clock import SimClock

SESSION_TTL = timedelta(hours=72)
_object_ids: Iterator[int] = itertools.count(0x5A0000000000000000000001)


def _object_id() -> str:
    """Return a new 24-hex-digit id, shaped like MongoDB's ObjectId."""
    return f"{next(_object_ids):024x}"


@dataclass
class ScorocodeApp:
    """A Scorocode application: its keys, live sessions and users/devices/roles."""

    app_id: str
    client_keys: dict[str, str]  # platform (android, ios, js, winphone) -> client key
    message_key: str
    master_key: str
    clock: SimClock = field(repr=False)
    session_ttl: timedelta | None = SESSION_TTL  # None: sessions never expire
    sessions: dict[str, datetime] = field(default_factory=dict)  # session id -> created at
    users: list[dict[str, Any]] = field(default_factory=list)
    devices: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)

    def add_session(self, session_id: str, *, created_at: datetime | None = None) -> None:
        """Open a session, by default now on the simulator clock."""
        self.sessions[session_id] = created_at or self.clock.now()

    def session_state(self, session_id: str) -> str:
        """Return `valid`, `expired` or `unknown` for a session id."""
        created_at = self.sessions.get(session_id)
        if created_at is None:
            return "unknown"
        if self.session_ttl is not None and self.clock.now() >= created_at + self.session_ttl:
            return "expired"
        return "valid"

    def add_user(
        self,
        username: str,
        *,
        email: str = "",
        phone: str | None = None,
        roles: Iterable[str] = (),
        user_id: str | None = None,
        **extra: Any,  # noqa: ANN401 - any other user field, queryable like the rest
    ) -> dict[str, Any]:
        """Add a user; `roles` holds role ids or names. Returns the stored document."""
        user: dict[str, Any] = {
            "_id": user_id or _object_id(),
            "username": username,
            "email": email,
            "roles": list(roles),
            **extra,
        }
        if phone is not None:
            user["phone"] = phone
        self.users.append(user)
        return user

    def add_device(self, user_id: str, device_id: str, device_type: str) -> dict[str, Any]:
        """Register a device (`deviceType`: android, ios, ...) of a user."""
        device = {
            "_id": _object_id(),
            "userId": user_id,
            "deviceId": device_id,
            "deviceType": device_type,
        }
        self.devices.append(device)
        return device

    def add_role(self, name: str, *, role_id: str | None = None) -> dict[str, Any]:
        """Add a role. Returns the stored document."""
        role = {"_id": role_id or _object_id(), "name": name}
        self.roles.append(role)
        return role

    def users_in_roles(self, roles: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Users holding any of `roles` (named in `users.roles` by id or by name)."""
        wanted = {str(key) for role in roles for key in (role["_id"], role["name"])}
        return [user for user in self.users if wanted.intersection(map(str, user["roles"]))]

    def devices_of(self, users: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Devices belonging to `users`."""
        user_ids = {user["_id"] for user in users}
        return [device for device in self.devices if device["userId"] in user_ids]
