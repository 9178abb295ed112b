"""Benchmark of the importer: a 100,000-row file from bytes to stored.

Builds a store with the built-in data in a temporary folder, writes a long-shape CSV of
100,000 rows (every commune and agency of Bình Sơn, nine monthly elements, 397 months from
1990), and prints the time of the dry run (read, match, check, diff) and of the import
(one transaction), each the median of a few runs on a fresh copy of the store.

Usage: .venv/bin/python benchmarks/import_100k.py [--rows N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi import catalog
from kpi.imports import checking, storing
from kpi.periods import Period
from kpi.store import db, setup, units


def build_file(rows: int) -> bytes:
    """A long CSV: unit code, period, element id, value; parts never above their wholes."""
    district = units.divisions("524").query("parent_code == '524'")  # the map before 2025: from 1990
    codes = list(district[district.level.isin(["commune", "agency"])].code)
    elements = [e for e in catalog.elements().values() if e.group == "tthc"]
    first = Period.parse("1990-01")
    lines = ["Mã đơn vị,Kỳ,Chỉ tiêu,Giá trị"]
    month = 0
    while len(lines) <= rows:
        period = first.shift(month).code
        for code in codes:
            for element in elements:
                value = 40 if element.part_of is None else 20
                lines.append(f"{code},{period},{element.id},{value}")
        month += 1
    return ("\n".join(lines[: rows + 1]) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["KPI_FIRST_YEAR"] = "1990"  # the file's months start in 1990, clear of the demo's
    data = build_file(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.duckdb"
        setup.initialise(db.get_engine(f"duckdb:///{template}"))
        db.release(f"duckdb:///{template}")  # written through, before it is copied
        checks, imports = [], []
        for run in range(args.repeat):
            path = Path(folder) / f"run{run}.duckdb"
            shutil.copy(template, path)
            engine = db.get_engine(f"duckdb:///{path}")
            started = time.perf_counter()
            report = checking.check(data, "benchmark.csv", engine)
            checks.append(time.perf_counter() - started)
            assert not report.errors, report.errors[:3]
            started = time.perf_counter()
            result = storing.apply(report, engine, accept_warnings=True)
            imports.append(time.perf_counter() - started)
    stored = result.new + result.changed
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB, {stored:,} values stored; median of {args.repeat}")
    for label, times in (
        ("dry run (read, match, check, diff)", checks),
        ("import (one transaction)", imports),
    ):
        print(f"  {label:<36}{statistics.median(times):6.2f} s  (best {min(times):.2f} s)")
    total = statistics.median(checks) + statistics.median(imports)
    print(f"  {'upload to stored':<36}{total:6.2f} s  (goal: under 5 s)")


if __name__ == "__main__":
    main()
