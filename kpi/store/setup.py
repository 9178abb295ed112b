"""Setting a store up: schema, definitions, units, the report's figures and the demo set.

Everything `init` writes goes in one transaction, and every write only adds what is not
there yet (or updates a unit or definition to the same value), so running it twice changes
nothing and it never overwrites a value that an analyst stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import catalog, config
from kpi.access import audit
from kpi.access.roles import Actor, operator
from kpi.periods import Period
from kpi.store import db, demo, indicator_cells, migrate, units, writes

DEMO_REMOVED = "removed"


@dataclass
class InitResult:
    district: str
    migrations: list[int]
    units: int
    report_values: int = 0
    demo_values: int = 0
    demo_targets: int = 0
    cells_refilled: int | None = None  # how many indicators' cells were written again, if they were
    notes: list[str] = field(default_factory=list)


def report_observations() -> pd.DataFrame:
    """The 2023 report's figures as observations of the district, each for its year."""
    rows = []
    for figure in catalog.report_figures():
        year = Period(date(figure.year, 1, 1), "year")
        derived = f" (suy ra / derived: {figure.derived})" if figure.derived else ""
        rows.append(
            {
                "unit_code": catalog.report_2023()["district"],
                "element_id": figure.element,
                "period_type": "year",
                "period_start": year.start,
                "period_end": year.end,
                "value": figure.value,
                "note": figure.quote + derived,
                "kind": figure.kind,
            }
        )
    return pd.DataFrame(rows)


def initialise(
    engine: Engine | None = None,
    district: str | None = None,
    with_demo: bool = True,
    refill_cells: bool = False,
) -> InitResult:
    """Create or migrate the store and load one district's units and built-in data. The
    indicators' cells are refilled when the definitions changed, or when asked (refill_cells:
    values were changed in the database directly, which no write of the product follows)."""
    engine = engine or db.get_engine()
    applied = migrate.migrate(engine)
    if with_demo:
        _remove_outdated_demo(engine, district)
    with db.writing(engine) as conn:
        district = district or writes.get_setting(conn, "district") or config.DEFAULT_DISTRICT
        frame = units.divisions(district)
        refilled = writes.sync_definitions(conn)
        if refilled is None and refill_cells:
            refilled = indicator_cells.refill(conn)
            audit.record(conn, operator(), "cells_refill", district, f"cells={refilled}")
        writes.upsert_units(conn, frame)
        writes.set_setting(conn, "district", district)
        result = InitResult(district, applied, len(frame), cells_refilled=refilled)
        report = catalog.report_2023()
        if district == report["district"]:
            source = writes.source_id(conn, "report-2023", "report", False, report["source"])
            figures = report_observations()
            result.report_values = writes.add_observations(conn, figures, source)
            writes.set_kinds(conn, figures, source)  # a store made before kinds were kept
        demo_key = f"demo:{district}"
        if not with_demo:
            return result
        if writes.get_setting(conn, demo_key) == DEMO_REMOVED:
            result.notes.append("demo_removed")
            return result
        result.demo_values, result.demo_targets = _add_demo(conn, frame, district)
        writes.set_setting(conn, demo_key, "loaded")
        writes.set_setting(conn, f"demo_version:{district}", demo.VERSION)
        if result.demo_values or result.demo_targets:
            detail = f"values={result.demo_values} targets={result.demo_targets}"
            audit.record(conn, operator(), "demo_load", district, detail)
    return result


def _remove_outdated_demo(engine: Engine, district: str | None) -> None:
    """Delete the illustrative values of an older demo set (made before demo.VERSION), in a
    transaction of its own: the current set is then added like a first one (a key deleted and
    added again in one DuckDB transaction is refused). Real values are never touched."""
    with db.writing(engine) as conn:
        district = district or writes.get_setting(conn, "district") or config.DEFAULT_DISTRICT
        loaded = writes.get_setting(conn, f"demo:{district}") == "loaded"
        if not loaded or writes.get_setting(conn, f"demo_version:{district}") == demo.VERSION:
            return
        removed = writes.remove_demo(conn)
        detail = f"values={removed['observations']} targets={removed['targets']} version={demo.VERSION}"
        audit.record(conn, operator(), "demo_replace", district, detail)


def _add_demo(conn, frame: pd.DataFrame, district: str) -> tuple[int, int]:
    source = writes.source_id(conn, demo.SOURCE_NAME, "demo", True, demo.SOURCE_NOTE)
    values = writes.add_observations(conn, demo.observations(frame, district), source)
    targets = writes.add_targets(conn, demo.targets(), source)
    return values, targets


def load_demo(engine: Engine | None = None, actor: Actor | None = None) -> tuple[int, int]:
    """Add the demo set again for the store's district (after `demo remove`); admin only."""
    actor = actor or operator()
    actor.require("admin")
    with db.writing(engine or db.get_engine()) as conn:
        district = writes.get_setting(conn, "district") or config.DEFAULT_DISTRICT
        added = _add_demo(conn, units.divisions(district), district)
        writes.set_setting(conn, f"demo:{district}", "loaded")
        writes.set_setting(conn, f"demo_version:{district}", demo.VERSION)
        audit.record(conn, actor, "demo_load", district, f"values={added[0]} targets={added[1]}")
    return added


def remove_demo(engine: Engine | None = None, actor: Actor | None = None) -> dict[str, int]:
    """Delete all illustrative data, and remember it so that `init` does not bring it back;
    admin only."""
    actor = actor or operator()
    actor.require("admin")
    engine = engine or db.get_engine()
    with db.writing(engine) as conn:
        removed = writes.remove_demo(conn)
        district = writes.get_setting(conn, "district") or config.DEFAULT_DISTRICT
        writes.set_setting(conn, f"demo:{district}", DEMO_REMOVED)
        detail = f"values={removed['observations']} targets={removed['targets']}"
        audit.record(conn, actor, "demo_remove", district, detail)
    with db.writing(engine) as conn:  # a source may go only once no committed row points at it
        writes.remove_demo_sources(conn)
    return removed
