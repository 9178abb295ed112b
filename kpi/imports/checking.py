"""Checking the files communes send before anything is stored.

`check` reads a file and returns a Report: what it detected (encoding, separator, sheet,
header row, wide or long shape), every problem with the row and column the user sees, and
what the import would change. kpi.imports.storing stores a clean report, or nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi import catalog, config
from kpi.access import scope
from kpi.access.roles import Actor, operator
from kpi.imports import rules
from kpi.imports.cells import ParseError, number, period, year_month, year_month_text
from kpi.imports.problems import Problem, problem
from kpi.imports.reading import Grid, ReadError, read
from kpi.imports.textnorm import fold
from kpi.imports.unit_names import UnitMatcher
from kpi.periods import Period
from kpi.store import db, reads, writes

KEY = ["unit_code", "element_id", "period_type", "period_start"]
#: One value read from a file: where it stands in the file, the observation it makes, its text.
RECORD = ["row", "column", *writes.OBSERVATION_COLUMNS[:6], "text"]
IGNORED = {"stt", "tt", "so tt", "ghi chu", "note", "notes"}


@dataclass
class Report:
    """What check() found in a file; apply() stores it when it has no error."""

    file_name: str
    sha256: str
    grid: Grid | None = None
    shape: str | None = None
    header_row: int | None = None
    rows_read: int = 0
    rows_valid: int = 0
    problems: list[Problem] = field(default_factory=list)
    values: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    def counts(self) -> dict[str, int]:
        status = self.changes.status.value_counts() if not self.changes.empty else pd.Series(dtype=int)
        return {k: int(status.get(k, 0)) for k in ("new", "changed", "unchanged")}

    def as_dict(self, lang: str = "vi") -> dict:
        grid = self.grid
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "format": grid.kind if grid else None,
            "encoding": grid.encoding if grid else None,
            "delimiter": grid.delimiter if grid else None,
            "sheet": grid.sheet if grid else None,
            "shape": self.shape,
            "header_row": self.header_row,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "errors": [p.as_dict(lang) for p in self.errors],
            "warnings": [p.as_dict(lang) for p in self.warnings],
            "notes": [p.as_dict(lang) for p in self.notes],
            **{f"values_{k}": v for k, v in self.counts().items()},
            "changes": self.changed_values(),
        }

    def changed_values(self) -> list[dict]:
        """The values the import would add or replace: where, the old value and the new one."""
        if self.changes.empty:
            return []
        touched = self.changes[self.changes.status != "unchanged"]
        return [
            {
                "row": int(r.row),
                "unit_code": r.unit_code,
                "element_id": r.element_id,
                "period": Period(r.period_start, r.period_type).code,
                "old": None if pd.isna(r.old_value) else float(r.old_value),
                "new": float(r.value),
                "status": r.status,
            }
            for r in touched.itertuples()
        ]


# ---------------------------------------------------------------- reading the file's layout


def _roles() -> dict[str, str]:
    """Folded header text -> role ('unit_code', …, or 'element:ID' for a wide column)."""
    roles = {name: role for role, names in catalog.columns().items() for name in names}
    for element in catalog.elements().values():
        for name in (element.id, element.name_vi, element.name_en, *element.aliases):
            roles[fold(name)] = f"element:{element.id}"
    return roles


def _header(grid: Grid) -> tuple[int, dict[int, str]] | None:
    """The first row (of the first 30) that names a unit column and values, with its roles."""
    roles = _roles()
    for index, row in enumerate(grid.rows[:30]):
        found = {i: roles[fold(cell)] for i, cell in enumerate(row) if fold(cell) in roles}
        kinds = set(found.values())
        has_unit = bool(kinds & {"unit_code", "unit_name"})
        wide = any(k.startswith("element:") for k in kinds)
        long = {"element", "value"} <= kinds
        if has_unit and (wide or long):
            return index, found
    return None


def _twice(roles: dict[int, str], names: list[str]) -> list[tuple]:
    """A field named by two columns of the header (two tables side by side, or a column copied):
    (column, value, key, values) of an error for each second column."""
    first: dict[str, int] = {}
    found = []
    for index, role in sorted(roles.items()):
        if role in first:
            values = {"first": names[first[role]], "second": names[index]}
            found.append((names[index], names[index], "err_header_twice", values))
        first.setdefault(role, index)
    return found


# ---------------------------------------------------------------- check


def check(
    data: bytes,
    file_name: str,
    engine: Engine | None = None,
    sheet: str | None = None,
    today: date | None = None,
    progress: Callable[[float], None] | None = None,
    actor: Actor | None = None,
) -> Report:
    """Read and check a file; nothing is stored. ReadError when it cannot be read at all.
    Rows for units outside the actor's (default: the operator, every unit), and values that an
    approved period locks, are errors like any other."""
    engine = engine or db.get_engine()
    report = Report(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    if len(data) > config.import_max_bytes():
        raise ReadError("err_file_too_large", size=float(len(data)), limit=float(config.import_max_bytes()))
    report.grid = grid = read(data, sheet)
    found = _header(grid)
    if grid.hidden and sheet is None:
        hidden = ", ".join(grid.hidden)
        report.problems.append(Problem("note", None, None, hidden, "note_hidden_sheets", {"sheets": hidden}))
    if found is None and grid.kind == "xlsx" and sheet is None:  # the data may be on another sheet
        for name in grid.sheets[1:]:
            other = read(data, name)
            if (found := _header(other)) is not None:
                report.grid = grid = other
                report.problems.append(Problem("note", None, None, name, "note_other_sheet", {"sheet": name}))
                break
    if found is None:
        report.problems.append(problem("err_no_header"))
        return report
    header, roles = found
    report.header_row = header + 1
    if twice := _twice(roles, grid.rows[header]):
        report.problems += [Problem("error", report.header_row, *t) for t in twice]
        return report
    report.shape = "wide" if any(r.startswith("element:") for r in roles.values()) else "long"
    names = grid.rows[header]
    ignored = [
        names[i] for i in range(len(names)) if names[i] and i not in roles and fold(names[i]) not in IGNORED
    ]
    if ignored:
        report.problems.append(
            Problem(
                "note",
                report.header_row,
                ", ".join(ignored),
                None,
                "note_ignored_columns",
                {"columns": ", ".join(ignored)},
            )
        )
    data_rows = [(i + 1, row) for i, row in enumerate(grid.rows[header + 1 :], start=header + 1) if any(row)]
    if len(data_rows) > config.import_max_rows():
        raise ReadError(
            "err_file_too_many_rows", rows=float(len(data_rows)), limit=float(config.import_max_rows())
        )
    scope = reads.import_scope(engine)
    values = _values(
        report, data_rows, roles, names, UnitMatcher(scope, engine), today or date.today(), progress
    )
    report.problems += rules.check(values) + rules.outliers(values, scope, engine)
    report.problems += rules.coarse_conflicts(
        values[~values.row.isin({p.row for p in report.errors})], engine
    )
    unit_column = next(names[i] for i, r in sorted(roles.items()) if r in ("unit_code", "unit_name"))
    with engine.connect() as conn:
        report.problems += _outside(conn, actor or operator(), values, unit_column)
    bad_rows = {p.row for p in report.errors}
    report.rows_read = len(data_rows) - len(
        {p.row for p in report.notes if p.row and p.row > report.header_row}
    )
    report.rows_valid = len({r for r in values.row} - bad_rows) if not values.empty else 0
    report.values = values
    if values.empty and not report.errors:
        report.problems.append(Problem("error", report.header_row, None, None, "err_file_no_figures"))
    if not report.errors:
        with engine.connect() as conn:
            changes = changes_of(conn, values)
            report.problems += locked_problems(conn, changes)
        if not report.errors:
            report.changes = changes
    report.problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return report


def _outside(conn: Connection, actor: Actor, values: pd.DataFrame, unit_column: str) -> list[Problem]:
    """An error for each row of a unit the account may not act for, in the unit column."""
    codes = {c for c in values.unit_code if not c.startswith("?")} if not values.empty else set()
    refused = scope.outside(conn, actor, codes)
    rows = values[values.unit_code.isin(refused)].drop_duplicates("row")
    names = {code: (reads.unit(code, conn.engine) or {}).get("name", code) for code in refused}
    return [
        Problem("error", int(r.row), unit_column, r.unit_code, "err_unit_not_yours",
                {"account": actor.name, "unit": names[r.unit_code]})
        for r in rows.itertuples()
    ]  # fmt: skip


def locked_problems(conn: Connection, changes: pd.DataFrame) -> list[Problem]:
    """An error for each value an import would change in an approved period."""
    touched = changes[changes.status != "unchanged"] if not changes.empty else changes
    return [
        Problem(
            "error",
            int(r.row),
            r.column,
            r.text,
            "err_period_approved",
            {
                "period": Period(r.approved_start, r.approved_type).code,
                "unit": r.approved_unit,
                "approver": r.approved_by,
                "day": pd.Timestamp(r.approved_at).strftime("%d/%m/%Y"),
            },
        )
        for r in scope.locked(conn, touched).itertuples()
    ]


def _values(report, data_rows, roles, names, units, today, progress) -> pd.DataFrame:
    """One record per value cell: row, column, unit, element, period, value (errors noted)."""
    col = {role: i for i, role in roles.items()}
    elements = {int(i): role.split(":", 1)[1] for i, role in roles.items() if role.startswith("element:")}
    element_names = {
        fold(n): e.id for e in catalog.elements().values() for n in (e.id, e.name_vi, *e.aliases)
    }
    cache: dict[tuple[str, str, Period | None], tuple[str | None, Problem | None]] = {}
    records = []

    def cell_at(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    def cell(row: list[str], role: str) -> str:
        return cell_at(row, col.get(role))

    value_columns = list(elements) or [col.get("value")]
    periods: dict[tuple[str, str, str], tuple[Period | None, str | None, dict]] = {}
    first_year = config.first_year()

    def error(row_no: int, column: str | None, value: str | None, key: str, candidates=(), **values) -> None:
        report.problems.append(Problem("error", row_no, column, value, key, values, tuple(candidates)))

    for count, (row_no, row) in enumerate(data_rows):
        if progress and count % 1000 == 0:
            progress(count / max(len(data_rows), 1))
        code, name = cell(row, "unit_code"), cell(row, "unit_name")
        if not (code or name) and any(cell_at(row, i) for i in value_columns):  # never dropped silently
            column = names[col["unit_code"]] if "unit_code" in col else names[col["unit_name"]]
            error(row_no, column, "", "err_unit_missing_for_values")
            continue
        if sum(1 for c in row if c.strip()) <= 1 or not (code or name):  # a title, signature or note line
            report.problems.append(
                Problem("note", row_no, None, " ".join(c for c in row if c)[:80], "note_row_left_out")
            )
            continue
        texts = (cell(row, "period"), cell(row, "year"), cell(row, "month"))
        if texts not in periods:  # a file names a few periods many times: read each once
            periods[texts] = _when(texts, col, today, first_year)
        when, trouble, values = periods[texts]
        if trouble == "err_period_column_missing":
            error(row_no, None, None, trouble)
        elif trouble:
            error(row_no, _period_column(col, names), _period_text(texts, col), trouble, **values)
        key = (code, name, when)
        if key not in cache:
            cache[key] = units.match(code, name, when)
        unit, problem = cache[key]
        if problem:
            column = names[col["unit_code"]] if code else names[col["unit_name"]]
            error(row_no, column, code or name, problem.key, problem.candidates, **problem.values)
        cells = (
            [(names[i], elements[i], row[i] if i < len(row) else "") for i in sorted(elements)]
            if elements
            else [(names[col["value"]], element_names.get(fold(cell(row, "element"))), cell(row, "value"))]
        )
        if not elements and cells[0][1] is None:
            error(
                row_no,
                names[col["element"]],
                cell(row, "element"),
                "err_unknown_element",
                name=cell(row, "element"),
            )
            continue
        for column, element, text in cells:
            try:
                parsed = number(text)
            except ParseError as exc:
                error(row_no, column, text, exc.key, **exc.values)
                continue
            if parsed is None:
                continue  # an empty cell is missing, not zero
            if parsed.percent:
                error(row_no, column, text, "err_percent_not_count", text=text)
                continue
            # A row whose unit or period is wrong is still checked, under a stand-in key, so that
            # every problem of the file is named at once; it is never stored (it has errors).
            key_unit, key_period = unit or f"?{row_no}", when or Period(date(1, 1, 1), "month")
            period_key = (key_period.kind, key_period.start, key_period.end)
            records.append((row_no, column, key_unit, element, *period_key, parsed.value, text))
    if progress:
        progress(1.0)
    frame = pd.DataFrame(records, columns=RECORD)
    duplicated = frame.duplicated(KEY, keep="first")
    first_rows = frame.groupby(KEY, sort=False).row.transform("first")
    for r, first in zip(frame[duplicated].itertuples(), first_rows[duplicated], strict=True):
        error(r.row, r.column, r.text, "err_duplicate_value", first=first)
    return frame[~duplicated].reset_index(drop=True)


def _period_column(col: dict[str, int], names: list[str]) -> str:
    return names[col["period"]] if "period" in col else names[col.get("month", col.get("year", 0))]


def _period_text(texts: tuple[str, str, str], col: dict[str, int]) -> str:
    """What the row's period cells say, as the column _period_column names holds it."""
    if "period" in col or "year" not in col:
        return texts[0] or texts[2]
    return year_month_text(texts[1], texts[2])


def _month_with_year(text: str) -> Period:
    """The period of a month column without a year column: it has to hold the year too."""
    if not text:
        raise ParseError("err_period_missing")
    try:
        return period(text)
    except ParseError:
        if text.strip().isdigit() and 1 <= int(text) <= 12:
            raise ParseError("err_month_without_year", text=text) from None
        raise


def _when(texts: tuple[str, str, str], col: dict[str, int], today: date, first: int) -> tuple:
    """The period a row's cells (period, year, month) name, if a value can be for it: read, from
    the first year the store takes, and over (a year or a quarter is not over when it starts).
    (period, None, {}) or (None, problem key, its values)."""
    text = _period_text(texts, col)
    try:
        if "period" in col:
            if not texts[0]:
                raise ParseError("err_period_missing")
            found = period(texts[0])
        elif "year" in col:
            found = year_month(texts[1], texts[2] if "month" in col else None)
        elif "month" in col:  # a month column alone must name the year as well: 3/2023
            found = _month_with_year(texts[2])
        else:
            return None, "err_period_column_missing", {}
    except ParseError as exc:
        return None, exc.key, exc.values
    trouble = None
    if found.start.year < first:
        trouble = "err_period_too_early"
    elif found.start > today:
        trouble = "err_period_future"
    elif found.end > today:
        trouble = "err_period_not_ended"
    if trouble:
        return None, trouble, {"period": text or found.code, "first": first}
    return found, None, {}


# ---------------------------------------------------------------- what the import would change


def changes_of(conn: Connection, values: pd.DataFrame) -> pd.DataFrame:
    """Each value with what the store holds now: new, changed (old and new) or unchanged."""
    if values.empty:
        return values.assign(old_value=[], status=[])
    with db.staged(conn, "staged_keys", values[KEY]):
        current = db.frame(conn, "queries/current_values")
    current["period_start"] = pd.to_datetime(current.period_start).dt.date
    merged = values.merge(
        current.rename(
            columns={
                "value": "old_value",
                "source_id": "old_source_id",
                "note": "old_note",
                "reported_at": "old_reported_at",
                "kind": "old_kind",
            }
        ),
        on=KEY,
        how="left",
    )
    merged["status"] = np.select(
        [merged.old_value.isna(), merged.old_value == merged.value], ["new", "unchanged"], "changed"
    )
    return merged
