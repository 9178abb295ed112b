"""The command line's accounts, approvals and audit trail: users | approve | unapprove | audit,
and the --user of import and undo.

The command line runs on the server, as its operator: without --user a command acts as admin
and is logged as `operator:<login>`; with --user it has that account's rights and no more.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from kpi import fmt
from kpi.access import accounts, approvals, audit
from kpi.access.roles import Actor, operator, roles
from kpi.i18n import t
from kpi.periods import Period
from kpi.store import db


def add_parsers(command: Callable, helped: Callable[[str], str], shown: Callable[[str], str]) -> None:
    """The commands' arguments, on the main parser's sub-commands."""
    users = command("users")
    actions = users.add_subparsers(
        dest="action", required=True, metavar=shown("command"), parser_class=type(users)
    )
    add = _sub(actions, "add", users, helped)
    add.add_argument("name", metavar=shown("name"), help=helped("account_name"))
    add.add_argument("--role", required=True, choices=list(roles()), help=helped("role"))
    add.add_argument(
        "--unit",
        action="append",
        default=[],
        dest="units",
        metavar=shown("code"),
        help=helped("account_unit"),
    )
    add.add_argument("--email", help=helped("email"))
    listing = _sub(actions, "list", users, helped)
    listing.add_argument("--format", choices=["table", "json"], default="table", help=helped("format"))
    remove = _sub(actions, "remove", users, helped)
    remove.add_argument("name", metavar=shown("name"), help=helped("account_name"))
    for name in ("approve", "unapprove"):
        made = command(name)
        made.add_argument("--unit", required=True, metavar=shown("code"), help=helped("unit"))
        made.add_argument("--period", required=True, metavar=shown("period"), help=helped("approval_period"))
        made.add_argument("--user", metavar=shown("user"), help=helped("user"))
    trail = command("audit")
    trail.add_argument("--format", choices=["table", "json"], default="table", help=helped("format"))
    trail.add_argument("--user", metavar=shown("user"), help=helped("user"))


def _sub(actions, name: str, parent: argparse.ArgumentParser, helped: Callable[[str], str]):
    """A sub-command of `users`, speaking the parent's language."""
    made = actions.add_parser(
        name, help=helped(f"users_{name}"), description=helped(f"users_{name}"), add_help=False
    )
    made.lang = parent.lang
    made._positionals.title, made._optionals.title = parent._positionals.title, parent._optionals.title
    made.add_argument("-h", "--help", action="help", help=helped("help"))
    return made


def acting(args: argparse.Namespace) -> Actor:
    """The account named by --user, or the server's operator."""
    name = getattr(args, "user", None)
    return accounts.actor(db.get_engine(), name) if name else operator()


def cmd_users(args: argparse.Namespace) -> int:
    engine, lang = db.get_engine(), args.lang
    if args.action == "list":
        found = accounts.accounts(engine)
        if args.format == "json":
            print(fmt.json_text(found[["name", "role", "units"]].to_dict("records")))
        elif found.empty:
            print(t("users_none", lang))
        else:
            shown = found.assign(units=found.units.map(", ".join))
            print(shown[["name", "role", "units", "email"]].to_string(index=False))
        return 0
    if args.action == "remove":
        accounts.remove(engine, operator(), args.name)
        print(t("user_removed", lang, name=args.name))
        return 0
    password, shown = _password()
    accounts.add(engine, operator(), args.name, args.role, args.units, password, args.email)
    print(t("user_added", lang, name=args.name, role=args.role))
    if shown:
        print(t("user_password_once", lang, name=args.name, password=password))
    return 0


def _password() -> tuple[str, bool]:
    """One line of standard input when it is not a terminal; else a new password, to show once."""
    if sys.stdin is not None and not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n"), False
    return accounts.new_password(), True


def cmd_approve(args: argparse.Namespace) -> int:
    period = Period.parse(args.period)
    approvals.approve(db.get_engine(), acting(args), args.unit, period)
    print(t("approved_done", args.lang, period=period.code, unit=args.unit))
    return 0


def cmd_unapprove(args: argparse.Namespace) -> int:
    period = Period.parse(args.period)
    approvals.unapprove(db.get_engine(), acting(args), args.unit, period)
    print(t("unapproved_done", args.lang, period=period.code, unit=args.unit))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    found = audit.trail(db.get_engine(), acting(args))
    if args.format == "json":
        rows = found.assign(happened_at=found.happened_at.astype(str)).to_dict("records")
        print(fmt.json_text(rows))
    elif found.empty:
        print(t("audit_none", args.lang))
    else:
        shown = found.assign(action=found.action.map(lambda a: t(f"audit_{a}", args.lang)))
        print(shown.to_string(index=False))
    return 0


COMMANDS = {"users": cmd_users, "approve": cmd_approve, "unapprove": cmd_unapprove, "audit": cmd_audit}
