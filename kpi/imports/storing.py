"""Storing a checked file, and undoing it: all of a file's values or none, each import logged
with who, when and what it replaced, so that undo puts back exactly what was there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from kpi.access import audit, scope
from kpi.access.roles import Actor, operator
from kpi.i18n import Failure
from kpi.imports.checking import Report, changes_of, locked_problems
from kpi.periods import Period
from kpi.store import db, indicator_cells, writes


class ImportRefused(Failure, RuntimeError):
    """apply() on a report with errors, or with warnings nobody confirmed."""


class UndoRefused(Failure, RuntimeError):
    """The import is unknown, already undone, or later imports changed its values."""


@dataclass
class ImportResult:
    import_id: int | None
    new: int
    changed: int
    unchanged: int


def apply(
    report: Report, engine: Engine | None = None, actor: Actor | None = None, accept_warnings: bool = False
) -> ImportResult:
    """Store a checked report in one transaction: all its values, or none. The actor's rights
    and the approvals are asked again inside the transaction: the report may be old."""
    actor = actor or operator()
    actor.require("import")
    if report.errors:
        raise ImportRefused("err_import_has_errors", count=len(report.errors))
    if report.warnings and not accept_warnings:
        raise ImportRefused("err_import_unconfirmed", count=len(report.warnings))
    engine = engine or db.get_engine()
    with db.writing(engine) as conn:
        changes = changes_of(conn, report.values)  # again: another import may have run since
        touched = changes[changes.status != "unchanged"]
        scope.require_units(conn, actor, set(report.values.unit_code))
        if locked := locked_problems(conn, changes):
            raise ImportRefused("err_import_approved", count=len(locked), first=locked[0].message())
        counts = changes.status.value_counts()
        result = ImportResult(
            None, int(counts.get("new", 0)), int(counts.get("changed", 0)), int(counts.get("unchanged", 0))
        )
        if touched.empty:
            return result
        stamp = pd.Timestamp.now().strftime("%Y%m%d%H%M%S%f")
        source = writes.source_id(
            conn, f"import:{report.sha256[:16]}:{stamp}", "import", False, report.file_name
        )
        result.import_id = db.execute(
            conn,
            "queries/insert_import",
            source_id=source,
            file_name=report.file_name,
            sha256=report.sha256,
            user_name=actor.name,
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
        indicator_cells.refresh(conn, touched)
        audit.record(
            conn,
            actor,
            "import",
            str(result.import_id),
            f"{report.file_name} sha256={report.sha256[:16]} new={result.new} changed={result.changed}",
        )
    return result


def undo(import_id: int, engine: Engine | None = None, actor: Actor | None = None) -> int:
    """Put back exactly what an import replaced; returns how many values were restored. Only
    for an account whose units hold all of the import's, and not in an approved period."""
    actor = actor or operator()
    actor.require("undo")
    engine = engine or db.get_engine()
    with db.writing(engine) as conn:
        log = db.frame(conn, "queries/import_log")
        row = log[log.id == import_id]
        if row.empty:
            raise UndoRefused("err_undo_unknown", id=import_id)
        if pd.notna(row.undone_at.iloc[0]):
            raise UndoRefused("err_undo_done_already", id=import_id)
        source = int(row.source_id.iloc[0])
        changes = db.frame(conn, "queries/import_changes", import_id=import_id)
        moved = changes[(changes.current_source_id != source) | (changes.current_value != changes.new_value)]
        if not moved.empty:
            later = sorted(set(log[log.source_id.isin(moved.current_source_id)].id))
            raise UndoRefused("err_undo_later", count=len(moved), later=", ".join(map(str, later)) or "?")
        sources = set(db.frame(conn, "queries/source_ids").id)
        gone = changes[changes.old_value.notna() & ~changes.old_source_id.isin(sources)]
        if not gone.empty:  # illustrative values removed since (demo remove): never back as real
            raise UndoRefused("err_undo_source_gone", id=import_id, count=len(gone))
        scope.require_units(conn, actor, set(changes.unit_code))
        if not (locked := scope.locked(conn, changes)).empty:
            first = locked.iloc[0]
            raise UndoRefused(
                "err_undo_approved",
                id=import_id,
                period=Period(first.approved_start, first.approved_type).code,
                unit=first.approved_unit,
                approver=first.approved_by,
            )
        with db.staged(conn, "staged_undo", changes):  # staged once for both statements
            db.execute(conn, "queries/undo_delete_new")
            db.execute(conn, "queries/undo_restore_old")
        indicator_cells.refresh(conn, changes)
        db.execute(conn, "queries/mark_undone", import_id=import_id, undone_by=actor.name)
        audit.record(conn, actor, "undo", str(import_id), f"restored={len(changes)}")
    return len(changes)


def log(engine: Engine | None = None) -> pd.DataFrame:
    """Every import, newest first."""
    return db.read_frame("queries/import_log", engine)
