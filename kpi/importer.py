"""Importing the files communes send: check everything first, then store all of it or nothing.

`check` reads a file and returns a Report: what it detected (encoding, separator, sheet,
header row, wide or long shape), every problem with the row and column the user sees, and
what the import would change. `apply` stores a clean report in one transaction, logging the
import and the values it replaced; `undo` puts those values back exactly.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi import catalog, db, reads, rules, store
from kpi.filereader import Grid, ReadError, read
from kpi.parsing import ParseError, number, period, year_month
from kpi.periods import Period
from kpi.problems import Problem, problem
from kpi.textnorm import fold
from kpi.unitmatch import UnitMatcher

KEY = ["unit_code", "element_id", "period_type", "period_start"]
#: One value read from a file: where it stands in the file, the observation it makes, its text.
RECORD = ["row", "column", *store.OBSERVATION_COLUMNS[:6], "text"]
IGNORED = {"stt", "tt", "so tt", "ghi chu", "note", "notes"}


def max_bytes() -> int:
    """Largest file accepted (KPI_IMPORT_MAX_BYTES, default 20 MB)."""
    return int(os.environ.get("KPI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))


def max_rows() -> int:
    """Most data rows accepted (KPI_IMPORT_MAX_ROWS, default 200,000)."""
    return int(os.environ.get("KPI_IMPORT_MAX_ROWS", "200000"))


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


class ImportRefused(RuntimeError):
    """apply() on a report with errors, or with warnings nobody confirmed."""


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


# ---------------------------------------------------------------- check


def check(
    data: bytes,
    file_name: str,
    engine: Engine | None = None,
    sheet: str | None = None,
    today: date | None = None,
    progress: Callable[[float], None] | None = None,
) -> Report:
    """Read and check a file; nothing is stored. ReadError when it cannot be read at all."""
    engine = engine or db.get_engine()
    report = Report(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    if len(data) > max_bytes():
        raise ReadError(
            f"Tệp lớn {len(data):,} byte, vượt giới hạn {max_bytes():,} byte: chia nhỏ tệp.",
            f"The file has {len(data):,} bytes, more than the limit of {max_bytes():,}: split it.",
        )
    report.grid = grid = read(data, sheet)
    found = _header(grid)
    if found is None and grid.kind == "xlsx" and sheet is None:  # the data may be on another sheet
        for name in grid.sheets[1:]:
            other = read(data, name)
            if (found := _header(other)) is not None:
                report.grid = grid = other
                report.problems.append(
                    Problem(
                        "note",
                        None,
                        None,
                        name,
                        f"Dùng trang tính '{name}': trang đầu không có bảng số liệu.",
                        f"Using the sheet '{name}': the first sheet holds no table.",
                    )
                )
                break
    if found is None:
        report.problems.append(
            problem(
                "Không tìm thấy dòng tiêu đề: cần một cột đơn vị (Mã xã hoặc Tên đơn vị) và các cột số liệu "
                "(ví dụ Số hồ sơ tiếp nhận) hoặc hai cột Chỉ tiêu và Giá trị. "
                "Tải mẫu trên trang Nhập dữ liệu.",
                "No header row found: it needs a unit column (Mã xã or Tên đơn vị) and value columns "
                "(e.g. Số hồ sơ tiếp nhận) or the two columns Chỉ tiêu and Giá trị. "
                "Download a template on the import page.",
            )
        )
        return report
    header, roles = found
    report.header_row = header + 1
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
                f"Bỏ qua các cột không nhận ra: {', '.join(ignored)}.",
                f"Columns not recognised, left out: {', '.join(ignored)}.",
            )
        )
    data_rows = [(i + 1, row) for i, row in enumerate(grid.rows[header + 1 :], start=header + 1) if any(row)]
    if len(data_rows) > max_rows():
        raise ReadError(
            f"Tệp có {len(data_rows):,} dòng, vượt giới hạn {max_rows():,} dòng: chia nhỏ tệp.",
            f"The file has {len(data_rows):,} rows, more than the limit of {max_rows():,}: split it.",
        )
    district = reads.setting("district", engine)
    values = _values(
        report, data_rows, roles, names, UnitMatcher(district, engine), today or date.today(), progress
    )
    report.problems += rules.check(values) + rules.outliers(values, district, engine)
    bad_rows = {p.row for p in report.errors}
    report.rows_read = len(data_rows) - len(
        {p.row for p in report.notes if p.row and p.row > report.header_row}
    )
    report.rows_valid = len({r for r in values.row} - bad_rows) if not values.empty else 0
    report.values = values
    report.problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    if not report.errors:
        with engine.connect() as conn:
            report.changes = _changes(conn, values)
    return report


def _values(report, data_rows, roles, names, units, today, progress) -> pd.DataFrame:
    """One record per value cell: row, column, unit, element, period, value (errors noted)."""
    col = {role: i for i, role in roles.items()}
    elements = {int(i): role.split(":", 1)[1] for i, role in roles.items() if role.startswith("element:")}
    element_names = {
        fold(n): e.id for e in catalog.elements().values() for n in (e.id, e.name_vi, *e.aliases)
    }
    cache: dict[tuple[str, str], tuple[str | None, Problem | None]] = {}
    records = []

    def cell(row: list[str], role: str) -> str:
        index = col.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    def error(row_no: int, column: str | None, value: str | None, vi: str, en: str, candidates=()) -> None:
        report.problems.append(Problem("error", row_no, column, value, vi, en, tuple(candidates)))

    for count, (row_no, row) in enumerate(data_rows):
        if progress and count % 1000 == 0:
            progress(count / max(len(data_rows), 1))
        code, name = cell(row, "unit_code"), cell(row, "unit_name")
        if sum(1 for c in row if c.strip()) <= 1 or not (code or name):  # a title, signature or note line
            report.problems.append(
                Problem(
                    "note",
                    row_no,
                    None,
                    " ".join(c for c in row if c)[:80],
                    "Bỏ qua dòng ghi chú.",
                    "Note row left out.",
                )
            )
            continue
        key = (code, name)
        if key not in cache:
            cache[key] = units.match(code, name)
        unit, problem = cache[key]
        if problem:
            column = names[col["unit_code"]] if code else names[col["unit_name"]]
            error(row_no, column, code or name, problem.vi, problem.en, problem.candidates)
        when = _period(row, cell, col, names, row_no, error)
        if when is not None and when.start > today:
            error(
                row_no,
                _period_column(col, names),
                when.code,
                f"Kỳ {when.code} chưa đến.",
                f"The period {when.code} is in the future.",
            )
            when = None
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
                f"Không có chỉ tiêu '{cell(row, 'element')}'. Xem danh sách bằng `python -m kpi elements`.",
                f"There is no element '{cell(row, 'element')}'. List them with `python -m kpi elements`.",
            )
            continue
        for column, element, text in cells:
            try:
                parsed = number(text)
            except ParseError as exc:
                error(row_no, column, text, exc.vi, exc.en)
                continue
            if parsed is None:
                continue  # an empty cell is missing, not zero
            if parsed.percent:
                error(
                    row_no,
                    column,
                    text,
                    f"'{text}' là tỷ lệ: ở đây cần số lượng (ví dụ 21.777).",
                    f"'{text}' is a percentage: a count is needed here (e.g. 21.777).",
                )
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
        error(
            r.row,
            r.column,
            r.text,
            f"Trùng với dòng {first}: cùng đơn vị, kỳ và chỉ tiêu.",
            f"Same unit, period and element as row {first}.",
        )
    return frame[~duplicated].reset_index(drop=True)


def _period_column(col: dict[str, int], names: list[str]) -> str:
    return names[col["period"]] if "period" in col else names[col.get("month", col.get("year", 0))]


def _period(row, cell, col, names, row_no, error) -> Period | None:
    try:
        if "period" in col and not cell(row, "period"):
            raise ParseError(
                "Thiếu kỳ báo cáo (ví dụ Tháng 3/2023).", "The period is missing (e.g. 2023-03)."
            )
        if "period" in col:
            return period(cell(row, "period"))
        if "year" in col:
            return year_month(cell(row, "year"), cell(row, "month") if "month" in col else None)
    except ParseError as exc:
        error(row_no, _period_column(col, names), cell(row, "period") or cell(row, "year"), exc.vi, exc.en)
        return None
    error(
        row_no,
        None,
        None,
        "Thiếu cột Kỳ (hoặc Năm và Tháng).",
        "The Period column (or Year and Month) is missing.",
    )
    return None


# ---------------------------------------------------------------- what would change, and storing it


def _changes(conn: Connection, values: pd.DataFrame) -> pd.DataFrame:
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
            }
        ),
        on=KEY,
        how="left",
    )
    merged["status"] = np.select(
        [merged.old_value.isna(), merged.old_value == merged.value], ["new", "unchanged"], "changed"
    )
    return merged


@dataclass
class ImportResult:
    import_id: int | None
    new: int
    changed: int
    unchanged: int


def apply(
    report: Report, engine: Engine | None = None, user: str = "", accept_warnings: bool = False
) -> ImportResult:
    """Store a checked report in one transaction: all its values, or none."""
    if report.errors:
        raise ImportRefused(
            f"{len(report.errors)} lỗi: không lưu gì / {len(report.errors)} errors: nothing stored"
        )
    if report.warnings and not accept_warnings:
        raise ImportRefused(
            f"{len(report.warnings)} cảnh báo cần xác nhận / {len(report.warnings)} warnings need confirming"
        )
    engine = engine or db.get_engine()
    with engine.begin() as conn:
        changes = _changes(conn, report.values)  # again, inside the transaction: another import may have run
        touched = changes[changes.status != "unchanged"]
        counts = changes.status.value_counts()
        result = ImportResult(
            None, int(counts.get("new", 0)), int(counts.get("changed", 0)), int(counts.get("unchanged", 0))
        )
        if touched.empty:
            return result
        stamp = pd.Timestamp.now().strftime("%Y%m%d%H%M%S%f")
        source = store.source_id(
            conn, f"import:{report.sha256[:16]}:{stamp}", "import", False, report.file_name
        )
        result.import_id = db.execute(
            conn,
            "queries/insert_import",
            source_id=source,
            file_name=report.file_name,
            sha256=report.sha256,
            user_name=user or os.environ.get("USER", ""),
            shape=report.shape,
            rows_read=report.rows_read,
            rows_valid=report.rows_valid,
            values_new=result.new,
            values_changed=result.changed,
            values_unchanged=result.unchanged,
        ).scalar_one()
        history = touched.rename(columns={"value": "new_value"})
        with db.staged(conn, "staged_history", history):
            db.execute(conn, "queries/insert_history", import_id=result.import_id)
        with db.staged(conn, "staged_import", touched):
            db.execute(conn, "queries/upsert_imported", source_id=source, reported_at=date.today())
    return result


class UndoRefused(RuntimeError):
    """The import is unknown, already undone, or later imports changed its values."""


def undo(import_id: int, engine: Engine | None = None) -> int:
    """Put back exactly what an import replaced; returns how many values were restored."""
    engine = engine or db.get_engine()
    with engine.begin() as conn:
        log = db.frame(conn, "queries/import_log")
        row = log[log.id == import_id]
        if row.empty:
            raise UndoRefused(f"Không có lần nhập số {import_id} / no import {import_id}")
        if pd.notna(row.undone_at.iloc[0]):
            raise UndoRefused(
                f"Lần nhập {import_id} đã được hoàn tác / import {import_id} was undone already"
            )
        source = int(row.source_id.iloc[0])
        changes = db.frame(conn, "queries/import_changes", import_id=import_id)
        moved = changes[(changes.current_source_id != source) | (changes.current_value != changes.new_value)]
        if not moved.empty:
            later = sorted(set(log[log.source_id.isin(moved.current_source_id)].id))
            raise UndoRefused(
                f"{len(moved)} số liệu đã bị lần nhập sau thay đổi ({', '.join(map(str, later)) or '?'}): "
                f"hoàn tác các lần đó trước / {len(moved)} values were changed later: "
                "undo those imports first"
            )
        with db.staged(conn, "staged_undo", changes):  # staged once for both statements
            db.execute(conn, "queries/undo_delete_new")
            db.execute(conn, "queries/undo_restore_old")
        db.execute(conn, "queries/mark_undone", import_id=import_id)
    return len(changes)


def log(engine: Engine | None = None) -> pd.DataFrame:
    """Every import, newest first."""
    return db.read_frame("queries/import_log", engine)
