"""Which unit a row of a file means, for the row's own period: by code, then by name (composed
or not, with or without its kind, with or without tone marks), then by a mapping saved by hand.

Since 1 July 2025 a code and a date name a unit (21040 is Thị trấn Châu Ổ until 30/6/2025 and
Xã Bình Sơn since), so every candidate is checked against the period: a unit that did not exist
then is an error that names the unit that did. A name that fits two units in force is an error
listing both; a name that fits none gets the closest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import pandas as pd
from rapidfuzz import fuzz, process
from sqlalchemy.engine import Engine

from kpi import fmt
from kpi.access import audit, scope
from kpi.access.roles import AccessDenied, Actor, operator
from kpi.imports.problems import Problem, problem
from kpi.imports.textnorm import fold, lower_nfc
from kpi.periods import Period
from kpi.store import db
from kpi.store.units import official_names

PREFIXES = ("thi tran ", "tt ", "xa ", "phuong ")


@dataclass(frozen=True)
class Known:
    """A unit a file may name: its key in the store, official code, name and lifetime."""

    key: str
    code: str
    name: str
    valid_from: date | None
    valid_to: date | None  # the first day it no longer existed

    def holds(self, period: Period) -> bool:
        return (self.valid_from is None or self.valid_from <= period.start) and (
            self.valid_to is None or period.end <= self.valid_to
        )

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


class UnitMatcher:
    """Finds the unit under root (on either map) that a row means in its period."""

    def __init__(self, root: str, engine: Engine) -> None:
        frame = db.read_frame("queries/district_units", engine, root=root)
        self.units = {
            row.code: Known(row.code, row.official_code, row.name, _day(row.valid_from), _day(row.valid_to))
            for row in frame.itertuples(index=False)
        }
        self.by_code: dict[str, list[str]] = {}
        self.exact: dict[str, list[str]] = {}
        self.folded: dict[str, list[str]] = {}
        for unit in self.units.values():
            for code in {unit.code, unit.key}:
                self.by_code.setdefault(code, []).append(unit.key)
            for name in {unit.name, bare(unit.name)}:
                self.exact.setdefault(lower_nfc(name), []).append(unit.key)
                self.folded.setdefault(fold(name), []).append(unit.key)
        everywhere = db.read_frame("queries/unit_codes", engine)
        self.elsewhere = {**official_names(), **dict(zip(everywhere.code, everywhere.name, strict=True))}
        aliases = db.read_frame("queries/unit_aliases", engine)
        self.aliases = {
            a: c for a, c in zip(aliases.alias, aliases.unit_code, strict=True) if c in self.units
        }
        self.choices = {fold(bare(u.name)): u.name for u in self.units.values()}
        succession = db.read_frame("queries/unit_successors", engine)
        self.successors: dict[str, list[str]] = {}
        self.predecessors: dict[str, list[str]] = {}
        for old, new in zip(succession.unit_code, succession.successor_code, strict=True):
            self.successors.setdefault(old, []).append(new)
            self.predecessors.setdefault(new, []).append(old)

    def match(self, code: str, name: str, period: Period | None) -> tuple[str | None, Problem | None]:
        """The unit's key, or a problem saying why there is none (without row and column)."""
        keys, found = self._by_code(code) if code else self._by_name(name)
        if found is not None:
            return None, found
        if code and name and (disagree := self._disagree(keys, name)):
            return None, disagree
        return self._in_force(keys, period, name=code or name)

    def _disagree(self, keys: list[str], name: str) -> Problem | None:
        """A name that means other units than the code does (21040 beside 'Xã Bình Thuận')."""
        named, unknown = self._by_name(name)
        if unknown is not None or set(named) & set(keys):
            return None
        by_code = ", ".join(sorted({self.units[k].label for k in keys}))
        by_name = ", ".join(sorted({self.units[k].label for k in named}))
        return problem("err_unit_code_name", code=by_code, name=name, named=by_name)

    def _by_code(self, code: str) -> tuple[list[str], Problem | None]:
        code = code.strip()
        if code.isdigit() and len(code) < 5:
            code = code.zfill(5)  # Excel drops leading zeros
        if code in self.by_code:
            return self.by_code[code], None
        if code in self.elsewhere:
            return [], problem("err_unit_elsewhere", code=code, name=self.elsewhere[code])
        return [], problem("err_unit_unknown_code", code=code)

    def _by_name(self, name: str) -> tuple[list[str], Problem | None]:
        if not name:
            return [], problem("err_unit_missing")
        exact = self.exact.get(lower_nfc(name)) or self.exact.get(lower_nfc(bare(name)))
        if exact:
            return exact, None
        key = fold(bare(name))
        if key in self.aliases:
            return [self.aliases[key]], None
        if key in self.folded:
            return self.folded[key], None
        close = process.extract(key, list(self.choices), scorer=fuzz.ratio, limit=3, score_cutoff=70)
        names = tuple(self.choices[c] for c, _score, _ in close)
        if names:
            return [], problem("err_unit_unknown_name_close", names, name=name, closest=", ".join(names))
        return [], problem("err_unit_unknown_name", name=name)

    def _in_force(
        self, keys: list[str], period: Period | None, name: str
    ) -> tuple[str | None, Problem | None]:
        """The one candidate that existed for the whole period, or why none or several did."""
        candidates = [self.units[k] for k in dict.fromkeys(keys)]
        # Without a period (it has its own error) the unit is checked as far as it can be: one
        # code for two units that never lived at once (Châu Ổ, then Xã Bình Sơn) is no error.
        if period is None and len(candidates) > 1 and not _overlap(candidates):
            return None, None
        fitting = candidates if period is None else [u for u in candidates if u.holds(period)]
        if len(fitting) == 1:
            return fitting[0].key, None
        if len(fitting) > 1:
            labels = tuple(u.label for u in sorted(fitting, key=lambda u: u.code))
            return None, problem("err_unit_ambiguous", labels, name=name, units=", ".join(labels))
        return None, self._out_of_force(candidates, period) if period else None

    def _out_of_force(self, candidates: list[Known], period: Period) -> Problem:
        """Why no candidate existed in the period, naming the unit(s) that did."""
        unit = candidates[-1] if all(_ends_before(u, period) for u in candidates) else candidates[0]
        if _ends_before(unit, period):
            then = tuple(self.units[k].label for k in self.successors.get(unit.key, []) if k in self.units)
            return problem(
                "err_unit_ended",
                then,
                unit=unit.label,
                day=fmt.day(unit.valid_to),
                now=", ".join(then) or "—",
            )
        if unit.valid_from is not None and period.end <= unit.valid_from:
            before = tuple(
                self.units[k].label for k in self.predecessors.get(unit.key, []) if k in self.units
            )
            return problem(
                "err_unit_not_yet",
                before,
                unit=unit.label,
                day=fmt.day(unit.valid_from),
                before=", ".join(before),
            )
        return problem(
            "err_unit_period_crosses",
            unit=unit.label,
            period=period.code,
            lifetime=fmt.lifetime(unit.valid_from, unit.valid_to),
        )


def _overlap(units: list[Known]) -> bool:
    """Whether two of the units existed at the same time."""
    spans = sorted((u.valid_from or date.min, u.valid_to or date.max) for u in units)
    return any(later[0] < earlier[1] for earlier, later in pairwise(spans))


def _ends_before(unit: Known, period: Period) -> bool:
    return unit.valid_to is not None and unit.valid_to <= period.start


def bare(name: str) -> str:
    """A unit name without its kind: 'Xã Bình Trị' -> 'Bình Trị', 'TT. Châu Ổ' -> 'Châu Ổ'."""
    lowered = fold(name) + " "
    for prefix in PREFIXES:
        if lowered.startswith(prefix):
            return " ".join(name.replace(".", " ").split()[len(prefix.split()) :])
    return name


def save_alias(name: str, unit_code: str, engine: Engine | None = None, actor: Actor | None = None) -> None:
    """Remember that a name in the communes' files means this unit (an analyst: one of theirs)."""
    actor = actor or operator()
    actor.require("map_names")
    alias = fold(bare(name))
    with db.writing(engine or db.get_engine()) as conn:
        scope.require_units(conn, actor, {unit_code})
        db.execute(conn, "queries/save_unit_alias", alias=alias, unit_code=unit_code, created_by=actor.name)
        audit.record(conn, actor, "mapping_add", alias, f"{name} -> {unit_code}")


def aliases(engine: Engine | None = None) -> pd.DataFrame:
    """Every remembered name: alias (folded), unit_code, unit_name, created_by, created_at."""
    return db.read_frame("queries/unit_aliases", engine)


def remove_alias(alias: str, engine: Engine | None = None, actor: Actor | None = None) -> None:
    """Forget a remembered name (an analyst: only one that points at one of their units)."""
    actor = actor or operator()
    actor.require("map_names")
    with db.writing(engine or db.get_engine()) as conn:
        found = db.frame(conn, "queries/unit_aliases").query("alias == @alias")
        if found.empty:
            raise AccessDenied("err_mapping_unknown", alias=alias)
        unit_code = found.unit_code.iloc[0]
        scope.require_units(conn, actor, {unit_code})
        db.execute(conn, "queries/delete_unit_alias", alias=alias)
        audit.record(conn, actor, "mapping_remove", alias, f"-> {unit_code}")
