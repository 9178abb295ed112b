"""Roles and the actor of a write: an account (or the server's operator) with its units.

Every write in kpi takes an Actor and asks it before touching the store, so a page that forgot
a check, or a command run with another account's name, still cannot do more than the role.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from kpi import config
from kpi.i18n import Failure, t


class AccessDenied(Failure, PermissionError):
    """The account may not do this, or not for this unit."""


@cache
def roles() -> dict[str, dict]:
    """Each role with its authorities (kpi/definitions/roles.toml), weakest first."""
    with open(config.DEFINITIONS_DIR / "roles.toml", "rb") as fh:
        return tomllib.load(fh)


def role_name(role: str, lang: str) -> str:
    return t(f"role_{role}", lang)


class Authority(str):
    """An authority's id, shown in messages by its name in the reader's language."""

    def name(self, lang: str = "vi") -> str:
        return t(f"authority_{self}", lang)


@dataclass(frozen=True)
class Actor:
    """Who is acting: an account's name, its role and the units assigned to it."""

    name: str
    role: str
    units: tuple[str, ...] = ()

    def may(self, authority: str) -> bool:
        return authority in roles()[self.role]["may"]

    def require(self, authority: str) -> None:
        """Raise AccessDenied unless the role holds the authority."""
        if not self.may(authority):
            raise AccessDenied("err_access_role", account=self.name, action=Authority(authority))

    @property
    def all_units(self) -> bool:
        return self.may("admin")


def operator() -> Actor:
    """The person at the server's terminal: the command line without --user acts as admin, and
    is logged as the system login that ran it."""
    return Actor(f"operator:{config.os_user() or '?'}", "admin")
